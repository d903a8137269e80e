"""The sealed store: one committed YAML file per cluster holding ciphertexts, never plaintext.

Layout of ``clusters/sealed/<cluster>.yaml``::

    cluster: thomelab
    secrets:
      - namespace: velero
        name: credentials-velero
        scope: strict
        certificate: sha256:…        # fingerprint of the certificate the values were sealed with
        encryptedData:
          cloud: AgB…

    # end of sealed store

Synthesis only reads it (so ``homelab synth`` is deterministic and never reseals); ``homelab seal``
writes it, touching only the keys it is given.

A damaged store is refused by every command that reads it, and so never rewritten: YAML that is not
this layout (a wrong type, a missing or unknown field, a key twice in one mapping), a ciphertext that
is not base64 or is shorter than its layout requires (:func:`homelab.sealing.crypto.split`), and a
store cut short. The header's second line promises the ``# end of sealed store`` last line, so a cut
at a line boundary, which leaves valid YAML, is caught too; a store written before that line existed
(no promise in its header) is checked without it, and gets it from its next ``homelab seal``. A store
git tracks that is gone from the disk is refused too: it was deleted, not never written, and a seal
would replace it with a store of one secret.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from constructs_lib._internal import yaml_io
from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib.errors import PropsError
from constructs_lib.sealed_config import SEALING_SCOPES, SealingScope
from homelab import safe_fs, user_errors
from homelab.errors import HomelabError
from homelab.sealing.crypto import MalformedCiphertext, split

END = "# end of sealed store"
_PROMISE = f"# Its last line is `{END}`: a store without it was cut short; restore it from git."
HEADER = f"# Sealed store: ciphertexts only, safe to commit. Change it with `homelab seal`.\n{_PROMISE}\n"
_FIELDS = ("namespace", "name", "scope", "certificate", "encryptedData")
_SECRET_KEY = re.compile(r"[-._a-zA-Z0-9]{1,253}")
_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")


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


class DamagedStore(HomelabError):
    """A sealed store that is not what ``homelab seal`` writes: refused, never rewritten."""

    def __init__(self, label: str, problem: str) -> None:
        super().__init__(
            f"{label}: damaged sealed store: {problem}. Nothing was read from it or written to it. "
            f"See what changed with `git diff -- {label}`, restore it with `git checkout -- {label}`, "
            "then seal again what the lost part held"
        )


class DeletedStore(HomelabError):
    """A sealed store git tracks but that is gone from the disk: not taken for a new, empty one."""

    def __init__(self, label: str) -> None:
        super().__init__(
            f"{label}: the sealed store is missing, but git tracks it: it was deleted, and sealing now would "
            "write a new store without the secrets it held. Nothing was written. Restore it with "
            f"`git checkout -- {label}` (or `git rm {label}` if it is meant to go)"
        )


def tracked_by_git(path: Path) -> bool:
    """Whether git tracks ``path`` (false when git is absent or no repository holds it)."""
    path = path.absolute()
    directory = next(p for p in path.parents if p.is_dir())
    try:
        listed = subprocess.run(
            ["git", "-C", str(directory), "ls-files", "--error-unmatch", "--", str(path.relative_to(directory))],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return listed.returncode == 0


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


def seal_commands(cluster: str, ref: str, keys: tuple[str, ...] | list[str], scope: SealingScope) -> list[str]:
    """The exact ``homelab seal`` commands that seal ``keys`` of ``ref``, one per key, each value read
    from standard input (never on the command line, where the shell history would keep it)."""
    scope_option = "" if scope == "strict" else f" --scope {scope}"
    return [f"homelab seal {cluster} {ref} --stdin {key}{scope_option}" for key in keys]


def seal_command(cluster: str, ref: str, keys: tuple[str, ...] | list[str], scope: SealingScope) -> str:
    """:func:`seal_commands` on one line."""
    return "; ".join(seal_commands(cluster, ref, keys, scope)) + " (each reads the value from standard input)"


#: What a value not sealed yet renders as while a synth gathers every missing one. It never reaches
#: a file: :func:`raise_missing` refuses the tree before anything is written.
PLACEHOLDER = "<not sealed yet>"


@dataclass(frozen=True, order=True)
class MissingSeal:
    """A key a SealedConfig declares that the cluster's store has no value for."""

    cluster: str
    ref: str
    key: str
    scope: SealingScope
    store: str
    """The store's file, as messages name it."""
    has_certificate: bool
    where: str
    """``file:line`` of the SealedConfig that asked for it (the store's file when not known)."""

    @property
    def command(self) -> str:
        return seal_commands(self.cluster, self.ref, [self.key], self.scope)[0]


