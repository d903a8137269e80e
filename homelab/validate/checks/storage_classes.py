"""``storage-class``: the StorageClasses an object (or an Application's Helm values) uses exist."""

from __future__ import annotations

from homelab.validate.content import Placed, Source, nearest, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index
from homelab.validate.references import searched, storage_classes_used


def storage_classes(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    """The StorageClasses ``p`` uses are defined by the tree or provided by the cluster."""
    body, _, prefix = searched(p.obj, p.namespace)
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
        for where, name in storage_classes_used(body)
        if name not in idx.storage_classes
    ]
