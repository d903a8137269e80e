"""``MetricsServer``: metrics-server: the resource metrics of ``kubectl top`` and autoscalers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import ChartComponent, Groups, PlatformFacts
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://kubernetes-sigs.github.io/metrics-server", chart="metrics-server", version="3.x")


@type_checked
@dataclass(frozen=True, kw_only=True)
class MetricsServerProps:
    """metrics-server: the resource metrics of ``kubectl top`` and autoscalers. The Application ``metrics-server``, deploying to ``kube-system``."""

    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values; the chart's defaults when empty."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        MetricsServer(scope, "metrics-server", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (MetricsServer.APP,)


class MetricsServer(ChartComponent):
    """The Application of ``props``."""

    APP = "metrics-server"
    NAMESPACE = "kube-system"
    SYNC = SyncPolicy()

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: MetricsServerProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or MetricsServerProps()
        super().__init__(scope, id, self.props, facts=facts, groups=groups)
