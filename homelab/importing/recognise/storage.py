"""Storage: NFS shares as ``NfsVolume`` (the PersistentVolume and the claim bound to it), Longhorn storage
classes as ``LonghornStorageClass``, claims as ``VolumeClaim`` and snapshot classes as ``VolumeSnapshotClass``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.nfs_volume import NfsVolume, NfsVolumeProps
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from constructs_lib.volume_snapshot_class import VolumeSnapshotClass, VolumeSnapshotClassProps
from homelab.importing.recognise.base import Objects, Proposal, metadata, name_of, object_meta, of_kind, propose


def volume_claim_props(obj: Mapping[str, Any]) -> VolumeClaimProps:
    spec = obj.get("spec") or {}
    kwargs: dict[str, Any] = {}
    if "storageClassName" in spec:
        kwargs["storage_class"] = spec["storageClassName"]
    if "selector" in spec:
        kwargs["selector"] = spec["selector"]
    return VolumeClaimProps(
        **object_meta(obj),
        size=spec["resources"]["requests"]["storage"],
        access_modes=tuple(spec.get("accessModes") or ()),
        volume_name=spec.get("volumeName"),
        **kwargs,
    )


def longhorn_props(obj: Mapping[str, Any]) -> LonghornStorageClassProps:
    parameters = obj.get("parameters") or {}
    stale = parameters.get("staleReplicaTimeout")
    return LonghornStorageClassProps(
        name=name_of(obj),
        replicas=int(parameters["numberOfReplicas"]),
        stale_replica_timeout=int(stale) if stale is not None else None,
        reclaim_policy=obj["reclaimPolicy"],
        binding_mode=obj["volumeBindingMode"],
        data_locality=parameters["dataLocality"],
        fs_type=parameters["fsType"],
        allow_expansion=obj["allowVolumeExpansion"],
        from_backup=parameters["fromBackup"],
    )


def nfs_props(volume: Mapping[str, Any], claim: Mapping[str, Any] | None) -> NfsVolumeProps:
    spec = volume.get("spec") or {}
    kwargs: dict[str, Any] = {}
    if claim is not None:
        meta = metadata(claim)
        kwargs = {
            "claim_name": meta["name"],
            "claim_namespace": meta.get("namespace"),
            "claim_labels": dict(meta.get("labels") or {}),
        }
    return NfsVolumeProps(
        name=name_of(volume),
        server=spec["nfs"]["server"],
        path=spec["nfs"]["path"],
        size=spec["capacity"]["storage"],
        access_modes=tuple(spec.get("accessModes") or ()),
        reclaim_policy=spec["persistentVolumeReclaimPolicy"],
        **kwargs,
    )


def recognise_nfs_volumes(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """An ``NfsVolume`` per NFS PersistentVolume, with the claim bound to it by ``volumeName`` when there is one."""
    claims = of_kind(objects, free, "v1", "PersistentVolumeClaim")
    for i in of_kind(objects, free, "v1", "PersistentVolume"):
        volume = objects[i]
        if "nfs" not in (volume.get("spec") or {}):
            continue
        bound = [c for c in claims if (objects[c].get("spec") or {}).get("volumeName") == name_of(volume)]
        if len(bound) == 1:
            yield from propose(NfsVolume, partial(nfs_props, volume, objects[bound[0]]), (i, bound[0]), name_of(volume))
        yield from propose(NfsVolume, partial(nfs_props, volume, None), (i,), name_of(volume))


def recognise_storage_classes(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``LonghornStorageClass`` per StorageClass Longhorn provisions."""
    for i in of_kind(objects, free, "storage.k8s.io/v1", "StorageClass"):
        obj = objects[i]
        if obj.get("provisioner") == "driver.longhorn.io":
            yield from propose(LonghornStorageClass, partial(longhorn_props, obj), (i,), name_of(obj))


def recognise_volume_claims(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``VolumeClaim`` per PersistentVolumeClaim."""
    for i in of_kind(objects, free, "v1", "PersistentVolumeClaim"):
        obj = objects[i]
        yield from propose(VolumeClaim, partial(volume_claim_props, obj), (i,), name_of(obj))


def snapshot_class_props(obj: Mapping[str, Any]) -> VolumeSnapshotClassProps:
    meta = metadata(obj)
    return VolumeSnapshotClassProps(
        name=meta["name"],
        driver=obj["driver"],
        deletion_policy=obj["deletionPolicy"],
        parameters=dict(obj.get("parameters") or {}),
        labels=dict(meta.get("labels") or {}),
        annotations=dict(meta.get("annotations") or {}),
    )


def recognise_snapshot_classes(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``VolumeSnapshotClass`` per VolumeSnapshotClass."""
    for i in of_kind(objects, free, "snapshot.storage.k8s.io/v1", "VolumeSnapshotClass"):
        yield from propose(VolumeSnapshotClass, partial(snapshot_class_props, objects[i]), (i,), name_of(objects[i]))
