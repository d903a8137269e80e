"""``MetricsServer``: metrics-server: the resource metrics of ``kubectl top`` and autoscalers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import ChartComponent, OneChartProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://kubernetes-sigs.github.io/metrics-server", chart="metrics-server", version="3.x")


class MetricsServer(ChartComponent):
    """The Application of its props (:class:`MetricsServerProps`)."""

    APP = "metrics-server"
    NAMESPACE = "kube-system"
    SYNC = SyncPolicy()


@type_checked
@dataclass(frozen=True, kw_only=True)
class MetricsServerProps(OneChartProps):
    """metrics-server: the resource metrics of ``kubectl top`` and autoscalers. The Application ``metrics-server``, deploying to ``kube-system``."""

    COMPONENT: ClassVar[type[ChartComponent]] = MetricsServer
    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values; the chart's defaults when empty."""
