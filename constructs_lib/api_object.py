"""Build cdk8s ``ApiObject``s from plain dicts, and read them back as manifests.

cdk8s drops ``null`` values on their way through jsii; a few real manifests carry one on
purpose (kubeseal writes ``creationTimestamp: null``). :class:`Manifest` remembers those
fields and :func:`manifest_of` puts them back, so what is written is exactly what was declared.
"""

from __future__ import annotations

from typing import Any

import cdk8s
from constructs import Construct


class Manifest(cdk8s.ApiObject):
    """An ``ApiObject`` that also knows which fields must be rendered as ``null``."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        api_version: str,
        kind: str,
        metadata: dict[str, Any],
        null_fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(scope, id, api_version=api_version, kind=kind, metadata=metadata)
        self.null_fields = null_fields


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
    obj = Manifest(
        scope,
        id,
        api_version=api_version,
        kind=kind,
        metadata=metadata,
        null_fields=null_fields,
    )
    for key, value in body.items():
        if value is not None:
            obj.add_json_patch(cdk8s.JsonPatch.add(f"/{key}", value))
    return obj


def manifest_of(obj: cdk8s.ApiObject) -> dict[str, Any]:
    """The object as it is written to disk: cdk8s's JSON plus any declared ``null`` fields."""
    data: dict[str, Any] = obj.to_json()
    for pointer in getattr(obj, "null_fields", ()):
        *parents, leaf = pointer.strip("/").split("/")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = None
    return data
