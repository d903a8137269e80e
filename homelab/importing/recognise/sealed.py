"""SealedSecrets as ``SealedConfig``: the ciphertexts are carried as they are (a :class:`SealedEntry` for the
cluster's sealed store), never decrypted; the props name the secret, its scope and its keys."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.sealed_config import SEALING_SCOPE_ANNOTATIONS, SealedConfig, SealedConfigProps, SealingScope
from homelab.importing.recognise.base import Objects, Proposal, SealedEntry, metadata, name_of, of_kind, propose


def sealing_scope(annotations: Mapping[str, str]) -> SealingScope:
    """The scope the controller reads from a SealedSecret's annotations (``strict`` without them)."""
    for scope, annotation in SEALING_SCOPE_ANNOTATIONS.items():
        if annotations.get(annotation) == "true":
            return scope
    return "strict"


def sealed_config_props(obj: Mapping[str, Any]) -> SealedConfigProps:
    meta, spec = metadata(obj), obj.get("spec") or {}
    template = spec.get("template") or {}
    template_meta = template.get("metadata") or {}
    scope = sealing_scope(meta.get("annotations") or {})
    scope_annotation = SEALING_SCOPE_ANNOTATIONS.get(scope)
    annotations = {k: v for k, v in (template_meta.get("annotations") or {}).items() if k != scope_annotation}
    kwargs: dict[str, Any] = {}
    if "type" in template:
        kwargs["type"] = template["type"]
    if "immutable" in template:
        kwargs["immutable"] = template["immutable"]
    return SealedConfigProps(
        name=meta["name"],
        namespace=meta["namespace"],
        keys=tuple(sorted(spec["encryptedData"])),
        sealing_scope=scope,
        labels=dict(template_meta.get("labels") or {}),
        annotations=annotations,
        kubeseal_style="creationTimestamp" in meta,
        **kwargs,
    )


def sealed_entries(obj: Mapping[str, Any]) -> tuple[SealedEntry, ...]:
    """What the cluster's sealed store must hold for the SealedSecret: its ciphertexts, as they are."""
    meta = metadata(obj)
    entry = SealedEntry(
        namespace=meta["namespace"],
        name=meta["name"],
        scope=sealing_scope(meta.get("annotations") or {}),
        encrypted=dict(obj["spec"]["encryptedData"]),
    )
    return (entry,)


def recognise_sealed_secrets(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``SealedConfig`` per SealedSecret, its ciphertexts in a :class:`SealedEntry`."""
    for i in of_kind(objects, free, "bitnami.com", "SealedSecret"):
        obj = objects[i]
        yield from propose(
            SealedConfig, partial(sealed_config_props, obj), (i,), name_of(obj), partial(sealed_entries, obj)
        )
