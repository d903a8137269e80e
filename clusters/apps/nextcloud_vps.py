"""Nextcloud for the VPS: the upstream chart with its defaults, kept ready but not deployed."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.versions import HelmChart
from homelab import AppSpec, Context, Scope

NEXTCLOUD = HelmArgoAppProps(
    name="nextcloud",
    destination_namespace="nextcloud",
    chart=HelmChart(repo_url="https://nextcloud.github.io/helm/", chart="nextcloud", version="6.x"),
    release_name="nextcloud",
)


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "nextcloud", NEXTCLOUD)


def vps(scope: Scope, ctx: Context) -> None:
    """Nextcloud in its own project on the VPS."""
    HelmArgoApp(scope, "nextcloud", replace(NEXTCLOUD, project="nextcloud"))


APP = AppSpec(
    name="nextcloud-vps",
    directory="nextcloud-vps",
    namespace="nextcloud",
    project="nextcloud",
    base=base,
    overlays={"vps": vps},
    cascade_delete=True,
)
