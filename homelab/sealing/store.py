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

Synthesis only reads it (so ``homelab synth`` is deterministic and never reseals); ``homelab seal``
writes it, touching only the keys it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from constructs_lib import yaml_io
from constructs_lib.errors import PropsError
from constructs_lib.sealed_config import SCOPES, Scope
from homelab import safe_fs
from homelab.errors import HomelabError

HEADER = "# Sealed store: ciphertexts only, safe to commit. Change it with `homelab seal`.\n"


@dataclass
class SealedEntry:
    """The sealed values of one secret."""

    namespace: str
    name: str
    scope: Scope
    certificate: str
    data: dict[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"


def seal_command(cluster: str, ref: str, keys: tuple[str, ...] | list[str], scope: Scope) -> str:
    """The exact ``homelab seal`` commands that seal ``keys`` of ``ref``, one per key, each value read
    from standard input (never on the command line, where the shell history would keep it)."""
    scope_option = "" if scope == "strict" else f" --scope {scope}"
    commands = [f"homelab seal {cluster} {ref} --stdin {key}{scope_option}" for key in keys]
    return "; ".join(commands) + " (each reads the value from standard input)"


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

    @classmethod
    def load(cls, *, cluster: str, path: Path, fingerprint: str | None, label: str | None = None) -> SealedStore:
        store = cls(cluster=cluster, path=path, fingerprint=fingerprint, label=label)
        if not path.exists():
            return store
        try:
            doc = yaml_io.load(path.read_text()) or {}
        except yaml.YAMLError as exc:
            raise HomelabError(f"{store.label}: not valid YAML ({exc}); restore it from git") from exc
        if not isinstance(doc, dict) or doc.get("cluster") != cluster or not isinstance(doc.get("secrets", []), list):
            raise HomelabError(
                f"{store.label}: expected a sealed store of cluster {cluster!r} (keys 'cluster' and 'secrets')"
            )
        for i, raw in enumerate(doc.get("secrets") or []):
            entry = cls._entry(raw, f"{store.label}: secrets[{i}]")
            if entry.ref in store.entries:
                raise HomelabError(f"{store.label}: {entry.ref} appears twice; keep one entry")
            store.entries[entry.ref] = entry
        return store

    @staticmethod
    def _entry(raw: Any, where: str) -> SealedEntry:
        if not isinstance(raw, dict):
            raise HomelabError(f"{where}: expected a mapping")
        missing = [k for k in ("namespace", "name", "scope", "certificate", "encryptedData") if k not in raw]
        if missing:
            raise HomelabError(f"{where}: missing {', '.join(missing)}")
        if raw["scope"] not in SCOPES:
            raise HomelabError(f"{where}: scope {raw['scope']!r} is not one of {', '.join(SCOPES)}")
        data = raw["encryptedData"] or {}
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise HomelabError(f"{where}: encryptedData must map keys to ciphertext strings")
        return SealedEntry(
            namespace=str(raw["namespace"]),
            name=str(raw["name"]),
            scope=raw["scope"],
            certificate=str(raw["certificate"]),
            data={str(k): v for k, v in data.items()},
        )

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
        return HEADER + yaml_io.dump({"cluster": self.cluster, "secrets": secrets})

    def save(self) -> None:
        """Write the store atomically, keeping its mode (a crash leaves the old file whole)."""
        safe_fs.atomic_write(self.path, self.dump().encode())

    def orphans(self) -> list[SealedEntry]:
        """Entries no SealedConfig asked for since the store was loaded (call after a synth)."""
        return [self.entries[ref] for ref in sorted(self.entries) if ref not in self.used]

    # -- SealedLookup -------------------------------------------------------------------------
    def sealed_values(self, *, namespace: str, name: str, scope: Scope, keys: tuple[str, ...]) -> Mapping[str, str]:
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
            raise PropsError(
                f"no sealed values for {ref} in {self.label}{hint}; seal them with: "
                f"{seal_command(self.cluster, ref, keys, scope)}"
            )
        if entry.scope != scope:
            raise PropsError(
                f"{ref} was sealed with scope {entry.scope!r} but is declared {scope!r}: the controller could not "
                f"decrypt it; reseal every key: {seal_command(self.cluster, ref, keys, scope)}"
            )
        if self.fingerprint is None:
            raise PropsError(
                f"{ref}: cluster {self.cluster!r} has no sealing certificate; record it with "
                f"`homelab cert {self.cluster} cert.pem`"
            )
        if entry.certificate != self.fingerprint:
            raise PropsError(
                f"{ref} was sealed with certificate {entry.certificate[:19]}…, but cluster {self.cluster!r} now has "
                f"{self.fingerprint[:19]}…; reseal every key: {seal_command(self.cluster, ref, keys, scope)}"
            )
        missing = [k for k in keys if k not in entry.data]
        if missing:
            raise PropsError(
                f"{ref} has no sealed value for {', '.join(missing)}; seal it with: "
                f"{seal_command(self.cluster, ref, missing, scope)}"
            )
        extra = sorted(set(entry.data) - set(keys))
        if extra:
            raise PropsError(
                f"{ref} has sealed keys the construct does not declare: {', '.join(extra)}; add them to keys=, "
                f"or drop them with: homelab seal {self.cluster} {ref} " + " ".join(f"--remove {k}" for k in extra)
            )
        return dict(entry.data)
