"""What the GitOps checks read: a cluster's deployed objects (:class:`Placed`), where they come from
(:class:`Source`), and the finding about one of them (:func:`placed_finding`)."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.findings import Finding
from homelab.validate.tree import Build, describe


class Source(Protocol):
    """What the GitOps checks read: a kustomize tree on disk (:class:`homelab.validate.tree.Tree`), or the
    tree synth is about to write (:class:`homelab.validate.rendered.RenderedTree`)."""

    @property
    def kustomizations(self) -> Mapping[str, Any]: ...

    def build(self, rels: list[str]) -> dict[str, Build]: ...

    def read_folder(self, rel: str, recurse: bool = False) -> Build | None:
        """``rel`` read as a plain folder of YAML (no kustomization), None when it is not one."""
        ...

    def origin(self, obj: dict[str, Any], entry: str = "") -> str: ...


def path_in_tree(path: str, prefix: str) -> str | None:
    """An Application's repository ``path`` relative to the tree, which is at ``prefix`` in the repository
    (``""``: the tree is the repository); None for a path outside the tree."""
    path = path.strip("/")
    if not prefix:
        return path or "."
    if path == prefix:
        return "."
    return path[len(prefix) + 1 :] if path.startswith(prefix + "/") else None


def glob(pattern: str, value: str) -> bool:
    return pattern == value or fnmatch.fnmatchcase(value, pattern)


def sources_of(app: dict[str, Any]) -> list[dict[str, Any]]:
    """An Application's sources (``spec.source`` and ``spec.sources``)."""
    spec = as_mapping(app.get("spec"))
    return [s for s in [spec.get("source"), *(spec.get("sources") or [])] if isinstance(s, dict)]


@dataclass
class Placed:
    """An object as deployed: from which directory, by which Application, into which namespace."""

    obj: dict[str, Any]
    entry: str
    namespace: str
    """Its namespace: its own, else the destination of the Application deploying its directory."""
    revision: str | None = None
    app: Placed | None = None


@dataclass
class ClusterContent:
    """What one cluster deploys, found by following its Applications through the tree."""

    name: str
    placed: list[Placed] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)
    """The cluster's root directories (what is applied by hand to bootstrap it)."""
    failed: list[str] = field(default_factory=list)
    """Directories reached that do not build (their objects are unknown)."""
    folders: dict[str, Build] = field(default_factory=dict)
    """The entries that are plain folders of YAML (no kustomization), read as they are."""


def placed_finding(
    tree: Source, p: Placed, check_name: str, message: str, fix: str, where: str = "", severity: str = "error"
) -> Finding:
    """A finding about the deployed object ``p``, located by its directory, file and namespace."""
    return Finding(
        entry=p.entry,
        check=check_name,
        file=tree.origin(p.obj, p.entry),
        object=describe(p.obj, p.namespace),
        field=where,
        message=message,
        fix=fix,
        severity=severity,  # type: ignore[arg-type]
    )


def nearest(wrong: str, existing: list[str]) -> str:
    """``; did you mean X?`` for the existing name closest to ``wrong`` (a typo, a moved directory)."""
    parts = set(wrong.split("/"))
    tail = wrong.rsplit("/", 1)[-1]
    same_tail = [e for e in existing if e != wrong and e.rsplit("/", 1)[-1] == tail and "/" in wrong]
    same_tail.sort(key=lambda e: (-len(parts & set(e.split("/"))), e))  # the most path components in common
    close = same_tail[:1] or difflib.get_close_matches(wrong, sorted(existing), n=1)
    return f"; did you mean {close[0]}?" if close else ""


def creates_hint(kind: str, name: str, namespace: str) -> str:
    """The Python declaring that a controller creates ``kind`` ``namespace/name`` (see
    :class:`constructs_lib.annotations.Creates`)."""
    return (
        f"creates=(Creates(kind={kind!r}, name={name!r}, namespace={namespace!r}),) on its HelmArgoAppProps, "
        "GitArgoAppProps or AppSpec (Creates from constructs_lib.annotations)"
    )
