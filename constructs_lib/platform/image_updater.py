"""``ImageUpdater``: Argo CD Image Updater: bumps the image tags of Applications that opt in by annotation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import PRUNE_LAST, ChartComponent, Groups, PlatformFacts
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://argoproj.github.io/argo-helm", chart="argocd-image-updater", version="0.x")


@type_checked
@dataclass(frozen=True, kw_only=True)
class ImageUpdaterProps:
    """Argo CD Image Updater: bumps the image tags of Applications that opt in by annotation. The Application ``argocd-image-updater``, deploying to ``argocd``."""

    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values; the chart's defaults when empty."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        ImageUpdater(scope, "argocd-image-updater", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (ImageUpdater.APP,)


class ImageUpdater(ChartComponent):
    """The Application of ``props``."""

    APP = "argocd-image-updater"
    NAMESPACE = "argocd"
    SYNC = PRUNE_LAST

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: ImageUpdaterProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or ImageUpdaterProps()
        super().__init__(scope, id, self.props, facts=facts, groups=groups)
