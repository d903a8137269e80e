"""The proof: synthesise the imported repository (in a subprocess: it is another declaration) and compare
what each cluster deploys in both trees object by object, with the comparison ``homelab diff`` uses
(:func:`homelab.engine.diff.object_fields`). Each cluster's Applications are followed from its roots in both
trees (:mod:`homelab.validate.follow`, as validate follows them): every object the original deploys on a
cluster must have an identical twin deployed on the same cluster by the new tree, and every object the new
tree deploys must have been deployed by the original (else it is a difference, unless the report lists it as
deliberate). Application paths are compared after mapping the new layout's back to the old, by the import's
own map of directories, new path → old (a moved directory is no difference, nor the ``directory:`` options an
Application of a moved directory drops: it is a kustomization now). Remote resources are not fetched: both trees
are built without them, and their lists must agree.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from homelab.engine.diff import ObjectId, cluster_entries, describe_id, object_fields, object_id
from homelab.errors import HomelabError
from homelab.importing.carried import differing_files
from homelab.importing.layout_map import without_directory_options
from homelab.importing.read import offline_copy, sources
from homelab.kinds import KindScopes
from homelab.model.homelab import BOOTSTRAP_DIRECTORY
from homelab.validate.follow import follow
from homelab.validate.repository import repo_key
from homelab.validate.roots import ClusterRoot, find_cluster_roots
from homelab.validate.tree import Tree

SNAPSHOT = "tests/__snapshots__/test_tree/test_tree.txt"

#: Run in the new repository: accept (in ``.homelab-validate.yaml``, each with its reason) the GitOps errors
#: the original tree has and the import keeps as written, then ``homelab synth`` and the tests' snapshot.
_SYNTH = f"""
import sys
from pathlib import Path
from homelab.cli import main
from homelab.declaration import load_homelab
from homelab.engine import pipeline, tree_checks
from homelab.validate.accept import FILE_NAME

lab = load_homelab()
kept = [f for f in tree_checks.gitops_findings(pipeline.draft(lab)) if f.severity == "error" and f.acceptance]
if kept:
    import yaml
    reason = "as in the original tree (imported as written by homelab import): "
    found = [(f.check, f.object, reason + f.message) for f in kept]  # a directory followed twice: once
    accept = [dict(check=c, object=o, reason=r) for c, o, r in dict.fromkeys(found)]
    header = "# Findings of the original tree that `homelab import` kept as written: review each, fix it or keep it.\\n"
    Path(FILE_NAME).write_text(header + yaml.safe_dump(dict(accept=accept), sort_keys=False, width=1000), encoding="utf-8")
    for f in kept:
        print(f"{{f.object}}: [{{f.check}}] {{f.message}}")
