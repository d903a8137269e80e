"""``SealedSecrets``: the sealed-secrets controller: decrypts the SealedSecrets of ``SealedConfig`` in the cluster."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import PRUNE_LAST, ChartComponent, OneChartProps
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://bitnami-labs.github.io/sealed-secrets", chart="sealed-secrets", version="2.17.x")


class SealedSecrets(ChartComponent):
    """The Application of its props (:class:`SealedSecretsProps`)."""

    APP = "sealed-secrets"
    NAMESPACE = "kube-system"
    SYNC = PRUNE_LAST


@type_checked
@dataclass(frozen=True, kw_only=True)
class SealedSecretsProps(OneChartProps):
    """The sealed-secrets controller: decrypts the SealedSecrets of ``SealedConfig`` in the cluster. The Application ``sealed-secrets``, deploying to ``kube-system``."""

    COMPONENT: ClassVar[type[ChartComponent]] = SealedSecrets
    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values; the chart's defaults when empty."""
