"""``Construct``: the base of this library's constructs, kept in Python; the scopes builders get.

A cdk8s construct lives in Node.js: creating it, and every call on it, is a round trip through
jsii (about a millisecond), and merely importing cdk8s starts Node.js. This library's constructs
know all they render in Python, so they are Python objects: creating one costs no call into
Node.js, and their manifests are read in Python. They nest like cdk8s constructs — under the
builder's scope, under a cdk8s construct, or under one another — with ids unique within their
scope, and cdk8s constructs (the typed ``k8s.Kube*`` classes, cdk8s-plus) sit beside them on any
cdk8s scope. A cdk8s construct cannot have one of these as its scope: give it the builder's scope.

:func:`builder_scope` is what the synthesiser hands a builder: when the homelab has loaded cdk8s (a
module of it uses cdk8s constructs), a :func:`lazy chart <lazy_chart_class>` — a real cdk8s
``Chart``, created in Node.js only when a cdk8s construct is put in it; otherwise a
:class:`RootScope`, and Node.js is never started. :func:`objects_of` lists every object under a
scope, both kinds, as the synthesiser reads them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, Union

from constructs_lib.errors import PropsError

if TYPE_CHECKING:
    import cdk8s
    import constructs

    from constructs_lib.api_object import Manifest

ConstructScope = Union["constructs.Construct", "Construct", "RootScope"]
"""What a construct of this library is created under: the builder's scope, a cdk8s construct or one of ours."""

#: The Python-side children of a scope that has some (kept on the scope object itself).
_CHILDREN = "_homelab_children"


def _children(scope: ConstructScope) -> dict[str, Construct]:
    found: dict[str, Construct] | None = getattr(scope, _CHILDREN, None)
    if found is None:
        found = {}
        setattr(scope, _CHILDREN, found)
    return found


def _is_cdk8s_construct(value: object) -> bool:
    """Whether ``value`` is a cdk8s (jsii) construct; never loads cdk8s to find out."""
    module = sys.modules.get("constructs")
    return module is not None and isinstance(value, module.Construct)


def _path_of(scope: ConstructScope) -> str:
    if isinstance(scope, Construct | RootScope):
        return scope.path
    lazy = getattr(scope, "_homelab_lazy", None)
    return str(lazy[1]) if lazy else str(scope.node.path)


class Construct:
    """A node of the construct tree that lives in Python: ``scope`` and an ``id`` unique within it."""

    def __init__(self, scope: ConstructScope, id: str) -> None:
        if not isinstance(scope, Construct | RootScope) and not _is_cdk8s_construct(scope):
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
        parent = _path_of(self.scope)
        return f"{parent}/{self.id}" if parent else self.id

    @property
    def children(self) -> list[Construct]:
        """The constructs created under this one, in order."""
        return list(_children(self).values())


class RootScope:
    """The scope a builder gets when cdk8s is not loaded: this library's constructs go in it."""

    def __init__(self, id: str) -> None:
        self.path = id


@cache
def lazy_chart_class() -> type[cdk8s.Chart]:
    """``LazyChart``: a cdk8s ``Chart`` (resource name hashes off) created in Node.js on first use.

    jsii reads ``__jsii_ref__`` whenever the chart is passed to, or called in, Node.js (a cdk8s
    construct created in it, ``chart.node``): only then is the chart created, in ``app()``'s App.
    The class is made on first need, so that this module does not load cdk8s.
    """
    import cdk8s

    class CreatedOnFirstUse(type(cdk8s.Chart)):  # type: ignore[misc]
        """jsii's metaclass registers each new object by its reference, which would create it in
        Node.js at once; a lazy chart is registered when it is created (``jsii.create`` does it)."""

        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            return type.__call__(cls, *args, **kwargs)

    class LazyChart(cdk8s.Chart, metaclass=CreatedOnFirstUse):
        def __init__(self, app: Callable[[], cdk8s.App], id: str) -> None:  # no call into Node.js here
            self.__dict__["_homelab_lazy"] = (app, id)

        @property
        def materialized(self) -> bool:
            """Whether the chart exists in Node.js."""
            return "_homelab_ref" in self.__dict__

        @property
        def __jsii_ref__(self) -> Any:  # the name jsii reads
            if "_homelab_ref" not in self.__dict__:
                if self.__dict__.get("_homelab_creating"):
                    raise AttributeError("__jsii_ref__")  # jsii asks while creating it: not there yet
                self.__dict__["_homelab_creating"] = True
                app, id = self.__dict__["_homelab_lazy"]
                cdk8s.Chart.__init__(self, app(), id, disable_resource_name_hashes=True)
            return self.__dict__["_homelab_ref"]

        @__jsii_ref__.setter
        def __jsii_ref__(self, ref: Any) -> None:
            self.__dict__["_homelab_ref"] = ref

    return LazyChart


def builder_scope(app: Callable[[], Any], id: str) -> Any:
    """The scope for a builder's run: a lazy cdk8s chart when cdk8s is loaded, else a :class:`RootScope`."""
    if "cdk8s" in sys.modules:
        return lazy_chart_class()(app, id)  # type: ignore[arg-type]
    return RootScope(id)


def _python_subtree(scope: ConstructScope) -> Iterator[Construct]:
    for child in _children(scope).values():
        yield child
        yield from _python_subtree(child)


class CdkObject:
    """An object a cdk8s construct made, as its chart rendered it: ``to_json()`` and, for messages, ``path``."""

    def __init__(self, manifest: dict[str, Any], candidates: list[Any]) -> None:
        self._manifest = manifest
        self._candidates = candidates

    def to_json(self) -> dict[str, Any]:
        return self._manifest

    @property
    def path(self) -> str:
        """The construct path of the ApiObject that made it (asked of Node.js, for a message)."""
        meta = self._manifest.get("metadata") or {}
        for node in self._candidates:
            if node.kind == self._manifest.get("kind") and node.name == meta.get("name"):
                return str(node.node.path)
        return f"{self._manifest.get('kind')} {meta.get('name')}"


def objects_of(scope: ConstructScope) -> list[Manifest | CdkObject]:
    """Every object under ``scope``: this library's (in creation order), then those of cdk8s constructs as
    the chart renders them. No call into Node.js when no cdk8s construct was made; else four for the
    whole chart (its node, the nodes, their validations, its JSON) however many objects it has."""
    from constructs_lib.api_object import Manifest

    def python_objects(node: ConstructScope) -> list[Any]:
        return [c for c in _python_subtree(node) if isinstance(c, Manifest)]

    if isinstance(scope, Construct | RootScope) or not getattr(scope, "materialized", True):
        return python_objects(scope)
    import cdk8s

    tree = scope.node
    nodes = tree.find_all()
    if len(nodes) > 1:
        problems = tree.validate()
        if problems:
            raise PropsError("; ".join(str(p) for p in problems))
    out: list[Any] = []
    for node in nodes:
        out += python_objects(node)  # type: ignore[arg-type]
    api_objects = [node for node in nodes if isinstance(node, cdk8s.ApiObject)]
    if api_objects and isinstance(scope, cdk8s.Chart):
        out += [CdkObject(manifest, api_objects) for manifest in scope.to_json()]  # the whole chart: one call
    else:
        out += [CdkObject(node.to_json(), [node]) for node in api_objects]
    return out
