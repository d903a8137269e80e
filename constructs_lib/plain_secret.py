"""``PlainSecret``: a Secret whose values are written in clear, for data that is not secret at all.

Some charts insist on reading configuration from a Secret. Put such values here only when they
are harmless in git; ``why_not_sensitive`` is required so the choice is explicit and reviewable.
Everything else belongs in a ``SealedConfig``: the synthesiser refuses any other Secret with data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain, check_hashed_name
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.annotations import NOT_SENSITIVE
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError


def exposes_plaintext(manifest: Mapping[str, Any]) -> bool:
    """Whether ``manifest`` is a Secret carrying values in clear that nobody declared non-sensitive."""
    if manifest.get("kind") != "Secret" or not (manifest.get("data") or manifest.get("stringData")):
        return False
    return NOT_SENSITIVE not in ((manifest.get("metadata") or {}).get("annotations") or {})


@type_checked
@dataclass(frozen=True, kw_only=True)
class PlainSecretProps:
    name: str
    namespace: str
    string_data: Mapping[str, str]
    """The values, in clear."""
    why_not_sensitive: str
    """Why these values may be public; required, and kept as the annotation :data:`~constructs_lib.annotations.NOT_SENSITIVE`."""
    hashed: bool = False
    """Name it ``<name>-<hash of its values>``, as kustomize's ``secretGenerator`` does, and rewrite the
    references to it from the pods of the same app (``secretKeyRef``, ``envFrom``, ``volumes``,
    ``projected``, ``imagePullSecrets``), so a change of values rolls them. Off by default: the name is ``name``."""

    def __post_init__(self) -> None:
        owner = f"PlainSecret '{self.namespace}/{self.name}'"
        check_dns_subdomain(self.name, what="name", owner=owner)
        check_dns_label(self.namespace, what="namespace", owner=owner)
        if self.hashed:
            check_hashed_name(self.name, owner=owner)
        if not self.why_not_sensitive.strip():
            raise PropsError(
                f"{owner}: why_not_sensitive must say why these values may be public; else use SealedConfig"
            )


class PlainSecret(Construct):
    """The Secret for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: PlainSecretProps) -> None:
        super().__init__(scope, id)
        self.resource: Manifest = api_object(
            self,
            "Resource",
            api_version="v1",
            kind="Secret",
            metadata={
                "name": props.name,
                "namespace": props.namespace,
                "annotations": {NOT_SENSITIVE: props.why_not_sensitive},
            },
            stringData=dict(props.string_data),
        )
        self.resource.hashed = props.hashed
