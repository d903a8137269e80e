"""Plaintext that looks like a secret, anywhere in a manifest: what synth and validate refuse.

Outside a ``Secret`` (whose clear values :func:`constructs_lib.plain_secret.exposes_plaintext`
already refuses) and a ``SealedSecret``, a value is suspicious when

- its key is named like a secret (``password``, ``passwd``, ``secret``, ``token``, ``apiKey``,
  ``private_key``, … at the end of the key, in any case or separator) and it is a literal string — in
  Helm values, a ConfigMap's data, anything; a reference (``existingSecret…``, ``$VAR``, a template)
  is not a value;
- it is an environment variable named like a secret with a literal ``value``;
- its text has the shape of a well-known credential: GitHub or Slack tokens, AWS access keys, PEM
  private keys.

A value that is not sensitive after all is accepted by the annotation ``homelab/not-sensitive``
on its object, one ``FIELD: reason`` line per field (``*`` for the whole object); build it with
:func:`not_sensitive`. A reason is required.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from constructs_lib.plain_secret import NOT_SENSITIVE, exposes_plaintext

_SECRET_NAME = re.compile(
    r"(password|passwd|passphrase|secret|token|apikey|privatekey|secretaccesskey|credentials?)$|^secretkey$"
)
#: A Kubernetes object name: what a key ending in "secret" usually holds (``credentialSecret: s3-creds``).
_OBJECT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
_REFERENCE_PREFIXES = ("existing", "use", "enable", "create", "generate")
TOKEN_SHAPES = {
    "a GitHub token": re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"),
    "a Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "an AWS access key": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "a PEM private key": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"),
}


def not_sensitive(fields: Mapping[str, str]) -> dict[str, str]:
    """The annotation accepting ``fields`` (field path → why it may be public) as not sensitive."""
    for path, reason in fields.items():
        if not reason.strip():
            raise ValueError(f"not_sensitive: field {path!r} needs a reason")
    return {NOT_SENSITIVE: "\n".join(f"{path}: {reason.strip()}" for path, reason in fields.items())}


def _accepted(manifest: Mapping[str, Any]) -> set[str]:
    text = ((manifest.get("metadata") or {}).get("annotations") or {}).get(NOT_SENSITIVE) or ""
    out = set()
    for line in str(text).splitlines():
        path, sep, reason = line.partition(":")
        if sep and reason.strip():
            out.add(path.strip())
    return out


@functools.lru_cache(maxsize=4096)
def _named_like_a_secret(key: str) -> bool:
    normalised = re.sub(r"[^a-z0-9]", "", key.lower())
    return bool(_SECRET_NAME.search(normalised)) and not normalised.startswith(_REFERENCE_PREFIXES)


def _names_a_secret(key: str, value: str) -> bool:
    """``tlsSecret: wiki-tls``, ``backupTargetCredentialSecret: s3-creds``: the name of a Secret, not one
    (a client secret is a secret whatever it looks like)."""
    normalised = re.sub(r"[^a-z0-9]", "", key.lower())
    return normalised.endswith("secret") and not normalised.endswith("clientsecret") and bool(_OBJECT_NAME.match(value))


def _is_reference(value: str) -> bool:
    """``$VAR``/``${VAR}`` substitution, or a template expression: names a value, is not one."""
    text = value.strip()
    return text.startswith("$") or "{{" in text or (text.startswith("<") and text.endswith(">"))


def as_mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one: a hand-written (or broken) manifest may hold anything."""
    return value if isinstance(value, dict) else {}


def leaves(node: Any, path: str = "") -> list[tuple[str, str, Any, Any]]:
    """(field path, key, value, parent) of every mapping entry below ``node``, depth first.

    Collected by a plain recursive function into a list (every check of every object walks it;
    nested generators cost a frame per level for every entry)."""
    out: list[tuple[str, str, Any, Any]] = []

    def walk(current: Any, where: str) -> None:
        if isinstance(current, dict):
            for key, value in current.items():
                sub = f"{where}.{key}" if where else str(key)
                out.append((sub, str(key), value, current))
                if isinstance(value, dict | list):
                    walk(value, sub)
        elif isinstance(current, list):
            for i, value in enumerate(current):
                if isinstance(value, dict | list):
                    walk(value, f"{where}[{i}]")

    walk(node, path)
    return out


def plaintext_findings(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field path, why) of every value of ``manifest`` that looks like a secret in clear."""
    kind = manifest.get("kind")
    if kind == "SealedSecret":
        return []
    if kind == "Secret":
        return [("data", "a Secret with its values in clear")] if exposes_plaintext(manifest) else []
    accepted = _accepted(manifest)
    if "*" in accepted:
        return []
    found = []
    for path, key, value, parent in leaves({k: v for k, v in manifest.items() if k != "metadata"}):
        if not isinstance(value, str) or not value.strip() or path in accepted:
            continue
        if _named_like_a_secret(key) and not _is_reference(value) and not _names_a_secret(key, value):
            found.append((path, f"{key!r} is named like a secret and holds a literal value"))
        elif key == "value" and isinstance(parent.get("name"), str) and _named_like_a_secret(parent["name"]):
            if not _is_reference(value):
                found.append(
                    (path, f"environment variable {parent['name']!r} is named like a secret and set literally")
                )
        else:
            shape = next((what for what, pattern in TOKEN_SHAPES.items() if pattern.search(value)), None)
            if shape:
                found.append((path, f"the value has the shape of {shape}"))
    return found
