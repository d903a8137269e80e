"""A small homelab of new apps, written the way a user writes them: each gap of the language issue
(per-app Application settings, app groups, remote bases, typed Kubernetes objects, cdk8s-plus L2
constructs, the escape hatch) used as the construct reference shows it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cdk8s_plus_33 as kplus
from cdk8s_plus_33 import k8s

from constructs_lib.api_object import api_object
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps, InitDb
from constructs_lib.cron_job import CronJob, CronJobProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.pod import Container, PodSpec, env_secret
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.service import Service, ServiceProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.tailscale_ingress import IngressPath, TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import HelmChart, Image
from homelab import AppGroup, AppSpec, Cluster, ClusterPlan, Context, Homelab, RemoteResource, Scope

HOME = Cluster(name="home", repo_url="https://git.example/lab", tailnet="tail0000.ts.net")
LAPTOP = Cluster(name="laptop", repo_url="https://git.example/lab")

# -- a workflow tool on Helm, its database's owner credentials sealed ---------------------------
WORKFLOW_DB = CnpgDatabaseProps(
    name="workflow-pg", namespace="workflow", bootstrap=InitDb(database="n8n", owner="n8n", secret="workflow-db-owner")
)
WORKFLOW_CHART = HelmArgoAppProps(
    name="workflow-chart",
    destination_namespace="workflow",
    chart=HelmChart(repo_url="https://charts.example/n8n", chart="n8n", version="1.0.0"),
    values={"db": {"host": WORKFLOW_DB.rw_service}, "resources": None},  # None: unset the chart's default
)


def workflow(scope: Scope, ctx: Context) -> None:
    HelmArgoApp(scope, "chart", WORKFLOW_CHART)
    CnpgDatabase(scope, "db", WORKFLOW_DB)
    SealedConfig(
        scope,
        "db-owner",
        SealedConfigProps(
            name="workflow-db-owner",
            namespace="workflow",
            keys=("username", "password"),
            type="kubernetes.io/basic-auth",
        ),
        store=ctx.sealed,
    )


# -- a budgeting app's nightly job: CronJob history, typed env and probe, the escape hatch -------
def budget(scope: Scope) -> None:
    job = CronJob(
        scope,
        "sync",
        CronJobProps(
            name="budget-sync",
            namespace="budget",
            schedule="0 3 * * *",
            successful_jobs_history_limit=1,
            failed_jobs_history_limit=2,
            concurrency_policy="Forbid",
            pod=PodSpec(
                restart_policy="OnFailure",
                containers=(
                    Container(
                        name="sync",
                        image=Image(name="ghcr.io/example/budget", tag="2.1.0"),
                        env=(
                            env_secret("API_TOKEN", "budget-token", "token"),
                            k8s.EnvVar(
                                name="POD_NAME",
                                value_from=k8s.EnvVarSource(
                                    field_ref=k8s.ObjectFieldSelector(field_path="metadata.name")
                                ),
                            ),
                        ),
                        liveness=k8s.Probe(exec=k8s.ExecAction(command=["budget", "health"]), failure_threshold=3),
                        security_context=k8s.SecurityContext(read_only_root_filesystem=True),
                    ),
                ),
            ),
        ),
    )
    job.resource.set_field("/spec/jobTemplate/spec/activeDeadlineSeconds", 600)


def budget_home(scope: Scope, ctx: Context) -> None:
    budget(scope)
    SealedConfig(
        scope, "token", SealedConfigProps(name="budget-token", namespace="budget", keys=("token",)), store=ctx.sealed
    )


# -- a remote-desktop gateway: an ingress with host rules ---------------------------------------
def gateway(scope: Scope) -> None:
    for name, port in (("guacamole", 8080), ("guacd", 4822)):
        Deployment(
            scope,
            f"{name}-deployment",
            DeploymentProps(
                name=name,
                namespace="gateway",
                selector={"app": name},
                strategy=k8s.DeploymentStrategy(
                    type="RollingUpdate",
                    rolling_update=k8s.RollingUpdateDeployment(max_unavailable=k8s.IntOrString.from_number(0)),
                ),
                # a whole typed PodSpec: every field of the API is at hand
                pod=k8s.PodSpec(
                    containers=[k8s.Container(name=name, image=f"guacamole/{name}:1.5.5")],
                    host_aliases=[k8s.HostAlias(ip="10.0.0.2", hostnames=["nas"])],
                ),
            ),
        )
        k8s.KubeService(
            scope.chart,
            name,
            metadata=k8s.ObjectMeta(name=name, namespace="gateway"),
            spec=k8s.ServiceSpec(
                selector={"app": name},
                ports=[k8s.ServicePort(port=port, target_port=k8s.IntOrString.from_number(port))],
            ),
        )
    TailscaleIngress(
        scope,
        "ingress",
        TailscaleIngressProps(
            name="gateway",
            namespace="gateway",
            funnel=False,
            hosts=("desk",),
            paths=(
                IngressPath(path="/", service="guacamole", port=8080, host="desk.tail0000.ts.net"),
                IngressPath(path="/api", service="guacd", port=4822),
            ),
        ),
    )


def gateway_home(scope: Scope, ctx: Context) -> None:
    gateway(scope)
    Service(
        scope,
        "lan",
        ServiceProps(
            name="guacamole-lan",
            namespace="gateway",
            selector={"app": "guacamole"},
            type="NodePort",
            ports=(k8s.ServicePort(port=8080, node_port=30080, target_port=k8s.IntOrString.from_number(8080)),),
        ),
    )


# -- a raw dev environment: a typed L1 Deployment, scaled up on one cluster -------------------
def devenv_on(replicas: int):  # type: ignore[no-untyped-def]
    def build(scope: Scope) -> None:
        k8s.KubeDeployment(
            scope.chart,
            "devenv",
            metadata=k8s.ObjectMeta(name="devenv", namespace="devenv"),
            spec=k8s.DeploymentSpec(
                replicas=replicas,
                selector=k8s.LabelSelector(match_labels={"app": "devenv"}),
                template=k8s.PodTemplateSpec(
                    metadata=k8s.ObjectMeta(labels={"app": "devenv"}),
                    spec=k8s.PodSpec(
                        containers=[k8s.Container(name="code", image="codercom/code-server:4.96.4", tty=True)]
                    ),
                ),
            ),
        )

    return build


# -- a note app with cdk8s-plus L2 constructs ----------------------------------------------------
def notes_with(replicas: int):  # type: ignore[no-untyped-def]
    def build(scope: Scope) -> None:
        config = kplus.ConfigMap(
            scope.chart, "config", metadata={"name": "notes", "namespace": "notes"}, data={"A": "1"}
        )
        deployment = kplus.Deployment(
            scope.chart, "web", metadata={"name": "notes", "namespace": "notes"}, replicas=replicas
        )
        container = deployment.add_container(image="ghcr.io/example/notes:1.4.0", port_number=3000)
        container.env.copy_from(kplus.Env.from_config_map(config))
        deployment.expose_via_service(name="notes", ports=[kplus.ServicePort(port=80, target_port=3000)])

    return build


# -- an operator and its instance, sharing one namespace and project ---------------------------
KEYCLOAK = AppGroup(name="keycloak", namespace_labels={"team": "identity"})
OPERATOR_MANIFESTS = RemoteResource(
    url="https://github.com/keycloak/keycloak-k8s-resources//kubernetes",
    ref="26.0.5",
    cluster_resources=(
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
    ),
)


def keycloak_instance(scope: Scope) -> None:
    api_object(
        scope,
        "keycloak",
        api_version="k8s.keycloak.org/v2alpha1",
        kind="Keycloak",
        metadata={"name": "keycloak", "namespace": "keycloak"},
        spec={"instances": 1, "hostname": {"hostname": "sso.example"}},
    )


APPS = {
    "workflow": AppSpec(name="workflow", base=lambda scope: None, overlays={"home": workflow}),
    "budget": AppSpec(name="budget", base=budget, overlays={"home": budget_home}),
    "gateway": AppSpec(name="gateway", base=gateway, overlays={"home": gateway_home}),
    "devenv": AppSpec(name="devenv", base=devenv_on(1), overlays={"home": lambda s, ctx: devenv_on(2)(s)}),
    "notes": AppSpec(name="notes", base=notes_with(1), overlays={"home": lambda s, ctx: notes_with(3)(s)}),
    "keycloak-operator": AppSpec(
        name="keycloak-operator",
        base=lambda scope: None,
        group=KEYCLOAK,
        remote_resources=(OPERATOR_MANIFESTS,),
        application=ApplicationSettings(
            sync=SyncPolicy(options=("ServerSideApply=true", "CreateNamespace=true")),
            annotations={"notifications.argoproj.io/subscribe.on-sync-failed.ntfy": "homelab"},
        ),
    ),
    "keycloak-instance": AppSpec(
        name="keycloak-instance",
        base=keycloak_instance,
        group=KEYCLOAK,
        application=ApplicationSettings(
            ignore_differences=(
                IgnoreDifference(group="k8s.keycloak.org", kind="Keycloak", json_pointers=("/status",)),
            )
        ),
    ),
}
CORE = AppSpec(name="core-argocd-apps", base=lambda scope: None)


def lab(root: Path, **plan_changes: object) -> Homelab:
    """The lab rooted at ``root``; ``plan_changes`` replace fields of the home cluster's plan."""
    home = ClusterPlan(
        cluster=HOME,
        apps=tuple(APPS.values()),
        app_sync=SyncPolicy(options=()),
        application_settings={"budget": ApplicationSettings(sync=SyncPolicy(automated=False, options=()))},
    )
    laptop = ClusterPlan(cluster=LAPTOP, apps=(APPS["keycloak-operator"], APPS["keycloak-instance"]))
    return Homelab(root=root, core=CORE, clusters=(replace(home, **plan_changes), laptop))  # type: ignore[arg-type]
