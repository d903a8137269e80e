"""``Namespace``: a namespace, optionally labelled (e.g. with pod-security levels)."""

from __future__ import annotations

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_label
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.object_meta import metadata_of

#: Pod-security labels that let a namespace run privileged pods (storage, VPN, media apps).
PRIVILEGED: dict[str, str] = {
    "pod-security.kubernetes.io/audit": "privileged",
    "pod-security.kubernetes.io/enforce": "privileged",
    "pod-security.kubernetes.io/warn": "privileged",
}


class Namespace(Construct):
    """A ``v1/Namespace`` named ``name`` with ``labels`` (none by default); the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, *, name: str, labels: dict[str, str] | None = None) -> None:
        super().__init__(scope, id)
        check_dns_label(name, what="name", owner=f"Namespace {name!r}")
        metadata = metadata_of(name, None, labels or {}, {})
        self.resource: Manifest = api_object(self, "Resource", api_version="v1", kind="Namespace", metadata=metadata)
