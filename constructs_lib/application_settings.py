"""``ApplicationSettings``: per-app fields of the app-of-apps Application, with fallbacks.

A cluster gives every app's Application its sync policy (``ClusterPlan.app_sync``); an app may
declare its own (``AppSpec.application``), and a cluster may override one app
(``ClusterPlan.application_settings``). Each level sets only what it names: an unset ``sync``,
``sync_wave`` or ``hook`` falls back to the level below, a ``sync`` whose options are ``SyncOptions``
adds to and removes from the options below, annotations and labels are merged (the upper level wins
per key), and ``ignore_differences`` of the upper level replace those below when given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.sync_policy import SyncHook, SyncPolicy


@type_checked
@dataclass(frozen=True, kw_only=True)
class ApplicationSettings:
    """Fields of an app's app-of-apps Application; everything left out falls back (see the module)."""

    sync: SyncPolicy | None = None
    """Sync policy (and ``syncOptions`` such as ``CreateNamespace=true``); the cluster's ``app_sync`` when
    left out. ``SyncPolicy(options=SyncOptions(add=..., remove=...))`` changes the options below instead of
    restating them."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    """Annotations of the Application, e.g. notification subscriptions or Argo CD Image Updater's."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Labels of the Application."""
    ignore_differences: tuple[IgnoreDifference, ...] | None = None
    """``spec.ignoreDifferences``; none when left out everywhere."""
    sync_wave: int | None = None
    """The Application's sync wave in the cluster's root app (lower waves are synced first); 0 when left out
    everywhere."""
    hook: SyncHook | None = None
    """Run the Application as a hook of the root app's sync; none when left out everywhere."""

    def over(self, fallback: ApplicationSettings) -> ApplicationSettings:
        """These settings, with ``fallback``'s where these leave a field out."""
        return ApplicationSettings(
            sync=self.sync.over(fallback.sync) if self.sync and fallback.sync else self.sync or fallback.sync,
            annotations={**fallback.annotations, **self.annotations},
            labels={**fallback.labels, **self.labels},
            ignore_differences=(
                self.ignore_differences if self.ignore_differences is not None else fallback.ignore_differences
            ),
            sync_wave=self.sync_wave if self.sync_wave is not None else fallback.sync_wave,
            hook=self.hook or fallback.hook,
        )
