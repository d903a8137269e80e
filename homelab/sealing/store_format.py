"""The sealed store's file format: its layout (see :mod:`homelab.sealing.store`), read and checked —
every field, every ciphertext's shape, a key given twice — without ever taking a damaged store for a good one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib.errors import PropsError
from constructs_lib.sealed_config import SEALING_SCOPES, SealingScope
from homelab.sealing.crypto import MalformedCiphertext, split

END = "# end of sealed store"
PROMISE = f"# Its last line is `{END}`: a store without it was cut short; restore it from git."
HEADER = f"# Sealed store: ciphertexts only, safe to commit. Change it with `homelab seal`.\n{PROMISE}\n"
_FIELDS = ("namespace", "name", "scope", "certificate", "encryptedData")
_SECRET_KEY = re.compile(r"[-._a-zA-Z0-9]{1,253}")
_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")

#: The ``certificate`` of ciphertexts copied into a store before the cluster's certificate was recorded
#: (``homelab import``, ``homelab seal import`` without one): valid as they are, never decrypted; ``homelab
#: cert`` records the certificate they fit.
UNKNOWN_CERTIFICATE = "unknown"


def is_secret_key(key: object) -> bool:
    """A valid key of a Secret's data: up to 253 ASCII letters, digits, '-', '_' and '.'."""
    return isinstance(key, str) and _SECRET_KEY.fullmatch(key) is not None


def is_kubernetes_name(value: object, *, namespace: bool = False) -> bool:
    """A valid namespace (an RFC 1123 label) or object name (an RFC 1123 subdomain)."""
    check = check_dns_label if namespace else check_dns_subdomain
    try:
        check(value, what="", owner="")  # type: ignore[arg-type]
    except PropsError:
        return False
    return True


def check_ciphertexts(data: Any, *, rsa_bytes: int | None) -> dict[str, str]:
    """``data`` if it maps Secret keys to sealed values (:func:`split` checks their shape); else a
    ValueError saying what is wrong (a store's ``encryptedData``, a SealedSecret's)."""
    if not isinstance(data, dict) or not data:
        raise ValueError(f"encryptedData is {_kind(data)}, not a mapping of keys to ciphertexts")
    for key, ciphertext in data.items():
        if not is_secret_key(key):
            raise ValueError("encryptedData has a key that is not a Secret key (letters, digits, '-', '_', '.')")
        if not isinstance(ciphertext, str):
            raise ValueError(f"the ciphertext of {key} is {_kind(ciphertext)}, not a string")
        try:
            split(ciphertext, rsa_bytes=rsa_bytes)
        except MalformedCiphertext as exc:
            raise ValueError(f"the ciphertext of {key} is {exc}") from None
    return data


class _StoreLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The YAML loader, refusing a key given twice in one mapping (YAML would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice in one mapping", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@dataclass
class SealedEntry:
    """The sealed values of one secret."""

    namespace: str
    name: str
    scope: SealingScope
    certificate: str
    data: dict[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"


def copied_entry(
    namespace: str, name: str, scope: SealingScope, encrypted: Any, certificate: tuple[str, int] | None
) -> SealedEntry:
    """A SealedSecret's ciphertexts as a store entry, as they are (never decrypted nor resealed).

    ``certificate`` is the cluster's (fingerprint, RSA modulus bytes): the RSA part of each ciphertext is
    checked against it; None records them as sealed with :data:`UNKNOWN_CERTIFICATE` (only their shape is
    checked). ValueError says what is not a ciphertext."""
    fingerprint, rsa_bytes = certificate or (UNKNOWN_CERTIFICATE, None)
    data = check_ciphertexts(encrypted, rsa_bytes=rsa_bytes)
    return SealedEntry(namespace=namespace, name=name, scope=scope, certificate=fingerprint, data=dict(data))


def parse(text: str, cluster: str, rsa_bytes: Mapping[str | None, int | None]) -> dict[str, SealedEntry]:
    """The entries of a store's text, by ref; ValueError naming the first thing that is wrong."""
    try:
        doc = yaml.load(text, Loader=_StoreLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ValueError(f"not valid YAML ({where}{getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(doc, dict) or set(doc) != {"cluster", "secrets"}:
        found = f"keys {', '.join(map(repr, doc))}" if isinstance(doc, dict) else _kind(doc)
        raise ValueError(f"expected a mapping of 'cluster' and 'secrets', found {found}")
    if doc["cluster"] != cluster:
        raise ValueError(f"it is the store of cluster {doc['cluster']!r}, not of {cluster!r}")
    if not isinstance(doc["secrets"], list):
        raise ValueError(f"'secrets' is {_kind(doc['secrets'])}, not a list")
    entries: dict[str, SealedEntry] = {}
    index: dict[str, int] = {}
    for i, raw in enumerate(doc["secrets"]):
        entry = _entry(raw, i, rsa_bytes)
        if entry.ref in index:
            raise ValueError(f"secrets[{index[entry.ref]}] and secrets[{i}] are both {entry.ref}")
        index[entry.ref] = i
        entries[entry.ref] = entry
    return entries


def _entry(raw: Any, index: int, rsa_bytes: Mapping[str | None, int | None]) -> SealedEntry:
    """Entry ``index`` of 'secrets', every field checked; ciphertexts for their shape, and for the RSA
    part's length where ``rsa_bytes`` knows the size of the certificate they were sealed with."""
    if not isinstance(raw, dict):
        raise ValueError(f"secrets[{index}]: expected a mapping, found {_kind(raw)}")
    named = is_kubernetes_name(raw.get("namespace"), namespace=True) and is_kubernetes_name(raw.get("name"))
    where = f"secrets[{index}] ({raw['namespace']}/{raw['name']})" if named else f"secrets[{index}]"
    missing = [k for k in _FIELDS if k not in raw]
    unknown = [str(k) for k in raw if k not in _FIELDS]
    if missing or unknown:
        listed = [f"{label} {', '.join(keys)}" for label, keys in (("missing", missing), ("unknown", unknown)) if keys]
        raise ValueError(f"{where}: {'; '.join(listed)} (the fields are {', '.join(_FIELDS)})")
    if not named:
        raise ValueError(f"{where}: namespace and name must be Kubernetes names (lower-case letters, digits, '-', '.')")
    if raw["scope"] not in SEALING_SCOPES:
        raise ValueError(f"{where}: scope {raw['scope']!r} is not one of {', '.join(SEALING_SCOPES)}")
    certificate = raw["certificate"]
    if certificate != UNKNOWN_CERTIFICATE and (
        not isinstance(certificate, str) or not _FINGERPRINT.fullmatch(certificate)
    ):
        raise ValueError(f"{where}: certificate is not sha256: and 64 hexadecimal digits (or {UNKNOWN_CERTIFICATE})")
    try:
        data = check_ciphertexts(raw["encryptedData"], rsa_bytes=rsa_bytes.get(raw["certificate"]))
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return SealedEntry(
        namespace=raw["namespace"], name=raw["name"], scope=raw["scope"], certificate=raw["certificate"], data=data
    )


def _kind(value: Any) -> str:
    """What a YAML value is, for messages: its type, never its content."""
    if value is None:
        return "empty"
    names = {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)
