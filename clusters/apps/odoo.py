"""Odoo (Bitnami chart) for LSS on the VPS, with its own CloudNativePG database, public through Funnel."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import HelmChart
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from homelab import AppSpec, Context, Scope

ODOO = HelmArgoAppProps(
    name="odoo",
    destination_namespace="odoo",
    chart=HelmChart(repo_url="registry-1.docker.io/bitnamicharts", chart="odoo", version="28.x"),
    release_name="odoo",
)

NAMESPACE = "odoo-v2"
DATABASE = CnpgDatabaseProps(name="odoo-db", namespace=NAMESPACE, instances=2, storage_size="10Gi")
DATA = VolumeClaimProps(name="odoo-data", namespace=NAMESPACE, size="10Gi")


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "odoo", ODOO)


def vps(scope: Scope, ctx: Context) -> None:
    """LSS's Odoo in ``odoo-v2``: data on a claim, the database from CNPG's generated ``odoo-db-app`` secret."""
    values = {
        "odooEmail": "admin@lss.org",
        "replicaCount": 1,
        "resourcesPreset": "small",
        "persistence": {"existingClaim": DATA.name},
        "postgresql": {"enabled": False},
        "externalDatabase": {
            "host": DATABASE.rw_service,
            "port": 5432,
            "user": DATABASE.user,
            "database": DATABASE.database,
            "create": False,
            "existingSecret": DATABASE.app_secret,
            "existingSecretPasswordKey": DATABASE.secret_key("password"),
        },
    }
    CnpgDatabase(scope, "database", DATABASE)
    VolumeClaim(scope, "data", DATA)
    HelmArgoApp(scope, "odoo", replace(ODOO, project="lss-v2", destination_namespace=NAMESPACE, values=values))
    TailscaleIngress(
        scope,
        "ingress",
        TailscaleIngressProps(
            ingress_class=ctx.cluster.ingress_class,
            name="ts-odoo",
            namespace=NAMESPACE,
            service="odoo",
            hosts=("odoo-v2",),
            funnel=True,
        ),
    )


APP = AppSpec(
    name="odoo-lss-v2",
    directory="odoo",
    namespace=NAMESPACE,
    project="lss-v2",
    base=base,
    overlays={"vps": vps},
    cascade_delete=True,
)
