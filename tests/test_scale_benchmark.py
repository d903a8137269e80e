"""The scale benchmark keeps working (a smoke run at a tiny size: its figures are not checked here)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_scale_benchmark_runs() -> None:
    run = subprocess.run(
        [sys.executable, "scripts/scale_benchmark.py", "--sizes", "2", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    row = run.stdout.strip().splitlines()[-1].split()
    assert row[0] == "2" and int(row[1]) > 10  # apps, objects
