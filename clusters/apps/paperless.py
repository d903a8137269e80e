"""Paperless-ngx: document archive with OCR, from its docker-compose setup (kompose-converted).

Five services — webserver, PostgreSQL (``db``), Redis (``broker``), Gotenberg and Tika — each a
Deployment and a Service labelled ``io.kompose.service: <name>`` as kompose wrote them.
"""

from __future__ import annotations

from dataclasses import replace

from constructs import Construct

from clusters.site import EVORA
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.storage import NfsVolume, NfsVolumeProps
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from constructs_lib.workloads import (
    Container,
    Deployment,
    DeploymentProps,
    Mount,
    PodSpec,
    Port,
    Service,
    ServicePort,
    ServiceProps,
    claim_volume,
    env_secret,
    env_value,
)
from homelab import AppSpec, Context

NAMESPACE = "paperless"
KOMPOSE = {"kompose.cmd": "kompose convert -f docker-compose.yml", "kompose.version": "1.37.0 (HEAD)"}


def service_labels(service: str) -> dict[str, str]:
    return {"io.kompose.service": service}


#: Claims of the base, by name: size.
CLAIMS = {"redisdata": "100Mi", "data": "5Gi", "pgdata": "500Mi", "consume": "5Gi", "export": "1Gi"}

DB_SECRET = SealedConfigProps(
    name="paperless-db-secret",
    namespace=NAMESPACE,
    keys=("POSTGRES_DB", "POSTGRES_PASSWORD", "POSTGRES_USER"),
    kubeseal_style=False,
)
CONFIG_SECRET = SealedConfigProps(
    name="paperless-config-secret", namespace=NAMESPACE, keys=("PAPERLESS_URL",), kubeseal_style=False
)
KEYCLOAK_SECRET = SealedConfigProps(
    name="paperless-keycloak-config-secret",
    namespace=NAMESPACE,
    keys=("PAPERLESS_SOCIALACCOUNT_PROVIDERS",),
    kubeseal_style=False,
)
MEDIA = NfsVolumeProps(
    name="nfs-pv-paperless-media",
    server=EVORA,
    path="/export/paperless-media",
    size="100Gi",
    claim_name="media",
    claim_labels=service_labels("media"),
)

WEBSERVER = Container(
    name="webserver",
    image="ghcr.io/paperless-ngx/paperless-ngx:latest",
    env=(
        env_value("PAPERLESS_DBHOST", "db"),
        env_value("PAPERLESS_REDIS", "redis://broker:6379"),
        env_value("PAPERLESS_TIKA_ENABLED", "1"),
        env_value("PAPERLESS_TIKA_ENDPOINT", "http://tika:9998"),
        env_value("PAPERLESS_TIKA_GOTENBERG_ENDPOINT", "http://gotenberg:3000"),
    ),
    ports=(Port(container_port=8000, protocol="TCP"),),
    mounts=tuple(
        Mount(volume=name, path=f"/usr/src/paperless/{name}") for name in ("data", "media", "export", "consume")
    ),
)
DB = Container(
    name="db",
    image="docker.io/library/postgres:17",
    env=(env_value("POSTGRES_DB", "paperless"),),
    mounts=(Mount(volume="pgdata", path="/var/lib/postgresql/data"),),
)
BROKER = Container(
    name="broker",
    image="docker.io/library/redis:8",
    security_context={"runAsUser": 999, "runAsGroup": 999},
    mounts=(Mount(volume="redisdata", path="/data"),),
)
GOTENBERG = Container(
    name="gotenberg",
    image="docker.io/gotenberg/gotenberg:8.22",
    args=("gotenberg", "--chromium-disable-javascript=true", "--chromium-allow-list=file:///tmp/.*"),
)
TIKA = Container(name="tika", image="docker.io/apache/tika:latest")

#: Service name → (container, Recreate strategy?, pod security context, service port name, port).
SERVICES: dict[str, tuple[Container, bool, dict[str, int] | None, str, int]] = {
    "webserver": (WEBSERVER, True, None, "http", 8000),
    "db": (DB, True, None, "postgresql", 5432),
    "broker": (BROKER, True, {"fsGroup": 999}, "redis", 6379),
    "gotenberg": (GOTENBERG, False, None, "gotenberg", 3000),
    "tika": (TIKA, False, None, "tika", 9998),
}


def _compose(scope: Construct, containers: dict[str, Container]) -> None:
    for claim, size in CLAIMS.items():
        VolumeClaim(scope, f"claim-{claim}", VolumeClaimProps(name=claim, size=size, labels=service_labels(claim)))
    for name, (_, recreate, pod_security, port_name, port) in SERVICES.items():
        container = containers[name]
        labels = service_labels(name)
        pod = PodSpec(
            containers=(container,),
            volumes=tuple(claim_volume(m.volume, m.volume) for m in container.mounts),
            restart_policy="Always",
            security_context=pod_security,
        )
        Deployment(
            scope,
            name,
            DeploymentProps(
                name=name,
                labels=labels,
                annotations=KOMPOSE,
                selector=labels,
                pod_annotations=KOMPOSE,
                strategy="Recreate" if recreate else None,
                pod=pod,
            ),
        )
        Service(
            scope,
            f"{name}-service",
            ServiceProps(
                name=name,
                labels=labels,
                annotations=KOMPOSE,
                selector=labels,
                ports=(ServicePort(name=port_name, port=port, target_port=port),),
            ),
        )


def base(scope: Construct) -> None:
    _compose(scope, {name: spec[0] for name, spec in SERVICES.items()})


def thomelab(scope: Construct, ctx: Context) -> None:
    """Paperless with its media on the workstation's NFS export, credentials sealed, Keycloak sign-in."""
    db = replace(
        DB,
        env=(
            *DB.env,
            env_secret("POSTGRES_USER", DB_SECRET.name),
            env_secret("POSTGRES_PASSWORD", DB_SECRET.name),
            env_value("PGDATA", "/var/lib/postgresql/pgdata"),
        ),
        mounts=(Mount(volume="pgdata", path="/var/lib/postgresql"),),
    )
    webserver = replace(
        WEBSERVER,
        env=(
            *WEBSERVER.env,
            env_secret("PAPERLESS_DBUSER", DB_SECRET.name, "POSTGRES_USER"),
            env_secret("PAPERLESS_DBPASS", DB_SECRET.name, "POSTGRES_PASSWORD"),
            env_secret("PAPERLESS_URL", CONFIG_SECRET.name),
            env_secret("PAPERLESS_SOCIALACCOUNT_PROVIDERS", KEYCLOAK_SECRET.name),
            env_value("PAPERLESS_APPS", "allauth.socialaccount.providers.openid_connect"),
        ),
    )
    NfsVolume(scope, "media", MEDIA)
    for props in (DB_SECRET, CONFIG_SECRET, KEYCLOAK_SECRET):
        SealedConfig(scope, props.name, props, store=ctx.sealed)
    _compose(scope, {**{name: spec[0] for name, spec in SERVICES.items()}, "db": db, "webserver": webserver})
    TailscaleIngress(
        scope,
        "ingress",
        TailscaleIngressProps(
            ingress_class=ctx.cluster.ingress_class,
            name="paperless",
            namespace=NAMESPACE,
            service="webserver",
            hosts=("paperless",),
            funnel=False,
        ),
    )


APP = AppSpec(name="paperless", directory="paperless-ngx", base=base, overlays={"thomelab": thomelab}, backup=True)
