"""``ApplicationSettings``: per-app fields of the app-of-apps Application, with fallbacks.

A cluster gives every app's Application its sync policy (``ClusterPlan.app_sync``); an app may
declare its own (``AppSpec.application``), and a cluster may override one app
(``ClusterPlan.application_settings``). Each level sets only what it names: an unset ``sync``,
``sync_wave``, ``hook``, ``revision_history_limit``, ``destination_name`` or ``in_cluster_objects`` falls
back to the level below, a ``sync`` whose options are ``SyncOptions`` adds to and removes from the options
below, annotations, labels and ``info`` are merged (the upper level wins per key), and ``ignore_differences``
of the upper level replace those below when given. Everything left out everywhere writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.errors import PropsError
from constructs_lib.sync_policy import SyncHook, SyncPolicy

T = TypeVar("T")


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
    info: Mapping[str, str] = field(default_factory=dict)
    """``spec.info``: name/value pairs Argo CD's UI shows with the app (a URL, an owner), in this order; none
    when left out everywhere."""
    revision_history_limit: int | None = None
    """How many past syncs Argo CD keeps (``spec.revisionHistoryLimit``, 0 or more); Argo CD's default (10)
    when left out everywhere."""
    destination_name: str | None = None
    """Deploy to the cluster Argo CD knows by this name (``destination.name``) instead of the plan's
    ``Cluster.server`` (``destination.server``); the AppProject admits it by name too. The cluster's server
    when left out everywhere."""
    in_cluster_objects: bool | None = None
    """True when the cluster's own objects (``ClusterPlan.cluster_objects``) declare this app's Application
    (and its Namespace and AppProject) themselves, as written: the engine derives none of them, and the app,
    listed in ``apps=``, is deployed by that Application (its overlay generated as usual). Derived when left
    out everywhere: prefer the settings above, which keep the derivation."""

    def __post_init__(self) -> None:
        if self.revision_history_limit is not None and self.revision_history_limit < 0:
            raise PropsError(
                f"ApplicationSettings: revision_history_limit must be 0 or more, got {self.revision_history_limit}"
            )
        if self.destination_name is not None and (
            not self.destination_name or self.destination_name.strip() != self.destination_name
        ):
            raise PropsError(
                f"ApplicationSettings: destination_name {self.destination_name!r} must be the name of a cluster "
                "known to Argo CD (its cluster secret's name: field), e.g. destination_name='nas'"
            )
        for name in self.info:
            if not name.strip():
                raise PropsError(
                    f"ApplicationSettings: info has an entry with no name ({name!r}); name each, e.g. info={{'url': 'https://…'}}"
                )

    def over(self, fallback: ApplicationSettings) -> ApplicationSettings:
        """These settings, with ``fallback``'s where these leave a field out."""
        return ApplicationSettings(
            sync=self.sync.over(fallback.sync) if self.sync and fallback.sync else self.sync or fallback.sync,
            annotations={**fallback.annotations, **self.annotations},
            labels={**fallback.labels, **self.labels},
            ignore_differences=_first(self.ignore_differences, fallback.ignore_differences),
            sync_wave=_first(self.sync_wave, fallback.sync_wave),
            hook=self.hook or fallback.hook,
            info={**fallback.info, **self.info},
            revision_history_limit=_first(self.revision_history_limit, fallback.revision_history_limit),
            destination_name=_first(self.destination_name, fallback.destination_name),
            in_cluster_objects=_first(self.in_cluster_objects, fallback.in_cluster_objects),
        )


def _first(value: T | None, fallback: T | None) -> T | None:
    """``value``, or ``fallback`` when it is left out (None)."""
    return value if value is not None else fallback
