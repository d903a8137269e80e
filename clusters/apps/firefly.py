"""Firefly III: personal finances — its database, the app, and the bank importer with a daily run."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.cron_job import CronJob, CronJobProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.pod import Container, Mount, PodSpec, env_value, secret_volume
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart, Image
from homelab import AppSpec, Context, Scope

NAMESPACE = "firefly"
SYNC = SyncPolicy(options=("PruneLast=true", "ApplyOutOfSyncOnly=true", "CreateNamespace=true"))


def app(name: str, chart: HelmChart) -> HelmArgoAppProps:
    """One of Firefly's charts, deployed in the firefly namespace and project."""
    return HelmArgoAppProps(owned_by=NAMESPACE, name=name, chart=chart, sync=SYNC)


DB = app(
    "firefly-db-chart",
    HelmChart(repo_url="https://firefly-iii.github.io/kubernetes", chart="firefly-db", version="0.x"),
)
FIREFLY = app(
    "firefly-iii-chart",
    HelmChart(repo_url="https://firefly-iii.github.io/kubernetes", chart="firefly-iii", version="1.x"),
)
IMPORTER = app(
    "importer-chart", HelmChart(repo_url="https://firefly-iii.github.io/kubernetes", chart="importer", version="1.x")
)

STORAGE = LonghornStorageClassProps(name="firefly-config", replicas=3, stale_replica_timeout=30)
CONFIG = SealedConfigProps(
    name="firefly-config",
    namespace=NAMESPACE,
    keys=(
        "APP_PASSWORD",
        "BACKUP_URL",
        "DBHOST",
        "DBNAME",
        "DBPORT",
        "DBUSER",
        "DB_CONNECTION",
        "DB_DATABASE",
        "DB_HOST",
        "DB_PASSWORD",
        "DB_PORT",
        "DB_USERNAME",
        "FIREFLY_III_ACCESS_TOKEN",
        "IMPORT_DIR_ALLOWLIST",
        "NORDIGEN_ID",
        "NORDIGEN_KEY",
        "PGPASSWORD",
        "POSTGRES_HOST_AUTH_METHOD",
        "POSTGRES_PASSWORD",
        "POSTGRES_USER",
        "RESTORE_URL",
        "TZ",
        "accessToken",
    ),
    type="Opaque",
)
BANK_IMPORTS = SealedConfigProps(
    name="bank-imports",
    namespace=NAMESPACE,
    keys=("bank-import-1.json", "bank-import-2.json", "bank-import-3.json"),
    type="Opaque",
)
FIREFLY_URL = f"http://{FIREFLY.name}:80"


def base(scope: Scope) -> None:
    for props in (DB, FIREFLY, IMPORTER):
        HelmArgoApp(scope, props.name, props)


def _tailnet_ingress(host: str, ctx: Context) -> dict[str, object]:
    return {"enabled": True, "className": ctx.cluster.ingress_class, "hosts": [host], "tls": [{"hosts": [host]}]}


def thomelab(scope: Scope, ctx: Context) -> None:
    """Firefly on Longhorn, its settings sealed, the importer reading three bank configurations daily at 18:00."""
    bank_volume = secret_volume("bank-imports", BANK_IMPORTS.name, BANK_IMPORTS.keys)
    db = {
        "backup": {"destination": "pvc", "pvc": {"class": STORAGE.name}},
        "configs": {"existingSecret": CONFIG.name, "TZ": "Europe/Paris"},
        "storage": {"class": STORAGE.name},
    }
    firefly = {
        "config": {"existingSecret": CONFIG.name},
        "persistence": {"storageClassName": STORAGE.name},
        "ingress": _tailnet_ingress("firefly-iii", ctx),
    }
    importer = {
        "config": {"existingSecret": CONFIG.name, "files": {}},
        "persistence": {"storageClassName": STORAGE.name},
        "ingress": _tailnet_ingress("firefly-importer", ctx),
        "fireflyiii": {
            "url": FIREFLY_URL,
            "vanityUrl": f"https://firefly-iii.{ctx.cluster.tailnet}",
            "auth": {"existingSecret": CONFIG.name},
        },
        "additionalVolumes": [bank_volume],
        "additionalVolumeMounts": [{"name": "bank-imports", "mountPath": "/var/www/html/storage/configurations"}],
    }
    LonghornStorageClass(scope, "storage", STORAGE)
    SealedConfig(scope, "config", CONFIG, store=ctx.sealed)
    SealedConfig(scope, "bank-imports", BANK_IMPORTS, store=ctx.sealed)
    CronJob(
        scope,
        "auto-import",
        CronJobProps(
            name="auto-import-job",
            namespace=NAMESPACE,
            schedule="0 18 * * *",
            pod=PodSpec(
                restart_policy="Never",
                containers=(
                    Container(
                        name="data-importer-cli",
                        image=Image(name="fireflyiii/data-importer", tag="latest-cli"),
                        env_from_secrets=(CONFIG.name,),
                        env=(env_value("FIREFLY_III_URL", FIREFLY_URL), env_value("WEB_SERVER", "false")),
                        mounts=(Mount(volume="bank-imports", path="/import"),),
                    ),
                ),
                volumes=(bank_volume,),
            ),
        ),
    )
    for props, values in ((DB, db), (FIREFLY, firefly), (IMPORTER, importer)):
        HelmArgoApp(scope, props.name, replace(props, values=values))


APP = AppSpec(name="firefly", base=base, overlays={"thomelab": thomelab}, backup=True)
