"""``TailscaleOperator``: the Tailscale Kubernetes operator, which serves the ``tailscale`` ingress class."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.helm_argo_app import HelmArgoApp
from constructs_lib.helm_values import merge_values
from constructs_lib.platform.component import ChartComponent, Groups, PlatformFacts
from constructs_lib.sealed_config import SealedConfigProps
from constructs_lib.versions import HelmChart

#: The operator's OAuth client, sealed per cluster.
TAILSCALE_OAUTH = SealedConfigProps(
    name="operator-oauth", namespace="tailscale", keys=("client_id", "client_secret"), type="Opaque"
)


#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://pkgs.tailscale.com/helmcharts", chart="tailscale-operator", version="1.x")


@type_checked
@dataclass(frozen=True, kw_only=True)
class TailscaleOperatorProps:
    """The Tailscale operator, the Application ``tailscale-operator`` in the privileged namespace ``tailscale``."""

    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=lambda: {"apiServerProxyConfig": {"mode": "true"}})
    """Helm values; by default the operator also proxies the Kubernetes API on the tailnet."""
    oauth: SealedConfigProps = TAILSCALE_OAUTH
    """On a cluster: the sealed OAuth client the operator joins the tailnet with (``operator-oauth``)."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        TailscaleOperator(scope, "tailscale-operator", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (TailscaleOperator.APP,)


class TailscaleOperator(ChartComponent):
    """The operator's Application, named ``<cluster>-operator`` on the tailnet when on a cluster; there also
    its namespace and OAuth client."""

    APP = "tailscale-operator"
    NAMESPACE = "tailscale"

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: TailscaleOperatorProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or TailscaleOperatorProps()
        super().__init__(scope, id, self.props, facts=facts, groups=groups)

    def render(self) -> None:
        values = dict(self.props.values)
        if self.facts is not None:
            values = merge_values(values, {"operatorConfig": {"hostname": f"{self.facts.cluster.name}-operator"}})
        HelmArgoApp(self, self.APP, self.app_props(values))

    def privileged_namespaces(self) -> tuple[str, ...]:
        return (self.NAMESPACE,)

    def sealed_configs(self) -> tuple[SealedConfigProps, ...]:
        return (self.props.oauth,)
