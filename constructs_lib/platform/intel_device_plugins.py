"""``IntelDevicePlugins``: Intel's device plugins operator: exposes Intel GPUs and accelerators to pods."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import PRUNE_LAST, ChartComponent, OneChartProps
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://intel.github.io/helm-charts", chart="intel-device-plugins-operator", version="0.x")


class IntelDevicePlugins(ChartComponent):
    """The Application of its props (:class:`IntelDevicePluginsProps`)."""

    APP = "intel-device-plugins-operator"
    NAMESPACE = "kube-system"
    SYNC = PRUNE_LAST


@type_checked
@dataclass(frozen=True, kw_only=True)
class IntelDevicePluginsProps(OneChartProps):
    """Intel's device plugins operator: exposes Intel GPUs and accelerators to pods. The Application ``intel-device-plugins-operator``, deploying to ``kube-system``."""

    COMPONENT: ClassVar[type[ChartComponent]] = IntelDevicePlugins
    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values; the chart's defaults when empty."""
