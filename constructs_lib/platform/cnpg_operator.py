"""``CloudNativePg``: the CloudNativePG operator: runs the PostgreSQL clusters of ``CnpgDatabase``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import ChartComponent, OneChartProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://cloudnative-pg.github.io/charts", chart="cloudnative-pg", version="0.x")


class CloudNativePg(ChartComponent):
    """The Application of its props (:class:`CloudNativePgProps`)."""

    APP = "cnpg"
    NAMESPACE = "cnpg-system"
    SYNC = SyncPolicy()


@type_checked
@dataclass(frozen=True, kw_only=True)
class CloudNativePgProps(OneChartProps):
    """The CloudNativePG operator: runs the PostgreSQL clusters of ``CnpgDatabase``. The Application ``cnpg``, deploying to ``cnpg-system``."""

    COMPONENT: ClassVar[type[ChartComponent]] = CloudNativePg
    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values; the chart's defaults when empty."""
