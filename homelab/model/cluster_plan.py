"""``ClusterPlan``: what runs on one cluster — the apps switched on, those kept ready, and cluster-wide objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.platform.platform import PlatformProps
from constructs_lib.sync_policy import SyncPolicy
from homelab.model.app_spec import AppSpec, Builder
from homelab.model.cluster import Cluster
from homelab.model.origin import defining_file


@type_checked
@dataclass(frozen=True, kw_only=True)
class ClusterPlan:
    """The apps of one cluster and how they are deployed there."""

    cluster: Cluster
    """The cluster's facts."""
    apps: tuple[AppSpec, ...]
    """Apps enabled on the cluster, in the order the cluster overlay lists them."""
    disabled: tuple[AppSpec, ...] = ()
    """Apps whose overlay is generated but not deployed: enabling one is moving it to ``apps``."""
    cluster_objects: Builder | None = None
    """Builds cluster-wide objects of ``clusters/overlays/<cluster>`` (storage classes, volumes)."""
    app_sync: SyncPolicy = field(default_factory=SyncPolicy)
    """Sync policy of the app-of-apps Applications of apps that declare none (``AppSpec.application``);
    the seed's conventions by default."""
    application_settings: Mapping[str, ApplicationSettings] = field(default_factory=dict)
    """App name → settings of its Application on this cluster, over the app's own (``AppSpec.application``)."""
    extra_backup_namespaces: tuple[str, ...] = ()
    """Namespaces backed up besides those of apps marked ``backup=True`` (e.g. infrastructure)."""
    platform: PlatformProps = field(default_factory=PlatformProps)
    """The platform components the cluster runs (``constructs_lib.platform``), which the core app's overlay
    renders with ``Platform(scope, id, PLATFORM, facts=ctx)``; an app named like one of their Applications
    is refused. None listed by default."""
    runs_core: bool = True
    """Whether the homelab's core app (``Homelab.core``) runs on the cluster: its root Application in
    ``clusters/overlays/<cluster>`` and the overlay ``core-argocd-apps/overlays/<cluster>`` it deploys.
    False for a cluster with no platform of its own to deploy (Argo CD installed and kept by other means):
    neither is emitted, and ``platform`` must list no component. Without a core app it runs none either way."""
    declared_in: str | None = field(default=None, compare=False)
    """File the plan is declared in, for headers and messages; when left out, the module that holds
    the plan as a global (``PLAN = ClusterPlan(...)``)."""

    @cached_property
    def origin(self) -> str:
        """The file the plan is declared in (see ``declared_in``)."""
        return self.declared_in or defining_file(self)

    def settings_of(self, app: AppSpec) -> ApplicationSettings:
        """``app``'s Application settings on this cluster: this plan's override, the app's own, the plan's sync."""
        default = ApplicationSettings(sync=self.app_sync)
        own = app.application.over(default)
        override = self.application_settings.get(app.name)
        return override.over(own) if override is not None else own
