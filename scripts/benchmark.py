"""Timings the issues ask for, as medians of several runs (this machine is shared and noisy).

    python scripts/benchmark.py            # synth, diff, validate, 2,000-object checks
    python scripts/benchmark.py --tests    # also the whole test suite (slow: runs it 3 times)

Figures are wall-clock seconds; each line shows the median and every run.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from constructs_lib._internal.node_runtime import ensure_jsii_node  # noqa: E402

ensure_jsii_node()  # jsii's Node first
from clusters import HOMELAB  # noqa: E402
from homelab.kinds import DEFAULT as DEFAULT_SCOPES  # noqa: E402
from homelab.validate import gitops  # noqa: E402
from homelab.validate.content import ClusterContent, Placed  # noqa: E402
from homelab.validate.follow import follow  # noqa: E402
from homelab.validate.run import _schema_findings  # noqa: E402
from homelab.validate.schemas import Schemas  # noqa: E402
from homelab.validate.tree import Tree  # noqa: E402

PY = sys.executable


def timed(label: str, runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"{label}: median {median:.2f} s over {runs} runs ({', '.join(f'{t:.2f}' for t in times)})")
    return median


def run(*args: str) -> None:
    subprocess.run([PY, *args], cwd=ROOT, check=True, capture_output=True)


def run_status(*args: str) -> None:
    """Run a command whose exit status 1 means "differences found"."""
    status = subprocess.run([PY, *args], cwd=ROOT, capture_output=True).returncode
    if status > 1:
        raise SystemExit(f"{' '.join(args)} failed with exit status {status}")


def many_objects(count: int) -> tuple[list[Placed], Tree]:
    """The bundled thomelab content, copied into fresh namespaces until there are ``count`` objects."""
    tree = Tree(ROOT / "dist" / "kustomize")
    content = follow(
        tree,
        "thomelab",
        ["clusters/overlays/thomelab"],
        {c.cluster.repo_url for c in HOMELAB.clusters},
        "dist/kustomize",
        DEFAULT_SCOPES,
    )
    base = content.placed
    placed: list[Placed] = []
    copy_no = 0
    while len(placed) < count:
        for p in base:
            obj = copy.deepcopy(p.obj)
            meta = obj.setdefault("metadata", {})
            meta["name"] = f"{meta.get('name')}-{copy_no}"
            placed.append(Placed(obj=obj, entry=p.entry, namespace=p.namespace, revision=p.revision, app=p.app))
            if len(placed) == count:
                break
        copy_no += 1
    return placed, tree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tests", action="store_true", help="also time the test suite (3 runs)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix=".dist.bench-", dir=ROOT) as tmp:  # inside the repository
        timed(
            "homelab synth (bundled homelab, into an empty output directory)",
            args.runs,
            lambda: run("-m", "homelab", "synth", "--dist", f"{tmp}/d{time.perf_counter_ns()}"),
        )
    timed("homelab synth --check (dist/ in sync)", args.runs, lambda: run("-m", "homelab", "synth", "--check"))
    crds = ROOT.parent / "shared" / "schemas" / "crds"
    schema_args = ["--crd-schemas", str(crds)] if crds.is_dir() else ["--allow-kind", "Application"]
    timed(
        "homelab validate (bundled homelab, builds included)",
        args.runs,
        lambda: run("-m", "homelab", "validate", *schema_args),
    )

    dist_commits = subprocess.run(
        ["git", "log", "-n", "2", "--format=%h", "--", "dist"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    if len(dist_commits) == 2:
        older, newer = dist_commits[1], dist_commits[0]
        timed(
            f"homelab diff {older} {newer} (two revisions of the bundled homelab's tree)",
            args.runs,
            lambda: run_status("-m", "homelab", "diff", older, newer),
        )
    timed("homelab diff (working tree against HEAD)", args.runs, lambda: run_status("-m", "homelab", "diff"))

    from unittest import mock

    from homelab.engine import tree_checks
    from homelab.engine.pipeline import synthesise

    with_checks = timed("synthesise() in process, with the GitOps checks", args.runs, lambda: synthesise(HOMELAB))
    with mock.patch.object(tree_checks, "check_gitops", lambda draft: []):
        without = timed("synthesise() in process, without them", args.runs, lambda: synthesise(HOMELAB))
    print(f"GitOps checks in synth: +{(with_checks / without - 1) * 100:.1f}% (budget: 10%)")

    placed, _ = many_objects(2000)

    def checks() -> None:
        """Cold, as in one run of validate: schemas loaded, validators and the origin index built."""
        tree = Tree(ROOT / "dist" / "kustomize")
        schemas = Schemas()
        if crds.is_dir():
            schemas.add_schema_dir(crds)
        _schema_findings(tree, schemas, "bench", [p.obj for p in placed], set())
        gitops.check(
            # A root that built: without one, check() skips every check (nothing deployed was followed).
            ClusterContent(name="thomelab", placed=placed, starts=["clusters/overlays/thomelab"]),
            tree,
            argocd_ns="argocd",
            builtin_storage_classes={"longhorn"},
            scopes=DEFAULT_SCOPES,
        )

    timed(f"schema + cross-reference checks of {len(placed)} objects (no builds)", args.runs, checks)

    if args.tests:
        timed("test suite (./dev test's pytest)", 3, lambda: run("-m", "pytest", "-q", "-p", "no:cacheprovider"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
