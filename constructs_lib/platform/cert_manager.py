"""``CertManager``: cert-manager, with its CRDs: issues TLS certificates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import PRUNE_LAST, ChartComponent, Groups, PlatformFacts
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://charts.jetstack.io", chart="cert-manager", version="1.x")


@type_checked
@dataclass(frozen=True, kw_only=True)
class CertManagerProps:
    """cert-manager, with its CRDs: issues TLS certificates. The Application ``cert-manager``, deploying to ``cert-manager``."""

    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=lambda: {"installCRDs": True})
    """Helm values; {"installCRDs": True} (the chart installs its CRDs) by default."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        CertManager(scope, "cert-manager", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (CertManager.APP,)


class CertManager(ChartComponent):
    """The Application of ``props``."""

    APP = "cert-manager"
    NAMESPACE = "cert-manager"
    SYNC = SyncPolicy(options=(*PRUNE_LAST.option_list, "CreateNamespace=true"))

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: CertManagerProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or CertManagerProps()
        super().__init__(scope, id, self.props, facts=facts, groups=groups)
