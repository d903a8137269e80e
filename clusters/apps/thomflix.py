"""thomflix: the media stack — Transmission behind a Gluetun VPN, Jackett, FlareSolverr, Sonarr, Radarr,
Jellyfin, Jellyseerr and Homarr — sharing one NFS media library.

Most charts are TrueCharts'; they all get a config volume on the ``thomflix-config`` storage
class, and the *arr apps mount the library at ``/data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from clusters.site import NAS
from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.helm_values import merge_values
from constructs_lib.job import Job, JobProps
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.namespace import PRIVILEGED
from constructs_lib.nfs_volume import NfsVolume, NfsVolumeProps
from constructs_lib.pod import Container, Mount, PodSpec, claim_volume
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import HelmChart, Image
from homelab import AppSpec, Context, Scope

NAMESPACE = "thomflix"
SYNC = SyncPolicy(options=())
#: TrueCharts set hostUsers on their Deployments, which the cluster drops: not drift.
HOST_USERS = IgnoreDifference(group="apps", kind="Deployment", json_pointers=("/spec/template/spec/hostUsers",))

CONFIG_STORAGE = LonghornStorageClassProps(name="thomflix-config", replicas=2, stale_replica_timeout=30)
MEDIA = NfsVolumeProps(
    name="nfs-pv-thomflix", server=NAS, path="/export/thomflix-media", size="1.5Ti", claim_name="thomflix-media"
)
VPN = SealedConfigProps(
    name="gluetun-env",
    namespace=NAMESPACE,
    keys=(
        "SERVER_CITIES",
        "VPN_ENDPOINT_IP",
        "VPN_ENDPOINT_PORT",
        "VPN_SERVICE_PROVIDER",
        "VPN_TYPE",
        "WIREGUARD_ADDRESSES",
        "WIREGUARD_PRIVATE_KEY",
        "WIREGUARD_PUBLIC_KEY",
    ),
)
#: Sub-directories of the library that the download and media apps expect.
LIBRARY_DIRS = tuple(
    f"/mnt/data/{area}/{kind}" for area in ("torrents", "media") for kind in ("books", "movies", "music", "tv")
)
CHECK_SCRIPT = (Path(__file__).resolve().parent.parent / "files" / "thomflix" / "check-directories.sh").read_text()


@dataclass(frozen=True, kw_only=True)
class StackApp:
    """One app of the stack: its chart, and what it is on thomelab."""

    props: HelmArgoAppProps
    """The Application as every cluster starts from it."""
    thomelab_values: dict[str, Any] | None = None
    """Values replacing the app's own on thomelab; its own, with its volumes, when left out."""
    thomelab_extra: dict[str, Any] = field(default_factory=dict)
    """Values merged over the app's on thomelab (after its volumes); none by default."""
    ingress: tuple[str, str] | None = None
    """(tailnet host, Service port name) of the app's Ingress on thomelab; none by default."""


def truechart(
    chart: HelmChart, *, config_volume: bool = True, media: bool = False, values: dict[str, Any] | None = None
) -> HelmArgoAppProps:
    """A TrueCharts app (its Application named after the chart); labels mark which get a config volume and
    the media library (see :func:`thomelab`)."""
    labels = {"update-config": "yes"} if config_volume else {}
    if media:
        labels["add-thomflix-media"] = "yes"
    return HelmArgoAppProps(
        owned_by=NAMESPACE,
        name=chart.chart,
        chart=chart,
        values=values or {},
        labels=labels,
        sync=SYNC,
        ignore_differences=(HOST_USERS,),
    )


def _pvc(size: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "pvc",
        "namespace": NAMESPACE,
        "accessModes": "ReadWriteOnce",
        "size": size,
        "storageClass": CONFIG_STORAGE.name,
        **extra,
    }


def _transmission() -> dict[str, Any]:
    vpn_env = {
        key: {"secretKeyRef": {"name": VPN.name, "key": key, "expandObjectName": False}}
        for key in ("VPN_SERVICE_PROVIDER", "VPN_TYPE", "SERVER_CITIES", "WIREGUARD_PRIVATE_KEY", "WIREGUARD_ADDRESSES")
    }
    return {
        "persistence": {
            "config": {
                "enabled": True,
                "mountPath": "/config",
                **_pvc("500Mi"),
                "targetSelector": {"main": {"main": {}}},
            },
            "downloads": {
                "enabled": True,
                "mountPath": "/data/torrents",
                "type": "pvc",
                "namespace": NAMESPACE,
                "existingClaim": MEDIA.claim_name,
                "subPath": "data/torrents",
                "targetSelector": {"main": {"main": {}}},
            },
        },
        "addons": {
            "vpn": {
                "type": "gluetun",
                "killSwitch": True,
                "excludedNetworks_IPv4": ["10.244.0.0/16", "192.168.100.0/24", "149.88.20.206/32"],
                "excludedNetworks_IPv6": [],
                "env": vpn_env,
            }
        },
    }


NO_METRICS = {"metrics": {"main": {"enabled": False}}}
JELLYFIN_ON_THOMELAB = {
    "persistence": {
        "config": {"storageClass": CONFIG_STORAGE.name},
        "media": {"accessModes": "ReadWriteMany", "existingClaim": MEDIA.claim_name},
    },
    "securityContext": {"privileged": True, "capabilities": {"add": ["SYS_RAWIO"]}},
    "volumeMounts": [{"name": "dev-dri", "mountPath": "/dev/dri"}],
    "volumes": [{"name": "dev-dri", "hostPath": {"path": "/dev/dri"}}],
}

