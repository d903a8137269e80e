"""TriliumNext Notes: a personal knowledge base, on the tailnet as ``notes``."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import HelmChart, Image
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from homelab import AppSpec, Context, Scope

NAMESPACE = "trilium"

TRILIUM = HelmArgoAppProps(
    owned_by=NAMESPACE,
    name="trilium-helm-chart",
    chart=HelmChart(repo_url="https://triliumnext.github.io/helm-charts", chart="trilium", version="1.x"),
)

STORAGE = LonghornStorageClassProps(name="trilium-data-sc", replicas=3, stale_replica_timeout=30)
DATA = VolumeClaimProps(name="trilium-data-pvc", namespace=NAMESPACE, size="10Gi", storage_class=STORAGE.name)


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "trilium", TRILIUM)


def thomelab(scope: Scope, ctx: Context) -> None:
    """Trilium v0.98.1 with its data on a three-replica Longhorn volume."""
    image = {**Image(name="triliumnext/notes", tag="v0.98.1").values(), "pullPolicy": "IfNotPresent"}
    values = {
        "controllers": {"main": {"containers": {"trilium": {"image": image}}}},
        "persistence": {"enabled": True, "existingClaim": DATA.name},
    }
    HelmArgoApp(scope, "trilium", replace(TRILIUM, values=values))
    LonghornStorageClass(scope, "storage", STORAGE)
    VolumeClaim(scope, "data", DATA)
    TailscaleIngress(
        scope,
        "ingress",
        TailscaleIngressProps(
            ingress_class=ctx.cluster.ingress_class,
            name="trilium",
            namespace=NAMESPACE,
            service=TRILIUM.name,
            hosts=("notes",),
            tags=("tag:k8s",),
            funnel=False,
        ),
    )


APP = AppSpec(name="trilium", directory="trillium-next", base=base, overlays={"thomelab": thomelab})
