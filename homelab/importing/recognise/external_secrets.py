"""External Secrets Operator ``ExternalSecret`` objects as ``ExternalSecret``, their store and keys typed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.external_secret import ExternalSecret, ExternalSecretData, ExternalSecretProps, SecretStoreRef
from homelab.importing.recognise.base import Objects, Proposal, name_of, object_meta, of_kind, propose


def secret_data(entry: Mapping[str, Any]) -> ExternalSecretData:
    remote = entry["remoteRef"]
    return ExternalSecretData(
        secret_key=entry["secretKey"],
        remote_key=remote["key"],
        property=remote.get("property"),
        version=remote.get("version"),
    )


def external_secret_props(obj: Mapping[str, Any]) -> ExternalSecretProps:
    spec = obj["spec"]
    meta = object_meta(obj)
    store = spec["secretStoreRef"]
    target = (spec.get("target") or {}).get("name")
    return ExternalSecretProps(
        **meta,
        api_version=obj["apiVersion"],
        store=SecretStoreRef(name=store["name"], kind=store.get("kind", "SecretStore")),
        data=tuple(secret_data(d) for d in spec.get("data") or ()),
        target=None if target == meta["name"] else target,
        refresh_interval=spec.get("refreshInterval"),
    )


def recognise_external_secrets(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """An ``ExternalSecret`` per ExternalSecret (``external-secrets.io/v1`` or ``v1beta1``)."""
    for i in of_kind(objects, free, "external-secrets.io", "ExternalSecret"):
        yield from propose(ExternalSecret, partial(external_secret_props, objects[i]), (i,), name_of(objects[i]))
