"""The objects under a scope, as the engine and tests read them: this library's manifests (kept in Python)
and the objects cdk8s constructs render (read from their chart in a few calls into Node.js)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from constructs_lib._internal.construct import BuilderScope, Construct, ConstructScope, python_subtree
from constructs_lib.api_object import Manifest
from constructs_lib.errors import PropsError

if TYPE_CHECKING:
    import constructs


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


def _python_objects(scope: ConstructScope) -> list[Manifest]:
    return [c for c in python_subtree(scope) if isinstance(c, Manifest)]


def _cdk8s_objects(root: constructs.Construct) -> list[Manifest | CdkObject]:
    """Every object under the cdk8s construct ``root``: this library's, then the others as cdk8s renders
    them. Four calls into Node.js for a chart (its node, the nodes, their validations, its JSON) however
    many objects it has; one more per object when some are this library's (mirrored, so not read twice)."""
    import cdk8s

    tree = root.node
    nodes = tree.find_all()
    if len(nodes) > 1:
        problems = tree.validate()
        if problems:
            raise PropsError("; ".join(str(p) for p in problems))
    ours = [m for node in nodes for m in _python_objects(node)]  # type: ignore[arg-type]
    mirrored = {id(m._in_cdk8s) for m in ours}
    api_objects = [n for n in nodes if isinstance(n, cdk8s.ApiObject) and id(n) not in mirrored]
    theirs = (
        [CdkObject(manifest, api_objects) for manifest in root.to_json()]  # the whole chart: one call
        if api_objects and isinstance(root, cdk8s.Chart) and not mirrored
        else [CdkObject(node.to_json(), [node]) for node in api_objects]
    )
    return [*ours, *theirs]


def objects_of(scope: ConstructScope) -> list[Manifest | CdkObject]:
    """Every object under ``scope``, each once: this library's (in creation order), then those of cdk8s
    constructs as their chart renders them. No call into Node.js when no cdk8s construct was made."""
    if isinstance(scope, BuilderScope):
        return _python_objects(scope) + (_cdk8s_objects(scope.chart) if scope.has_chart else [])
    if isinstance(scope, Construct):
        return list(_python_objects(scope))
    return _cdk8s_objects(scope)
