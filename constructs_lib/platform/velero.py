"""``Velero``: scheduled backups of the namespaces of the apps marked ``backup=True``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.helm_argo_app import HelmArgoApp
from constructs_lib.helm_values import merge_values
from constructs_lib.platform.component import ChartComponent, Groups, PlatformFacts
from constructs_lib.sealed_config import SealedConfigProps
from constructs_lib.versions import HelmChart


@type_checked
@dataclass(frozen=True, kw_only=True)
class VeleroSchedule:
    """A scheduled backup of the cluster's backed-up namespaces."""

    name: str = "basebackup"
    """The schedule's name in the chart's ``schedules``."""
    cron: str = "0 0 * * *"
    """When it runs (cron syntax); daily at midnight by default."""
    ttl: str = "240h"
    """How long a backup is kept; ten days by default."""
    storage_location: str = "default"
    """The backup storage location it writes to."""
    label: str = "base"
    """Value of the ``scheduled-backup`` label and annotation of its backups."""


#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://vmware-tanzu.github.io/helm-charts", chart="velero", version="11.x")


@type_checked
@dataclass(frozen=True, kw_only=True)
class VeleroProps:
    """Velero, the Application ``velero`` in ``velero``."""

    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values (storage locations, plugins, credentials); the chart's defaults when empty."""
    schedule: VeleroSchedule | None = None
    """On a cluster: a schedule backing up the namespaces of apps marked ``backup=True`` (and the plan's
    extras), merged after ``values``; no schedule by default."""
    credentials: SealedConfigProps | None = None
    """On a cluster: the sealed Secret (in ``velero``) with the storage credentials; none by default."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        Velero(scope, "velero", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (Velero.APP,)


class Velero(ChartComponent):
    """Velero's Application; on a cluster, with its schedule over ``facts.backup_namespaces``."""

    APP = "velero"
    NAMESPACE = "velero"

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: VeleroProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or VeleroProps()
        super().__init__(scope, id, self.props, facts=facts, groups=groups)

    def render(self) -> None:
        values = dict(self.props.values)
        schedule = self.props.schedule
        if self.facts is not None and schedule is not None:
            label = {"scheduled-backup": schedule.label}
            scheduled = {
                "disabled": False,
                "labels": label,
                "annotations": label,
                "schedule": schedule.cron,
                "template": {
                    "ttl": schedule.ttl,
                    "storageLocation": schedule.storage_location,
                    "includedNamespaces": list(self.facts.backup_namespaces),
                },
            }
            values = merge_values(values, {"schedules": {schedule.name: scheduled}})
        HelmArgoApp(self, self.APP, self.app_props(values))

    def sealed_configs(self) -> tuple[SealedConfigProps, ...]:
        return (self.props.credentials,) if self.props.credentials is not None else ()
