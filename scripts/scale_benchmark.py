"""Scale benchmark: synth of a generated homelab next to same-run yardsticks, ratios first.

For N apps (``scripts/scale_lab.py`` writes them as a repository's modules: a Helm chart, a CNPG
database, a Tailscale ingress and a sealed config each, on 3 clusters), it prints, per N, medians of
``--runs`` runs:

- ``synth``: ``homelab synth`` of the generated homelab into an empty ``dist/`` (wall, peak memory
  of the process tree: Python plus jsii's Node.js);
- ``bare``: the bare start of cdk8s (``import cdk8s; cdk8s.Chart(cdk8s.App(), "c")``);
- ``plain``: plain cdk8s creating the same objects (each directory a Chart, each object an
  ``ApiObject`` with its fields added as JSON patches, then ``app.synth()``), no engine;
- ``kustomize``: ``kubectl kustomize`` of every directory Argo CD builds (each cluster's root and
  each app overlay), one after the other.

    python scripts/scale_benchmark.py [--sizes 25,50,100,200,400] [--runs 3] [--bundled]

``--bundled`` also times the bundled homelab's synth against the bare start, run alternately so the
ratio holds on a noisy machine. A benchmark, not a test: it prints
figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def node_env() -> dict[str, str]:
    """The environment the CLI gives jsii (the wheel's Node.js), for the yardstick scripts too."""
    sys.path.insert(0, str(ROOT))
    from constructs_lib._internal.node_runtime import ensure_jsii_node

    ensure_jsii_node()
    return {**os.environ, "CDK8S_CHECK_UPGRADE": "false"}


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of ``pid`` and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, int]:
    """Wall seconds and peak memory (bytes, sampled every 10 ms) of ``cmd`` and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-3000:]}")
    return elapsed, peak


BARE = "import cdk8s; cdk8s.Chart(cdk8s.App(), 'c')"

PLAIN = """
import json, sys
import cdk8s
data = json.load(open(sys.argv[1]))
app = cdk8s.App(outdir=sys.argv[2])
for d, (path, objects) in enumerate(data.items()):
    chart = cdk8s.Chart(app, f"d{d}", disable_resource_name_hashes=True)
    for i, o in enumerate(objects):
        meta = {k: v for k, v in o["metadata"].items() if k in ("name", "namespace", "labels", "annotations")}
        obj = cdk8s.ApiObject(chart, f"o{i}", api_version=o["apiVersion"], kind=o["kind"], metadata=meta)
        for key, value in o["metadata"].items():
            if key not in meta:
                obj.add_json_patch(cdk8s.JsonPatch.add("/metadata/" + key, value))
        for key, value in o.items():
            if key not in ("apiVersion", "kind", "metadata"):
                obj.add_json_patch(cdk8s.JsonPatch.add("/" + key, value))
app.synth()
"""

EXPORT = """
import json, sys
from homelab.declaration import load_homelab
from homelab.engine.pipeline import draft
tree = draft(load_homelab("lab:HOMELAB"))
json.dump({d.path: [o.data for o in d.objects] for d in tree.directories}, open(sys.argv[1], "w"))
"""


def kustomize_dirs(tree: Path) -> list[Path]:
    """What Argo CD builds: each cluster's root directory and each app overlay."""
    return sorted(p.parent for p in tree.glob("*/overlays/*/kustomization.yaml"))


def time_kustomize(tree: Path) -> float:
    kubectl = shutil.which("kubectl", path=str(Path(PY).parent)) or "kubectl"
    start = time.perf_counter()
    for directory in kustomize_dirs(tree):
        subprocess.run([kubectl, "kustomize", str(directory)], check=True, capture_output=True)
    return time.perf_counter() - start


def scale_lab_repo(apps: int) -> tuple[Path, dict[str, str]]:
    """A git repository holding the generated homelab of ``apps`` apps, and the environment to run it."""
    sys.path.insert(0, str(ROOT))
    from scripts.scale_lab import write_lab

    root = Path(tempfile.mkdtemp(prefix=f"scale-{apps}-"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write_lab(root, apps)
    return root, {**node_env(), "PYTHONPATH": str(ROOT)}


def synth_cmd(root: Path, *extra: str) -> list[str]:
    return [PY, "-m", "homelab", "--homelab", "lab:HOMELAB", "synth", "--dist", str(root / "dist"), *extra]


def med(values: list[float]) -> float:
    return statistics.median(values)


def bench_size(apps: int, runs: int) -> dict[str, float]:
    root, env = scale_lab_repo(apps)
    synth, peaks, bare, plain, kust = [], [], [], [], []
    export = root / "objects.json"
    subprocess.run([PY, "-c", EXPORT, str(export)], cwd=root, env=env, check=True, capture_output=True)
    for _ in range(runs):
        shutil.rmtree(root / "dist", ignore_errors=True)
        wall, peak = measure(synth_cmd(root), env, cwd=root)
        synth.append(wall)
        peaks.append(peak)
        bare.append(measure([PY, "-c", BARE], env)[0])
        out = Path(tempfile.mkdtemp(prefix="plain-"))
        plain.append(measure([PY, "-c", PLAIN, str(export), str(out)], env)[0])
        shutil.rmtree(out)
    kust.append(time_kustomize(root / "dist" / "kustomize"))  # once: it takes minutes at N=400
    objects = sum(len(v) for v in json.loads(export.read_text()).values())
    shutil.rmtree(root)
    return {
        "apps": apps,
        "objects": objects,
        "synth": med(synth),
        "peak_mb": med(peaks) / 1e6,
        "bare": med(bare),
        "plain": med(plain),
        "kustomize": med(kust),
    }


def bench_bundled(runs: int) -> None:
    env = node_env()
    full, bare = [], []
    for _ in range(runs):
        bare.append(measure([PY, "-c", BARE], env)[0])
        full.append(measure([PY, "-m", "homelab", "synth", "--check"], env)[0])
    b = med(bare)
    print(
        f"bundled homelab: synth {med(full) / b:.2f}x bare (synth {med(full):.2f} s, bare {b:.2f} s; "
        f"medians of {runs}, load {os.getloadavg()[0]:.2f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="25,50,100,200,400", help="numbers of apps, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (medians are printed)")
    parser.add_argument("--bundled", action="store_true", help="also time the bundled homelab against bare cdk8s")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; medians of {args.runs} runs")
    if args.bundled:
        bench_bundled(args.runs)
    print("apps objects | synth/bare synth/plain kustomize/synth | synth s  peak MB  bare s  plain s  kustomize s")
    for apps in (int(n) for n in args.sizes.split(",")):
        r = bench_size(apps, args.runs)
        ratios = f"{r['synth'] / r['bare']:10.2f} {r['synth'] / r['plain']:11.2f} {r['kustomize'] / r['synth']:15.2f}"
        absolute = f"{r['synth']:7.2f} {r['peak_mb']:8.0f} {r['bare']:7.2f} {r['plain']:8.2f} {r['kustomize']:12.2f}"
        print(f"{r['apps']:4d} {r['objects']:7d} | {ratios} | {absolute}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
