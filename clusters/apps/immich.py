"""Immich: photo library, backed by a pgvecto.rs PostgreSQL and an NFS share of originals."""

from __future__ import annotations

from dataclasses import replace

from clusters.site import EVORA, NAS
from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps, InitDb, SecretKey
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.helm_values import merge_values
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.nfs_volume import NfsVolume, NfsVolumeProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import HelmChart, Image
from homelab import AppSpec, Context, Scope

NAMESPACE = "immich"

IMMICH = HelmArgoAppProps(
    owned_by=NAMESPACE,
    name="immich-helm-chart",
    chart=HelmChart(repo_url="https://immich-app.github.io/immich-charts", chart="immich", version="0.10.x"),
    release_name="immich",
    values={"valkey": {"enabled": True}},
    sync=SyncPolicy(options=("ApplyOutOfSyncOnly=true", "CreateNamespace=true")),
)

DB_STORAGE = LonghornStorageClassProps(name="immich-db-sc", replicas=1)

DATABASE = CnpgDatabaseProps(
    name="immich-pg",
    namespace=NAMESPACE,
    instances=3,
    image_name=Image(name="ghcr.io/tensorchord/cloudnative-pgvecto.rs", tag="16.5-v0.3.0"),
    start_delay=30,
    stop_delay=100,
    shared_preload_libraries=("vectors.so",),
    enable_alter_system=True,
    storage_class=DB_STORAGE.name,
    storage_size="8Gi",
    bootstrap=InitDb(
        database="immich",
        owner="immich",
        data_checksums=True,
        post_init_sql=("ALTER USER immich WITH SUPERUSER;",),
        post_init_application_sql=(
            'ALTER SYSTEM SET search_path TO "$user", public, vectors;',
            'SET search_path TO "$user", public, vectors;',
            'CREATE EXTENSION IF NOT EXISTS "vectors";',
            'CREATE EXTENSION IF NOT EXISTS "cube";',
            'CREATE EXTENSION IF NOT EXISTS "earthdistance";',
            'ALTER SCHEMA vectors OWNER TO "immich";',
            'GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA vectors TO "immich";',
            'GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO "immich";',
        ),
    ),
)

#: Immich's DB_* variables, from the database's generated secret.
DB_ENV: dict[str, SecretKey] = {
    "DB_HOSTNAME": "host",
    "DB_PASSWORD": "password",
    "DB_USERNAME": "username",
    "DB_DATABASE_NAME": "dbname",
}

LIBRARY = NfsVolumeProps(
    name="nfs-pv-immich", server=NAS, path="/export/immich-pictures", size="500Gi", claim_name="immich-library"
)

INGRESS = TailscaleIngressProps(
    name="ts-immich", namespace=NAMESPACE, service="immich-server", hosts=("photos",), funnel=True
)


#: The chart sets only tags; the image names tell Renovate where the versions come from.
SERVER_ON_THOMELAB = Image(name="ghcr.io/immich-app/immich-server", tag="v2.1.0")
SERVER_ON_MINIKUBE = Image(name="ghcr.io/immich-app/immich-server", tag="v2.0.1")


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "immich", IMMICH)


def _with_storage(scope: Scope, ctx: Context, app: HelmArgoAppProps, library: NfsVolumeProps) -> None:
    LonghornStorageClass(scope, "db-storage", DB_STORAGE)
    NfsVolume(scope, "library", library)
    CnpgDatabase(scope, "database", DATABASE)
    HelmArgoApp(scope, "immich", app)
    TailscaleIngress(scope, "ingress", replace(INGRESS, ingress_class=ctx.cluster.ingress_class))


def thomelab(scope: Scope, ctx: Context) -> None:
    """Immich 2.1 with the library on the NAS."""
    values = {
        "immich": {"persistence": {"library": {"existingClaim": LIBRARY.claim_name}}},
        "controllers": {"main": {"containers": {"main": {"image": {"tag": SERVER_ON_THOMELAB.tag}}}}},
        "server": {"controllers": {"main": {"containers": {"main": {"env": DATABASE.env_map(DB_ENV)}}}}},
    }
    _with_storage(scope, ctx, replace(IMMICH, values=merge_values(IMMICH.values, values)), LIBRARY)


def minikube(scope: Scope, ctx: Context) -> None:
    """Immich 2.0 with server and machine learning off: a database and storage test bed."""
    env = [
        *DATABASE.env(DB_ENV),
        {"name": "REDIS_HOSTNAME", "value": "immich-redis-master"},
        {"name": "IMMICH_MACHINE_LEARNING_URL", "value": "http://immich-machine-learning:3003"},
    ]
    values = {
        "image": {"tag": SERVER_ON_MINIKUBE.tag},
        "immich": {"persistence": {"library": {"existingClaim": LIBRARY.claim_name}}},
        "env": env,
        "server": {"enabled": False},
        "machine-learning": {"enabled": False},
    }
    library = replace(LIBRARY, server=EVORA, path="/mnt/immich-pictures")
    _with_storage(scope, ctx, replace(IMMICH, values=merge_values(IMMICH.values, values)), library)


#: Follows the immich-debug branch of the GitOps repository while the 0.10 chart is being debugged.
APP = AppSpec(
    name="immich",
    base=base,
    overlays={"thomelab": thomelab, "minikube": minikube},
    revision="immich-debug",
    backup=True,
)

#: A second Immich on thomelab, following the immich-0.10 branch, to rehearse the chart migration.
MIGRATION = AppSpec(name="immich-test", deploys=APP, revision="immich-0.10")
