"""Snapshots of the small test homelabs: a reviewer reads these diffs (the bundled ``dist/`` is
guarded by ``synth --check`` instead). Update them only on purpose: ``./dev test --snapshot-update``."""

from __future__ import annotations

from homelab.engine.pipeline import synthesise
from tests.conftest import FakeStore
from tests.engine import minilab
from tests.sealing import seal_lab


def decoded(files: dict[str, bytes]) -> dict[str, str]:
    return {path: data.decode() for path, data in sorted(files.items())}


def test_minilab(snapshot: object) -> None:
    """Two clusters, a core app with a derived fact, one Helm app enabled on one and disabled on the other."""
    assert decoded(synthesise(minilab.LAB).files) == snapshot


def test_sealed_lab(snapshot: object, monkeypatch: object) -> None:
    """An app whose only object is a SealedSecret, which exists on one cluster's overlay only."""
    monkeypatch.setenv("HOMELAB_TEST_ROOT", "/nonexistent")  # type: ignore[attr-defined]
    files = synthesise(seal_lab.lab(), stores={"home": FakeStore()}).files
    assert decoded(files) == snapshot
