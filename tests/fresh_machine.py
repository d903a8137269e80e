"""A new repository's README commands as on a fresh machine, for the done-when tests of ``homelab init`` and
``homelab import``: a Python outside this .venv (the new repository's ``./dev`` makes its own ``.venv``,
installing the language) and an empty cache (offline: no schema cached)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def fresh_env(tmp_path: Path) -> dict[str, str]:
    """This process's environment without its virtualenv, ``./dev`` using a base Python, an empty cache."""
    python = getattr(sys, "_base_executable", sys.executable)  # a Python 3.11 with pip, outside this .venv
    return {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")} | {
        "PYTHON": python,
        "XDG_CACHE_HOME": str(tmp_path / "empty-cache"),
    }


def run_steps(repo: Path, env: dict[str, str], steps: Sequence[Sequence[str]]) -> None:
    """Run each command in ``repo`` in turn; each must exit 0 (else its output is the failure)."""
    for step in steps:
        run = subprocess.run(step, cwd=repo, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, f"{' '.join(step)}:\n{run.stdout}\n{run.stderr}"
