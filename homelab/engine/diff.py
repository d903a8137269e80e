"""``homelab diff``: what a change does to each cluster, object by object, after ``kubectl kustomize``.

Two trees are compared: the tree committed at a git revision (``dist/`` as it was), the tree the
declaration synthesises now (the working tree), or any hand-written kustomize tree (``--tree``).
Each tree is built entry directory by entry directory (``<app>/overlays/<cluster>`` and the
cluster's bootstrap directories); a cluster's objects are all its entry directories' objects.
Directories whose inputs are byte-identical on both sides are not built: their objects are equal.

Secret values are never printed: a Secret's ``data``/``stringData`` show as changed with their
lengths, a SealedSecret's ciphertexts by key (``resealed: KEY``), since sealing is randomised.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from homelab.errors import HomelabError
from homelab.kinds import group_of
from homelab.validate.tree import Tree

ObjectId = tuple[str, str, str, str]
"""(group, kind, namespace, name)."""

SECRET_FIELDS = ("data", "stringData")
SEALED_PATH = "spec.encryptedData"
"""The field path a SealedSecret's changed values are listed under, as ``VERB: KEY``."""


@dataclass
class Side:
    """One tree to compare: where it is on disk and what to call it."""

    root: Path
    label: str
    repo_path: tuple[str, str] | None = None
    """(OLD, NEW): Application paths starting with NEW are read as starting with OLD."""


@dataclass
class Change:
    """One object that differs between the two sides."""

    app: str
    """The app directory (``clusters`` for a cluster's bootstrap objects)."""
    entry: str
    object: str
    status: str
    """``added``, ``removed`` or ``changed``."""
    fields: list[tuple[str, str]] = field(default_factory=list)
    """(field path, what changed) of a changed object, secret values masked."""

    def lines(self) -> list[str]:
        """The object, marked ``+``/``-``/``~``, then its changed fields indented: the text format's lines."""
        mark = {"added": "+", "removed": "-", "changed": "~"}[self.status]
        return [f"{mark} {self.object}", *(f"    {path}: {what}" for path, what in self.fields)]

    def sealed_values(self) -> list[tuple[str, str]]:
        """(key, ``sealed``/``resealed``/``unsealed (removed)``) of a changed SealedSecret's values:
        whose ciphertext changed, by key (the values are never known here)."""
        out = []
        for path, what in self.fields:
            if path == SEALED_PATH:
                verb, _, key = what.partition(": ")
                out.append((key, verb))
        return out


@dataclass
class ClusterDiff:
    name: str
    changes: list[Change] = field(default_factory=list)
    apps: dict[str, str] = field(default_factory=dict)
    """App directory → ``added`` (no entry of it on this cluster before), ``removed`` (none after) or
    ``changed``, for every app with a change, by name."""

    def summary(self) -> str:
        return f"cluster {self.name}: {counted(self.changes) if self.changes else 'no differences'}"

    def by_entry(self) -> dict[tuple[str, str], list[Change]]:
        """The changes grouped by (app, entry directory), in the order met."""
        groups: dict[tuple[str, str], list[Change]] = {}
        for change in self.changes:
            groups.setdefault((change.app, change.entry), []).append(change)
        return groups


def counted(changes: list[Change]) -> str:
    """How many ``changes`` are changed, added and removed: ``3 changed, 1 added``."""
    counts = [(sum(1 for c in changes if c.status == s), s) for s in ("changed", "added", "removed")]
    return ", ".join(f"{n} {s}" for n, s in counts if n)


@dataclass
class Report:
    old: str
    new: str
    clusters: list[ClusterDiff]
    notes: list[str] = field(default_factory=list)

    @property
    def differences(self) -> int:
        return sum(len(c.changes) for c in self.clusters)

    def text(self) -> str:
        lines = [f"homelab diff: {self.old} → {self.new}"]
        lines += [f"note: {n}" for n in self.notes]
        for cluster in self.clusters:
            lines.append(cluster.summary())
            for (app, entry), changes in cluster.by_entry().items():
                lines.append(f"  {app} ({entry})")
                lines += [f"    {line}" for change in changes for line in change.lines()]
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps(
            {
                "old": self.old,
                "new": self.new,
                "differences": self.differences,
                "notes": self.notes,
                "apps": {c.name: c.apps for c in self.clusters},
                "clusters": {
                    c.name: [
                        {
                            "app": ch.app,
                            "entry": ch.entry,
                            "object": ch.object,
                            "status": ch.status,
                            "fields": [{"path": p, "change": w} for p, w in ch.fields],
                        }
                        for ch in c.changes
                    ]
                    for c in self.clusters
                },
            },
            indent=1,
        )


