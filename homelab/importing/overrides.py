"""Per-cluster Application settings: when the clusters deploying one app have Applications that differ only in
their settings (sync options, ``ignoreDifferences``, annotations...), the app's ``AppSpec`` keeps the first
cluster's and each other cluster gets the difference as ``ClusterPlan.application_settings``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.sync_policy import SyncPolicy

#: ``AppSpec`` keywords that are not the Application's settings, and differ per cluster without harm.
_PER_PLACEMENT = ("application", "deploys")
#: Settings a cluster sets only by naming a value (left out, the app's own stays).
_SCALARS = ("sync_wave", "hook", "revision_history_limit", "destination_name")
#: Settings merged key by key over the app's own (a cluster cannot remove a key).
_MERGED = ("annotations", "labels", "info")


def cluster_override(
    own: Mapping[str, Any], other: Mapping[str, Any], other_sync: SyncPolicy
) -> ApplicationSettings | str | None:
    """What another cluster's ``application_settings`` must say for its Application (``other``: its ``AppSpec``
    keywords, read against that cluster's ``app_sync``, ``other_sync``) given the app's own (``own``): None when
    nothing differs, else the override, or why no override can say it."""
    fixed = [k for k in {*own, *other} - set(_PER_PLACEMENT) if own.get(k) != other.get(k)]
    if fixed:
        return f"its {', '.join(sorted(fixed))} differ from the first cluster's, and no per-cluster setting gives them"
    mine: ApplicationSettings = own.get("application") or ApplicationSettings()
    theirs: ApplicationSettings = other.get("application") or ApplicationSettings()
    out: dict[str, Any] = {}
    wanted, had = theirs.sync or other_sync, mine.sync or other_sync
    if wanted != had:
        out["sync"] = wanted
    if mine.ignore_differences != theirs.ignore_differences:
        out["ignore_differences"] = theirs.ignore_differences or ()
    for name in _SCALARS:
        value, fallback = getattr(theirs, name), getattr(mine, name)
        if value != fallback:
            if value is None:
                return f"it has no {name} where the first cluster's has {fallback!r}"
            out[name] = value
    for name in _MERGED:
        value, fallback = dict(getattr(theirs, name)), dict(getattr(mine, name))
        if set(fallback) - set(value):
            return f"its {name} lack {sorted(set(fallback) - set(value))} of the first cluster's"
        if value != fallback:
            out[name] = {k: v for k, v in value.items() if fallback.get(k) != v}
    return ApplicationSettings(**out) if out else None
