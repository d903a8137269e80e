"""``ArgoCd``: Argo CD itself, reachable on the tailnet and told where the apps keep their Applications."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.helm_argo_app import HelmArgoApp
from constructs_lib.helm_values import merge_values
from constructs_lib.platform.component import ChartComponent, Groups, PlatformFacts
from constructs_lib.versions import HelmChart

#: The chart and the version the component pins (Renovate keeps it current).
CHART = HelmChart(repo_url="https://argoproj.github.io/argo-helm", chart="argo-cd", version="8.x")


@type_checked
@dataclass(frozen=True, kw_only=True)
class ArgoCdProps:
    """Argo CD, the Application ``argocd`` in ``argocd``, synced by hand (it updates itself)."""

    chart: HelmChart = CHART
    """The chart and its version (pinned here as :data:`CHART`; Renovate keeps it current)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Helm values merged over the derived ones (sign-in, RBAC, notifications, ...); none by default."""
    tailnet_ingress: bool = True
    """On a cluster: serve the UI on the tailnet as ``<cluster>-argocd`` through the cluster's ingress class
    (plain HTTP behind it); False leaves the chart's service alone."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        ArgoCd(scope, "argocd", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (ArgoCd.APP,)


class ArgoCd(ChartComponent):
    """Argo CD's Application. On a cluster its values derive ``configs.params`` — ``application.namespaces``
    from where the cluster's apps keep their Applications (``facts.application_namespaces``) — and the
    tailnet ingress; ``props.values`` are merged over them."""

    APP = "argocd"
    NAMESPACE = "argocd"
    SYNC = None

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: ArgoCdProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or ArgoCdProps()
        super().__init__(scope, id, self.props, facts=facts, groups=groups)

    def render(self) -> None:
        derived: dict[str, Any] = {}
        if self.facts is not None:
            c = self.facts.cluster
            params: dict[str, object] = {"server.insecure": True} if self.props.tailnet_ingress else {}
            if self.facts.application_namespaces:
                params["application.namespaces"] = ",".join(self.facts.application_namespaces)
            if self.props.tailnet_ingress:
                host = f"{c.name}-argocd"
                if c.tailnet:
                    derived["global"] = {"domain": f"{host}.{c.tailnet}"}
                derived["configs"] = {"params": params}
                derived["server"] = {
                    "ingress": {
                        "enabled": True,
                        "ingressClassName": c.ingress_class,
                        "hostname": host,
                        "extraTls": [{"hosts": [host]}],
                    }
                }
            elif params:
                derived["configs"] = {"params": params}
        HelmArgoApp(self, self.APP, self.app_props(merge_values(derived, dict(self.props.values))))
