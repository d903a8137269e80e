"""Kustomize vocabulary: object keys, file names, JSON patches and ``kustomization.yaml``.

An overlay is declared as the full set of objects an app has on a cluster; :func:`json_patch`
turns the difference from the base into RFC 6902 operations that kustomize applies.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from constructs_lib._internal import yaml_io

ObjectKey = tuple[str, str, str, str]
"""(apiVersion, kind, namespace, name) of a manifest; namespace is '' when absent."""


def object_key(manifest: dict[str, Any]) -> ObjectKey:
    meta = manifest.get("metadata") or {}
    return (
        str(manifest.get("apiVersion", "")),
        str(manifest.get("kind", "")),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


def describe(key: ObjectKey) -> str:
    """``Kind namespace/name`` (``Kind /name`` for cluster-scoped objects)."""
    return f"{key[1]} {key[2]}/{key[3]}"


def identity(key: ObjectKey) -> tuple[str, str, str, str]:
    """(group, kind, namespace, name): what makes two manifests the same object in a cluster (the version does not)."""
    return (key[0].rpartition("/")[0], key[1], key[2], key[3])


#: The longest file name (in UTF-8 bytes) most filesystems take (``NAME_MAX``).
NAME_MAX = 255
_HASH_LENGTH = 16


def fitting_file_name(stem: str) -> str:
    """``<stem>.yaml``, or, when that is longer than :data:`NAME_MAX` bytes, the stem cut short and
    followed by a hash of the whole stem (``<start>-<16 hex digits>.yaml``): deterministic, and two
    long stems share a name only if their SHA-256 hashes share 64 bits."""
    name = f"{stem}.yaml"
    if len(name.encode()) <= NAME_MAX:
        return name
    digest = hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
    room = NAME_MAX - len(f"-{digest}.yaml")
    start = stem.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")  # never half a character
    return f"{start}-{digest}.yaml"


def file_names(keys: list[ObjectKey]) -> list[str]:
    """A distinct file name per object: ``<kind>-<name>.yaml``, with the namespace added where that
    clashes, then the API group where even that clashes (``proxyclass-tailscale.com-x.yaml``); a name
    too long for a file is shortened (:func:`fitting_file_name`).

    ``keys`` must be distinct objects (see :func:`identity`); a clash that remains is a bug and raises.
    """

    def name(key: ObjectKey, level: int) -> str:
        group = key[0].rpartition("/")[0]
        parts = [key[1].lower()]
        if level >= 2 and group:
            parts.append(group)
        if level >= 1 and key[2]:
            parts.append(key[2])
        parts.append(key[3])
        return fitting_file_name("-".join(parts))

    levels = [0] * len(keys)
    for level in (1, 2):
        names = [name(k, lvl) for k, lvl in zip(keys, levels, strict=True)]
        for i, n in enumerate(names):
            if names.count(n) > 1:
                levels[i] = level
    names = [name(k, lvl) for k, lvl in zip(keys, levels, strict=True)]
    for i, n in enumerate(names):
        if names.count(n) > 1:
            j = names.index(n, i + 1)
            raise ValueError(f"{describe(keys[i])} and {describe(keys[j])} would both be written to {n}")
    return names


_HASH_DIGITS = str.maketrans({"0": "g", "1": "h", "3": "k", "a": "m", "e": "t"})
"""kustomize's ``encode``: the hex digits that could spell words or look alike become letters."""
_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
"""What Go's ``json.Marshal`` escapes in strings besides what Python's ``json`` does."""


