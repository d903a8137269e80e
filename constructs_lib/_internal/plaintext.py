"""Plaintext that looks like a secret, anywhere in a manifest: what synth and validate refuse.

Every string and number of an object is searched — mapping values, list items (container ``args``,
Helm ``extraArgs``), annotations — and the objects inside a ``List`` (or any ``…List`` kind). A
``Secret`` with values in clear is refused as a whole (:func:`constructs_lib.plain_secret.exposes_plaintext`);
a ``SealedSecret``'s ``encryptedData`` is ciphertext, but its ``spec.template`` (the Secret it makes) is
searched like the rest. A value is suspicious when

- its key is named like a secret (``password``, ``DB_PASS``, ``MYSQL_PWD``, ``token``, ``apiKey``,
  ``ENCRYPTION_KEY``, ``SECRET_KEY_BASE``, ``clientSecret``, … at the end of the key, in any case or
  separator) and it is a literal string or number. A key ending in ``secret`` or ``secretKey`` may instead
  hold the *name* of a Secret or of one of its keys (``tlsSecret: wiki-tls``, ``passwordSecretKey:
  password``): such a value passes unless it looks generated (``signSecret: 3f9a…``) or the key says it is
  a value (``clientSecret``, ``jwtSecret``, ``sessionSecret``, …);
- a ``name``/``value`` pair (an environment variable, an Argo CD Helm parameter) has a name like a secret
  and a literal value (an environment variable named ``…_SECRET`` holds a value, not a Secret's name);
- text sets such a name literally: ``--db-password=…`` or ``--token …`` in arguments, ``DB_PASS=…`` in a
  script, ``password: …`` in an embedded config file, ``"password": "…"`` in JSON, ``?token=…`` in a URL;
- its text has the shape of a well-known credential (GitHub, GitLab, Slack, Tailscale, Google, AWS, PEM
  private keys, JWTs) or is a URL with a password (``postgres://user:pass@host``).

A reference is not a value: ``valueFrom``/``secretKeyRef`` (mappings), ``existingSecret…``, ``useExisting…``,
a ``…Key`` beside a ``secretName``/``existingSecret`` (or an ExternalSecret's ``remoteRef``) holding a key's
name (``secretKey: password``),
booleans, ``$VAR``/``${VAR}``/``$(VAR)``/``{{ … }}``/``<placeholder>`` substitutions, empty strings,
file paths (``/run/secrets/x``), and URLs without a password. Nor is a password hash (bcrypt ``$2a$…``,
argon2 ``$argon2id$…``, sha-crypt ``$6$…``): a hash is made to be stored.

A SOPS-encrypted object (one carrying SOPS's top-level ``sops:`` block) is carried as it is, never
decrypted: its ``ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`` values are ciphertext and pass; every other
value is searched like the rest — a SOPS-encrypted ``Secret`` is judged per key, and a key left in clear
(``unencrypted_suffix``, an ``encrypted_regex`` that missed it) is found.

A value that is not sensitive after all is accepted by the annotation ``homelab/not-sensitive``
on its object, one ``FIELD: reason`` line per field (``*`` for the whole object); build it with
:func:`constructs_lib.annotations.not_sensitive`. A reason is required. A finding names the field and why, never the value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from constructs_lib.annotations import NOT_SENSITIVE
from constructs_lib.plain_secret import exposes_plaintext

Finding = tuple[str, str]
"""(field path, why it looks like a secret): never the value itself."""

# Keys are compared lowercased with separators removed: ``DB_PASS``, ``dbPass`` and ``db-pass`` are ``dbpass``.
_HOLDS_A_SECRET = re.compile(
    r"(password|passwd|passphrase|pwd|pw|salt|token|apikey|authkey|licensekey|privatekey|secretaccesskey|encryptionkey"
    r"|signingkey|masterkey|secretkeybase|credentials?"
    r"|(client|jwt|session|cookie|webhook|shared|hmac|signing|encryption|csrf|api|app|oauth2?|oidc)secret"
    r")s?$|^secretkey$|(?<!by)(?<!com)pass$"
)
#: Keys that hold either a secret or the name of one (``tlsSecret: wiki-tls``) or of its key (``passwordSecretKey``).
_SECRET_OR_ITS_NAME = re.compile(r"secret(key)?s?$")
_REFERENCE_PREFIXES = ("existing", "useexisting", "enable", "create", "generate")
#: A Secret's name, optionally ``namespace/name`` (ingress annotations); and a key of a Secret.
_OBJECT_NAME = re.compile(r"^([a-z0-9][-a-z0-9]*/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
_KEY_NAME = re.compile(r"^[-._A-Za-z0-9]+$")
#: Keys that refer to a Secret (``secretName``, ``existingSecret``, an ExternalSecret's ``remoteRef``): a ``…Key``
#: beside one names a key of it (``secretKey: password`` beside ``remoteRef``).
_SECRET_REFERENCE = re.compile(r"^(useexisting|existing)secret|secret(name|ref)s?$|^remoteref$")
#: An environment variable's name (``NEXTAUTH_SECRET``): one named like a secret holds a value, not a Secret's name.
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
#: Password hashes (bcrypt, argon2, sha-crypt): made to be stored, they are not a secret in clear.
_PASSWORD_HASH = re.compile(
    r"^(\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}"
    r"|\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+"
    r"|\$[56]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86})$"
)
#: ``$VAR``, ``${VAR}``, ``$(VAR)``, ``{{ template }}``, ``<placeholder>``, and Argo CD's ``$secret:key`` and
#: ``$oidc.clientSecret``: they name a value, are not one.
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][\w.:-]*|\{\{.*?\}\}|<[^<>\s][^<>]*>")
_FILE_PATH = re.compile(r"^/[\w.@-]+(/[\w.@-]+)*/?$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")
_URL_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/@:]+:([^\s/@]+)@")
TOKEN_SHAPES = {
    "a GitHub token": re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"),
    "a GitLab token": re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"),
    "a Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "a Slack webhook": re.compile(r"hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}"),
    "a Tailscale key": re.compile(r"\btskey-[a-z]+-[A-Za-z0-9-]{10,}"),
    "a Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}"),
    "an AWS access key": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "a PEM private key": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"),
    "a JSON Web Token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
}
# Where text sets a name: at the start of a line (``password = …``, ``password: …``, ``export DB_PASS=…``),
# anywhere as ``NAME=…``/``--flag=…``/``?param=…``, as ``--flag value``, or as a JSON member.
_ASSIGNMENTS = (
    re.compile(
        r"""^[ \t]*(?:export[ \t]+|-[ \t]+)?["']?([A-Za-z_][\w.-]*)["']?[ \t]*[:=][ \t]*("[^"]*"|'[^']*'|\S+)""", re.M
    ),
    re.compile(r"""(?:^|[\s;&?])-{0,2}([A-Za-z_][\w.-]*)=("[^"]*"|'[^']*'|[^\s&;'"]+)"""),
    re.compile(r"""(?:^|\s)--([A-Za-z][\w.-]*)[ \t]+("[^"]*"|'[^']*'|[^\s"'-]\S*)"""),
    re.compile(r'"([\w.-]+)"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)'),
)
_FLAG = re.compile(r"^--?([A-Za-z][\w.-]*)$")
#: A value SOPS encrypted (in an object carrying a ``sops:`` block): ciphertext, never decrypted.
_SOPS_VALUE = re.compile(
    r"^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:(str|int|float|bool|bytes)\]$"
)


