"""``LonghornStorageClass``: a ``StorageClass`` whose volumes Longhorn provisions (``driver.longhorn.io``).

Rendered as written: cdk8s-plus-33 has no StorageClass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.volume_claim import ReclaimPolicy


@type_checked
@dataclass(frozen=True, kw_only=True)
class LonghornStorageClassProps:
    """A Longhorn storage class (provisioner ``driver.longhorn.io``)."""

    name: str
    """Name of the StorageClass."""
    replicas: int = 3
    """Longhorn replicas per volume (``numberOfReplicas``); 1 suits data that replicates itself (CNPG)."""
    stale_replica_timeout: int | None = None
    """Minutes before a failed replica is cleaned up (``staleReplicaTimeout``); Longhorn's default when left out."""
    reclaim_policy: ReclaimPolicy = "Retain"
    """What happens to a volume when its claim is deleted; kept by default."""
    binding_mode: Literal["Immediate", "WaitForFirstConsumer"] = "Immediate"
    """``volumeBindingMode``; volumes are created as soon as they are claimed by default."""
    data_locality: Literal["disabled", "best-effort", "strict-local"] = "disabled"
    """Whether Longhorn keeps a replica on the node using the volume; off by default."""
    fs_type: str = "ext4"
    """Filesystem of the volumes."""
    allow_expansion: bool = True
    """Whether claims may grow (``allowVolumeExpansion``)."""
    from_backup: str = ""
    """Longhorn backup URL to restore new volumes from; empty: new volumes start empty."""

    def __post_init__(self) -> None:
        owner = f"LonghornStorageClass {self.name!r}"
        check_dns_subdomain(self.name, what="name", owner=owner)
        if not 1 <= self.replicas <= 20:
            raise PropsError(f"{owner}: replicas must be 1..20, got {self.replicas}")


class LonghornStorageClass(Construct):
    """The StorageClass for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: LonghornStorageClassProps) -> None:
        super().__init__(scope, id)
        self.props = props
        parameters: dict[str, str] = {"numberOfReplicas": str(props.replicas)}
        if props.stale_replica_timeout is not None:
            parameters["staleReplicaTimeout"] = str(props.stale_replica_timeout)
        parameters |= {"fromBackup": props.from_backup, "fsType": props.fs_type, "dataLocality": props.data_locality}
        self.resource: Manifest = api_object(
            self,
            "Resource",
            api_version="storage.k8s.io/v1",
            kind="StorageClass",
            metadata={"name": props.name},
            provisioner="driver.longhorn.io",
            allowVolumeExpansion=props.allow_expansion,
            reclaimPolicy=props.reclaim_policy,
            volumeBindingMode=props.binding_mode,
            parameters=parameters,
        )