class MissingSeals(HomelabError):
    """Sealed values the declaration needs and the stores lack: all of them, per cluster, with their commands."""

    def __init__(self, missing: list[MissingSeal]) -> None:
        self.missing = missing
        lines = [
            f"{len(missing)} sealed value(s) missing; nothing was written. Seal each with its command (it reads "
            "the value from standard input), or a cluster's all at once with `homelab seal CLUSTER --missing`, "
            "then run `homelab synth` again:"
        ]
        for cluster in dict.fromkeys(m.cluster for m in missing):
            mine = sorted(m for m in missing if m.cluster == cluster)
            lines.append(f"  cluster {cluster} ({mine[0].store}):")
            if not mine[0].has_certificate:
                lines.append(
                    f"    (no sealing certificate yet: `homelab bootstrap {cluster}` says how to fetch it with "
                    f"`kubeseal --fetch-cert` and record it with `homelab cert {cluster} FILE`)"
                )
            lines += [f"    {m.where}: {m.ref} {m.key}: {m.command}" for m in mine]
        super().__init__("\n".join(lines))


def raise_missing(stores: Iterable[object]) -> None:
    """:class:`MissingSeals` listing what every collecting store (:meth:`SealedStore.collect_missing`) lacked."""
    missing = [m for s in stores if isinstance(s, SealedStore) for m in (s.missing or {}).values()]
    if missing:
        raise MissingSeals(missing)