status = main(["synth"])
if status == 0:
    from homelab.testing import tree_text
    snapshot = Path({SNAPSHOT!r})
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    snapshot.write_text(tree_text(), encoding="utf-8")
sys.exit(status)
"""


def synthesise(root: Path) -> list[str]:
    """``homelab synth`` in the new repository, and its tests' snapshot; the findings of the original it
    accepts (kept as written). An error names what failed."""
    run = subprocess.run([sys.executable, "-c", _SYNTH], cwd=root, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise HomelabError(
            f"{root}: the imported repository is written, but it does not synthesise:\n"
            f"{(run.stderr or run.stdout).strip()[-3000:]}\n(this is a defect of homelab import: please report it with the tree)"
        )
    return [line for line in run.stdout.splitlines() if ": [" in line]


@dataclass
class AppResult:
    """What one app directory (``clusters`` for the roots) came out as, on one cluster."""

    app: str
    cluster: str
    identical: list[str] = field(default_factory=list)
    differ: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    fixed: list[tuple[str, str]] = field(default_factory=list)
    """Objects that differ on purpose, with why (listed in the report)."""

    @property
    def ok(self) -> bool:
        return not (self.differ or self.missing or self.added)


@dataclass
class Proof:
    results: list[AppResult]
    notes: list[str]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def counts(self) -> tuple[int, int]:
        """(identical, original objects)."""
        same = sum(len(r.identical) for r in self.results)
        return same, same + sum(len(r.differ) + len(r.missing) + len(r.fixed) for r in self.results)


def compare(
    original: Path,
    old_tree: Tree,
    old_remote: Mapping[str, tuple[str, ...]],
    new: Path,
    paths: Mapping[str, str],
    fixes: Mapping[str, str],
    *,
    repos: Sequence[str],
    prefix: str,
    new_prefix: str,
    given_roots: Sequence[str] = (),
    carried: Mapping[str, str] | None = None,
    carried_root: Path | None = None,
) -> Proof:
    """Compare what each cluster deploys in the tree ``original`` (``old_tree``: its offline copy, with what
    the import built of it already; ``old_remote``: the remote resources taken out) and in the new tree
    ``new``: each cluster's
    Applications followed from its roots in both (the original's found as validate finds them, with
    ``given_roots``; the new tree's ``clusters/overlays/<cluster>``), object by object. ``paths``: new
    Application path → old (the layout moves directories; a moved one is no difference); ``fixes``:
    ``Kind namespace/name`` → why it differs on purpose; ``repos``: the spellings of "this repository";
    ``prefix``/``new_prefix``: where each tree is in its repository; ``carried``: paths of the original carried
    as they are (:mod:`homelab.importing.carried`) into ``carried_root``, compared file by file."""
    carried = carried or {}
    back = dict(paths)
    keys = {repo_key(r) for r in repos}
    with tempfile.TemporaryDirectory(prefix="homelab-import-") as scratch:
        new_remote = offline_copy(new, Path(scratch, "new"))
        new_tree = Tree(Path(scratch, "new"))
        old_roots = find_cluster_roots(old_tree, repos, given_roots, prefix)
        bootstrap = Path(scratch, "new", BOOTSTRAP_DIRECTORY, "overlays")
        new_roots = [
            ClusterRoot(d.name, f"{BOOTSTRAP_DIRECTORY}/overlays/{d.name}", "kustomization")
            for d in sorted(bootstrap.iterdir() if bootstrap.is_dir() else [])
        ]
        before, notes = _deployed(old_tree, old_roots, keys, prefix)
        after, new_notes = _deployed(new_tree, new_roots, keys, new_prefix)
        reached = {entry for found in before.values() for entry, _ in found.values()}
        idle = [e for e in cluster_entries(old_tree) if e not in reached and e in new_tree.kustomizations]
        idle_old, idle_new = old_tree.build(idle), new_tree.build(idle)
    notes = [f"the original: {n} (a deliberate fix: nothing to compare)" for n in notes if n.split()[0] not in carried]
    notes += [f"the new tree: {n}" for n in new_notes]
    if sorted(r for refs in old_remote.values() for r in refs) != sorted(
        r for refs in new_remote.values() for r in refs
    ):
        notes.append("the remote resources differ (compared as listed, never fetched)")
    results: dict[tuple[str, str], AppResult] = {}
    pairs = [(cluster, before.get(cluster, {}), after.get(cluster, {})) for cluster in sorted({*before, *after})]
    # What no cluster deploys (an app imported disabled) is compared directory by directory, as it builds.
    for entry in idle:
        if not (idle_old[entry].error or idle_new[entry].error):
            old, now = ({object_id(o): (entry, o) for o in b[entry].objects} for b in (idle_old, idle_new))
            pairs.append((f"{Tree.cluster_of(entry) or entry}, not deployed", old, now))
    for cluster, old, now in pairs:
        _compare_objects(cluster, old, now, back, fixes, results)
    differing = differing_files(original, carried_root or new, carried)
    for rel, why in sorted(carried.items()):
        if rel not in differing:
            notes.append(f"{rel}: {why}: carried as it is (its files identical), not compared object by object")
            continue
        outside = rel.startswith("../")
        result = results.setdefault((rel, "carried"), AppResult(rel.removeprefix("../"), "carried as it is"))
        result.missing.append(
            f"{why}, outside the tree: not carried; copy it into the new repository"
            if outside
            else f"{why}: its files are not the same in the new repository"
        )
    return Proof(results=sorted(results.values(), key=lambda r: (r.app, r.cluster)), notes=notes)


Objects = dict[ObjectId, tuple[str, dict[str, Any]]]
"""Object → (the directory it is in, the object)."""
Deployed = dict[str, Objects]


def _compare_objects(
    cluster: str,
    old: Objects,
    now: Objects,
    back: Mapping[str, str],
    fixes: Mapping[str, str],
    results: dict[tuple[str, str], AppResult],
) -> None:
    """Compare one cluster's objects into ``results`` (by app directory and cluster)."""

    def result(entry: str) -> AppResult:
        app = _app(entry)
        return results.setdefault((app, cluster), AppResult(app, cluster))

    for oid, (entry, obj) in old.items():
        fix = fixes.get(describe_id(oid)) or fixes.get(f"{oid[1]} /{oid[3]}")
        if oid not in now:
            if fix:
                result(entry).fixed.append((describe_id(oid), fix))
            else:
                result(entry).missing.append(describe_id(oid))
            continue
        fields = object_fields(without_directory_options(obj, set(back.values())), _mapped(now[oid][1], back))
        if fields and fix:
            result(entry).fixed.append((describe_id(oid), fix))
        elif fields:
            result(entry).differ.append((describe_id(oid), fields))
        else:
            result(entry).identical.append(describe_id(oid))
    for oid, (entry, _) in now.items():
        if oid not in old:
            result(entry).added.append(describe_id(oid))


def _deployed(tree: Tree, roots: Sequence[ClusterRoot], keys: set[str], prefix: str) -> tuple[Deployed, list[str]]:
    """Per cluster: each object it deploys (its namespace: its own, else its Application's destination) →
    (the directory it is in, the object); and a note per directory that does not build."""
    out: Deployed = {}
    notes: list[str] = []
    starts: dict[str, list[str]] = {}
    for root in roots:
        starts.setdefault(root.cluster, []).append(root.directory)
    for cluster, directories in starts.items():
        content = follow(tree, cluster, directories, keys, prefix, KindScopes())
        objects = out.setdefault(cluster, {})
        for p in content.placed:
            objects.setdefault(object_id(p.obj, p.namespace), (p.entry, p.obj))
        for directory in content.failed:
            error = tree.build([directory])[directory].error if directory in tree.kustomizations else "not readable"
            notes.append(f"{directory} does not build ({error}); its objects are not compared")
    return out, notes


def _mapped(obj: dict[str, Any], back: Mapping[str, str]) -> dict[str, Any]:
    """``obj`` with an Application's new paths read as the old ones."""
    if obj.get("kind") != "Application":
        return obj
    import json

    copy: dict[str, Any] = json.loads(json.dumps(obj))
    for src in sources(copy):
        if src.get("path") in back:
            src["path"] = back[src["path"]]
    return copy


def _app(entry: str) -> str:
    parts = PurePosixPath(entry).parts
    return "/".join(parts[: parts.index("overlays")]) if "overlays" in parts else entry


def report_lines(proof: Proof, constructs: Mapping[str, str]) -> list[str]:
    """Per app and cluster: identical objects (with the construct each became), those that differ (with
    their field paths), missing and added ones."""
    lines = []
    for r in proof.results:
        total = len(r.identical) + len(r.differ) + len(r.missing) + len(r.fixed)
        mark = "✓" if r.ok else "✗"
        lines.append(f"{mark} {r.app} ({r.cluster}): {len(r.identical)}/{total} identical")
        for obj in r.identical:
            lines.append(f"    = {obj}  ← {_construct(constructs, obj)}")
        for obj, fields in r.differ:
            lines.append(f"    ~ {obj}  ← {_construct(constructs, obj)}")
            lines += [f"        {path}: {what}" for path, what in fields[:10]]
        lines += [f"    ! {obj}: differs on purpose: {why}" for obj, why in r.fixed]
        lines += [f"    - {obj}: missing in the new tree" for obj in r.missing]
        lines += [f"    + {obj}: only in the new tree" for obj in r.added]
    return lines


def _construct(constructs: Mapping[str, str], described: str) -> str:
    """The construct ``Kind namespace/name`` became (an object that names no namespace is ``Kind /name``)."""
    kind, _, rest = described.partition(" ")
    found = constructs.get(described) or constructs.get(f"{kind} /{rest.partition('/')[2]}")
    return found or "derived by the engine"
