"""``Longhorn``: replicated block storage, its ``longhorn`` StorageClass and VolumeSnapshotClass, and
optionally its UI on the tailnet and a backup target."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.helm_values import merge_values
from constructs_lib.platform.component import ChartComponent, Groups, PlatformFacts
from constructs_lib.sealed_config import SealedConfigProps
from constructs_lib.sync_policy import SyncOptions, SyncPolicy
from constructs_lib.versions import HelmChart
from constructs_lib.volume_snapshot_class import VolumeSnapshotClass, VolumeSnapshotClassProps


@type_checked
@dataclass(frozen=True, kw_only=True)
class LonghornBackup:
    """Where Longhorn backs volumes up, and the sealed credentials it reads there."""

    target: str
    """Backup target URL, e.g. ``s3://longhorn@garage/``."""
    credentials: SealedConfigProps
    """The Secret (in ``longhorn-system``) with the target's credentials (``AWS_ACCESS_KEY_ID``, ...)."""


#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://charts.longhorn.io", chart="longhorn", version="1.10.x")


@type_checked
@dataclass(frozen=True, kw_only=True)
class LonghornProps:
    """Longhorn, the Application ``longhorn`` in the privileged namespace ``longhorn-system``."""

    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=lambda: {"defaultSettings": {"v2DataEngine": True}})
    """Helm values; by default the V2 data engine is enabled."""
    tailnet_ingress: bool = False
    """On a cluster: serve the UI on the tailnet as ``<cluster>-longhorn``; not exposed by default."""
    backup: LonghornBackup | None = None
    """On a cluster: the backup target and its sealed credentials; no backups by default."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        Longhorn(scope, "longhorn", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (Longhorn.APP,)


class Longhorn(ChartComponent):
    """Longhorn's Application (it provides the ``longhorn`` StorageClass) and the ``longhorn``
    VolumeSnapshotClass; on a cluster also its namespace and backup credentials."""

    APP = "longhorn"
    NAMESPACE = "longhorn-system"

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: LonghornProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or LonghornProps()
        super().__init__(scope, id, self.props, facts=facts, groups=groups)

    def render(self) -> None:
        values = dict(self.props.values)
        if self.facts is not None:
            c = self.facts.cluster
            if self.props.tailnet_ingress:
                ingress = {
                    "enabled": True,
                    "ingressClassName": c.ingress_class,
                    "host": f"{c.name}-longhorn",
                    "tls": True,
                }
                values = merge_values(values, {"ingress": ingress})
            if self.props.backup is not None:
                store = {
                    "backupTarget": self.props.backup.target,
                    "backupTargetCredentialSecret": self.props.backup.credentials.name,
                }
                values = merge_values(values, {"defaultBackupStore": store})
        HelmArgoApp(self, self.APP, self.app_props(values))
        VolumeSnapshotClass(
            self, "longhorn-snapshot-class", VolumeSnapshotClassProps(name="longhorn", driver="driver.longhorn.io")
        )

    def app_props(self, values: dict[str, Any]) -> HelmArgoAppProps:
        return HelmArgoAppProps(
            name=self.APP,
            chart=self.props.chart,
            provides_storage_classes=("longhorn",),
            values=values,
            destination_namespace=self.NAMESPACE,
            sync=SyncPolicy(options=SyncOptions(add=("RespectIgnoreDifferences=true",))),
            ignore_differences=(
                IgnoreDifference(
                    group="apiextensions.k8s.io",
                    kind="CustomResourceDefinition",
                    json_pointers=("/spec/preserveUnknownFields",),
                ),
            ),
        )

    def privileged_namespaces(self) -> tuple[str, ...]:
        return (self.NAMESPACE,)

    def sealed_configs(self) -> tuple[SealedConfigProps, ...]:
        return (self.props.backup.credentials,) if self.props.backup is not None else ()
