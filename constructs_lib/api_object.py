"""Build cdk8s ``ApiObject``s from plain dicts, and read them back as manifests.

:class:`Manifest` is an ``ApiObject`` whose content stays in Python: creating one is a single
call into Node.js (jsii), and reading it back (:meth:`Manifest.to_json`) is none, where a plain
``ApiObject`` costs a call per added field and one more to read it. Its JSON is what cdk8s would
render: metadata keys sorted and empty metadata fields dropped, ``None`` dropped from mappings.
Should anything add a JSON patch to it (the escape hatch), its content moves to Node.js first and
cdk8s renders it from then on, so patches apply exactly as cdk8s documents them.

cdk8s drops ``null`` values; a few real manifests carry one on purpose (kubeseal writes
``creationTimestamp: null``): ``null_fields`` names them and they are written as ``null``.
"""

from __future__ import annotations

from typing import Any

import cdk8s
from constructs import Construct


def _without_none(value: Any) -> Any:
    """``value`` as it arrives in Node.js: ``None`` dropped from mappings, tuples as lists."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_without_none(v) for v in value]
    return value


def _sorted_metadata(value: Any) -> Any:
    """cdk8s's rendering of ``metadata``: keys sorted, ``None`` and empty mappings and lists dropped."""
    if isinstance(value, dict):
        out = {}
        for key in sorted(value):
            item = _sorted_metadata(value[key])
            if item is not None:
                out[key] = item
        return out or None
    if isinstance(value, list | tuple):
        return [_sorted_metadata(v) for v in value] or None
    return value


class Manifest(cdk8s.ApiObject):
    """An ``ApiObject`` whose fields after ``metadata`` (``spec``, ``data``, ...) are ``body``."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        api_version: str,
        kind: str,
        metadata: dict[str, Any],
        body: dict[str, Any] | None = None,
        null_fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(scope, id, api_version=api_version, kind=kind, metadata=metadata)
        self.null_fields = null_fields
        """JSON pointers (``/metadata/creationTimestamp``) rendered as ``null``."""
        self._head = {"apiVersion": api_version, "kind": kind, "metadata": _sorted_metadata(metadata) or {}}
        self._body = {k: v for k, v in (body or {}).items() if v is not None}
        self._in_node = False

    def add_json_patch(self, *ops: cdk8s.JsonPatch) -> None:
        """Apply ``ops`` when rendering, as cdk8s does (the content moves to Node.js first)."""
        if not self._in_node:
            self._in_node = True
            if self._body:
                super().add_json_patch(*(cdk8s.JsonPatch.add(f"/{k}", v) for k, v in self._body.items()))
        super().add_json_patch(*ops)

    def to_json(self) -> Any:
        """The manifest; computed in Python unless a JSON patch was added."""
        if self._in_node:
            return super().to_json()
        return {**self._head, **_without_none(self._body)}


def api_object(
    scope: Construct,
    id: str,
    *,
    api_version: str,
    kind: str,
    metadata: dict[str, Any],
    null_fields: tuple[str, ...] = (),
    **body: Any,
) -> Manifest:
    """An object whose top-level fields after ``metadata`` (``spec``, ``data``, ...) are ``body``.

    Fields whose value is ``None`` are left out; empty strings, lists and dicts are kept.
    ``null_fields`` are JSON pointers (``/metadata/creationTimestamp``) rendered as ``null``.
    """
    return Manifest(
        scope, id, api_version=api_version, kind=kind, metadata=metadata, body=body, null_fields=null_fields
    )


def manifest_of(obj: cdk8s.ApiObject) -> dict[str, Any]:
    """The object as it is written to disk: its JSON plus any declared ``null`` fields."""
    data: dict[str, Any] = obj.to_json()
    for pointer in getattr(obj, "null_fields", ()):
        *parents, leaf = pointer.strip("/").split("/")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = None
    return data
