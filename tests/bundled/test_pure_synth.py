"""Synth is a pure function of the declaration, on the bundled homelab: an edit of the data file a builder
reads is written by the next synth (the language's cases are in tests/engine/test_pure_synth.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT
from tests.engine.test_pure_synth import homelab, synth_writes_the_edit


def test_editing_the_script_thomflix_reads_rewrites_its_job(tmp_path: Path) -> None:
    """The bundled homelab: ``clusters/apps/thomflix.py`` reads ``check-directories.sh`` into a Job."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "clusters", repo / "clusters", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "dist", repo / "dist")
    shutil.copy(ROOT / ".homelab-validate.yaml", repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    first = homelab(repo, "synth")
    assert "unchanged" in first.stdout, first.stdout + first.stderr
    script = repo / "clusters" / "files" / "thomflix" / "check-directories.sh"

    def edit() -> None:
        script.write_text(script.read_text() + "echo 'one more line'\n")

    synth_writes_the_edit(repo, edit, "echo 'one more line'", spec="clusters:HOMELAB", env={})
