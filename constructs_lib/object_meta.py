"""``ObjectMeta``: the name, namespace, labels and annotations every object's props start with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked


def metadata_of(
    name: str | None, namespace: str | None, labels: Mapping[str, str], annotations: Mapping[str, str]
) -> dict[str, Any]:
    """A ``metadata`` mapping with only the fields that are set."""
    out: dict[str, Any] = {}
    if name:
        out["name"] = name
    if namespace:
        out["namespace"] = namespace
    if labels:
        out["labels"] = dict(labels)
    if annotations:
        out["annotations"] = dict(annotations)
    return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class ObjectMeta:
    """Name, namespace, labels and annotations of an object."""

    name: str
    namespace: str | None = None
    """The app's destination namespace when left out."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """None by default."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    """None by default."""

    def check(self, kind: str) -> str:
        """Validate name and namespace; return the owner label used in error messages."""
        owner = f"{kind} {self.name!r}"
        check_dns_subdomain(self.name, what="name", owner=owner)
        if self.namespace is not None:
            check_dns_label(self.namespace, what="namespace", owner=owner)
        return owner

    def metadata(self) -> dict[str, Any]:
        return metadata_of(self.name, self.namespace, self.labels, self.annotations)
