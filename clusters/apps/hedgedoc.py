"""HedgeDoc: collaborative markdown notes at ``doc``, signing in through Keycloak."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps
from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.pod import (
    Container,
    Mount,
    PodSpec,
    Port,
    Probe,
    claim_volume,
    config_map_volume,
    env_secret,
    env_value,
)
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import Image
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from homelab import AppSpec, Context, Scope

NAMESPACE = "hedgedoc"
LABELS = {"app": "hedgedoc"}
CERTS = Path(__file__).resolve().parent.parent / "files" / "letsencrypt"

DB_STORAGE = LonghornStorageClassProps(name="hedgedoc-db-sc", replicas=1)
DATABASE = CnpgDatabaseProps(
    name="hedgedoc-pg",
    namespace=NAMESPACE,
    instances=3,
    start_delay=30,
    stop_delay=100,
    storage_class=DB_STORAGE.name,
    storage_size="8Gi",
)
UPLOADS = VolumeClaimProps(name="hedgedoc-uploads", namespace=NAMESPACE, size="5Gi")
CONFIG = SealedConfigProps(
    name="hedgedoc-config",
    namespace=NAMESPACE,
    keys=(
        "CMD_DOMAIN",
        "CMD_OAUTH2_AUTHORIZATION_URL",
        "CMD_OAUTH2_CLIENT_ID",
        "CMD_OAUTH2_CLIENT_SECRET",
        "CMD_OAUTH2_TOKEN_URL",
        "CMD_OAUTH2_USER_PROFILE_URL",
    ),
    type="Opaque",
    kubeseal_style=False,
)
#: Let's Encrypt's roots, so HedgeDoc's Node.js trusts Keycloak's certificate.
LETSENCRYPT_CA = ConfigMapProps(
    name="letsencrypt-root-ca",
    namespace=NAMESPACE,
    data={
        "isrg-root-x1.pem": (CERTS / "isrg-root-x1.pem").read_text(),
        "isrg-root-x2.pem": (CERTS / "isrg-root-x2.pem").read_text(),
        "ca-bundle.pem": (CERTS / "isrg-root-x1.pem").read_text() + (CERTS / "isrg-root-x2.pem").read_text(),
    },
)

HEDGEDOC = Container(
    name="hedgedoc",
    image=Image(name="quay.io/hedgedoc/hedgedoc", tag="1.10.3"),
    ports=(Port(container_port=3000, name="http"),),
    env=tuple(DATABASE.env({"CMD_DB_URL": "uri"})),
    mounts=(Mount(volume="uploads", path="/hedgedoc/public/uploads"),),
    liveness=Probe(http_path="/status", port=3000, initial_delay_seconds=120, period_seconds=10),
    readiness=Probe(http_path="/status", port=3000, initial_delay_seconds=30, period_seconds=5),
    requests={"memory": "256Mi", "cpu": "100m"},
    limits={"memory": "512Mi", "cpu": "500m"},
)
POD = PodSpec(containers=(HEDGEDOC,), volumes=(claim_volume("uploads", UPLOADS.name),))
PLAN = DeploymentProps(name="hedgedoc", namespace=NAMESPACE, selector=LABELS, replicas=1, pod=POD)

#: Keycloak sign-in: HedgeDoc's OAuth2 settings, the secret ones from ``hedgedoc-config``.
OAUTH_ENV = (
    env_secret("CMD_DOMAIN", CONFIG.name),
    env_secret("CMD_OAUTH2_USER_PROFILE_URL", CONFIG.name),
    env_value("CMD_OAUTH2_USER_PROFILE_USERNAME_ATTR", "preferred_username"),
    env_value("CMD_OAUTH2_USER_PROFILE_DISPLAY_NAME_ATTR", "name"),
    env_value("CMD_OAUTH2_USER_PROFILE_EMAIL_ATTR", "email"),
    env_secret("CMD_OAUTH2_TOKEN_URL", CONFIG.name),
    env_secret("CMD_OAUTH2_AUTHORIZATION_URL", CONFIG.name),
    env_secret("CMD_OAUTH2_CLIENT_ID", CONFIG.name),
    env_secret("CMD_OAUTH2_CLIENT_SECRET", CONFIG.name),
    env_value("CMD_OAUTH2_PROVIDER_NAME", "Keycloak"),
    env_value("CMD_OAUTH2_SCOPE", "openid email profile"),
    env_value("CMD_PROTOCOL_USESSL", "true"),
    env_value("CMD_URL_ADDPORT", "false"),
    env_value("CMD_EMAIL", "false"),
    env_value("CMD_ALLOW_EMAIL_REGISTER", "false"),
    env_value("NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/ca-bundle.pem"),
)


def _workloads(scope: Scope, deployment: DeploymentProps) -> None:
    VolumeClaim(scope, "uploads", UPLOADS)
    Deployment(scope, "hedgedoc", deployment)
    Service(
        scope,
        "service",
        ServiceProps(
            name="hedgedoc",
            namespace=NAMESPACE,
            type="ClusterIP",
            selector=LABELS,
            ports=(ServicePort(port=3000, target_port=3000, name="http"),),
        ),
    )


def base(scope: Scope) -> None:
    _workloads(scope, PLAN)


def thomelab(scope: Scope, ctx: Context) -> None:
    """HedgeDoc on its own PostgreSQL, public through Funnel as ``doc``, signing in with Keycloak."""
    container = replace(
        HEDGEDOC,
        env=HEDGEDOC.env + OAUTH_ENV,
        mounts=(
            *HEDGEDOC.mounts,
            Mount(
                volume="letsencrypt-ca", path="/etc/ssl/certs/ca-bundle.pem", sub_path="ca-bundle.pem", read_only=True
            ),
        ),
    )
    pod = replace(
        POD, containers=(container,), volumes=(*POD.volumes, config_map_volume("letsencrypt-ca", LETSENCRYPT_CA.name))
    )
    ConfigMap(scope, "letsencrypt-ca", LETSENCRYPT_CA)
    SealedConfig(scope, "config", CONFIG, store=ctx.sealed)
    LonghornStorageClass(scope, "db-storage", DB_STORAGE)
    CnpgDatabase(scope, "database", DATABASE)
    TailscaleIngress(
        scope,
        "ingress",
        TailscaleIngressProps(
            ingress_class=ctx.cluster.ingress_class,
            name="ts-hedgedoc",
            namespace=NAMESPACE,
            service="hedgedoc",
            hosts=("doc",),
            funnel=True,
        ),
    )
    _workloads(scope, replace(PLAN, pod=pod))


APP = AppSpec(name="hedgedoc", base=base, overlays={"thomelab": thomelab}, backup=True)