class SealedStore:
    """A cluster's sealed store, loaded from and saved to ``path``.

    ``fingerprint`` is the cluster's current certificate's; values sealed with another one are
    refused at synthesis, because the controller could not decrypt them.
    """

    def __init__(self, *, cluster: str, path: Path, fingerprint: str | None, label: str | None = None) -> None:
        self.cluster = cluster
        self.path = path
        self.label = label or str(path)
        """How messages name the file (repository-relative)."""
        self.fingerprint = fingerprint
        self.entries: dict[str, SealedEntry] = {}
        self.used: set[str] = set()
        """Refs a SealedConfig asked for (during a synth): the others are orphans."""
        self.missing: dict[tuple[str, str], MissingSeal] | None = None
        """Once :meth:`collect_missing` is called: the keys asked for and not sealed, by (ref, key)."""

    @classmethod
    def load(
        cls,
        *,
        cluster: str,
        path: Path,
        fingerprint: str | None,
        label: str | None = None,
        rsa_bytes: int | None = None,
    ) -> SealedStore:
        """Read the store at ``path`` (none: an empty store); :class:`DamagedStore` if it is damaged,
        :class:`DeletedStore` if it is missing but git tracks it.

        ``rsa_bytes`` (the certificate's modulus size) also checks the RSA part of each ciphertext
        sealed with the current certificate.
        """
        store = cls(cluster=cluster, path=path, fingerprint=fingerprint, label=label)
        if not path.exists():
            if tracked_by_git(path):
                raise DeletedStore(store.label)
            return store
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DamagedStore(store.label, f"not UTF-8 text (byte {exc.start})") from None
        problems = []
        if _PROMISE in text and text.rstrip().rpartition("\n")[2] != END:
            problems.append(f"its last line is not `{END}`: the file was cut short or appended to")
        try:
            store.entries = _parse(text, cluster, {fingerprint: rsa_bytes})
        except ValueError as exc:
            problems.append(str(exc))  # where a cut file breaks, when it does
        if problems:
            raise DamagedStore(store.label, "; ".join(problems))
        return store

    def dump(self) -> str:
        secrets = []
        for ref in sorted(self.entries):
            e = self.entries[ref]
            secrets.append(
                {
                    "namespace": e.namespace,
                    "name": e.name,
                    "scope": e.scope,
                    "certificate": e.certificate,
                    "encryptedData": {k: e.data[k] for k in sorted(e.data)},
                }
            )
        return HEADER + yaml_io.dump({"cluster": self.cluster, "secrets": secrets}) + END + "\n"

    def save(self) -> None:
        """Write the store atomically, keeping its mode (a crash leaves the old file whole)."""
        safe_fs.atomic_write(self.path, self.dump().encode())

    def orphans(self) -> list[SealedEntry]:
        """Entries no SealedConfig asked for since the store was loaded (call after a synth)."""
        return [self.entries[ref] for ref in sorted(self.entries) if ref not in self.used]

    def collect_missing(self) -> None:
        """From now on, a value not sealed yet is recorded in :attr:`missing` and looked up as
        :data:`PLACEHOLDER` instead of raising, so one synth lists every one (:func:`raise_missing`)."""
        self.missing = {}

    def _placeholders(self, ref: str, keys: list[str] | tuple[str, ...], scope: SealingScope) -> dict[str, str]:
        assert self.missing is not None
        where = user_errors.caller_line() or self.label
        for key in keys:
            self.missing[(ref, key)] = MissingSeal(
                cluster=self.cluster,
                ref=ref,
                key=key,
                scope=scope,
                store=self.label,
                has_certificate=self.fingerprint is not None,
                where=where,
            )
        return dict.fromkeys(keys, PLACEHOLDER)

    # -- SealedLookup -------------------------------------------------------------------------
    def sealed_values(
        self, *, namespace: str, name: str, sealing_scope: SealingScope, keys: tuple[str, ...]
    ) -> Mapping[str, str]:
        """Ciphertext per key of ``namespace/name``, after checking the store still fits the construct."""
        ref = f"{namespace}/{name}"
        self.used.add(ref)
        entry = self.entries.get(ref)
        if entry is None:
            moved = [e.ref for e in self.entries.values() if set(e.data) == set(keys)]
            hint = (
                f" (values with these keys are sealed for {', '.join(moved)}: a strict secret cannot be renamed "
                "or moved, the controller would not decrypt it)"
                if moved
                else ""
            )
            if self.missing is not None and not moved:
                return self._placeholders(ref, keys, sealing_scope)
            raise PropsError(
                f"no sealed values for {ref} in {self.label}{hint}; seal them with: "
                f"{seal_command(self.cluster, ref, keys, sealing_scope)}"
            )
        if entry.scope != sealing_scope:
            raise PropsError(
                f"{ref} was sealed with scope {entry.scope!r} but is declared {sealing_scope!r}: the controller could not "
                f"decrypt it; reseal every key: {seal_command(self.cluster, ref, keys, sealing_scope)}"
            )
        if self.fingerprint is None:
            raise PropsError(
                f"{ref}: cluster {self.cluster!r} has no sealing certificate; record it with "
                f"`homelab cert {self.cluster} cert.pem`"
            )
        if entry.certificate != self.fingerprint:
            raise PropsError(
                f"{ref} was sealed with certificate {entry.certificate[:19]}…, but cluster {self.cluster!r} now has "
                f"{self.fingerprint[:19]}…; reseal every key: {seal_command(self.cluster, ref, keys, sealing_scope)}"
            )
        missing = [k for k in keys if k not in entry.data]
        if missing and self.missing is None:
            raise PropsError(
                f"{ref} has no sealed value for {', '.join(missing)}; seal it with: "
                f"{seal_command(self.cluster, ref, missing, sealing_scope)}"
            )
        extra = sorted(set(entry.data) - set(keys))
        if extra:
            raise PropsError(
                f"{ref} has sealed keys the construct does not declare: {', '.join(extra)}; add them to keys=, "
                f"or drop them with: homelab seal {self.cluster} {ref} " + " ".join(f"--remove {k}" for k in extra)
            )
        return {**entry.data, **(self._placeholders(ref, missing, sealing_scope) if missing else {})}


def _parse(text: str, cluster: str, rsa_bytes: Mapping[str | None, int | None]) -> dict[str, SealedEntry]:
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
    if not isinstance(raw["certificate"], str) or not _FINGERPRINT.fullmatch(raw["certificate"]):
        raise ValueError(f"{where}: certificate is not sha256: and 64 hexadecimal digits")
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
