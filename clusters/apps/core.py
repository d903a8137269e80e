"""core-argocd-apps: the infrastructure every cluster runs, deployed by the cluster's root Application.

Argo CD itself, the image updater, sealed-secrets, metrics-server, the kubelet serving-certificate
approver, the external snapshotter (CRDs and controller), Longhorn and its VolumeSnapshotClass,
the Tailscale operator, CloudNativePG, Velero, cert-manager, Intel's device plugins and the
descheduler. The per-cluster hooks live in the cluster modules (``clusters/thomelab.py``, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from constructs_lib.api_object import api_object
from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.helm_values import merge_values
from constructs_lib.namespace import PRIVILEGED, Namespace
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart
from homelab import Context, HomelabError, Scope
from homelab.origin import module_file

SNAPSHOTTER_REPO = "https://github.com/kubernetes-csi/external-snapshotter"

#: Charts whose upgrades must not prune before the new resources exist, and that need no namespace created.
PRUNE_LAST = SyncPolicy(options=("PruneLast=true", "ApplyOutOfSyncOnly=true"))

ARGOCD = HelmArgoAppProps(
    name="argocd",
    chart=HelmChart(repo_url="https://argoproj.github.io/argo-helm", chart="argo-cd", version="8.x"),
    destination_namespace="argocd",
    sync=None,
)
IMAGE_UPDATER = HelmArgoAppProps(
    name="argocd-image-updater",
    chart=HelmChart(repo_url="https://argoproj.github.io/argo-helm", chart="argocd-image-updater", version="0.x"),
    destination_namespace="argocd",
    sync=PRUNE_LAST,
)
SEALED_SECRETS = HelmArgoAppProps(
    name="sealed-secrets",
    chart=HelmChart(repo_url="https://bitnami-labs.github.io/sealed-secrets", chart="sealed-secrets", version="2.17.x"),
    destination_namespace="kube-system",
    sync=PRUNE_LAST,
)
METRICS_SERVER = HelmArgoAppProps(
    name="metrics-server",
    chart=HelmChart(repo_url="https://kubernetes-sigs.github.io/metrics-server", chart="metrics-server", version="3.x"),
    destination_namespace="kube-system",
)
KUBELET_CERT_APPROVER = GitArgoAppProps(
    name="kubelet-serving-certificate-approver",
    repo_url="https://github.com/alex1989hu/kubelet-serving-cert-approver",
    revision="main",
    path="deploy",
    directory_include="standalone-install.yaml",
    destination_namespace="kubelet-serving-cert-approver",
)
SNAPSHOTTER_CRDS = GitArgoAppProps(
    name="external-snapshotter-crd",
    repo_url=SNAPSHOTTER_REPO,
    revision="v8.x",
    path="client/config/crd",
    destination_namespace="kube-system",
)
SNAPSHOTTER_CONTROLLER = GitArgoAppProps(
    name="external-snapshotter-controller",
    repo_url=SNAPSHOTTER_REPO,
    revision="v8.x",
    path="deploy/kubernetes/snapshot-controller",
    destination_namespace="kube-system",
)
LONGHORN = HelmArgoAppProps(
    name="longhorn",
    chart=HelmChart(repo_url="https://charts.longhorn.io", chart="longhorn", version="1.10.x"),
    provides_storage_classes=("longhorn",),
    values={"defaultSettings": {"v2DataEngine": True}},
    destination_namespace="longhorn-system",
    sync=SyncPolicy(options=(*SyncPolicy().options, "RespectIgnoreDifferences=true")),
    ignore_differences=(
        IgnoreDifference(
            group="apiextensions.k8s.io",
            kind="CustomResourceDefinition",
            json_pointers=("/spec/preserveUnknownFields",),
        ),
    ),
)
TAILSCALE_OPERATOR = HelmArgoAppProps(
    name="tailscale-operator",
    chart=HelmChart(repo_url="https://pkgs.tailscale.com/helmcharts", chart="tailscale-operator", version="1.x"),
    values={"apiServerProxyConfig": {"mode": "true"}},
    destination_namespace="tailscale",
)
CNPG = HelmArgoAppProps(
    name="cnpg",
    chart=HelmChart(repo_url="https://cloudnative-pg.github.io/charts", chart="cloudnative-pg", version="0.x"),
    destination_namespace="cnpg-system",
)
VELERO = HelmArgoAppProps(
    name="velero",
    chart=HelmChart(repo_url="https://vmware-tanzu.github.io/helm-charts", chart="velero", version="11.x"),
    destination_namespace="velero",
)
CERT_MANAGER = HelmArgoAppProps(
    name="cert-manager",
    chart=HelmChart(repo_url="https://charts.jetstack.io", chart="cert-manager", version="1.x"),
    values={"installCRDs": True},
    destination_namespace="cert-manager",
    sync=SyncPolicy(options=(*PRUNE_LAST.options, "CreateNamespace=true")),
)
INTEL_DEVICE_PLUGINS = HelmArgoAppProps(
    name="intel-device-plugins-operator",
    chart=HelmChart(
        repo_url="https://intel.github.io/helm-charts", chart="intel-device-plugins-operator", version="0.x"
    ),
    destination_namespace="kube-system",
    sync=PRUNE_LAST,
)
DESCHEDULER = HelmArgoAppProps(
    name="descheduler",
    chart=HelmChart(repo_url="https://kubernetes-sigs.github.io/descheduler", chart="descheduler", version="0.x"),
    destination_namespace="kube-system",
    sync=PRUNE_LAST,
)

#: The core apps in the order the tree lists them.
CORE_APPS: tuple[HelmArgoAppProps | GitArgoAppProps, ...] = (
    ARGOCD,
    IMAGE_UPDATER,
    SEALED_SECRETS,
    METRICS_SERVER,
    KUBELET_CERT_APPROVER,
    SNAPSHOTTER_CRDS,
    SNAPSHOTTER_CONTROLLER,
    LONGHORN,
    TAILSCALE_OPERATOR,
    CNPG,
    VELERO,
    CERT_MANAGER,
    INTEL_DEVICE_PLUGINS,
    DESCHEDULER,
)


def build(scope: Scope, apps: tuple[HelmArgoAppProps | GitArgoAppProps, ...]) -> None:
    """Add ``apps`` (the core apps, possibly changed for a cluster) and Longhorn's VolumeSnapshotClass."""
    for props in apps:
        if isinstance(props, HelmArgoAppProps):
            HelmArgoApp(scope, props.name, props)
        else:
            GitArgoApp(scope, props.name, props)
        if props.name == LONGHORN.name:
            api_object(
                scope,
                "longhorn-snapshot-class",
                api_version="snapshot.storage.k8s.io/v1",
                kind="VolumeSnapshotClass",
                metadata={"name": "longhorn"},
                driver="driver.longhorn.io",
                deletionPolicy="Delete",
            )


