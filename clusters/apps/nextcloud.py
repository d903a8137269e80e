"""Nextcloud (files, on the NAS) and Syncthing (Thomas's folders), sharing the nextcloud namespace."""

from __future__ import annotations

from dataclasses import replace

from clusters.site import EVORA, NAS
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.nfs_volume import NfsVolume, NfsVolumeProps
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import HelmChart
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from homelab import AppSpec, Context, Scope

NAMESPACE = "nextcloud"
SYNC = SyncPolicy(options=("ApplyOutOfSyncOnly=true", "ServerSideApply=true"))

NEXTCLOUD = HelmArgoAppProps(
    owned_by=NAMESPACE,
    name="nextcloud-helm-chart",
    chart=HelmChart(repo_url="https://nextcloud.github.io/helm", chart="nextcloud", version="6.x"),
    sync=SYNC,
)

STORAGE = LonghornStorageClassProps(name="nextcloud-config", replicas=3, stale_replica_timeout=30)
CONFIG = SealedConfigProps(
    name="nextcloud-config",
    namespace=NAMESPACE,
    keys=(
        "db-host",
        "db-name",
        "db-password",
        "db-port",
        "db-username",
        "password",
        "psql-admin-password",
        "psql-database",
        "psql-host",
        "psql-replication-password",
        "psql-user-password",
        "psql-username",
        "username",
    ),
)
DATA = NfsVolumeProps(
    name="nfs-pv-nextcloud", server=NAS, path="/export/nextcloud-data", size="100Gi", claim_name="nextcloud-data"
)
SYNCTHING_DATA = NfsVolumeProps(
    name="nfs-pv-syncthing-thomas",
    server=EVORA,
    path="/export/syncthing/thomas",
    size="20Gi",
    claim_name="syncthing-thomas-data",
)
PSQL = VolumeClaimProps(name="psql-pvc", namespace=NAMESPACE, size="10Gi", storage_class=STORAGE.name)

SYNCTHING_HOST = "syncthing-thomas"
SYNCTHING = HelmArgoAppProps(
    owned_by=NAMESPACE,
    name="syncthing-thomas-helm-chart",
    chart=HelmChart(repo_url="oci.trueforge.org/truecharts", chart="syncthing", version="22.x"),
    sync=SYNC,
    values={
        "persistence": {
            "config": {
                "enabled": True,
                "mountPath": "/var/syncthing",
                "type": "pvc",
                "existingClaim": SYNCTHING_DATA.claim_name,
            }
        },
        "ingress": {
            "main": {
                "enabled": True,
                "ingressClassName": "tailscale",
                "targetSelector": {"main": "main"},
                "hosts": [{"host": SYNCTHING_HOST, "paths": [{"path": "/", "pathType": "Prefix"}]}],
                "tls": [{"hosts": [SYNCTHING_HOST]}],
            }
        },
    },
)

PREVIEWS = r"""<?php
$CONFIG = array (
  'enable_previews' => true,
  'enabledPreviewProviders' => array (
    'OC\Preview\Movie',
    'OC\Preview\PNG',
    'OC\Preview\JPEG',
    'OC\Preview\GIF',
    'OC\Preview\BMP',
    'OC\Preview\XBitmap',
    'OC\Preview\MP3',
    'OC\Preview\MP4',
    'OC\Preview\TXT',
    'OC\Preview\MarkDown',
    'OC\Preview\PDF'
  ),
);"""

OPENID = """<?php
$CONFIG = array (
  'allow_local_remote_servers' => true,
  'debug' => true,
);"""


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "nextcloud", NEXTCLOUD)


def _values(ctx: Context) -> dict[str, object]:
    login = {"enabled": True, "secretName": CONFIG.name, "usernameKey": "username", "passwordKey": "password"}
    return {
        "ingress": {"enabled": False, "className": ctx.cluster.ingress_class},
        "phpClientHttpsFix": {"enabled": True, "protocol": "https"},
        "nextcloud": {
            "host": f"nextcloud.{ctx.cluster.tailnet}",
            "existingSecret": login,
            "configs": {"previews.config.php": PREVIEWS, "openid.config.php": OPENID},
            "extraVolumes": [
                {"name": "syncthing-thomas", "persistentVolumeClaim": {"claimName": SYNCTHING_DATA.claim_name}}
            ],
            "extraVolumeMounts": [{"name": "syncthing-thomas", "mountPath": "/mnt/syncthing-thomas"}],
        },
        "internalDatabase": {"enabled": False},
        "externalDatabase": {
            "type": "postgresql",
            "enabled": True,
            "existingSecret": {
                "enabled": True,
                "secretName": CONFIG.name,
                "username-key": "psql-username",
                "password-key": "psql-user-password",
                "hostKey": "psql-host",
                "databaseKey": "psql-database",
            },
        },
        "postgresql": {
            "enabled": True,
            "global": {
                "postgresql": {
                    "auth": {
                        "existingSecret": CONFIG.name,
                        "secretKeys": {
                            "adminPasswordKey": "psql-admin-password",
                            "userPasswordKey": "psql-user-password",
                            "replicationPasswordKey": "psql-replication-password",
                        },
                    }
                }
            },
            "primary": {"persistence": {"enabled": True, "existingClaim": PSQL.name}},
        },
        "persistence": {
            "enabled": True,
            "storageClass": STORAGE.name,
            "size": "8Gi",
            "nextcloudData": {"enabled": True, "existingClaim": DATA.claim_name},
        },
        "collabora": {
            "enabled": False,
            "collabora": {
                "extra_params": "--o:ssl.enable=false --o:ssl.termination=false",
                "aliasgroups": [{"host": "https://nextcloud.tail9a43.net:443"}],
                "existingSecret": login,
            },
        },
        "cronjob": {"enabled": True},
    }


def thomelab(scope: Scope, ctx: Context) -> None:
    """Nextcloud with data on the NAS and its own PostgreSQL, public through Funnel; Syncthing beside it."""
    LonghornStorageClass(scope, "storage", STORAGE)
    SealedConfig(scope, "config", CONFIG, store=ctx.sealed)
    NfsVolume(scope, "data", DATA)
    NfsVolume(scope, "syncthing-data", SYNCTHING_DATA)
    VolumeClaim(scope, "psql", PSQL)
    HelmArgoApp(scope, "nextcloud", replace(NEXTCLOUD, values=_values(ctx)))
    HelmArgoApp(scope, "syncthing", SYNCTHING)
    TailscaleIngress(
        scope,
        "ingress",
        TailscaleIngressProps(
            ingress_class=ctx.cluster.ingress_class,
            name="nextcloud",
            namespace=NAMESPACE,
            service=NEXTCLOUD.name,
            hosts=("nextcloud",),
            funnel=True,
            tags=("tag:k8s", "tag:funnel"),
        ),
    )


APP = AppSpec(name="nextcloud", base=base, overlays={"thomelab": thomelab}, backup=True)
