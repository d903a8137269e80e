"""Hashed config: ConfigMaps and Secrets named after their content, as kustomize's generators name them.

A ``ConfigMap`` or ``PlainSecret`` declared with ``hashed=True`` is renamed ``<name>-<hash>``
(:func:`~homelab.engine.kustomize.content_hash`) in each directory it is rendered in, and every
reference to it from a pod in the same directory is rewritten: ``env[].valueFrom`` and ``envFrom``
of every container, ``volumes`` (``projected`` sources too) and ``imagePullSecrets``. A base and each
overlay are renamed on their own, so an overlay that changes the content gets the new name, and the
layout replaces the base's object (:func:`~homelab.engine.layout.kustomization`). Objects of other
apps are not rewritten: like kustomize, the rename is local to the directory.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from constructs_lib.api_object import Manifest
from homelab.engine.data import Rendered
from homelab.engine.kustomize import content_hash

Renames = dict[tuple[str, str, str], str]
"""(kind, namespace, old name) → new name."""
Refs = tuple[tuple[str, tuple[str, ...]], ...]

#: Where a pod spec names a ConfigMap or Secret: (kind, path from the pod spec to the name).
_CONTAINER_REFS: Refs = (
    ("ConfigMap", ("env", "*", "valueFrom", "configMapKeyRef", "name")),
    ("Secret", ("env", "*", "valueFrom", "secretKeyRef", "name")),
    ("ConfigMap", ("envFrom", "*", "configMapRef", "name")),
    ("Secret", ("envFrom", "*", "secretRef", "name")),
)
_POD_REFS: Refs = (
    ("ConfigMap", ("volumes", "*", "configMap", "name")),
    ("Secret", ("volumes", "*", "secret", "secretName")),
    ("ConfigMap", ("volumes", "*", "projected", "sources", "*", "configMap", "name")),
    ("Secret", ("volumes", "*", "projected", "sources", "*", "secret", "name")),
    ("Secret", ("imagePullSecrets", "*", "name")),
)
_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def hash_names(objects: list[Rendered]) -> None:
    """Rename the hashed objects among ``objects`` (one directory's) and rewrite the references to them."""
    renames: Renames = {}
    for obj in objects:
        if isinstance(obj.construct, Manifest) and obj.construct.hashed:
            meta = obj.data["metadata"]
            new = f"{meta['name']}-{content_hash(obj.data)}"
            renames[(obj.data["kind"], meta.get("namespace") or "", meta["name"])] = new
            obj.data["metadata"] = {**meta, "name": new}  # the construct's own mappings stay as declared
    if renames:
        for obj in objects:
            obj.data = rewrite_references(obj.data, renames)


def rewrite_references(data: dict[str, Any], renames: Renames) -> dict[str, Any]:
    """``data`` (one object) with the references of its pods to the ConfigMaps and Secrets ``renames`` names
    renamed (a copy when it has pods; ``data`` itself otherwise)."""
    if next(_pod_specs(data), None) is None:
        return data
    data = copy.deepcopy(data)
    namespace = (data.get("metadata") or {}).get("namespace") or ""
    for pod in _pod_specs(data):
        _rewrite(pod, namespace, renames)
    return data


def _pod_specs(value: Any) -> Iterator[dict[str, Any]]:
    """Every pod spec in an object (a mapping with a ``containers`` list), wherever its kind keeps it."""
    if isinstance(value, dict):
        if isinstance(value.get("containers"), list):
            yield value
            return
        for item in value.values():
            yield from _pod_specs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _pod_specs(item)


def _rewrite(pod: dict[str, Any], namespace: str, renames: Renames) -> None:
    """Rewrite in ``pod`` (of an object in ``namespace``) the names ``renames`` changes.

    A name without a namespace is in the app's namespace, so it matches a namespaced one either way."""
    places = [(pod, _POD_REFS)]
    places += [(c, _CONTAINER_REFS) for key in _CONTAINER_LISTS for c in pod.get(key) or [] if isinstance(c, dict)]
    for node, refs in places:
        for kind, path in refs:
            for holder, field in _holders(node, path):
                name = holder.get(field)
                for (k, ns, old), new in renames.items():
                    if k == kind and old == name and (ns == namespace or not ns or not namespace):
                        holder[field] = new


def _holders(node: Any, path: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], str]]:
    """(mapping, field) of each place ``path`` (``*``: every item of a list) reaches in ``node``."""
    if not path or not isinstance(node, dict | list):
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in node if isinstance(node, list) else ():
            yield from _holders(item, rest)
    elif isinstance(node, dict):
        if not rest:
            if head in node:
                yield node, head
        else:
            yield from _holders(node.get(head), rest)
