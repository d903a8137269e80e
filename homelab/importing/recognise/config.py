"""Configuration: ConfigMaps as ``ConfigMap`` and Secrets in clear marked not sensitive as ``PlainSecret``; one
named by the hash of its content (:func:`~homelab.importing.hashed.hashed_base`) as ``hashed=True`` under the
name it was declared with."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.annotations import NOT_SENSITIVE
from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.plain_secret import PlainSecret, PlainSecretProps
from homelab.importing.hashed import hashed_base
from homelab.importing.recognise.base import Objects, Proposal, metadata, name_of, object_meta, of_kind, propose


def declared_name(obj: Mapping[str, Any]) -> dict[str, Any]:
    """``name=`` and ``hashed=`` of a ConfigMap or Secret: its declared name when its name ends in its hash."""
    base = hashed_base(obj)
    return {"name": name_of(obj)} if base is None else {"name": base, "hashed": True}


def config_map_props(obj: Mapping[str, Any]) -> ConfigMapProps:
    return ConfigMapProps(**{**object_meta(obj), **declared_name(obj)}, data=dict(obj.get("data") or {}))


def plain_secret_props(obj: Mapping[str, Any]) -> PlainSecretProps:
    meta = metadata(obj)
    return PlainSecretProps(
        **declared_name(obj),
        namespace=meta["namespace"],
        string_data=dict(obj["stringData"]),
        why_not_sensitive=meta["annotations"][NOT_SENSITIVE],
    )


def recognise_config(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``ConfigMap`` per ConfigMap, a ``PlainSecret`` per Secret in clear (``stringData``) marked not sensitive;
    the id suggested is the declared name."""
    for i in of_kind(objects, free, "v1", "ConfigMap"):
        obj = objects[i]
        yield from propose(ConfigMap, partial(config_map_props, obj), (i,), declared_name(obj)["name"])
    for i in of_kind(objects, free, "v1", "Secret"):
        obj = objects[i]
        if "stringData" in obj and NOT_SENSITIVE in (metadata(obj).get("annotations") or {}):
            yield from propose(PlainSecret, partial(plain_secret_props, obj), (i,), declared_name(obj)["name"])
