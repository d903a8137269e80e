"""sso: the Keycloak operator and the Keycloak it runs, reached through the Gateway's TLS listener (the
connection passes through to Keycloak, which terminates TLS itself).

The operator creates the Service ``keycloak-service`` and the Secret ``keycloak-initial-admin``: declared
on the app installing it (``Creates``), so the route's backend and the admin job's Secret count as present.
"""

from __future__ import annotations

from constructs_lib.annotations import Creates
from constructs_lib.api_object import api_object
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.http_route import BackendRef, ParentRef
from constructs_lib.job import Job, JobProps
from constructs_lib.pod import Container, PodSpec, env_secret
from constructs_lib.sync_policy import SyncHook
from constructs_lib.tls_route import StreamRouteRule, TLSRoute, TLSRouteProps
from constructs_lib.versions import HelmChart, Image
from homelab import AppSpec, Scope
from tests.patterns.all_patterns_lab.apps import edge

NAMESPACE = "sso"

OPERATOR = HelmArgoAppProps(
    owned_by=NAMESPACE,
    name="keycloak-operator",
    chart=HelmChart(repo_url="https://charts.example/keycloak", chart="keycloak-operator", version="26.0.0"),
    creates=(Creates(kind="Service", name="keycloak-service"), Creates(kind="Secret", name="keycloak-initial-admin")),
    cluster_resources=(
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
    ),
)


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "operator", OPERATOR)
    api_object(
        scope,
        "keycloak",
        api_version="k8s.keycloak.org/v2alpha1",
        kind="Keycloak",
        metadata={"name": "keycloak", "namespace": NAMESPACE},
        spec={"instances": 1, "hostname": {"hostname": "sso.example.org"}},
    )
    TLSRoute(
        scope,
        "route",
        TLSRouteProps(
            name="keycloak",
            namespace=NAMESPACE,
            parent_refs=(ParentRef(name=edge.GATEWAY.name, namespace=edge.NAMESPACE, section_name="sso"),),
            hostnames=("sso.example.org",),
            rules=(StreamRouteRule(backend_refs=(BackendRef(service="keycloak-service", port=8443),)),),
        ),
    )
    realm = Container(
        name="import",
        image=Image(name="ghcr.io/example/realm-import", tag="1.4.0"),
        env=(env_secret("ADMIN_PASSWORD", "keycloak-initial-admin", "password"),),
    )
    Job(
        scope,
        "realm",
        JobProps(
            name="realm-import",
            namespace=NAMESPACE,
            pod=PodSpec(containers=(realm,), restart_policy="Never"),
            hook=SyncHook(phase="PostSync", delete_policy=("BeforeHookCreation",)),
        ),
    )


APP = AppSpec(name="sso", base=base)
