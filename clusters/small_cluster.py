"""The core apps of a small cluster (minikube, the VPS): what the apps need, without the home extras.

No Intel GPU plugins, descheduler, Velero backups or kubelet certificate approver; Argo CD
reachable on the tailnet and told where the apps keep their Applications; the Tailscale
operator with the cluster's own OAuth client.
"""

from __future__ import annotations

from dataclasses import replace

from constructs import Construct

from clusters.apps import core
from constructs_lib.helm_values import merge_values
from constructs_lib.namespace import PRIVILEGED, Namespace
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from homelab import Context

DROPPED = ("intel-device-plugins-operator", "descheduler", "velero", "kubelet-serving-certificate-approver")
TAILSCALE_OAUTH = SealedConfigProps(
    name="operator-oauth", namespace="tailscale", keys=("client_id", "client_secret"), type="Opaque"
)


def core_overlay(scope: Construct, ctx: Context) -> None:
    c = ctx.cluster
    argocd_host = f"{c.name}-argocd"
    changed = {
        core.ARGOCD.name: replace(
            core.ARGOCD,
            values={
                "global": {"domain": f"{argocd_host}.{c.tailnet}"},
                "configs": {"params": core.argocd_params(ctx)},
                "server": {
                    "ingress": {
                        "enabled": True,
                        "ingressClassName": c.ingress_class,
                        "hostname": argocd_host,
                        "extraTls": [{"hosts": [argocd_host]}],
                    }
                },
            },
        ),
        core.TAILSCALE_OPERATOR.name: replace(
            core.TAILSCALE_OPERATOR,
            values=merge_values(core.TAILSCALE_OPERATOR.values, {"operatorConfig": {"hostname": f"{c.name}-operator"}}),
        ),
    }
    core.build(scope, tuple(changed.get(p.name, p) for p in core.without(*DROPPED)))
    for ns in ("longhorn-system", "tailscale"):
        Namespace(scope, f"ns-{ns}", name=ns, labels=PRIVILEGED)
    SealedConfig(scope, "tailscale-oauth", TAILSCALE_OAUTH, store=ctx.sealed)
