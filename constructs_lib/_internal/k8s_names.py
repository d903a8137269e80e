"""Kubernetes naming rules (as the API server checks them), shared by every construct and the engine.

A :class:`Rule` is a pattern and what it allows in words, for messages. :func:`object_name_rule`
says which rule an object's ``metadata.name`` follows (most kinds: a DNS subdomain; RBAC kinds: any
path segment; Namespace: a DNS label; Service: a DNS-1035 label); :func:`manifest_problems` checks a
rendered manifest's ``apiVersion``, ``kind``, name, namespace and labels — the first four also make its
file's name, so nothing else may reach a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from constructs_lib.errors import PropsError


@dataclass(frozen=True)
class Rule:
    """A naming rule: the pattern a whole value must match, and what it allows, in words."""

    pattern: re.Pattern[str]
    allows: str
    max_length: int | None = None
    reserved: frozenset[str] = frozenset()

    def fits(self, value: object) -> bool:
        return (
            isinstance(value, str)
            and (self.max_length is None or len(value) <= self.max_length)
            and value not in self.reserved
            and self.pattern.fullmatch(value) is not None
        )


_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
DNS_LABEL = Rule(
    re.compile(_LABEL),
    "at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
    63,
)
DNS_SUBDOMAIN = Rule(
    re.compile(rf"{_LABEL}(?:\.{_LABEL})*"),
    "at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
    253,
)
DNS_1035_LABEL = Rule(
    re.compile(r"[a-z](?:[-a-z0-9]*[a-z0-9])?"),
    "at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit",
    63,
)
HOSTNAME = Rule(
    re.compile(rf"(?:\*\.)?{_LABEL}(?:\.{_LABEL})*"),
    "a DNS name of lower-case letters, digits, '-' and '.', at most 253 characters, optionally starting "
    "with '*.' for a wildcard (e.g. 'wiki.example.org', '*.example.org'), without scheme, port or path",
    253,
)
PATH_SEGMENT = Rule(
    re.compile(r"[^/%\x00-\x1f\x7f-\x9f\ud800-\udfff]+"),
    "any characters except '/', '%' and control characters, and neither '.' nor '..' (e.g. 'system:metrics')",
    reserved=frozenset({".", ".."}),
)
LABEL_VALUE = Rule(
    re.compile(r"(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"),
    "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty)",
    63,
)
KIND = Rule(
    re.compile(r"[A-Za-z](?:[-A-Za-z0-9]*[A-Za-z0-9])?"),
    "at most 63 letters, digits and '-', starting with a letter (e.g. 'ProxyClass')",
    63,
)
API_VERSION_ALLOWS = "'<version>' or '<group>/<version>', the group a DNS subdomain and the version a DNS label (e.g. 'v1', 'apps/v1', 'tailscale.com/v1alpha1')"
_QUALIFIED_NAME = Rule(re.compile(r"(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"), "", 63)
LABEL_KEY_ALLOWS = (
    "a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, "
    "optionally after a DNS subdomain prefix and '/' (e.g. 'app.kubernetes.io/name')"
)
DIRECTORY_ALLOWS = (
    "a relative path of DNS labels separated by '/' (each at most 63 lower-case letters, digits and '-', "
    "starting and ending with a letter or digit), e.g. 'wiki' or 'media/jellyfin'"
)

#: Kinds whose names the API server checks only as a path segment (``ValidateRBACName``).
_PATH_SEGMENT_KINDS = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})


def is_label_key(value: object) -> bool:
    """Whether ``value`` is a label key: a qualified name, optionally prefixed by a DNS subdomain and '/'."""
    if not isinstance(value, str):
        return False
    prefix, slash, name = value.rpartition("/")
    return _QUALIFIED_NAME.fits(name) and (not slash or DNS_SUBDOMAIN.fits(prefix))


def is_directory(value: object) -> bool:
    """Whether ``value`` is a relative directory of DNS labels (``wiki``, ``media/jellyfin``)."""
    return isinstance(value, str) and all(DNS_LABEL.fits(part) for part in value.split("/"))


def is_api_version(value: object) -> bool:
    """Whether ``value`` is an ``apiVersion``: ``v1`` or ``<group>/<version>``."""
    if not isinstance(value, str):
        return False
    group, slash, version = value.rpartition("/")
    return DNS_LABEL.fits(version) and (not slash or DNS_SUBDOMAIN.fits(group))


def object_name_rule(api_version: str, kind: str) -> Rule:
    """The rule ``metadata.name`` of a ``kind`` object follows, as the API server checks it."""
    group = api_version.rpartition("/")[0]
    if group == "rbac.authorization.k8s.io" and kind in _PATH_SEGMENT_KINDS:
        return PATH_SEGMENT
    if group == "" and kind == "Namespace":
        return DNS_LABEL
    if group == "" and kind == "Service":
        return DNS_1035_LABEL
    return DNS_SUBDOMAIN


def manifest_problems(manifest: dict[str, Any]) -> list[str]:
    """What is wrong with a manifest's ``metadata.name``, ``metadata.namespace`` and labels, one line each."""
    meta = manifest.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    kind = str(manifest.get("kind", ""))
    problems = []
    if not is_api_version(manifest.get("apiVersion")):
        problems.append(f"apiVersion {manifest.get('apiVersion')!r} is not an API version: use {API_VERSION_ALLOWS}")
    if not KIND.fits(manifest.get("kind")):
        problems.append(f"kind {manifest.get('kind')!r} is not a kind: use {KIND.allows}")
    rule = object_name_rule(str(manifest.get("apiVersion", "")), kind)
    if not rule.fits(meta.get("name")):
        problems.append(f"metadata.name {meta.get('name')!r} is not a valid name for a {kind}: use {rule.allows}")
    if "namespace" in meta and not DNS_LABEL.fits(meta["namespace"]):
        problems.append(f"metadata.namespace {meta['namespace']!r} is not a valid namespace: use {DNS_LABEL.allows}")
    labels = meta.get("labels") or {}
    for key, value in labels.items() if isinstance(labels, dict) else ():
        if not is_label_key(key):
            problems.append(f"metadata.labels key {key!r} is not a valid label key: use {LABEL_KEY_ALLOWS}")
        if not LABEL_VALUE.fits(value):
            problems.append(f"metadata.labels[{key!r}] {value!r} is not a valid label value: use {LABEL_VALUE.allows}")
    return problems


