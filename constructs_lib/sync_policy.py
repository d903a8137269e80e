"""Argo CD ``syncPolicy``: the seed's conventions as overridable defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.errors import PropsError

#: The seed's sync options: only apply what is out of sync, apply server-side, create the namespace.
DEFAULT_SYNC_OPTIONS: tuple[str, ...] = (
    "ApplyOutOfSyncOnly=true",
    "ServerSideApply=true",
    "CreateNamespace=true",
)


@type_checked
@dataclass(frozen=True, kw_only=True)
class SyncPolicy:
    """How Argo CD syncs an Application.

    The defaults are the seed's conventions: automated sync with ``prune`` and ``selfHeal``
    and :data:`DEFAULT_SYNC_OPTIONS`. Override a field with ``dataclasses.replace`` or pass
    ``options=()`` to emit no ``syncOptions`` at all.
    """

    automated: bool = True
    """Sync automatically on every change; when False, ``prune``/``self_heal`` are not emitted."""
    prune: bool = True
    """Delete resources that are no longer in git."""
    self_heal: bool = True
    """Revert changes made in the cluster by hand."""
    options: tuple[str, ...] = DEFAULT_SYNC_OPTIONS
    """``syncOptions`` entries in Argo CD's ``Name=value`` form; empty: the key is left out."""

    def __post_init__(self) -> None:
        for option in self.options:
            if "=" not in option:
                raise PropsError(
                    f"SyncPolicy: sync option {option!r} must have the form Name=value, e.g. 'ServerSideApply=true'"
                )

    def render(self) -> dict[str, Any]:
        """The ``spec.syncPolicy`` mapping."""
        out: dict[str, Any] = {}
        if self.automated:
            out["automated"] = {"prune": self.prune, "selfHeal": self.self_heal}
        if self.options:
            out["syncOptions"] = list(self.options)
        return out