APPS = (
    StackApp(
        props=truechart(
            HelmChart(repo_url="oci.trueforge.org/truecharts", chart="transmission", version="23.x"),
            config_volume=False,
        ),
        thomelab_values=_transmission(),
        ingress=("thomflix-transmission", "main"),
    ),
    StackApp(props=truechart(HelmChart(repo_url="oci.trueforge.org/truecharts", chart="flaresolverr", version="15.x"))),
    StackApp(
        props=truechart(HelmChart(repo_url="oci.trueforge.org/truecharts", chart="jackett", version="23.x")),
        ingress=("thomflix-jackett", "main"),
    ),
    StackApp(
        props=truechart(
            HelmChart(repo_url="oci.trueforge.org/truecharts", chart="sonarr", version="23.x"),
            media=True,
            values=NO_METRICS,
        ),
        ingress=("thomflix-sonarr", "main"),
    ),
    StackApp(
        props=truechart(
            HelmChart(repo_url="oci.trueforge.org/truecharts", chart="radarr", version="23.x"),
            media=True,
            values=NO_METRICS,
        ),
        ingress=("thomflix-radarr", "main"),
    ),
    StackApp(
        props=HelmArgoAppProps(
            owned_by=NAMESPACE,
            name="jellyfin",
            chart=HelmChart(repo_url="https://jellyfin.github.io/jellyfin-helm", chart="jellyfin", version="2.x"),
            sync=SYNC,
        ),
        thomelab_values=JELLYFIN_ON_THOMELAB,
        ingress=("jellyfin", "http"),
    ),
    StackApp(
        props=truechart(HelmChart(repo_url="oci.trueforge.org/truecharts", chart="jellyseerr", version="12.x")),
        ingress=("thomflix", "main"),
    ),
    StackApp(
        props=truechart(HelmChart(repo_url="oci.trueforge.org/truecharts", chart="homarr", version="12.x")),
        thomelab_extra={"persistence": {"icons": _pvc("100Mi"), "data": _pvc("1Gi")}},
        ingress=("home", "main"),
    ),
)


def base(scope: Scope) -> None:
    for app in APPS:
        HelmArgoApp(scope, app.props.name, app.props)


def _on_thomelab(app: StackApp) -> HelmArgoAppProps:
    """The app's values on thomelab: its own (with its config volume and the library), or its replacement."""
    props = app.props
    if app.thomelab_values is not None:
        return replace(props, values=app.thomelab_values)
    values: dict[str, Any] = dict(props.values)
    if props.labels.get("add-thomflix-media") == "yes":
        library = {"main": {"main": {"mountPath": "/data", "subPath": "data"}}}
        data = {"enabled": True, "type": "pvc", "existingClaim": MEDIA.claim_name, "namespace": NAMESPACE}
        values = merge_values(values, {"persistence": {"data": {**data, "targetSelector": library}}})
    if props.labels.get("update-config") == "yes":
        values = merge_values(values, {"persistence": {"config": {"enabled": True, **_pvc("1Gi")}}})
    return replace(props, values=merge_values(values, app.thomelab_extra))


def thomelab(scope: Scope, ctx: Context) -> None:
    """The stack with the library on the NAS, Intel GPU transcoding for Jellyfin, each app on the tailnet."""
    NfsVolume(scope, "media", MEDIA)
    Job(
        scope,
        "directory-check",
        JobProps(
            name="directory-check-job",
            ttl_seconds_after_finished=86400,
            backoff_limit=0,
            pod=PodSpec(
                restart_policy="Never",
                containers=(
                    Container(
                        name="directory-checker",
                        image=Image(name="busybox", tag="stable"),
                        command=("/bin/sh", "-c", CHECK_SCRIPT.replace("{dirs}", " ".join(LIBRARY_DIRS))),
                        mounts=(Mount(volume="data-volume", path="/mnt"),),
                    ),
                ),
                volumes=(claim_volume("data-volume", MEDIA.claim_name or ""),),
            ),
        ),
    )
    LonghornStorageClass(scope, "config-storage", CONFIG_STORAGE)
    SealedConfig(scope, "vpn", VPN, store=ctx.sealed)
    for app in APPS:
        HelmArgoApp(scope, app.props.name, _on_thomelab(app))
    for name, (host, port) in ((a.props.name, a.ingress) for a in APPS if a.ingress):
        TailscaleIngress(
            scope,
            f"ingress-{name}",
            TailscaleIngressProps(
                ingress_class=ctx.cluster.ingress_class,
                name=name,
                service=name,
                port=port,
                hosts=(host,),
                funnel=False,
                tags=("tag:k8s", "tag:thomflix"),
            ),
        )
    Service(
        scope,
        "external-jellyfin",
        ServiceProps(
            name="external-jellyfin",
            namespace=NAMESPACE,
            annotations={"tailscale.com/expose": "true"},
            selector={"app.kubernetes.io/instance": "jellyfin", "app.kubernetes.io/name": "jellyfin"},
            type="ClusterIP",
            ports=(ServicePort(name="http", protocol="TCP", port=8096, target_port="http"),),
        ),
    )


APP = AppSpec(name="thomflix", base=base, overlays={"thomelab": thomelab}, namespace_labels=PRIVILEGED, backup=True)
