"""``SealedSecrets``: the sealed-secrets controller: decrypts the SealedSecrets of ``SealedConfig`` in the cluster."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.platform.component import PRUNE_LAST, ChartComponent, Groups, PlatformFacts
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://bitnami-labs.github.io/sealed-secrets", chart="sealed-secrets", version="2.17.x")


@type_checked
@dataclass(frozen=True, kw_only=True)
class SealedSecretsProps:
    """The sealed-secrets controller: decrypts the SealedSecrets of ``SealedConfig`` in the cluster. The Application ``sealed-secrets``, deploying to ``kube-system``."""

    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values; the chart's defaults when empty."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        SealedSecrets(scope, "sealed-secrets", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (SealedSecrets.APP,)


class SealedSecrets(ChartComponent):
    """The Application of ``props``."""

    APP = "sealed-secrets"
    NAMESPACE = "kube-system"
    SYNC = PRUNE_LAST

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: SealedSecretsProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or SealedSecretsProps()
        super().__init__(scope, id, self.props, facts=facts, groups=groups)
