"""vps: an external VPS cluster running Odoo for LSS."""

from __future__ import annotations

from homelab import Cluster

CLUSTER = Cluster(
    name="vps",
    repo_url="https://github.com/roukydesbois/homelab",
    revision="main",
    tree_path="kustomize",
    tailnet="tail9a43.ts.net",
    default_storage_class="longhorn",
    sealing_cert="clusters/certs/vps.pem",
)