def _check(rule: Rule, value: str, *, what: str, owner: str) -> str:
    if not rule.fits(value):
        raise PropsError(f"{owner}: {what} {value!r} is not a valid Kubernetes name: use {rule.allows}")
    return value


def check_dns_label(value: str, *, what: str, owner: str) -> str:
    """Return ``value`` if it is an RFC 1123 label (namespaces, services), else raise PropsError."""
    return _check(DNS_LABEL, value, what=what, owner=owner)


def check_hostname(value: str, *, what: str, owner: str) -> str:
    """Return ``value`` if it is a host name an Ingress rule or a Gateway route matches (a wildcard
    ``*.example.org`` too), else raise PropsError."""
    if not HOSTNAME.fits(value):
        raise PropsError(f"{owner}: {what} {value!r} is not a host name: use {HOSTNAME.allows}")
    return value


def check_dns_subdomain(value: str, *, what: str, owner: str) -> str:
    """Return ``value`` if it is an RFC 1123 subdomain (most object names), else raise PropsError."""
    return _check(DNS_SUBDOMAIN, value, what=what, owner=owner)


#: What a hashed ConfigMap's or Secret's name gets added: ``-`` and kustomize's 10-character hash.
HASH_SUFFIX_LENGTH = 11


def check_hashed_name(name: str, *, owner: str) -> None:
    """Refuse a name too long to take a hash suffix (``hashed=True``) and stay a valid object name."""
    room = (DNS_SUBDOMAIN.max_length or 0) - HASH_SUFFIX_LENGTH
    if len(name) > room:
        raise PropsError(
            f"{owner}: hashed=True adds '-<hash>' ({HASH_SUFFIX_LENGTH} characters) to the name, and a name has "
            f"at most {DNS_SUBDOMAIN.max_length}; name= is {len(name)} characters: shorten it to at most {room}, "
            "or leave hashed out"
        )
