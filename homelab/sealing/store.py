"""The sealed store: one committed YAML file per cluster holding ciphertexts, never plaintext.

Layout of ``clusters/sealed/<cluster>.yaml``::

    cluster: thomelab
    secrets:
      - namespace: velero
        name: credentials-velero
        scope: strict
        certificate: sha256:…        # fingerprint of the certificate the values were sealed with
                                     # (unknown: copied before the cluster's certificate was recorded)
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

import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from constructs_lib._internal import yaml_io
from constructs_lib.errors import PropsError
from constructs_lib.sealed_config import SealingScope
from homelab import safe_fs, user_errors
from homelab.errors import HomelabError
from homelab.sealing.missing import PLACEHOLDER, MissingSeal, MissingSeals, seal_command
from homelab.sealing.store_format import END, HEADER, PROMISE, UNKNOWN_CERTIFICATE, SealedEntry, parse


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


def raise_missing(stores: Iterable[object]) -> None:
    """:class:`MissingSeals` listing what every collecting store (:meth:`SealedStore.collect_missing`) lacked."""
    missing = [m for s in stores if isinstance(s, SealedStore) for m in (s.missing or {}).values()]
    if missing:
        raise MissingSeals(missing)


class SealedStore:
    """A cluster's sealed store, loaded from and saved to ``path``.

    ``fingerprint`` is the cluster's current certificate's (None: not recorded yet); values sealed with
    another one are refused at synthesis, because the controller could not decrypt them. Values copied with
    no certificate known (:data:`UNKNOWN_CERTIFICATE`) are taken as they are.
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
        if PROMISE in text and text.rstrip().rpartition("\n")[2] != END:
            problems.append(f"its last line is not `{END}`: the file was cut short or appended to")
        try:
            store.entries = parse(text, cluster, {fingerprint: rsa_bytes})
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

    def copied(self) -> list[str]:
        """Refs of the entries copied with no certificate known (:data:`UNKNOWN_CERTIFICATE`)."""
        return sorted(ref for ref, e in self.entries.items() if e.certificate == UNKNOWN_CERTIFICATE)

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
        if entry.certificate == UNKNOWN_CERTIFICATE:
            pass  # copied as they were (homelab import): nothing to check them against, never decrypted
        elif self.fingerprint is None:
            raise PropsError(
                f"{ref}: cluster {self.cluster!r} has no sealing certificate; record it with "
                f"`homelab cert {self.cluster} cert.pem`"
            )
        elif entry.certificate != self.fingerprint:
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
