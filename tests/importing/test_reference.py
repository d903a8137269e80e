"""The reference tree (../shared/reference/kustomize) imported: every object it builds re-renders identically,
and the new repository passes its own checks (synth --check, ruff, ruff format, mypy)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_reference_imports_and_renders_identically(
    reference: Path, tmp_path: Path, imported: Callable[..., tuple[int, str]]
) -> None:
    into = tmp_path / "lab"
    # As the command, without --cert: the SealedSecrets go into the sealed stores as SealedConfigs,
    # their ciphertexts as they are (a certificate is needed only to seal new values).
    status, out = imported(reference, into, repo="https://github.com/roukydesbois/homelab")
    print(out)
    assert status == 0, out
    same = re.search(r"proof: (\d+)/(\d+) objects of the original identical", out)
    assert same and same[1] == same[2] and int(same[2]) > 100, out
    typed = re.search(r"typed: (\d+)/(\d+) objects \(\d+ %\) expressed by typed constructs", out)
    assert typed and int(typed[1]) >= 0.9 * int(typed[2]), out
    assert "kept as a raw SealedSecret" not in out
    assert "note: minikube: no root deploys this cluster: its apps are imported disabled" in out
    assert "clusters/overlays/vps/odoo-lss does not build" in out  # a deliberate fix: nothing to compare
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    for command in (
        [sys.executable, "-m", "homelab", "synth", "--check"],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        [sys.executable, "-m", "mypy", "--no-incremental", "clusters"],
    ):
        run = subprocess.run(command, cwd=into, capture_output=True, text=True, env=env, timeout=600)
        assert run.returncode == 0, f"{' '.join(command[2:])}:\n{run.stdout}{run.stderr}"
