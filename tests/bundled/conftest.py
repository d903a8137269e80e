"""The bundled homelab's fixtures: its files as synth renders them, and the seal lab's repository (for the
cases that load the bundled sealed store or certificate into it)."""

from __future__ import annotations

import pytest

from tests.sealing.conftest import root  # noqa: F401  (a fixture the bundled sealing cases share)


@pytest.fixture(scope="session")
def bundled_files() -> dict[str, bytes]:
    """Every file ``homelab synth`` generates for the bundled homelab (rendered once per run)."""
    from clusters import HOMELAB
    from homelab.engine.pipeline import synthesise

    return synthesise(HOMELAB).files