# -- getting the trees ------------------------------------------------------------------------------


def git_tree(repo: Path, revision: str, path: str, dest: Path) -> Path:
    """Extract ``path`` of the repository at ``revision`` into ``dest``; return the extracted ``path``.
    A ``revision`` starting with ``-`` is refused: git would read it as an option (``--output=FILE``)."""
    if revision.startswith("-"):
        raise HomelabError(
            f"revision {revision!r} starts with '-', which git would read as an option; "
            "name a commit, branch or tag (HEAD~1, main, v1.2)"
        )
    run = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", revision, "--", path], capture_output=True, timeout=120
    )
    if run.returncode != 0:
        message = run.stderr.decode(errors="replace").strip().splitlines()
        raise HomelabError(
            f"cannot read {path}/ at {revision!r}: {message[-1] if message else 'git archive failed'}; "
            "name a commit, branch or tag where the tree is committed"
        )
    with tarfile.open(fileobj=io.BytesIO(run.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest / path


def write_files(files: dict[str, bytes], dest: Path) -> Path:
    for rel, data in files.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_bytes(data)
    return dest


# -- comparing ------------------------------------------------------------------------------------


def _inputs_digest(tree: Tree, entry: str) -> str:
    """A digest of every file ``entry``'s build can read (the files of the directories of
    :meth:`Tree.reads`): byte-identical inputs build to identical objects."""
    digest = hashlib.sha256()
    for rel in tree.reads(entry)[0]:
        directory = tree.root / rel
        for path in sorted(directory.iterdir()) if directory.is_dir() else []:
            if path.is_file():
                digest.update(f"{rel}/{path.name}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cluster_entries(tree: Tree) -> dict[str, str]:
    """Entry directory → cluster, for every entry that belongs to a cluster."""
    return {e: c for e in tree.entries() if (c := Tree.cluster_of(e)) is not None}


def object_id(obj: dict[str, Any], namespace: str | None = None) -> ObjectId:
    """(group, kind, namespace, name) of ``obj``; ``namespace``: where it is deployed, when known."""
    meta = obj.get("metadata") or {}
    ns = namespace if namespace is not None else str(meta.get("namespace") or "")
    return group_of(str(obj.get("apiVersion", ""))), str(obj.get("kind", "")), ns, str(meta.get("name") or "")


def describe_id(oid: ObjectId) -> str:
    """``Kind namespace/name`` of an object's id."""
    return f"{oid[1]} {oid[2]}/{oid[3]}"


def _map_paths(obj: dict[str, Any], repo_path: tuple[str, str] | None) -> dict[str, Any]:
    if repo_path is None or obj.get("kind") != "Application":
        return obj
    old, new = (p.rstrip("/") + "/" for p in repo_path)
    obj = json.loads(json.dumps(obj))
    spec = obj.get("spec") or {}
    for source in [spec.get("source"), *(spec.get("sources") or [])]:
        if isinstance(source, dict) and str(source.get("path", "")).startswith(new):
            source["path"] = old + source["path"][len(new) :]
    return obj


def _walk(a: Any, b: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(field path, old, new) of every leaf that differs; missing is ``...``."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            yield from _walk(a.get(key, ...), b.get(key, ...), f"{path}.{key}" if path else str(key))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _walk(x, y, f"{path}[{i}]")
    elif (
        isinstance(a, list)
        and isinstance(b, list)
        and (gone := [x for x in a if x not in b]) + (new := [y for y in b if y not in a])
    ):
        yield from ((f"{path}[-]", x, ...) for x in gone)
        yield from ((f"{path}[+]", ..., y) for y in new)
    elif a != b or type(a) is not type(b):
        yield path, a, b


def _shown(value: Any) -> str:
    if value is ...:
        return "(absent)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def _secret_length(value: Any) -> str:
    return "(absent)" if value is ... else f"{len(str(value))} bytes"


def _text_diff(a: str, b: str) -> str:
    """A changed multi-line string as the lines of a unified diff."""
    if a.splitlines() == b.splitlines():
        return f"text changed: final newline {'added' if b.endswith(chr(10)) else 'removed'}"
    lines = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1)
    return "text changed:\n" + "\n".join("          " + line for line in list(lines)[2:])


def object_fields(old: dict[str, Any], new: dict[str, Any], *, sealed_by_key: bool = False) -> list[tuple[str, str]]:
    """What changed in an object, secret values masked; ``sealed_by_key`` ignores resealed ciphertexts."""
    kind = new.get("kind") or old.get("kind")
    out = []
    for path, a, b in _walk(old, new):
        top = path.split(".", 1)[0].split("[", 1)[0]
        if kind == "Secret" and top in SECRET_FIELDS:
            out.append((path, f"changed ({_secret_length(a)} → {_secret_length(b)}), value not shown"))
        elif kind == "SealedSecret" and path.startswith(SEALED_PATH):
            key = path[len(SEALED_PATH) + 1 :] or "(all)"
            verb = "sealed" if a is ... else "unsealed (removed)" if b is ... else "resealed"
            if verb != "resealed" or not sealed_by_key:
                out.append((SEALED_PATH, f"{verb}: {key}"))
        elif isinstance(a, str) and isinstance(b, str) and ("\n" in a or "\n" in b):
            out.append((path, _text_diff(a, b)))
        else:
            out.append((path, f"{_shown(a)} → {_shown(b)}"))
    return out


def deployed(
    tree: Tree, entries: dict[str, str], skip: set[str], repo_path: tuple[str, str] | None
) -> tuple[dict[str, dict[ObjectId, tuple[str, dict[str, Any]]]], list[str]]:
    """Per cluster: object → (entry, object), from every entry not in ``skip``; and notes on failed builds."""
    builds = tree.build([e for e in entries if e not in skip])
    out: dict[str, dict[ObjectId, tuple[str, dict[str, Any]]]] = {}
    notes = []
    for entry, b in builds.items():
        if b.error:
            notes.append(f"{entry} does not build ({b.error}); its objects are not compared")
            continue
        objects = out.setdefault(entries[entry], {})
        for obj in b.objects:
            objects.setdefault(object_id(obj), (entry, _map_paths(obj, repo_path)))
    return out, notes


def compare(old: Side, new: Side, clusters: list[str] | None = None, *, sealed_by_key: bool = False) -> Report:
    """The report of what changes from ``old`` to ``new``; ``sealed_by_key`` compares SealedSecrets by
    their keys only (trees sealed with different certificates)."""
    trees = [Tree(side.root) for side in (old, new)]
    entries = [cluster_entries(t) for t in trees]
    if clusters is not None:
        entries = [{e: c for e, c in es.items() if c in clusters} for es in entries]
    common = set(entries[0]) & set(entries[1])
    unchanged = {e for e in common if _inputs_digest(trees[0], e) == _inputs_digest(trees[1], e)}
    (a, notes_a), (b, notes_b) = (
        deployed(t, es, unchanged, side.repo_path) for t, es, side in zip(trees, entries, (old, new), strict=True)
    )
    report = Report(old=old.label, new=new.label, clusters=[], notes=[f"{old.label}: {n}" for n in notes_a])
    report.notes += [f"{new.label}: {n}" for n in notes_b]
    for name in sorted(set(entries[0].values()) | set(entries[1].values())):
        diff = ClusterDiff(name=name)
        before, after = a.get(name, {}), b.get(name, {})
        for oid in [*before, *(k for k in after if k not in before)]:
            if oid not in after:
                entry = before[oid][0]
                diff.changes.append(Change(_app(entry), entry, describe_id(oid), "removed"))
            elif oid not in before:
                entry = after[oid][0]
                diff.changes.append(Change(_app(entry), entry, describe_id(oid), "added"))
            elif before[oid][1] != after[oid][1]:
                entry = after[oid][0]
                fields = object_fields(before[oid][1], after[oid][1], sealed_by_key=sealed_by_key)
                if fields:
                    diff.changes.append(Change(_app(entry), entry, describe_id(oid), "changed", fields))
        on_cluster = [{_app(e) for e, c in es.items() if c == name} for es in entries]
        for app in sorted({c.app for c in diff.changes}):
            before_app, after_app = (app in apps for apps in on_cluster)
            diff.apps[app] = "changed" if before_app and after_app else "added" if after_app else "removed"
        report.clusters.append(diff)
    return report


def _app(entry: str) -> str:
    return PurePosixPath(entry).parts[0]
