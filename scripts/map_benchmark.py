"""Map benchmark: how long the map of a generated homelab takes to render in headless Chromium.

For N apps (``scripts/scale_lab.py``'s homelab: a chart, a database, a Tailscale ingress and a sealed config
each, on 3 clusters) it writes the map with ``homelab map``, then opens it ``--loads`` times, each in a
fresh tab: from navigation to the load event with the page laid out (its script has drawn every cluster).
It prints the median and each load, in seconds.

    python scripts/map_benchmark.py [--apps 200] [--loads 5]

The test suite runs :func:`measure` on 200 apps and asserts the median is under two seconds.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_map(apps: int, out: Path) -> int:
    """Write the map of the generated homelab of ``apps`` apps to ``out``; its number of app entries."""
    sys.path.insert(0, str(ROOT))
    from scripts.scale_benchmark import scale_lab_repo

    root, env = scale_lab_repo(apps)
    try:
        command = [sys.executable, "-m", "homelab", "--homelab", "lab:HOMELAB", "map", "--out", str(out)]
        run = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)
        if run.returncode != 0:
            raise SystemExit(f"homelab map failed: {run.stderr[-2000:]}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return apps * 3


def load_times(page: Path, loads: int) -> list[float]:
    """Seconds from navigation to the laid-out page, for each of ``loads`` loads in a fresh tab."""
    from scripts.map_browser import browser

    times = []
    with browser() as chromium:
        for _ in range(loads):
            tab = chromium.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            tab.goto(page.as_uri(), wait_until="load")
            drawn = tab.evaluate("document.querySelectorAll('button.entry').length && document.body.offsetHeight")
            times.append(time.perf_counter() - start)
            tab.close()
            if not drawn:
                raise SystemExit("the map drew nothing")
    return times


def measure(apps: int, loads: int, work: Path) -> tuple[float, list[float]]:
    """(median, each load) of the map of a generated homelab of ``apps`` apps, written under ``work``."""
    page = work / f"map-{apps}.html"
    write_map(apps, page)
    times = load_times(page, loads)
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=200)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from scripts.map_browser import missing

    reason = missing()
    if reason:
        print(f"map_benchmark: {reason}", file=sys.stderr)
        return 2
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        median, times = measure(args.apps, args.loads, Path(tmp))
        size = (Path(tmp) / f"map-{args.apps}.html").stat().st_size
    print(f"map of {args.apps} apps × 3 clusters ({size // 1024} KiB): median {median:.3f} s to render")
    print("loads: " + " ".join(f"{t:.3f}" for t in times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
