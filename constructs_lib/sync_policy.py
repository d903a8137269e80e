"""Argo CD sync settings: an Application's ``syncPolicy`` (:class:`SyncPolicy`, whose options replace or
compose with the defaults: :class:`SyncOptions`), and the sync wave and hook of any object
(:class:`SyncHook`, :func:`sync_annotations`; typed as ``sync_wave=``/``hook=`` on the props that have
annotations).

Options compose as a set keyed by option name, in a stable order: the defaults' order (an added option
whose name is already there takes its place with the new value), then the added ones in the order
given. ``SyncPolicy(options=SyncOptions(add=("PruneLast=true",), remove=("ServerSideApply",)))`` on an
app's ``ApplicationSettings`` starts from its cluster's ``ClusterPlan.app_sync``; elsewhere (an
Application of its own, ``HelmArgoAppProps(sync=...)``) from :data:`DEFAULT_SYNC_OPTIONS`. A tuple of
options replaces them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from constructs_lib._internal.durations import GO_DURATION
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest
from constructs_lib.errors import PropsError

#: The sync option with which Argo CD creates an Application's destination namespace when it is missing.
CREATE_NAMESPACE = "CreateNamespace=true"

#: The seed's sync options: only apply what is out of sync, apply server-side, create the namespace.
DEFAULT_SYNC_OPTIONS: tuple[str, ...] = (
    "ApplyOutOfSyncOnly=true",
    "ServerSideApply=true",
    CREATE_NAMESPACE,
)

SYNC_WAVE = "argocd.argoproj.io/sync-wave"
"""Annotation: the wave (an integer, as a string) an object is applied in; lower waves first, 0 by default."""
HOOK = "argocd.argoproj.io/hook"
"""Annotation: the sync phase(s) an object runs in as a hook instead of being synced as a resource."""
HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy"
"""Annotation: when Argo CD deletes a hook object."""

HookPhase = Literal["PreSync", "Sync", "PostSync", "SyncFail", "Skip"]
HookDeletePolicy = Literal["HookSucceeded", "HookFailed", "BeforeHookCreation"]


def _option_name(option: str, owner: str) -> str:
    """The ``Name`` of a ``Name=value`` option; refused when it has no ``=``."""
    name, sep, _ = option.partition("=")
    if not sep or not name:
        raise PropsError(f"{owner}: sync option {option!r} must have the form Name=value, e.g. 'ServerSideApply=true'")
    return name


@type_checked
@dataclass(frozen=True, kw_only=True)
class SyncOptions:
    """Sync options added to and removed from the defaults below (see the module), instead of replacing them."""

    add: tuple[str, ...] = ()
    """Options in ``Name=value`` form, added after the defaults (or replacing the value of a default of the
    same name, in its place); none by default."""
    remove: tuple[str, ...] = ()
    """Names of options to drop from the defaults (``"ServerSideApply"``, no ``=value``); a name the defaults
    do not have is a no-op. None by default."""

    def __post_init__(self) -> None:
        added = [_option_name(option, "SyncOptions.add") for option in self.add]
        for name in {n for n in added if added.count(n) > 1}:
            raise PropsError(f"SyncOptions: option {name!r} is added twice; keep one 'Name=value'")
        for name in self.remove:
            if "=" in name or not name:
                raise PropsError(
                    f"SyncOptions.remove: {name!r} is not an option name; name it without its value, "
                    f"e.g. remove=({name.partition('=')[0] or 'ServerSideApply'!r},)"
                )
            if name in added:
                raise PropsError(f"SyncOptions: option {name!r} is both added and removed; keep one")

    def applied_to(self, defaults: tuple[str, ...]) -> tuple[str, ...]:
        """``defaults`` minus the removed names, with the added options (see the module for the order)."""
        added = {option.partition("=")[0]: option for option in self.add}
        kept = [added.pop(name, option) for option in defaults if (name := option.partition("=")[0]) not in self.remove]
        return tuple(dict.fromkeys((*kept, *added.values())))


@type_checked
@dataclass(frozen=True, kw_only=True)
class Backoff:
    """How long Argo CD waits between the retries of a failed sync (``syncPolicy.retry.backoff``); each field
    left out is Argo CD's default (``5s``, factor 2, ``3m``) and not written."""

    duration: str | None = None
    """The first wait: a duration (``5s``, ``2m``) or a number of seconds (``"5"``)."""
    factor: int | None = None
    """What each wait is multiplied by for the next (at least 1)."""
    max_duration: str | None = None
    """The longest wait (``maxDuration``), a duration like ``duration``."""

    def __post_init__(self) -> None:
        for what, value in (("duration", self.duration), ("max_duration", self.max_duration)):
            if value is not None and not (value.isdigit() or GO_DURATION.match(value)):
                raise PropsError(
                    f"Backoff: {what} {value!r} is not a duration; write e.g. {what}='5s' or '3m' (or '5': seconds)"
                )
        if self.factor is not None and self.factor < 1:
            raise PropsError(f"Backoff: factor must be 1 or more (each wait times it), got {self.factor}")

    def render(self) -> dict[str, Any]:
        fields = (("duration", self.duration), ("factor", self.factor), ("maxDuration", self.max_duration))
        return {key: value for key, value in fields if value is not None}


