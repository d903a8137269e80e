"""minikube: a local cluster for trying Keycloak and Immich before they reach thomelab."""

from __future__ import annotations

from clusters import small_cluster
from clusters.apps import immich, keycloak
from constructs_lib.sync_policy import SyncPolicy
from homelab import Cluster, ClusterPlan

CLUSTER = Cluster(
    name="minikube",
    repo_url="https://github.com/roukydesbois/homelab",
    revision="main",
    tree_path="kustomize",
    tailnet="tail9a43.ts.net",
    builtin_storage_classes=("standard",),
    sealing_cert="clusters/certs/minikube.pem",
)

PLAN = ClusterPlan(
    cluster=CLUSTER,
    apps=(keycloak.APP, immich.APP),
    app_sync=SyncPolicy(options=()),
    platform=small_cluster.PLATFORM,
)
