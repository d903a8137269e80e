"""External Secrets Operator ``ExternalSecret`` objects as ``ExternalSecret``: its store, keys, whole secrets
(``dataFrom``: extract or find, with their rewrites), policies and template typed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.external_secret import (
    ExternalSecret,
    ExternalSecretData,
    ExternalSecretProps,
    ExtractFrom,
    FindFrom,
    RewriteRegexp,
    RewriteTransform,
    SecretStoreRef,
    SecretTemplate,
)
from homelab.importing.recognise.base import Objects, Proposal, name_of, object_meta, of_kind, propose


def secret_data(entry: Mapping[str, Any]) -> ExternalSecretData:
    remote = entry["remoteRef"]
    return ExternalSecretData(
        secret_key=entry["secretKey"],
        remote_key=remote["key"],
        property=remote.get("property"),
        version=remote.get("version"),
    )


def rewrite(entry: Mapping[str, Any]) -> RewriteRegexp | RewriteTransform:
    if "regexp" in entry:
        return RewriteRegexp(source=entry["regexp"]["source"], target=entry["regexp"]["target"])
    return RewriteTransform(template=entry["transform"]["template"])


def data_from(entry: Mapping[str, Any]) -> ExtractFrom | FindFrom:
    """A ``dataFrom`` entry: an extract or a find (anything else raises: the object stays raw)."""
    rewrites = tuple(rewrite(r) for r in entry.get("rewrite") or ())
    if "extract" in entry:
        extract = entry["extract"]
        return ExtractFrom(
            remote_key=extract["key"],
            property=extract.get("property"),
            version=extract.get("version"),
            rewrite=rewrites,
        )
    find = entry["find"]
    return FindFrom(
        name_regexp=(find.get("name") or {}).get("regexp"),
        tags=dict(find.get("tags") or {}),
        path=find.get("path"),
        rewrite=rewrites,
    )


def template(entry: Mapping[str, Any]) -> SecretTemplate:
    meta = entry.get("metadata") or {}
    return SecretTemplate(
        type=entry.get("type"),
        labels=dict(meta.get("labels") or {}),
        annotations=dict(meta.get("annotations") or {}),
        data=dict(entry.get("data") or {}),
        merge_policy=entry.get("mergePolicy"),
    )


def external_secret_props(obj: Mapping[str, Any]) -> ExternalSecretProps:
    spec = obj["spec"]
    meta = object_meta(obj)
    store = spec["secretStoreRef"]
    target = spec.get("target") or {}
    name = target.get("name")
    return ExternalSecretProps(
        **meta,
        api_version=obj["apiVersion"],
        store=SecretStoreRef(name=store["name"], kind=store.get("kind", "SecretStore")),
        data=tuple(secret_data(d) for d in spec.get("data") or ()),
        data_from=tuple(data_from(d) for d in spec.get("dataFrom") or ()),
        target=None if name == meta["name"] else name,
        creation_policy=target.get("creationPolicy"),
        deletion_policy=target.get("deletionPolicy"),
        template=template(target["template"]) if "template" in target else None,
        refresh_interval=spec.get("refreshInterval"),
    )


def recognise_external_secrets(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """An ``ExternalSecret`` per ExternalSecret (``external-secrets.io/v1`` or ``v1beta1``)."""
    for i in of_kind(objects, free, "external-secrets.io", "ExternalSecret"):
        yield from propose(ExternalSecret, partial(external_secret_props, objects[i]), (i,), name_of(objects[i]))
