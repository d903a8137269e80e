"""thomelab: the primary homelab cluster — every app, Longhorn backed up to Garage S3, Tailscale ingress."""

from __future__ import annotations

from clusters.apps import (
    firefly,
    hedgedoc,
    immich,
    kasm,
    keycloak,
    nextcloud,
    paperless,
    protonmail_bridge,
    renovate,
    thomflix,
    trilium,
)
from clusters.site import GARAGE_S3, NAS
from constructs_lib.argocd_ntfy import NtfyNotifications
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.nfs_volume import NfsVolume, NfsVolumeProps
from constructs_lib.platform import (
    ArgoCdProps,
    CertManagerProps,
    CloudNativePgProps,
    DeschedulerProps,
    ExternalSnapshotterProps,
    ImageUpdaterProps,
    IntelDevicePluginsProps,
    KubeletCertApproverProps,
    LonghornBackup,
    LonghornProps,
    MetricsServerProps,
    Platform,
    PlatformProps,
    SealedSecretsProps,
    TailscaleOperatorProps,
    VeleroProps,
    VeleroSchedule,
)
from constructs_lib.sealed_config import SealedConfigProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import Image
from homelab import Cluster, ClusterPlan, Context, Scope

CLUSTER = Cluster(
    name="thomelab",
    repo_url="https://github.com/roukydesbois/homelab",
    revision="main",
    tree_path="kustomize",
    tailnet="tail9a43.ts.net",
    sealing_cert="clusters/certs/thomelab.pem",
)

#: Storage class for CloudNativePG volumes: one Longhorn replica, CNPG replicates itself.
CNPG_STORAGE = LonghornStorageClassProps(name="cnpg-storage-class", replicas=1)

KEYCLOAK_ISSUER = f"https://sso.{CLUSTER.tailnet}/realms/self-hosted-apps"


def cluster_objects(scope: Scope, ctx: Context) -> None:
    """Cluster-wide storage: the CNPG storage class and the NFS volume of the immich migration."""
    NfsVolume(
        scope,
        "immich-test-library",
        NfsVolumeProps(name="nfs-pv-immich-test", server=NAS, path="/export/immich-new", size="500Gi"),
    )
    LonghornStorageClass(scope, "cnpg-storage", CNPG_STORAGE)


def _argocd_values() -> dict[str, object]:
    """Argo CD on thomelab: Keycloak sign-in, admins from Keycloak's group, ntfy notifications."""
    oidc = "\n".join(
        [
            "name: Keycloak",
            f"issuer: {KEYCLOAK_ISSUER}",
            "clientID: argocd",
            "enablePKCEAuthentication: true",
            'requestedScopes: ["openid", "profile", "email", "groups"]',
        ]
    )
    return {
        "configs": {"cm": {"oidc.config": oidc + "\n"}, "rbac": {"policy.csv": "g, ArgoCDAdmins, role:admin\n"}},
        "notifications": NtfyNotifications(topic=f"{CLUSTER.name}-argocd-notifications").values(),
    }


#: Velero's storage on the NAS's Garage S3 and the AWS plugin (the schedule is the component's).
VELERO_VALUES = {
    "kubectl": {"image": {"tag": Image(name="docker.io/bitnami/kubectl", tag="1.33.4").tag}},
    "initContainers": [
        {
            "name": "velero-plugin-for-aws",
            "image": Image(name="velero/velero-plugin-for-aws", tag="v1.13.0").ref,
            "imagePullPolicy": "IfNotPresent",
            "volumeMounts": [{"mountPath": "/target", "name": "plugins"}],
        }
    ],
    "configuration": {
        "backupStorageLocation": [
            {
                "name": "default",
                "provider": "aws",
                "bucket": "velero",
                "credential": {"name": "credentials-velero", "key": "cloud"},
                "config": {
                    "region": "garage",
                    "s3Url": GARAGE_S3,
                    "s3ForcePathStyle": "true",
                    "insecureSkipTLSVerify": "true",
                    "checksumAlgorithm": "",
                },
            }
        ],
        "volumeSnapshotLocation": [{"name": "default", "provider": "aws", "config": {"region": "garage"}}],
        "features": "EnableCSI",
    },
    "credentials": {"useSecret": True, "existingSecret": "credentials-velero"},
}

#: The platform on thomelab: every component, with SSO and notifications on Argo CD, Longhorn's UI on the
#: tailnet and its backups to Garage, daily Velero backups to Garage, and the Intel GPU plugin.
PLATFORM = PlatformProps(
    components=(
        ArgoCdProps(values=_argocd_values()),
        ImageUpdaterProps(),
        SealedSecretsProps(),
        MetricsServerProps(),
        KubeletCertApproverProps(),
        ExternalSnapshotterProps(),
        LonghornProps(
            tailnet_ingress=True,
            backup=LonghornBackup(
                target="s3://longhorn@garage/",
                credentials=SealedConfigProps(
                    name="garage-creds-longhorn",
                    namespace="longhorn-system",
                    keys=("AWS_ACCESS_KEY_ID", "AWS_ENDPOINTS", "AWS_SECRET_ACCESS_KEY"),
                    type="Opaque",
                ),
            ),
        ),
        TailscaleOperatorProps(),
        CloudNativePgProps(),
        VeleroProps(
            values=VELERO_VALUES,
            schedule=VeleroSchedule(),
            credentials=SealedConfigProps(name="credentials-velero", namespace="velero", keys=("cloud",)),
        ),
        CertManagerProps(),
        IntelDevicePluginsProps(values={"manager": {"devices": {"gpu": True}}}),
        DeschedulerProps(),
    ),
    sealed=(
        SealedConfigProps(
            name="argocd-notifications-secret",
            namespace="argocd",
            keys=("WEBHOOK_FULLURL", "WEBHOOK_PASSWORD", "WEBHOOK_TOPIC", "WEBHOOK_URL", "WEBHOOK_USER"),
        ),
    ),
)


def core_overlay(scope: Scope, ctx: Context) -> None:
    """The platform on thomelab (:data:`PLATFORM`)."""
    Platform(scope, "platform", PLATFORM, facts=ctx)


PLAN = ClusterPlan(
    cluster=CLUSTER,
    apps=(
        keycloak.APP,
        immich.APP,
        thomflix.APP,
        nextcloud.APP,
        firefly.APP,
        protonmail_bridge.APP,
        hedgedoc.APP,
        paperless.APP,
        renovate.APP,
        immich.MIGRATION,
    ),
    disabled=(kasm.APP, trilium.APP),
    cluster_objects=cluster_objects,
    app_sync=SyncPolicy(options=()),
    extra_backup_namespaces=("cert-manager",),
    platform=PLATFORM,
)
