"""``ClusterPlan``: what runs on one cluster — the apps switched on, those kept ready, and cluster-wide objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from constructs_lib.sync_policy import SyncPolicy
from homelab.app_spec import AppSpec, Builder
from homelab.cluster import Cluster
from homelab.origin import defining_file


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
    """Sync policy of the app-of-apps Applications; the seed's conventions by default."""
    extra_backup_namespaces: tuple[str, ...] = ()
    """Namespaces backed up besides those of apps marked ``backup=True`` (e.g. infrastructure)."""
    declared_in: str | None = field(default=None, compare=False)
    """File the plan is declared in, for headers and messages; when left out, the module that holds
    the plan as a global (``PLAN = ClusterPlan(...)``)."""

    @cached_property
    def origin(self) -> str:
        """The file the plan is declared in (see ``declared_in``)."""
        return self.declared_in or defining_file(self)
