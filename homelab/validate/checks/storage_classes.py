"""``storage-class``: the StorageClasses an object (or an Application's Helm values) uses exist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from constructs_lib._internal.plaintext import leaves
from homelab.validate.checks._deployed import references
from homelab.validate.content import Placed, Source, nearest, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index


def _storage_refs(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for path, key, value, _ in leaves(obj):
        if key in ("storageClassName", "storageClass", "defaultStorageClass") and value not in ("", "-", None):
            yield path, str(value)


def storage_classes(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    """The StorageClasses ``p`` uses are defined by the tree or provided by the cluster."""
    body, _, prefix = references(p)
    return [
        placed_finding(
            tree,
            p,
            "storage-class",
            f"uses StorageClass {name!r}, which the tree does not define and the cluster does not provide",
            f"use one of: {', '.join(sorted(idx.storage_classes))}{nearest(name, sorted(idx.storage_classes))}; "
            f"or define StorageClass {name} (e.g. LonghornStorageClass), list it in "
            f"Cluster(builtin_storage_classes=...) if the cluster has it, or in "
            f"HelmArgoAppProps(provides_storage_classes=({name!r},)) if a chart creates it",
            prefix + where,
        )
        for where, name in _storage_refs(body)
        if name not in idx.storage_classes
    ]
