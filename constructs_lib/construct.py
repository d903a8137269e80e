"""``Construct``: the base of this library's constructs, kept in Python; and :func:`objects_of`.

A cdk8s construct lives in Node.js: creating it, and every call on it, is a round trip through
jsii (about a millisecond). This library's constructs know all they render in Python, so they
are Python objects: creating one costs no call into Node.js, and their manifests are read in
Python. They nest like cdk8s constructs — under the builder's scope (a cdk8s ``Chart``), under a
cdk8s construct, or under one another — with ids unique within their scope, and cdk8s constructs
(the typed ``k8s.Kube*`` classes, cdk8s-plus) sit beside them on any cdk8s scope. A cdk8s
construct cannot have one of these as its scope: give it the builder's scope instead.

:func:`objects_of` lists every object under a scope, both kinds, as the synthesiser reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Union

import cdk8s
import constructs

from constructs_lib.errors import PropsError

if TYPE_CHECKING:
    from constructs_lib.api_object import Manifest

ConstructScope = Union[constructs.Construct, "Construct"]
"""What a construct of this library is created under: a cdk8s construct (the builder's scope) or one of ours."""

#: The Python-side children of each cdk8s construct that has some (kept on the object itself).
_CHILDREN = "_homelab_children"


def _children(scope: ConstructScope) -> dict[str, Construct]:
    found: dict[str, Construct] | None = getattr(scope, _CHILDREN, None)
    if found is None:
        found = {}
        setattr(scope, _CHILDREN, found)
    return found


class Construct:
    """A node of the construct tree that lives in Python: ``scope`` and an ``id`` unique within it."""

    def __init__(self, scope: ConstructScope, id: str) -> None:
        if not isinstance(scope, Construct | constructs.Construct):
            raise PropsError(f"{type(self).__name__} {id!r}: scope must be a construct, got {scope!r}")
        siblings = _children(scope)
        if id in siblings or not id or "/" in id:
            problem = "is already taken in its scope" if id in siblings else "must be non-empty, without '/'"
            raise PropsError(f"{type(self).__name__}: construct id {id!r} {problem}; give it another id")
        siblings[id] = self
        self.scope = scope
        self.id = id

    @property
    def path(self) -> str:
        """The construct path, ``chart/app/Resource``, as cdk8s would write it."""
        parent = self.scope.path if isinstance(self.scope, Construct) else self.scope.node.path
        return f"{parent}/{self.id}" if parent else self.id

    @property
    def children(self) -> list[Construct]:
        """The constructs created under this one, in order."""
        return list(_children(self).values())


def _python_subtree(scope: ConstructScope) -> Iterator[Construct]:
    for child in _children(scope).values():
        yield child
        yield from _python_subtree(child)


def objects_of(scope: constructs.Construct) -> list[Manifest | cdk8s.ApiObject]:
    """Every object under ``scope``, in creation order within each kind of construct: for each cdk8s
    node (depth first, as cdk8s lists them), the cdk8s ApiObject itself, then the Python-side objects
    created under it. One call into Node.js for the cdk8s nodes, and one more only when there are any
    besides ``scope`` (their own validations)."""
    from constructs_lib.api_object import Manifest

    nodes = scope.node.find_all()
    if len(nodes) > 1:
        problems = scope.node.validate()
        if problems:
            raise PropsError("; ".join(str(p) for p in problems))
    out: list[Any] = []
    for node in nodes:
        if isinstance(node, cdk8s.ApiObject):
            out.append(node)
        out += [c for c in _python_subtree(node) if isinstance(c, Manifest)]  # type: ignore[arg-type]
    return out