def as_mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one: a hand-written (or broken) manifest may hold anything."""
    return value if isinstance(value, dict) else {}


def _annotations(manifest: Mapping[str, Any]) -> dict[str, Any]:
    return as_mapping(as_mapping(manifest.get("metadata")).get("annotations"))


def _accepted(manifest: Mapping[str, Any]) -> set[str]:
    out = set()
    for line in str(_annotations(manifest).get(NOT_SENSITIVE) or "").splitlines():
        path, sep, reason = line.partition(":")
        if sep and reason.strip():
            out.add(path.strip())
    return out


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


# -- what a key and a value say ---------------------------------------------------------------------


def _normalised(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


@functools.lru_cache(maxsize=4096)
def _named_like_a_secret(key: str) -> bool:
    """``userPassword``, ``DB_PASS``, ``jwtSecret``; not ``useExistingSecret``, ``existingSecretPassword``."""
    normalised = _normalised(key)
    first_word = re.split(r"[^a-zA-Z0-9]|(?<=[a-z0-9])(?=[A-Z])", key, maxsplit=1)[0].lower()
    if normalised.startswith(_REFERENCE_PREFIXES) or first_word == "use":
        return False
    return bool(_HOLDS_A_SECRET.search(normalised) or _SECRET_OR_ITS_NAME.search(normalised))


def _looks_generated(value: str) -> bool:
    """A run of characters nobody names a Secret with: long digits, hex, or mixed letters and digits."""
    for run in re.findall(r"[A-Za-z0-9]+", value):
        digits, letters = any(c.isdigit() for c in run), any(c.isalpha() for c in run)
        mixed_case = any(c.isupper() for c in run) and any(c.islower() for c in run)
        if (
            (len(run) >= 8 and run.isdigit())
            or (len(run) >= 12 and digits and letters and re.fullmatch(r"[0-9a-fA-F]+", run))
            or (len(run) >= 16 and digits and letters)
            or (len(run) >= 8 and digits and mixed_case)
        ):
            return True
    return False


def _is_reference(text: str) -> bool:
    """Nothing but substitutions (``$VAR``, ``${VAR}``, ``$(VAR)``, ``{{ … }}``, ``<placeholder>``) and punctuation."""
    return not re.search(r"[A-Za-z0-9]", _PLACEHOLDER.sub("", text))


def _is_literal(value: Any) -> bool:
    """Whether ``value`` is data rather than a switch, a reference, a file path or a URL without a password."""
    if isinstance(value, bool) or not isinstance(value, str | bytes | int | float):
        return False
    if not isinstance(value, str):
        return True  # a number, or bytes (which no manifest should hold: refused where given)
    text = value.strip().strip("\"'").strip()
    if not text or text.lower() in ("true", "false", "null", "none") or _is_reference(text):
        return False
    if _PASSWORD_HASH.match(text):
        return False
    return not (_FILE_PATH.match(text) or (_URL.match(text) and not _URL_PASSWORD.search(text)))


def _holds_a_secret(key: str, value: Any, *, a_value: bool = False) -> bool:
    """Whether ``key: value`` is a secret in clear (``tlsSecret: wiki-tls`` names a Secret; it is not one,
    unless ``a_value``: the key is known to hold a value, e.g. an environment variable's)."""
    if not _named_like_a_secret(key) or not _is_literal(value):
        return False
    normalised = _normalised(key)
    if _HOLDS_A_SECRET.search(normalised) or not isinstance(value, str) or a_value:
        return True
    names = _SECRET_OR_ITS_NAME.search(normalised)
    shape = _KEY_NAME if names and names.group(1) else _OBJECT_NAME
    return not shape.match(value) or _looks_generated(value)


def _text_findings(text: str) -> list[str]:
    """Why ``text`` holds a secret (no value is repeated): credential shapes, URL passwords, literal settings."""
    shape = next((what for what, pattern in TOKEN_SHAPES.items() if pattern.search(text)), None)
    if shape:
        return [f"the value has the shape of {shape}"]
    if any(not _is_reference(password) for password in _URL_PASSWORD.findall(text)):
        return ["the value is a URL with a password in it"]
    multiline = "\n" in text.strip()
    for pattern in _ASSIGNMENTS:
        for match in pattern.finditer(text):
            name, value = match.group(1), match.group(2)
            if _holds_a_secret(name, value.strip("\"'")):
                where = f" on line {text.count(chr(10), 0, match.start(1)) + 1}" if multiline else ""
                return [f"the text sets {name!r} to a literal value{where}"]
    return []


# -- what an object holds ---------------------------------------------------------------------------


def _list_findings(key: str, items: list[Any], path: str) -> list[Finding]:
    """The items of list ``key`` that are not mappings: literals when the list is named like a secret
    (``apiKeys: [...]``), the value after a flag named so (``--token VALUE``), and each string as text."""
    found = []
    for i, item in enumerate(items):
        at = f"{path}[{i}]"
        flag = _FLAG.match(items[i - 1]) if i and isinstance(items[i - 1], str) else None
        if isinstance(item, list):
            found += _list_findings(key, item, at)
        elif _holds_a_secret(key, item):
            found.append((at, f"{key!r} is named like a secret and holds a literal value"))
        elif flag and not str(item).startswith("-") and _holds_a_secret(flag.group(1), item):
            found.append((at, f"the argument after {items[i - 1]!r} is a literal value"))
        elif isinstance(item, str):
            found += [(at, why) for why in _text_findings(item)]
    return found


def _names_a_key_of_a_secret(key: str, value: Any, parent: Mapping[str, Any]) -> bool:
    """``secretKey: password`` beside ``secretName: s3-creds``: the name of a key of that Secret, not a value."""
    return (
        _normalised(key).endswith("key")
        and isinstance(value, str)
        and len(value) <= 63
        and bool(_KEY_NAME.match(value))
        and not _looks_generated(value)
        and any(_SECRET_REFERENCE.search(_normalised(str(other))) for other in parent if other != key)
    )


def _value_findings(path: str, key: str, value: Any, parent: Mapping[str, Any]) -> list[Finding]:
    if isinstance(value, list):
        return _list_findings(key, value, path)
    if _holds_a_secret(key, value) and not _names_a_key_of_a_secret(key, value, parent):
        return [(path, f"{key!r} is named like a secret and holds a literal value")]
    name = parent.get("name")
    if key == "value" and isinstance(name, str) and _holds_a_secret(name, value, a_value=bool(_ENV_NAME.match(name))):
        return [(path, f"{name!r} (an environment variable or parameter) is named like a secret and set literally")]
    return [(path, why) for why in _text_findings(value)] if isinstance(value, str) else []


def _annotation_findings(manifest: Mapping[str, Any], prefix: str = "") -> list[Finding]:
    found = []
    for key, value in _annotations(manifest).items():
        if key != NOT_SENSITIVE:
            path = f"{prefix}metadata.annotations.{key}"
            found += _value_findings(path, str(key).rpartition("/")[2], value, {})
    return found


def _template_findings(template: Mapping[str, Any]) -> list[Finding]:
    """A SealedSecret's ``spec.template``: its ``data``/``stringData`` are written into the Secret as they are.
    A literal value is in clear; a template filled from ``encryptedData`` (``{{ index . "password" }}``, maybe
    inside a URL or a config file) is searched as text."""
    found = _annotation_findings(template, "spec.template.")
    if NOT_SENSITIVE in _annotations(template):
        return found
    for field in ("data", "stringData"):
        for key, value in as_mapping(template.get(field)).items():
            path = f"spec.template.{field}.{key}"
            if isinstance(value, str) and "{{" in value:
                found += [(path, why) for why in _text_findings(value)]
            elif _is_literal(value):
                why = f"the SealedSecret's template holds {key!r} in clear (only encryptedData is encrypted)"
                found.append((path, why))
    return found


#: How a key of a SOPS-encrypted Secret left in clear gets encrypted.
SOPS_FIX = (
    "encrypt the file again with sops so that this key is encrypted too (the file's sops.encrypted_regex or "
    "unencrypted_suffix, or .sops.yaml, leaves it out)"
)


def sops_encrypted(manifest: Mapping[str, Any]) -> bool:
    """Whether ``manifest`` is a SOPS-encrypted file's object: it carries SOPS's top-level ``sops:`` block."""
    sops = manifest.get("sops")
    return isinstance(sops, dict) and ("mac" in sops or "version" in sops)


def _without_ciphertext(node: Any) -> Any:
    """``node`` with every SOPS-encrypted value replaced by ``None`` (which no check judges)."""
    if isinstance(node, dict):
        return {k: _without_ciphertext(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_ciphertext(v) for v in node]
    return None if isinstance(node, str) and _SOPS_VALUE.match(node) else node


def _sops_secret_findings(manifest: Mapping[str, Any]) -> list[Finding]:
    """The keys of a SOPS-encrypted Secret whose values are in clear."""
    return [
        (f"{field}.{key}", "a value in clear in a SOPS-encrypted Secret (SOPS left this key unencrypted)")
        for field in ("data", "stringData")
        for key, value in as_mapping(manifest.get(field)).items()
        if value is not None and value != ""
    ]


def plaintext_findings(manifest: Mapping[str, Any]) -> list[Finding]:
    """(field path, why) of every value of ``manifest`` that looks like a secret in clear."""
    accepted = _accepted(manifest)
    if "*" in accepted:
        return []
    kind = str(manifest.get("kind") or "")
    sops = sops_encrypted(manifest)
    if sops:
        manifest = _without_ciphertext(manifest)
    found = _annotation_findings(manifest)
    if kind == "Secret" and sops:
        found += _sops_secret_findings(manifest)
    elif kind == "Secret":
        if exposes_plaintext(manifest):  # named by the field that holds the values: data, stringData or both
            found += [(f, "a Secret with its values in clear") for f in ("data", "stringData") if manifest.get(f)]
    elif kind == "SealedSecret":
        found += _template_findings(as_mapping(as_mapping(manifest.get("spec")).get("template")))
    else:
        items = manifest.get("items") if kind.endswith("List") else None
        if isinstance(items, list):
            for i, item in enumerate(items):
                found += [(f"items[{i}].{path}", why) for path, why in plaintext_findings(as_mapping(item))]
            found += _list_findings("items", items, "items")
        body = {k: v for k, v in manifest.items() if k != "metadata" and not (k == "items" and items is not None)}
        for path, key, value, parent in leaves(body):
            found += _value_findings(path, key, value, parent)
    return [(path, why) for path, why in found if path not in accepted]
