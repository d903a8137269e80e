"""Hashed config in a build: ConfigMaps and Secrets named ``<name>-<hash of their content>`` (by kustomize's
generators, or by a homelab's ``hashed=True``), read back under the name they were declared with.

The engine renames hashed config and rewrites the references of the app's pods to it
(:mod:`homelab.engine.hashed`); here is the reverse: :func:`hashed_base` tells the declared name of a hashed
object, and :func:`unhashed` gives a build with its pods' references back at those names, which is what
their props declare.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from homelab.engine.hashed import Renames, rewrite_references
from homelab.engine.kustomize import content_hash

#: The kinds the engine (and kustomize) may name by their content.
HASHED_KINDS = ("ConfigMap", "Secret")


def identity(obj: Mapping[str, Any]) -> tuple[str, str, str]:
    meta = obj.get("metadata") or {}
    return str(obj.get("kind")), str(meta.get("namespace") or ""), str(meta.get("name") or "")


def hashed_base(obj: Mapping[str, Any]) -> str | None:
    """The name ``obj`` (a ConfigMap or Secret) was declared with, when its name is that name, ``-`` and the
    hash of its content (:func:`~homelab.engine.kustomize.content_hash`); None otherwise."""
    kind, _, name = identity(obj)
    if kind not in HASHED_KINDS:
        return None
    suffix = "-" + content_hash(dict(obj))
    return name[: -len(suffix)] if name.endswith(suffix) and len(name) > len(suffix) else None


def hashed_renames(objects: Sequence[Mapping[str, Any]]) -> Renames:
    """(kind, namespace, full name) → declared name of each hashed object of ``objects`` whose declared name
    no other object of its kind has there (else the engine would rewrite references meant for that one)."""
    taken = {identity(o) for o in objects}
    renames: Renames = {}
    for obj in objects:
        base = hashed_base(obj)
        kind, namespace, name = identity(obj)
        if base is not None and (kind, namespace, base) not in taken:
            renames[(kind, namespace, name)] = base
    return renames


def unhashed(objects: Sequence[Mapping[str, Any]], renames: Renames) -> list[Mapping[str, Any]]:
    """``objects`` with the references of their pods to the hashed config ``renames`` names renamed to its
    declared name (the hashed objects keep their names)."""
    return [rewrite_references(dict(obj), renames) for obj in objects] if renames else list(objects)
