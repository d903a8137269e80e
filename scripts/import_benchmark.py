"""Import benchmark: how long ``homelab import`` takes on a large hand-kept tree.

For N apps (``scripts/scale_lab.py``'s homelab: a chart, a database, a Tailscale ingress and a sealed config
each, on 3 clusters) it synthesises the homelab once; its ``dist/kustomize`` tree (the engine's layout:
``clusters/overlays/<cluster>``, ``<app>/overlays/<cluster>``) is the tree imported, ``--runs`` times, each into
a new directory. It prints the median and each run's wall time in seconds, and the import's own summary
(objects typed, proof), which must end in exit 0.

    python scripts/import_benchmark.py [--apps 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def synthesised_tree(apps: int) -> tuple[Path, str, dict[str, str]]:
    """(the generated homelab's repository, holding ``dist/kustomize``; its Git URL; the environment)."""
    sys.path.insert(0, str(ROOT))
    from scripts.scale_benchmark import scale_lab_repo, synth_cmd
    from scripts.scale_lab import REPO_URL

    root, env = scale_lab_repo(apps)
    run = subprocess.run(synth_cmd(root), cwd=root, env=env, capture_output=True, text=True, timeout=1800)
    if run.returncode != 0:
        raise SystemExit(f"homelab synth failed: {run.stderr[-2000:]}")
    return root, REPO_URL, env


def time_import(tree: Path, repo: str, into: Path, env: dict[str, str]) -> tuple[float, str]:
    """Seconds ``homelab import TREE --repo REPO --into INTO`` took, and its summary lines; exit 0 required."""
    command = [sys.executable, "-m", "homelab", "import", str(tree), "--repo", repo, "--into", str(into)]
    start = time.perf_counter()
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"homelab import exited {run.returncode}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    summary = [line for line in run.stdout.splitlines() if line.startswith(("typed:", "proof:"))]
    return wall, "\n".join(summary)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root, repo, env = synthesised_tree(args.apps)
    times, summary = [], ""
    try:
        with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
            for i in range(args.runs):
                wall, summary = time_import(root / "dist" / "kustomize", repo, Path(tmp, f"run{i}"), env)
                times.append(wall)
                print(f"run {i + 1}: {wall:.1f} s", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(summary)
    print(f"homelab import of {args.apps} apps × 3 clusters: median {statistics.median(times):.1f} s")
    print("runs: " + " ".join(f"{t:.1f}" for t in times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
