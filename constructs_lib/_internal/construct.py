"""``Construct``: the base of this library's constructs, kept in Python; the scope a builder gets; their
place in a cdk8s tree.

A cdk8s construct lives in Node.js: creating it, and every call on it, goes through jsii, and
merely importing cdk8s starts Node.js. This library's constructs
know all they render in Python, so they are Python objects: creating one costs no call into
Node.js, and their manifests are read in Python. They nest like cdk8s constructs — under a
builder's :class:`BuilderScope`, under a cdk8s construct, or under one another — with ids unique
within their scope.

**In a homelab** a builder gets a :class:`BuilderScope` (``homelab.Scope``), always, whatever the
homelab imports: a Python object, so a homelab of this library's constructs never starts Node.js.
cdk8s constructs go in ``scope.chart``, the builder's real cdk8s ``Chart``, created (and Node.js
started) on first use. The scope is not itself a cdk8s construct, and its type says so: jsii refuses
any scope that is not a ``constructs.Construct`` instance, and the only ways to pass one that is
not created in Node.js are jsii's internals (``__jsii_ref__``). ``k8s.KubeDeployment(scope.chart,
...)`` costs one word over ``k8s.KubeDeployment(scope, ...)``, and mypy flags the latter.

**In any cdk8s program** (a ``cdk8s.App`` and ``Chart`` of one's own), a construct of this library
created under a cdk8s construct is also a cdk8s construct: it adds a plain ``constructs.Construct``
of its id to the tree, and each object it renders is a ``cdk8s.ApiObject`` at the same path, whose
JSON is the Python object's (:func:`mirror`; again after each ``set_field``), so ``chart.to_json()``
and ``app.synth()`` hold exactly what a homelab renders. It is done with cdk8s's public API: a JSON
patch replacing the whole document (RFC 6902's root pointer ``""``), then one patch per ``null``
field, since jsii drops ``None`` in mappings on the way into Node.js (so ``chart.to_json()``, read
back through jsii, lacks them; ``app.synth()``'s YAML has them). A cdk8s construct still cannot take
one of this library's constructs as its scope: jsii raises ``TypeError: type of argument scope must
be constructs.Construct``; give it the chart, or the cdk8s construct around the library's.
:func:`objects_of` lists every object under a scope, both kinds, each once, as the synthesiser reads
them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Union

from constructs_lib.errors import PropsError

if TYPE_CHECKING:
    import cdk8s
    import constructs

ConstructScope = Union["constructs.Construct", "Construct", "BuilderScope"]
"""What a construct of this library is created under: a builder's scope, a cdk8s construct or one of ours."""

#: The Python-side children of a scope that has some (kept on the scope object itself).
_CHILDREN = "_homelab_children"

#: How to pass a cdk8s construct a scope, said when one was given a Python scope.
SCOPE_FIX = (
    "a cdk8s construct (k8s.Kube*, cdk8s-plus) takes a cdk8s construct as its scope: in a builder, "
    "`scope.chart` (k8s.KubeDeployment(scope.chart, ...)); in a cdk8s program, the chart or another cdk8s "
    "construct, not one of constructs_lib's"
)


def add_scope_fix(error: TypeError) -> None:
    """Add :data:`SCOPE_FIX` to ``error`` if it is jsii's refusal of a cdk8s construct's scope (its type
    check: ``type of argument scope must be constructs.Construct; got ... instead``)."""
    if "argument scope must be constructs.Construct" in str(error):
        error.add_note(SCOPE_FIX)


def _children(scope: ConstructScope) -> dict[str, Construct]:
    found: dict[str, Construct] | None = getattr(scope, _CHILDREN, None)
    if found is None:
        found = {}
        setattr(scope, _CHILDREN, found)
    return found


def _is_cdk8s_construct(value: object) -> bool:
    """Whether ``value`` is a cdk8s (jsii) construct; never loads cdk8s to find out (if ``value`` is one,
    ``constructs`` is loaded)."""
    module = sys.modules.get("constructs")
    return module is not None and isinstance(value, module.Construct)


def _path_of(scope: ConstructScope) -> str:
    if isinstance(scope, Construct | BuilderScope):
        return scope.path
    return str(scope.node.path)


class Construct:
    """A node of the construct tree that lives in Python: ``scope`` and an ``id`` unique within it."""

    def __init__(self, scope: ConstructScope, id: str) -> None:
        if not isinstance(scope, Construct | BuilderScope) and not _is_cdk8s_construct(scope):
            raise PropsError(f"{type(self).__name__} {id!r}: scope must be a construct, got {scope!r}")
        siblings = _children(scope)
        if id in siblings or not id or "/" in id:
            problem = "is already taken in its scope" if id in siblings else "must be non-empty, without '/'"
            raise PropsError(f"{type(self).__name__}: construct id {id!r} {problem}; give it another id")
        siblings[id] = self
        self.scope = scope
        self.id = id
        self._in_cdk8s: Any = None  # the cdk8s construct standing for this one in a cdk8s tree, once made

    @property
    def path(self) -> str:
        """The construct path, ``chart/app/Resource``, as cdk8s would write it."""
        parent = _path_of(self.scope)
        return f"{parent}/{self.id}" if parent else self.id

    @property
    def children(self) -> list[Construct]:
        """The constructs created under this one, in order."""
        return list(_children(self).values())


class BuilderScope:
    """The scope of one builder's run in a homelab (``homelab.Scope``): this library's constructs go in it,
    cdk8s constructs in :attr:`chart`. The same kind of scope for every builder (see the module)."""

    def __init__(self, id: str, app: Callable[[], cdk8s.App] | None = None) -> None:
        self.path = id
        """The construct path of what is created in it (the chart's id)."""
        self._app = app
        self._chart: cdk8s.Chart | None = None

    @property
    def chart(self) -> cdk8s.Chart:
        """The builder's cdk8s ``Chart`` (id :attr:`path`, resource name hashes off), for cdk8s constructs:
        ``k8s.KubeDeployment(scope.chart, "web", ...)``. Created on first use, which loads cdk8s and starts
        Node.js, in the App given (the synthesiser's, one per cluster), else in a new one."""
        if self._chart is None:
            import cdk8s

            app = self._app() if self._app else cdk8s.App()
            self._chart = cdk8s.Chart(app, self.path, disable_resource_name_hashes=True)
        return self._chart

    @property
    def has_chart(self) -> bool:
        """Whether :attr:`chart` was asked for (a cdk8s construct may be in it)."""
        return self._chart is not None


def cdk8s_node(scope: ConstructScope) -> Any:
    """The cdk8s construct standing for ``scope`` in a cdk8s tree: ``scope`` itself if it is one; for a
    construct of this library under one, a plain ``constructs.Construct`` of its id (made once); ``None``
    when ``scope`` is, or is under, a builder's scope, which has no cdk8s tree."""
    if isinstance(scope, BuilderScope):
        return None
    if not isinstance(scope, Construct):
        return scope
    if scope._in_cdk8s is None:
        parent = cdk8s_node(scope.scope)
        if parent is None:
            return None
        import constructs

        scope._in_cdk8s = constructs.Construct(parent, scope.id)
    return scope._in_cdk8s


def python_subtree(scope: ConstructScope) -> Iterator[Construct]:
    for child in _children(scope).values():
        yield child
        yield from python_subtree(child)
