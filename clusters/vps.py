"""vps: an external VPS cluster running Odoo for LSS."""

from __future__ import annotations

from clusters import small_cluster
from clusters.apps import nextcloud_vps, odoo
from homelab import Cluster, ClusterPlan

CLUSTER = Cluster(
    name="vps",
    repo_url="https://github.com/roukydesbois/homelab.git",
    revision="main",
    tree_path="kustomize",
    tailnet="tail9a43.ts.net",
    sealing_cert="clusters/certs/vps.pem",
)

PLAN = ClusterPlan(cluster=CLUSTER, apps=(odoo.APP,), disabled=(nextcloud_vps.APP,), platform=small_cluster.PLATFORM)
