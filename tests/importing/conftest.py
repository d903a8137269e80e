"""Fixtures of import's tests: importing a tree into a new directory, with kubectl at hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from homelab.commands.import_repo import ImportOptions, run
from tests.importing.trees import REPO

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def imported(kubectl: str, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """Import a tree into a directory (the exit status and what the command printed)."""

    def do(tree: Path, into: Path, repo: str = REPO, **more: object) -> tuple[int, str]:
        options = ImportOptions(tree=tree, repo=repo, into=into, homelab_source=str(ROOT), **more)  # type: ignore[arg-type]
        status = run(options)
        return status, capsys.readouterr().out

    return do
