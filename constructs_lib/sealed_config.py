"""``SealedConfig``: a SealedSecret whose values come from the cluster's sealed store.

The construct never sees a plaintext: it names the secret, its scope and the keys it must have,
and asks a :class:`SealedLookup` (the cluster's sealed store, handed in by the engine) for the
ciphertexts. It renders the manifest exactly as ``kubeseal`` writes it.

It has no ``hashed`` (a ``ConfigMap``'s and ``PlainSecret``'s): the only content it has is
ciphertext, which changes whenever a value is sealed again (the same value re-sealed, a new
certificate), so a name from it would roll the pods for nothing; and sealed ``strict`` (the
default), the ciphertext is bound to the Secret's name, so naming the Secret after it is circular.
A pod that must restart when a sealed value changes needs a controller that watches Secrets
(Reloader), or a version in the Secret's name changed with the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.annotations import SEALED_CLUSTER_WIDE, SEALED_NAMESPACE_WIDE
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError

SealingScope = Literal["strict", "namespace-wide", "cluster-wide"]
SEALING_SCOPES: tuple[SealingScope, ...] = ("strict", "namespace-wide", "cluster-wide")

#: Annotations by which the controller recognises the wider scopes (value exactly "true").
SEALING_SCOPE_ANNOTATIONS: dict[SealingScope, str] = {
    "namespace-wide": SEALED_NAMESPACE_WIDE,
    "cluster-wide": SEALED_CLUSTER_WIDE,
}


#: Fields kubeseal writes as ``null``.
KUBESEAL_NULLS = ("/metadata/creationTimestamp", "/spec/template/metadata/creationTimestamp")


class SealedLookup(Protocol):
    """Where sealed values come from: implemented by the homelab's per-cluster sealed store."""

    def sealed_values(
        self, *, namespace: str, name: str, sealing_scope: SealingScope, keys: tuple[str, ...]
    ) -> Mapping[str, str]:
        """Ciphertext per key; raises PropsError (saying which ``homelab seal`` to run) when one is missing."""
        ...


@type_checked
@dataclass(frozen=True, kw_only=True)
class SealedConfigProps:
    """A secret sealed for one cluster."""

    name: str
    """Name of the SealedSecret and of the Secret the controller makes from it."""
    namespace: str
    """Namespace of both."""
    keys: tuple[str, ...]
    """Keys the Secret must have; each must be sealed in the store."""
    sealing_scope: SealingScope = "strict"
    """Where the ciphertext may be used: this name and namespace only (``strict``, the default),
    any name in the namespace, or anywhere."""
    labels: dict[str, str] = field(default_factory=dict)
    """Labels of the generated Secret (``spec.template``); none by default."""
    annotations: dict[str, str] = field(default_factory=dict)
    """Annotations of the generated Secret; none by default."""
    type: str | None = None
    """Secret type (``Opaque``, ``kubernetes.io/dockerconfigjson``, ...); left out by default, which means Opaque."""
    immutable: bool | None = None
    """Make the generated Secret immutable; left out by default."""
    kubeseal_style: bool = True
    """Render ``creationTimestamp: null`` in the metadata and the template, as ``kubeseal`` does;
    False renders the manifest without it, as written by hand."""

    def __post_init__(self) -> None:
        owner = f"SealedConfig '{self.namespace}/{self.name}'"
        check_dns_subdomain(self.name, what="name", owner=owner)
        check_dns_label(self.namespace, what="namespace", owner=owner)
        if not self.keys:
            raise PropsError(f"{owner}: keys must list at least one key of the secret")
        for key in self.keys:
            if not key or not all(c.isalnum() or c in "-._" for c in key):
                raise PropsError(f"{owner}: key {key!r} is not a valid Secret key (letters, digits, '-', '_', '.')")


class SealedConfig(Construct):
    """The SealedSecret for ``props``, its ciphertexts looked up in ``store``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: SealedConfigProps, *, store: SealedLookup) -> None:
        super().__init__(scope, id)
        self.props = props
        encrypted = store.sealed_values(
            namespace=props.namespace, name=props.name, sealing_scope=props.sealing_scope, keys=tuple(props.keys)
        )
        scope_annotations = (
            {SEALING_SCOPE_ANNOTATIONS[props.sealing_scope]: "true"}
            if props.sealing_scope in SEALING_SCOPE_ANNOTATIONS
            else {}
        )
        metadata: dict[str, Any] = {"name": props.name, "namespace": props.namespace}
        if scope_annotations:
            metadata["annotations"] = scope_annotations
        template_meta: dict[str, Any] = {"name": props.name, "namespace": props.namespace}
        if props.labels:
            template_meta["labels"] = dict(props.labels)
        if props.annotations or scope_annotations:
            template_meta["annotations"] = {**props.annotations, **scope_annotations}
        template: dict[str, Any] = {"metadata": template_meta}
        if props.type is not None:
            template["type"] = props.type
        if props.immutable is not None:
            template["immutable"] = props.immutable
        self.resource: Manifest = api_object(
            self,
            "Resource",
            api_version="bitnami.com/v1alpha1",
            kind="SealedSecret",
            metadata=metadata,
            null_fields=KUBESEAL_NULLS if props.kubeseal_style else (),
            spec={"encryptedData": {k: encrypted[k] for k in sorted(props.keys)}, "template": template},
        )
