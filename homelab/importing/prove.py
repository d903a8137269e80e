"""The proof: synthesise the imported repository (in a subprocess: it is another declaration) and compare
its tree with the original object by object, as ``homelab diff --tree … --repo-path`` does
(:mod:`homelab.engine.diff`). Every object a cluster's entry directories of the original build must have an
identical twin in the same cluster of the new tree; Application paths are compared after mapping the new
layout's back to the old (the only thing the layout moves). Remote resources are not fetched: both trees are
built without them, and each app's base must list the same remote targets.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from homelab.engine.diff import ObjectId, cluster_entries, deployed, object_fields
from homelab.errors import HomelabError
from homelab.importing.read import offline_copy, sources
from homelab.validate.tree import Tree

SNAPSHOT = "tests/__snapshots__/test_tree/test_tree.txt"

#: Run in the new repository: accept (in ``.homelab-validate.yaml``, each with its reason) the GitOps errors
#: the original tree has and the import keeps as written, then ``homelab synth`` and the tests' snapshot.
_SYNTH = f"""
import sys
from pathlib import Path
from homelab.cli import main
from homelab.commands.declaration import load_homelab
from homelab.engine import pipeline, tree_checks
from homelab.validate.accept import FILE_NAME

lab = load_homelab()
kept = [f for f in tree_checks.gitops_findings(pipeline.draft(lab)) if f.severity == "error" and f.acceptance]
if kept:
    import yaml
    reason = "as in the original tree (imported as written by homelab import): "
    accept = [dict(check=f.check, object=f.object, reason=reason + f.message) for f in kept]
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


def compare(original: Path, new: Path, paths: Mapping[str, str], fixes: Mapping[str, str]) -> Proof:
    """Compare the tree ``original`` with the new tree ``new`` (``paths``: old Application path → new;
    ``fixes``: ``Kind namespace/name`` → why it differs on purpose)."""
    back = {v: k for k, v in paths.items()}
    with tempfile.TemporaryDirectory(prefix="homelab-import-") as scratch:
        old_remote = offline_copy(original, Path(scratch, "old"))
        new_remote = offline_copy(new, Path(scratch, "new"))
        old_tree, new_tree = Tree(Path(scratch, "old")), Tree(Path(scratch, "new"))
        old_entries, new_entries = cluster_entries(old_tree), cluster_entries(new_tree)
        before, notes = deployed(old_tree, old_entries, set(), None)
        # The new tree's objects from the directories the original has first, then from its new ones.
        shared = {e: c for e, c in new_entries.items() if e in old_entries}
        after, new_notes = deployed(new_tree, shared, set(), None)
        elsewhere, more_notes = deployed(
            new_tree, {e: c for e, c in new_entries.items() if e not in shared}, set(), None
        )
        for cluster, found in elsewhere.items():
            for oid, item in found.items():
                after.setdefault(cluster, {}).setdefault(oid, item)
        new_notes += more_notes
    notes = [f"the original: {n} (a deliberate fix: nothing to compare)" for n in notes]
    notes += [f"the new tree: {n}" for n in new_notes]
    if sorted(r for refs in old_remote.values() for r in refs) != sorted(
        r for refs in new_remote.values() for r in refs
    ):
        notes.append("the remote resources differ (compared as listed, never fetched)")
    results: dict[tuple[str, str], AppResult] = {}

    def result(entry: str, cluster: str) -> AppResult:
        app = _app(entry)
        return results.setdefault((app, cluster), AppResult(app, cluster))

    for cluster in sorted(set(before) | set(after)):
        old, now = before.get(cluster, {}), after.get(cluster, {})
        for oid, (entry, obj) in old.items():
            if oid not in now:
                result(entry, cluster).missing.append(_describe(oid))
                continue
            fields = object_fields(obj, _mapped(now[oid][1], back))
            if fields and _describe(oid) in fixes:
                result(entry, cluster).fixed.append((_describe(oid), fixes[_describe(oid)]))
            elif fields:
                result(entry, cluster).differ.append((_describe(oid), fields))
            else:
                result(entry, cluster).identical.append(_describe(oid))
        for oid, (entry, _) in now.items():
            if oid in old:
                continue
            if entry in old_entries:
                result(entry, cluster).added.append(_describe(oid))
            else:
                notes.append(f"new in {entry} (the original has no such directory): {_describe(oid)}")
    return Proof(results=sorted(results.values(), key=lambda r: (r.app, r.cluster)), notes=notes)


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


def _describe(oid: ObjectId) -> str:
    return f"{oid[1]} {oid[2]}/{oid[3]}"


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
            lines.append(f"    = {obj}  ← {constructs.get(_key(obj), 'derived by the engine')}")
        for obj, fields in r.differ:
            lines.append(f"    ~ {obj}  ← {constructs.get(_key(obj), 'derived by the engine')}")
            lines += [f"        {path}: {what}" for path, what in fields[:10]]
        lines += [f"    ! {obj}: differs on purpose: {why}" for obj, why in r.fixed]
        lines += [f"    - {obj}: missing in the new tree" for obj in r.missing]
        lines += [f"    + {obj}: only in the new tree" for obj in r.added]
    return lines


def _key(described: str) -> str:
    kind, _, rest = described.partition(" ")
    return f"{kind} {rest}"