@type_checked
@dataclass(frozen=True, kw_only=True)
class SyncRetry:
    """Retry a failed sync (``syncPolicy.retry``), e.g. ``SyncRetry(limit=5, backoff=Backoff(duration="5s"))``."""

    limit: int | None = None
    """How many times; a negative number retries forever. Argo CD's default when left out."""
    backoff: Backoff | None = None
    """The waits between retries; Argo CD's defaults when left out."""

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {} if self.limit is None else {"limit": self.limit}
        return {**out, **({"backoff": self.backoff.render()} if self.backoff is not None else {})}


@type_checked
@dataclass(frozen=True, kw_only=True)
class ManagedNamespaceMetadata:
    """Labels and annotations Argo CD puts on the namespace it creates (``CreateNamespace=true``):
    ``syncPolicy.managedNamespaceMetadata``."""

    labels: Mapping[str, str] = field(default_factory=dict)
    """Labels of the namespace (e.g. pod-security levels); none by default."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    """Annotations of the namespace; none by default."""

    def render(self) -> dict[str, Any]:
        fields = (("labels", self.labels), ("annotations", self.annotations))
        return {key: dict(value) for key, value in fields if value}


@type_checked
@dataclass(frozen=True, kw_only=True)
class SyncPolicy:
    """How Argo CD syncs an Application.

    The defaults are the seed's conventions: automated sync with ``prune`` and ``selfHeal``
    and :data:`DEFAULT_SYNC_OPTIONS`. Override a field with ``dataclasses.replace``, pass
    ``options=SyncOptions(add=..., remove=...)`` to change the defaults' options, or ``options=()``
    to emit no ``syncOptions`` at all.
    """

    automated: bool = True
    """Sync automatically on every change; when False, ``prune``/``self_heal`` are not emitted."""
    prune: bool = True
    """Delete resources that are no longer in git (``prune: true``; left out when False, Argo CD's default)."""
    self_heal: bool = True
    """Revert changes made in the cluster by hand (``selfHeal: true``; left out when False, Argo CD's default)."""
    options: tuple[str, ...] | SyncOptions = DEFAULT_SYNC_OPTIONS
    """``syncOptions`` entries in Argo CD's ``Name=value`` form, replacing the defaults; or a
    :class:`SyncOptions` composing with them (the cluster's ``app_sync`` for an app's Application,
    :data:`DEFAULT_SYNC_OPTIONS` elsewhere). Empty: the key is left out."""
    allow_empty: bool = False
    """Let automated sync prune every resource of the app (``automated.allowEmpty``); Argo CD refuses an
    empty sync when left out."""
    retry: SyncRetry | None = None
    """Retry a failed sync (``retry``); not retried when left out."""
    managed_namespace_metadata: ManagedNamespaceMetadata | None = None
    """Labels and annotations of the namespace ``CreateNamespace=true`` creates; none when left out."""

    def __post_init__(self) -> None:
        if isinstance(self.options, tuple):
            for option in self.options:
                _option_name(option, "SyncPolicy")

    @property
    def option_list(self) -> tuple[str, ...]:
        """The options written: ``options``, or the :class:`SyncOptions` applied to :data:`DEFAULT_SYNC_OPTIONS`."""
        if isinstance(self.options, SyncOptions):
            return self.options.applied_to(DEFAULT_SYNC_OPTIONS)
        return self.options

    def over(self, fallback: SyncPolicy) -> SyncPolicy:
        """This policy, its :class:`SyncOptions` (if any) applied to ``fallback``'s options."""
        if isinstance(self.options, SyncOptions):
            return replace(self, options=self.options.applied_to(fallback.option_list))
        return self

    def render(self) -> dict[str, Any]:
        """The ``spec.syncPolicy`` mapping."""
        out: dict[str, Any] = {}
        if self.automated:  # what is off is left out, as Argo CD reads it (``automated: {}``: neither)
            flags = (("prune", self.prune), ("selfHeal", self.self_heal), ("allowEmpty", self.allow_empty))
            out["automated"] = {k: True for k, on in flags if on}
        if self.option_list:
            out["syncOptions"] = list(self.option_list)
        if self.retry is not None:
            out["retry"] = self.retry.render()
        if self.managed_namespace_metadata is not None:
            out["managedNamespaceMetadata"] = self.managed_namespace_metadata.render()
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class SyncHook:
    """An object run as an Argo CD resource hook (a ``PostSync`` Job, say) rather than synced as a resource."""

    phase: HookPhase | tuple[HookPhase, ...]
    """The phase(s) it runs in: ``PreSync``, ``Sync``, ``PostSync``, ``SyncFail`` (or ``Skip``: never applied)."""
    delete_policy: tuple[HookDeletePolicy, ...] = ()
    """When Argo CD deletes it (``HookSucceeded``, ``HookFailed``, ``BeforeHookCreation``); Argo CD's
    default (``BeforeHookCreation``) when left out."""

    def __post_init__(self) -> None:
        phases = self.phase if isinstance(self.phase, tuple) else (self.phase,)
        if not phases:
            raise PropsError("SyncHook: phase=() names no phase; e.g. SyncHook(phase='PostSync')")
        for what, values in (("phase", phases), ("delete_policy", self.delete_policy)):
            if len(set(values)) != len(values):
                raise PropsError(f"SyncHook.{what}: {values!r} names one twice; name each once")

    def annotations(self) -> dict[str, str]:
        """The hook's annotations."""
        phases = self.phase if isinstance(self.phase, tuple) else (self.phase,)
        out = {HOOK: ",".join(phases)}
        if self.delete_policy:
            out[HOOK_DELETE_POLICY] = ",".join(self.delete_policy)
        return out


def sync_annotations(sync_wave: int | None = None, hook: SyncHook | None = None) -> dict[str, str]:
    """The annotations of an object's sync wave and hook, for metadata a construct takes raw
    (``api_object(metadata={"annotations": sync_annotations(sync_wave=-1)})``); empty when neither is given."""
    if sync_wave is not None and (isinstance(sync_wave, bool) or not isinstance(sync_wave, int)):
        raise PropsError(f"sync_wave: {sync_wave!r} is not an integer; write e.g. sync_wave=-1")
    out = {SYNC_WAVE: str(sync_wave)} if sync_wave is not None else {}
    return {**out, **(hook.annotations() if hook is not None else {})}


def set_sync(obj: Manifest, *, sync_wave: int | None = None, hook: SyncHook | None = None) -> None:
    """Give any object a construct made (``TailscaleIngress(...).resource``, ``CnpgDatabase(...).cluster``)
    a sync wave and hook, for a construct whose props have no ``sync_wave=``/``hook=``."""
    for key, value in sync_annotations(sync_wave, hook).items():
        obj.set_field("/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1"), value)
