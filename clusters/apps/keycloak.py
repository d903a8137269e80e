"""Keycloak (Bitnami chart): single sign-on for Argo CD, Nextcloud, HedgeDoc and Paperless."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart
from homelab import AppSpec, Context, Scope

NAMESPACE = "keycloak"

KEYCLOAK = HelmArgoAppProps(
    owned_by=NAMESPACE,
    name="keycloak-helm-chart",
    chart=HelmChart(repo_url="registry-1.docker.io/bitnamicharts", chart="keycloak", version="24.x"),
    sync=SyncPolicy(options=("ApplyOutOfSyncOnly=true", "CreateNamespace=true")),
)

STORAGE = LonghornStorageClassProps(name="keycloak-sc", replicas=3, stale_replica_timeout=30)

CONFIG = SealedConfigProps(
    name="keycloak-config", namespace=NAMESPACE, keys=("admin-keycloak-password", "password", "postgres-password")
)

#: Bitnami moved its free images to the bitnamilegacy repository; charts must be told to accept them.
LEGACY_IMAGES = {"security": {"allowInsecureImages": True}}


def values(ctx: Context, *, legacy_images: bool) -> dict[str, Any]:
    """Production Keycloak behind Tailscale Funnel as ``sso``, its admin and DB passwords from ``keycloak-config``."""
    out: dict[str, Any] = {}
    if legacy_images:
        out["image"] = {"repository": "bitnamilegacy/keycloak"}
    out["production"] = True
    out["global"] = {"defaultStorageClass": STORAGE.name, **(LEGACY_IMAGES if legacy_images else {})}
    out["auth"] = {"adminUser": "admin", "existingSecret": CONFIG.name, "passwordSecretKey": "admin-keycloak-password"}
    out["proxy"] = "edge"
    out["ingress"] = {
        "enabled": True,
        "ingressClassName": ctx.cluster.ingress_class,
        "hostname": f"sso.{ctx.cluster.tailnet}",
        "extraHosts": [{"name": "sso", "path": "/"}],
        "extraTls": [{"hosts": ["sso"]}],
        "annotations": {"tailscale.com/funnel": "true"},
    }
    postgresql: dict[str, Any] = {}
    if legacy_images:
        postgresql = {"global": LEGACY_IMAGES, "image": {"repository": "bitnamilegacy/postgresql"}}
    out["postgresql"] = {**postgresql, "auth": {"existingSecret": CONFIG.name}}
    return out


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "keycloak", KEYCLOAK)


def _overlay(scope: Scope, ctx: Context, *, legacy_images: bool) -> None:
    LonghornStorageClass(scope, "storage", STORAGE)
    SealedConfig(scope, "config", CONFIG, store=ctx.sealed)
    HelmArgoApp(scope, "keycloak", replace(KEYCLOAK, values=values(ctx, legacy_images=legacy_images)))


def thomelab(scope: Scope, ctx: Context) -> None:
    _overlay(scope, ctx, legacy_images=True)


def minikube(scope: Scope, ctx: Context) -> None:
    _overlay(scope, ctx, legacy_images=False)


APP = AppSpec(
    name="keycloak",
    directory="keycloak-bitnami",
    base=base,
    overlays={"thomelab": thomelab, "minikube": minikube},
    backup=True,
)
