"""Sealed values a declaration needs and its cluster's store lacks: gathered by a synth, listed at once,
each with the ``homelab seal`` command that seals it."""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib.sealed_config import SealingScope
from homelab.errors import HomelabError


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
