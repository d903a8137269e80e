"""Repositories in shapes common in public Argo CD homelabs (:mod:`tests.importing.public`), imported: the exit
status says whether each cluster deploys the same objects, and what import cannot express is listed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.importing.foreign import HTTPS, application
from tests.importing.trees import kustomization, write

Import = Callable[..., tuple[int, str]]

#: Custom kinds of these repositories, accepted unchecked (validate has no schema for them offline).
CUSTOM_KINDS = ("Certificate", "ServiceMonitor", "SealedSecret")


def _clean(repository: Path) -> None:
    """The README's steps pass in the new repository: synth --check, validate (no error), ruff, ruff format."""
    allowed = [arg for kind in CUSTOM_KINDS for arg in ("--allow-kind", kind)]
    for command in (
        [sys.executable, "-m", "homelab", "synth", "--check"],
        [sys.executable, "-m", "homelab", "validate", *allowed],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
    ):
        run = subprocess.run(command, cwd=repository, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, f"{command}: {run.stdout}{run.stderr}"
        assert "stale-acceptance" not in run.stdout, run.stdout


def test_an_app_whose_base_is_empty_passes_ruff(tmp_path: Path, imported: Import) -> None:
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "1"}}
    files: dict[str, object] = {
        "clusters/home/x.yaml": application("x", "apps/x/overlays/home", "x"),
        "apps/x/base/kustomization.yaml": kustomization([]),
        "apps/x/overlays/home/kustomization.yaml": kustomization(["../../base", "cm.yaml"]),
        "apps/x/overlays/home/cm.yaml": config_map,
    }
    status, out = imported(write(tmp_path / "tree", files), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    module = (tmp_path / "new/clusters/apps/x.py").read_text()
    assert '    """The app as every cluster starts from it."""\n\n\n' in module, module  # its docstring, no `pass`
    _clean(tmp_path / "new")
