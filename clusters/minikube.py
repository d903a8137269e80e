"""minikube: a local cluster for trying apps out before they reach thomelab."""

from __future__ import annotations

from homelab import Cluster

CLUSTER = Cluster(
    name="minikube",
    repo_url="https://github.com/roukydesbois/homelab",
    revision="main",
    tree_path="kustomize",
    tailnet="tail9a43.ts.net",
    default_storage_class="standard",
    builtin_storage_classes=("standard",),
    sealing_cert="clusters/certs/minikube.pem",
)
