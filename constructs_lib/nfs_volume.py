"""``NfsVolume``: a share of an NFS server as a static ``PersistentVolume``, and optionally its claim.

Rendered as written: cdk8s-plus-33's volume types cannot express a static NFS PersistentVolume bound
to a claim by ``volumeName``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.volume_claim import AccessMode, ReclaimPolicy, VolumeClaim, VolumeClaimProps


@type_checked
@dataclass(frozen=True, kw_only=True)
class NfsVolumeProps:
    """A share of an NFS server as a PersistentVolume, and optionally the claim bound to it."""

    name: str
    """Name of the PersistentVolume."""
    server: str
    """NFS server: host name or IP address. Required."""
    path: str
    """Exported path on the server, absolute. Required."""
    size: str
    """Capacity, e.g. ``500Gi``; the claim requests the same."""
    access_modes: tuple[AccessMode, ...] = ("ReadWriteMany",)
    """Access modes of the volume and the claim; shared read-write by default."""
    reclaim_policy: ReclaimPolicy = "Retain"
    """What happens to the data when the claim goes; kept by default."""
    claim_name: str | None = None
    """Name of a PersistentVolumeClaim bound to the volume by ``volumeName``; no claim when left out
    (another directory claims it)."""
    claim_namespace: str | None = None
    """Namespace of the claim; the kustomization's (or Argo CD's destination) when left out."""
    claim_labels: Mapping[str, str] = field(default_factory=dict)
    """Labels of the claim; none by default."""

    def __post_init__(self) -> None:
        owner = f"NfsVolume {self.name!r}"
        check_dns_subdomain(self.name, what="name", owner=owner)
        if not self.server or not self.server.strip():
            raise PropsError(f"{owner}: server is required: the NFS server's host name or IP address")
        if not self.path.startswith("/"):
            raise PropsError(f"{owner}: path {self.path!r} must be the absolute exported path, e.g. '/export/media'")
        if self.claim_name is not None:
            check_dns_subdomain(self.claim_name, what="claim_name", owner=owner)


class NfsVolume(Construct):
    """The PersistentVolume (``Resource``) and, when ``claim_name`` is set, its claim (``Claim``).

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: NfsVolumeProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource: Manifest = api_object(
            self,
            "Resource",
            api_version="v1",
            kind="PersistentVolume",
            metadata={"name": props.name},
            spec={
                "capacity": {"storage": props.size},
                "accessModes": list(props.access_modes),
                "persistentVolumeReclaimPolicy": props.reclaim_policy,
                "nfs": {"server": props.server.strip(), "path": props.path},
            },
        )
        self.claim: VolumeClaim | None = None
        if props.claim_name is not None:
            self.claim = VolumeClaim(
                self,
                "Claim",
                VolumeClaimProps(
                    name=props.claim_name,
                    namespace=props.claim_namespace,
                    size=props.size,
                    storage_class="",
                    access_modes=props.access_modes,
                    volume_name=props.name,
                    labels=props.claim_labels,
                ),
            )