def _go_json(value: Any) -> str:
    """``value`` as Go's ``json.Marshal`` writes it: keys sorted, no spaces, HTML characters escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escape in _GO_ESCAPES.items():
        text = text.replace(char, escape)  # outside strings JSON holds none of these characters
    return text


def content_hash(manifest: dict[str, Any]) -> str:
    """The suffix kustomize's generators give a ConfigMap or Secret (``sigs.k8s.io/kustomize/api/hasher``):
    10 characters of the SHA-256 of the JSON of its kind and content (a ConfigMap's ``data`` and
    ``binaryData``, a Secret's ``type``, ``data`` and ``stringData``), a field left out counting as ``""``.

    The JSON has a ``name`` too, always ``""``: kustomize looks it up as one field called
    ``metadata/name``, which no object has, so its hash never depended on the name; neither does this one."""
    kind = manifest["kind"]
    fields = ("data", "binaryData") if kind == "ConfigMap" else ("type", "data", "stringData")
    encoded: dict[str, Any] = {"kind": kind, "name": ""}
    for field in fields:
        value = manifest.get(field)
        if field in ("data", "type") or isinstance(value, dict):  # the others only when they are there
            encoded[field] = "" if value is None else value
    return hashlib.sha256(_go_json(encoded).encode()).hexdigest()[:10].translate(_HASH_DIGITS)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def json_patch(base: Any, target: Any, path: str = "") -> list[dict[str, Any]]:
    """RFC 6902 operations turning ``base`` into ``target``.

    Dicts are compared key by key, so a patch adds or replaces only what changed. Lists of the
    same length are compared item by item (``/containers/0/image``); items appended to a list are
    added at its end (``/env/-``); any other change to a list replaces it whole. Positions are
    safe to use: base and overlay are generated together, from the same declaration.
    """
    if isinstance(base, dict) and isinstance(target, dict):
        ops: list[dict[str, Any]] = []
        for key in base:
            if key not in target:
                ops.append({"op": "remove", "path": f"{path}/{_escape(str(key))}"})
        for key, value in target.items():
            sub = f"{path}/{_escape(str(key))}"
            if key not in base:
                ops.append({"op": "add", "path": sub, "value": value})
            else:
                ops.extend(json_patch(base[key], value, sub))
        return ops
    if type(base) is type(target) and base == target:
        return []
    if isinstance(base, list) and isinstance(target, list):
        if len(base) == len(target):
            return [
                op for i, (b, t) in enumerate(zip(base, target, strict=True)) for op in json_patch(b, t, f"{path}/{i}")
            ]
        if len(target) > len(base) and target[: len(base)] == base:
            return [{"op": "add", "path": f"{path}/-", "value": value} for value in target[len(base) :]]
    return [{"op": "replace", "path": path or "/", "value": target}]


def patch_target(key: ObjectKey) -> dict[str, str]:
    """The ``target`` selector matching exactly the object ``key``."""
    api_version, kind, namespace, name = key
    group, _, version = api_version.rpartition("/")
    target = {"group": group, "version": version, "kind": kind, "name": name}
    if namespace:
        target["namespace"] = namespace
    return target


def _patch_text(patch: Any) -> str:
    """``patch`` as YAML for a ``patches:`` entry, as kustomize reads it back.

    kustomize trims a patch's text before parsing it, so a block string at the very end would lose
    its final newline. When that would happen, the last operation is written with ``value`` before
    ``path`` (the order of an operation's keys means nothing), so the text ends with a plain path.
    """
    text = yaml_io.dump(patch).rstrip("\n")
    if yaml_io.load(text) == patch:
        return text
    assert isinstance(patch, list) and patch and "value" in patch[-1], "only a value can end in a block string"
    last = {"op": patch[-1]["op"], "value": patch[-1]["value"], "path": patch[-1]["path"]}
    text = yaml_io.dump([*patch[:-1], last]).rstrip("\n")
    assert yaml_io.load(text) == patch, f"patch text does not read back: {text}"
    return text


def json_patch_entry(key: ObjectKey, ops: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``patches:`` entry applying ``ops`` to the object ``key``."""
    return {"patch": _patch_text(ops), "target": patch_target(key)}


def delete_patch_entry(key: ObjectKey) -> dict[str, Any]:
    """A ``patches:`` entry removing the base object ``key`` from an overlay."""
    api_version, kind, namespace, name = key
    meta: dict[str, str] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    doc = {"$patch": "delete", "apiVersion": api_version, "kind": kind, "metadata": meta}
    return {"patch": _patch_text(doc), "target": patch_target(key)}


def kustomization(resources: list[str], patches: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": resources,
    }
    if patches:
        out["patches"] = patches
    return out