def base(scope: Scope) -> None:
    """The core apps as every cluster starts from them."""
    build(scope, CORE_APPS)


def without(*names: str) -> tuple[HelmArgoAppProps | GitArgoAppProps, ...]:
    """The core apps except ``names`` (which must be core apps)."""
    known = {p.name for p in CORE_APPS}
    unknown = sorted(set(names) - known)
    if unknown:
        raise HomelabError(
            f"{module_file(__name__)}: without({', '.join(map(repr, unknown))}): not core apps; "
            f"core apps are {', '.join(sorted(known))}"
        )
    return tuple(p for p in CORE_APPS if p.name not in names)


#: The Tailscale operator's OAuth client, sealed per cluster.
TAILSCALE_OAUTH = SealedConfigProps(
    name="operator-oauth", namespace="tailscale", keys=("client_id", "client_secret"), type="Opaque"
)


def on_cluster(
    scope: Scope,
    ctx: Context,
    *,
    apps: tuple[HelmArgoAppProps | GitArgoAppProps, ...] = CORE_APPS,
    argocd_values: Mapping[str, Any] | None = None,
    changed: Iterable[HelmArgoAppProps | GitArgoAppProps] = (),
    sealed: tuple[SealedConfigProps, ...] = (TAILSCALE_OAUTH,),
) -> None:
    """The core apps as a cluster runs them.

    Every cluster gets: Argo CD reachable on the tailnet as ``<cluster>-argocd`` and told where
    the apps keep their Applications (``argocd_values`` merged over that), the Tailscale
    operator named ``<cluster>-operator``, privileged ``longhorn-system`` and ``tailscale``
    namespaces, and ``sealed`` (the operator's OAuth client by default). ``changed`` replaces
    apps of ``apps`` by name.
    """
    c = ctx.cluster
    argocd_host = f"{c.name}-argocd"
    argocd = {
        "global": {"domain": f"{argocd_host}.{c.tailnet}"},
        "configs": {"params": argocd_params(ctx)},
        "server": {
            "ingress": {
                "enabled": True,
                "ingressClassName": c.ingress_class,
                "hostname": argocd_host,
                "extraTls": [{"hosts": [argocd_host]}],
            }
        },
    }
    replacements: dict[str, HelmArgoAppProps | GitArgoAppProps] = {
        ARGOCD.name: replace(ARGOCD, values=merge_values(argocd, dict(argocd_values or {}))),
        TAILSCALE_OPERATOR.name: replace(
            TAILSCALE_OPERATOR,
            values=merge_values(TAILSCALE_OPERATOR.values, {"operatorConfig": {"hostname": f"{c.name}-operator"}}),
        ),
    }
    replacements |= {props.name: props for props in changed}
    build(scope, tuple(replacements.get(p.name, p) for p in apps))
    for ns in ("longhorn-system", "tailscale"):
        Namespace(scope, f"ns-{ns}", name=ns, labels=PRIVILEGED)
    for props in sealed:
        SealedConfig(scope, f"{props.namespace}-{props.name}", props, store=ctx.sealed)


def argocd_params(ctx: Context) -> dict[str, object]:
    """Argo CD's ``configs.params``: plain HTTP behind the tailnet ingress, and the namespaces
    (derived from the enabled apps) where Applications may live outside Argo CD's own."""
    params: dict[str, object] = {"server.insecure": True}
    if ctx.application_namespaces:
        params["application.namespaces"] = ",".join(ctx.application_namespaces)
    return params
