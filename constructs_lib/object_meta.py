"""``ObjectMeta``: the name, namespace, labels, annotations and Argo CD sync wave and hook every object's
props start with (the workloads', Service's, ConfigMap's, volume claim's). The sync wave and hook are typed
fields rather than raw annotations; for an object whose props have none, see
:func:`constructs_lib.sync_policy.set_sync` and :func:`~constructs_lib.sync_policy.sync_annotations`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.sync_policy import SyncHook, sync_annotations


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
    sync_wave: int | None = None
    """Argo CD sync wave (annotation ``argocd.argoproj.io/sync-wave``; lower waves are applied first, e.g.
    ``-1`` for a ConfigMap a Deployment of wave 0 reads); none by default."""
    hook: SyncHook | None = None
    """Run the object as an Argo CD hook, e.g. ``SyncHook(phase="PostSync", delete_policy=("HookSucceeded",))``
    for a Job after each sync; none by default (synced as a resource)."""

    def check(self, kind: str) -> str:
        """Validate name and namespace; return the owner label used in error messages."""
        owner = f"{kind} {self.name!r}"
        check_dns_subdomain(self.name, what="name", owner=owner)
        if self.namespace is not None:
            check_dns_label(self.namespace, what="namespace", owner=owner)
        return owner

    def metadata(self) -> dict[str, Any]:
        annotations = {**self.annotations, **sync_annotations(self.sync_wave, self.hook)}
        return metadata_of(self.name, self.namespace, self.labels, annotations)
