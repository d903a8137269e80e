"""``VolumeSnapshotClass``: how a CSI driver takes volume snapshots (``snapshot.storage.k8s.io/v1``), the class
a ``VolumeSnapshot`` (or Velero's CSI backups) names.

Rendered as written: cdk8s-plus-33 has no VolumeSnapshotClass. The snapshot CRDs and controller are the
platform's ``Snapshotter``; Longhorn's class is part of its component.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.object_meta import metadata_of


@type_checked
@dataclass(frozen=True, kw_only=True)
class VolumeSnapshotClassProps:
    """A class of volume snapshots taken by one CSI driver."""

    name: str
    """Name of the VolumeSnapshotClass."""
    driver: str
    """The CSI driver taking the snapshots, e.g. ``driver.longhorn.io``."""
    deletion_policy: Literal["Delete", "Retain"] = "Delete"
    """What happens to the snapshot's content when a VolumeSnapshot is deleted: deleted by default."""
    parameters: Mapping[str, str] = field(default_factory=dict)
    """The driver's parameters (Longhorn's ``type: bak``); none by default."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Labels (``velero.io/csi-volumesnapshot-class: "true"`` makes it Velero's); none by default."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    """Annotations (``snapshot.storage.kubernetes.io/is-default-class: "true"``); none by default."""

    def __post_init__(self) -> None:
        owner = f"VolumeSnapshotClass {self.name!r}"
        check_dns_subdomain(self.name, what="name", owner=owner)
        if not self.driver:
            raise PropsError(f"{owner}: driver is required: the CSI driver's name, e.g. 'driver.longhorn.io'")


class VolumeSnapshotClass(Construct):
    """The VolumeSnapshotClass for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: VolumeSnapshotClassProps) -> None:
        super().__init__(scope, id)
        self.props = props
        body: dict[str, Any] = {"parameters": dict(props.parameters)} if props.parameters else {}
        self.resource: Manifest = api_object(
            self,
            "Resource",
            api_version="snapshot.storage.k8s.io/v1",
            kind="VolumeSnapshotClass",
            metadata=metadata_of(props.name, None, props.labels, props.annotations),
            driver=props.driver,
            deletionPolicy=props.deletion_policy,
            **body,
        )
