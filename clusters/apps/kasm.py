"""Kasm Workspaces: browser-based desktops, its chart from Kasm's git repository."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.helm_values import merge_values
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.tailscale_ingress import IngressPath, TailscaleIngress, TailscaleIngressProps
from homelab import AppSpec, Context, Scope

NAMESPACE = "kasm"

KASM = GitArgoAppProps(
    owned_by=NAMESPACE,
    name="kasm-helm-chart",
    repo_url="https://github.com/kasmtech/kasm-helm",
    revision="1.x",
    path="kasm-single-zone",
    release_name="kasm",
    values={"global": {"namespace": NAMESPACE}},
    sync=SyncPolicy(options=("ApplyOutOfSyncOnly=true", "CreateNamespace=true")),
)


def base(scope: Scope) -> None:
    GitArgoApp(scope, "kasm", KASM)


def thomelab(scope: Scope, ctx: Context) -> None:
    """Kasm as tailnet machine ``kasm``: the proxy, its API and the sharing service behind one Ingress."""
    GitArgoApp(scope, "kasm", replace(KASM, values=merge_values(KASM.values, {"global": {"hostname": "kasm"}})))
    TailscaleIngress(
        scope,
        "ingress",
        TailscaleIngressProps(
            ingress_class=ctx.cluster.ingress_class,
            name="kasm",
            hosts=("kasm",),
            funnel=False,
            paths=(
                IngressPath(path="/", service="kasm-proxy", port=8080),
                IngressPath(path="/api/", service="kasm-api", port=8080),
                IngressPath(path="/api/share/", service="kasm-share", port=8182),
            ),
        ),
    )


APP = AppSpec(name="kasm", base=base, overlays={"thomelab": thomelab})
