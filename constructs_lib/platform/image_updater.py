"""``ImageUpdater``: Argo CD Image Updater: bumps the image tags of Applications that opt in by annotation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import PRUNE_LAST, ChartComponent, OneChartProps
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://argoproj.github.io/argo-helm", chart="argocd-image-updater", version="0.x")


class ImageUpdater(ChartComponent):
    """The Application of its props (:class:`ImageUpdaterProps`)."""

    APP = "argocd-image-updater"
    NAMESPACE = "argocd"
    SYNC = PRUNE_LAST


@type_checked
@dataclass(frozen=True, kw_only=True)
class ImageUpdaterProps(OneChartProps):
    """Argo CD Image Updater: bumps the image tags of Applications that opt in by annotation. The Application ``argocd-image-updater``, deploying to ``argocd``."""

    COMPONENT: ClassVar[type[ChartComponent]] = ImageUpdater
    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values; the chart's defaults when empty."""
