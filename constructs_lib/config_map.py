"""``ConfigMap``: non-secret configuration files or values (a secret one is a ``SealedConfig``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_hashed_name
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.object_meta import ObjectMeta


@type_checked
@dataclass(frozen=True, kw_only=True)
class ConfigMapProps(ObjectMeta):
    """Non-secret configuration files or values."""

    data: Mapping[str, str]
    """File name (or key) → content."""
    hashed: bool = False
    """Name it ``<name>-<hash of data>``, as kustomize's ``configMapGenerator`` does, and rewrite the
    references to it from the pods of the same app (``env``, ``envFrom``, ``volumes``, ``projected``), so a
    change of content rolls them; an overlay that changes the data gets the new name. Off by default:
    the name is ``name``."""


class ConfigMap(Construct):
    """The ConfigMap for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: ConfigMapProps) -> None:
        super().__init__(scope, id)
        owner = props.check("ConfigMap")
        if props.hashed:
            check_hashed_name(props.name, owner=owner)
        self.props = props
        self.resource: Manifest = api_object(
            self, "Resource", api_version="v1", kind="ConfigMap", metadata=props.metadata(), data=dict(props.data)
        )
        self.resource.hashed = props.hashed
