"""Which keys a Secret has, and which keys objects read from Secrets: a wrong key fails only at runtime.

Keys are known for a ``SealedSecret`` (its ``encryptedData``), a ``Secret`` (``data`` and
``stringData``), an ``ExternalSecret`` (see :func:`external_secret_target`: its ``data[].secretKey``, or
its template's keys; unknown where ``dataFrom`` brings keys the store decides, and an ExternalSecret that
merges into a Secret adds its keys to it) and a CloudNativePG ``Cluster`` (the ``<name>-app`` and
``<name>-superuser`` Secrets the operator generates, with :data:`CNPG_KEYS`). References are read from
``secretKeyRef``, secret volume ``items``, and Helm-values wiring (a mapping holding
``existingSecret`` or ``secretName`` and sibling ``…Key`` fields naming keys of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from constructs_lib.cnpg_database import SECRET_KEYS as CNPG_KEYS

SecretId = tuple[str, str]
"""(namespace, name) of a Secret."""


@dataclass(frozen=True)
class KeyReference:
    """An object reading key ``key`` of Secret ``secret``."""

    field: str
    secret: SecretId
    key: str


def known_keys(objects: Iterable[tuple[Mapping[str, Any], str]]) -> dict[SecretId, tuple[set[str], str]]:
    """Secret → (its keys, what defines it), from ``(object, namespace)`` pairs."""
    out: dict[SecretId, tuple[set[str], str]] = {}
    merges: list[tuple[SecretId, frozenset[str] | None, str]] = []
    for obj, namespace in objects:
        kind, meta = obj.get("kind"), as_mapping(obj.get("metadata"))
        name = str(meta.get("name") or "")
        if kind == "SealedSecret":
            spec = as_mapping(obj.get("spec"))
            keys = set(as_mapping(spec.get("encryptedData")))
            template = as_mapping(as_mapping(spec.get("template")).get("metadata"))
            out[(namespace, str(template.get("name") or name))] = (keys, f"SealedSecret {namespace}/{name}")
        elif kind == "Secret":
            keys = set(obj.get("data") or {}) | set(obj.get("stringData") or {})
            out[(namespace, name)] = (keys, f"Secret {namespace}/{name}")
        elif kind == "ExternalSecret" and str(obj.get("apiVersion", "")).startswith("external-secrets.io/"):
            target = external_secret_target(obj)
            if target.creates and target.keys is not None:
                out[(namespace, target.name)] = (set(target.keys), f"ExternalSecret {namespace}/{name}")
            elif target.policy == "Merge":
                merges.append(((namespace, target.name), target.keys, f"ExternalSecret {namespace}/{name}"))
        elif kind == "Cluster" and str(obj.get("apiVersion", "")).startswith("postgresql.cnpg.io/"):
            for suffix in ("app", "superuser"):
                out[(namespace, f"{name}-{suffix}")] = (set(CNPG_KEYS), f"CloudNativePG cluster {namespace}/{name}")
    for secret, merged, source in merges:  # keys merged into a Secret defined elsewhere: its keys grow, or are unknown
        if secret not in out:
            continue
        if merged is None:
            del out[secret]
        else:
            out[secret] = (out[secret][0] | merged, f"{out[secret][1]} and {source}")
    return out


@dataclass(frozen=True)
class ExternalSecretTarget:
    """The Secret an ExternalSecret writes: its name, whether the ExternalSecret creates it, and its keys."""

    name: str
    policy: str
    """``spec.target.creationPolicy``: ``Owner`` (the default) and ``Orphan`` create the Secret, ``Merge``
    writes into one that something else creates, ``None`` writes nothing."""
    keys: frozenset[str] | None
    """The keys it writes, or None where the store decides them (``dataFrom``, a ``templateFrom``)."""

    @property
    def creates(self) -> bool:
        return self.policy in ("Owner", "Orphan")


def external_secret_target(obj: Mapping[str, Any]) -> ExternalSecretTarget:
    """What an ExternalSecret (rendered, or read from any tree) writes. Its keys: with a template's ``data``
    (and no ``templateFrom``), the template's keys, plus the fetched ones when its ``mergePolicy`` is
    ``Merge``; else the fetched ones, ``data[].secretKey``, unknown when ``dataFrom`` fetches more."""
    spec, name = as_mapping(obj.get("spec")), str(as_mapping(obj.get("metadata")).get("name") or "")
    target = as_mapping(spec.get("target"))
    template = as_mapping(target.get("template"))
    fetched: frozenset[str] | None = frozenset(str(as_mapping(d).get("secretKey")) for d in spec.get("data") or [])
    if spec.get("dataFrom"):
        fetched = None
    keys: frozenset[str] | None = fetched
    templated = frozenset(str(k) for k in as_mapping(template.get("data")))
    if template.get("templateFrom"):
        keys = None
    elif templated and template.get("mergePolicy", "Replace") == "Replace":
        keys = templated
    elif templated:
        keys = None if fetched is None else fetched | templated
    policy = str(target.get("creationPolicy") or "Owner")
    return ExternalSecretTarget(name=str(target.get("name") or name), policy=policy, keys=keys)


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def key_references(body: Any, namespace: str, prefix: str = "") -> Iterator[KeyReference]:
    """Every key of a Secret that ``body`` (an object, or an Application's Helm values) reads."""
    for path, node in _walk(body):
        at = f"{prefix}{path}"
        ref = node.get("secretKeyRef")
        if (
            isinstance(ref, dict)
            and isinstance(ref.get("name"), str)
            and isinstance(ref.get("key"), str)
            and not ref.get("optional")
        ):
            where = f"{at}.secretKeyRef.key" if at else "secretKeyRef.key"
            yield KeyReference(where, (namespace, ref["name"]), ref["key"])
        secret = node.get("secret")
        if isinstance(secret, dict) and isinstance(secret.get("secretName"), str) and not secret.get("optional"):
            for i, item in enumerate(secret.get("items") or []):
                if isinstance(item, dict) and isinstance(item.get("key"), str):
                    where = f"{at}.secret.items[{i}].key" if at else f"secret.items[{i}].key"
                    yield KeyReference(where, (namespace, secret["secretName"]), item["key"])
        name = node.get("existingSecret") or node.get("secretName")
        if isinstance(name, str) and name and node.get("enabled", True) is not False:
            for field, value in node.items():
                if field.endswith("Key") and field != "secretKeyRef" and isinstance(value, str) and value:
                    yield KeyReference(f"{at}.{field}" if at else field, (namespace, name), value)


def references_of(obj: Mapping[str, Any], namespace: str) -> Iterator[KeyReference]:
    """The key references of an object; an Application's are in its Helm values, in its destination namespace."""
    if obj.get("kind") == "Application":
        spec = as_mapping(obj.get("spec"))
        values = as_mapping(as_mapping(as_mapping(spec.get("source")).get("helm")).get("valuesObject"))
        destination = str(as_mapping(spec.get("destination")).get("namespace") or namespace)
        yield from key_references(values, destination, "spec.source.helm.valuesObject.")
    elif obj.get("kind") not in ("Secret", "SealedSecret"):
        yield from key_references({k: v for k, v in obj.items() if k != "metadata"}, namespace)


def wrong_keys(
    objects: Sequence[tuple[Mapping[str, Any], str]], keys: Mapping[SecretId, tuple[set[str], str]]
) -> Iterator[tuple[Mapping[str, Any], KeyReference, set[str], str]]:
    """(object, reference, the keys the Secret has, what defines it) of every reference to a key that a
    known Secret does not have. Secrets defined nowhere in ``keys`` are not judged here."""
    for obj, namespace in objects:
        for ref in references_of(obj, namespace):
            known = keys.get(ref.secret)
            if known is not None and ref.key not in known[0]:
                yield obj, ref, known[0], known[1]
