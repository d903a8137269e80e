"""Paperless-ngx: document archive with OCR, from its docker-compose setup (kompose-converted).

Five services — webserver, PostgreSQL (``db``), Redis (``broker``), Gotenberg and Tika — each a
Deployment and a Service labelled ``io.kompose.service: <name>`` as kompose wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from clusters.site import EVORA
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.nfs_volume import NfsVolume, NfsVolumeProps
from constructs_lib.pod import Container, Mount, PodSpec, Port, claim_volume, env_secret, env_value
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import Image
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from homelab import AppSpec, Context, Scope

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
    image=Image(name="ghcr.io/paperless-ngx/paperless-ngx", tag="latest"),
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
    image=Image(name="docker.io/library/postgres", tag="17"),
    env=(env_value("POSTGRES_DB", "paperless"),),
    mounts=(Mount(volume="pgdata", path="/var/lib/postgresql/data"),),
)
BROKER = Container(
    name="broker",
    image=Image(name="docker.io/library/redis", tag="8"),
    security_context={"runAsUser": 999, "runAsGroup": 999},
    mounts=(Mount(volume="redisdata", path="/data"),),
)
GOTENBERG = Container(
    name="gotenberg",
    image=Image(name="docker.io/gotenberg/gotenberg", tag="8.22"),
    args=("gotenberg", "--chromium-disable-javascript=true", "--chromium-allow-list=file:///tmp/.*"),
)
TIKA = Container(name="tika", image=Image(name="docker.io/apache/tika", tag="latest"))


@dataclass(frozen=True, kw_only=True)
class ComposeService:
    """One docker-compose service as kompose converted it: a Deployment and a Service of one name."""

    container: Container
    """The service's container; its name is the service's."""
    port_name: str
    """Name of the Service port."""
    port: int
    """Port of the Service and of the container."""
    recreate: bool = False
    """Replace pods with the Recreate strategy (services holding a volume); rolling updates by default."""
    pod_security: dict[str, int] | None = None
    """Pod security context; none by default."""


SERVICES = (
    ComposeService(container=WEBSERVER, port_name="http", port=8000, recreate=True),
    ComposeService(container=DB, port_name="postgresql", port=5432, recreate=True),
    ComposeService(container=BROKER, port_name="redis", port=6379, recreate=True, pod_security={"fsGroup": 999}),
    ComposeService(container=GOTENBERG, port_name="gotenberg", port=3000),
    ComposeService(container=TIKA, port_name="tika", port=9998),
)


def _compose(scope: Scope, services: tuple[ComposeService, ...]) -> None:
    for claim, size in CLAIMS.items():
        VolumeClaim(scope, f"claim-{claim}", VolumeClaimProps(name=claim, size=size, labels=service_labels(claim)))
    for service in services:
        container = service.container
        labels = service_labels(container.name)
        pod = PodSpec(
            containers=(container,),
            volumes=tuple(claim_volume(m.volume, m.volume) for m in container.mounts),
            restart_policy="Always",
            security_context=service.pod_security,
        )
        Deployment(
            scope,
            container.name,
            DeploymentProps(
                name=container.name,
                labels=labels,
                annotations=KOMPOSE,
                selector=labels,
                replicas=1,
                pod_annotations=KOMPOSE,
                strategy="Recreate" if service.recreate else None,
                pod=pod,
            ),
        )
        Service(
            scope,
            f"{container.name}-service",
            ServiceProps(
                name=container.name,
                labels=labels,
                annotations=KOMPOSE,
                selector=labels,
                ports=(ServicePort(name=service.port_name, port=service.port, target_port=service.port),),
            ),
        )


def base(scope: Scope) -> None:
    _compose(scope, SERVICES)


def thomelab(scope: Scope, ctx: Context) -> None:
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
    changed = {c.name: c for c in (db, webserver)}
    _compose(scope, tuple(replace(s, container=changed.get(s.container.name, s.container)) for s in SERVICES))
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
