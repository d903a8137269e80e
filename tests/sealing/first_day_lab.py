"""A new cluster's first day: one cluster, ``garage``, rooted at $HOMELAB_TEST_ROOT, nothing sealed yet.

Two apps need three sealed values; the core runs Argo CD and the sealed-secrets controller. The
certificate is where a cluster's is by default (``clusters/certs/garage.pem``), the store too.
"""

from __future__ import annotations

import os
from pathlib import Path

from constructs import Construct

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.versions import HelmChart
from homelab import AppSpec, Cluster, ClusterPlan, Context, Homelab

GARAGE = Cluster(name="garage", repo_url="https://git.example/garage")
ADMIN = SealedConfigProps(name="miniflux-admin", namespace="miniflux", keys=("username", "password"))
WEBHOOK = SealedConfigProps(name="notify", namespace="uptime", keys=("webhook",), sealing_scope="namespace-wide")
ARGOCD = HelmArgoAppProps(
    name="argocd",
    chart=HelmChart(repo_url="https://argoproj.github.io/argo-helm", chart="argo-cd", version="8.x"),
    destination_namespace="argocd",
    values={"configs": {"params": {"server.insecure": True}}},
)
SEALED_SECRETS = HelmArgoAppProps(
    name="sealed-secrets",
    chart=HelmChart(repo_url="https://bitnami-labs.github.io/sealed-secrets", chart="sealed-secrets", version="2.17.x"),
    destination_namespace="kube-system",
)


def nothing(scope: Construct) -> None:
    """Sealed values are per cluster: the bases are empty."""


def core(scope: Construct, ctx: Context) -> None:
    HelmArgoApp(scope, "argocd", ARGOCD)
    HelmArgoApp(scope, "sealed-secrets", SEALED_SECRETS)


def miniflux(scope: Construct, ctx: Context) -> None:
    SealedConfig(scope, "admin", ADMIN, store=ctx.sealed)


def uptime(scope: Construct, ctx: Context) -> None:
    SealedConfig(scope, "notify", WEBHOOK, store=ctx.sealed)


CORE = AppSpec(name="core-argocd-apps", base=nothing, overlays={"garage": core})
MINIFLUX = AppSpec(name="miniflux", base=nothing, overlays={"garage": miniflux})
UPTIME = AppSpec(name="uptime", base=nothing, overlays={"garage": uptime})


def lab() -> Homelab:
    """Built on each call: the root comes from the environment the test set."""
    return Homelab(
        root=Path(os.environ["HOMELAB_TEST_ROOT"]),
        core=CORE,
        clusters=(ClusterPlan(cluster=GARAGE, apps=(MINIFLUX, UPTIME)),),
    )
