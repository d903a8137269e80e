"""``IntelDevicePlugins``: Intel's device plugins operator: exposes Intel GPUs and accelerators to pods."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import PRUNE_LAST, ChartComponent, Groups, PlatformFacts
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://intel.github.io/helm-charts", chart="intel-device-plugins-operator", version="0.x")


@type_checked
@dataclass(frozen=True, kw_only=True)
class IntelDevicePluginsProps:
    """Intel's device plugins operator: exposes Intel GPUs and accelerators to pods. The Application ``intel-device-plugins-operator``, deploying to ``kube-system``."""

    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values; the chart's defaults when empty."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        IntelDevicePlugins(scope, "intel-device-plugins-operator", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (IntelDevicePlugins.APP,)


class IntelDevicePlugins(ChartComponent):
    """The Application of ``props``."""

    APP = "intel-device-plugins-operator"
    NAMESPACE = "kube-system"
    SYNC = PRUNE_LAST

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: IntelDevicePluginsProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or IntelDevicePluginsProps()
        super().__init__(scope, id, self.props, facts=facts, groups=groups)
