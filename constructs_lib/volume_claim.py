"""``VolumeClaim``: a PersistentVolumeClaim, dynamically provisioned or bound to a given volume; and the
types of volumes' access modes and reclaim policies.

Rendered as written, not with cdk8s-plus-33's ``PersistentVolumeClaim``, which always writes
``volumeMode`` (and a ``storageClassName`` from its own default) that the manifests it replaces leave out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_json import to_json
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.object_meta import ObjectMeta

if TYPE_CHECKING:
    from cdk8s_plus_33 import k8s  # only for types

AccessMode = Literal["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]
ReclaimPolicy = Literal["Retain", "Delete"]
"""What happens to a volume (or its data) when its claim is deleted."""


@type_checked
@dataclass(frozen=True, kw_only=True)
class VolumeClaimProps(ObjectMeta):
    """A claim for storage."""

    size: str
    """Requested capacity, e.g. ``10Gi``."""
    storage_class: str | None = None
    """Storage class to provision from; the cluster's default when left out, none at all when ``""``
    (a pre-provisioned volume, see ``volume_name``)."""
    access_modes: tuple[AccessMode, ...] = ("ReadWriteOnce",)
    """How the volume may be mounted; by one node read-write by default."""
    volume_name: str | None = None
    """Bind to this PersistentVolume instead of provisioning one."""
    selector: k8s.LabelSelector | Mapping[str, Any] | None = None
    """Bind only to a volume with these labels (``k8s.LabelSelector(match_labels={...})``, or
    ``{"matchLabels": {...}}``); any volume by default."""

    def __post_init__(self) -> None:
        owner = self.check("VolumeClaim")
        if not self.size or not self.size[0].isdigit():
            raise PropsError(f"{owner}: size {self.size!r} must be a quantity such as '10Gi'")
        if not self.access_modes:
            raise PropsError(f"{owner}: access_modes must name at least one mode, e.g. ('ReadWriteOnce',)")


class VolumeClaim(Construct):
    """The PersistentVolumeClaim for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: VolumeClaimProps) -> None:
        super().__init__(scope, id)
        self.props = props
        spec: dict[str, Any] = {}
        if props.volume_name:
            spec["volumeName"] = props.volume_name
        spec["accessModes"] = list(props.access_modes)
        if props.selector is not None:
            spec["selector"] = to_json(props.selector)
        spec["resources"] = {"requests": {"storage": props.size}}
        if props.storage_class is not None:
            spec["storageClassName"] = props.storage_class
        self.resource: Manifest = api_object(
            self, "Resource", api_version="v1", kind="PersistentVolumeClaim", metadata=props.metadata(), spec=spec
        )
