"""``CertManager``: cert-manager, with its CRDs: issues TLS certificates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import PRUNE_LAST, ChartComponent, OneChartProps
from constructs_lib.sync_policy import CREATE_NAMESPACE, SyncPolicy
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://charts.jetstack.io", chart="cert-manager", version="1.x")


class CertManager(ChartComponent):
    """The Application of its props (:class:`CertManagerProps`)."""

    APP = "cert-manager"
    NAMESPACE = "cert-manager"
    SYNC = SyncPolicy(options=(*PRUNE_LAST.option_list, CREATE_NAMESPACE))


@type_checked
@dataclass(frozen=True, kw_only=True)
class CertManagerProps(OneChartProps):
    """cert-manager, with its CRDs: issues TLS certificates. The Application ``cert-manager``, deploying to ``cert-manager``."""

    COMPONENT: ClassVar[type[ChartComponent]] = CertManager
    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=lambda: {"installCRDs": True})
    """Helm values; {"installCRDs": True} (the chart installs its CRDs) by default."""
