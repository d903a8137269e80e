"""edge: Traefik, and the Gateway ``public`` every app's routes attach to.

Traefik's chart installs cluster-scoped kinds (its CRDs, ClusterRoles, the IngressClass), declared so its
project admits them. The Gateway's HTTPS listener serves ``*.example.org`` with a certificate cert-manager
issues (``cluster_issuer=``), its TLS listener passes ``sso.example.org`` through, its TCP listener takes
PostgreSQL; plain HTTP is redirected to HTTPS.
"""

from __future__ import annotations

from constructs_lib.gateway import AllowedRoutes, Gateway, GatewayProps, Listener
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.http_route import HTTPRoute, HTTPRouteProps, HTTPRouteRule, ParentRef
from constructs_lib.http_route_filter import RequestRedirect
from constructs_lib.versions import HelmChart
from homelab import AppSpec, Scope

NAMESPACE = "edge"
EVERY_NAMESPACE = AllowedRoutes(namespaces="All")

TRAEFIK = HelmArgoAppProps(
    owned_by=NAMESPACE,
    name="traefik",
    chart=HelmChart(repo_url="https://traefik.github.io/charts", chart="traefik", version="37.1.1"),
    values={"providers": {"kubernetesGateway": {"enabled": True}}, "gateway": {"enabled": False}},
    cluster_resources=(
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("networking.k8s.io", "IngressClass"),
        ("gateway.networking.k8s.io", "GatewayClass"),
    ),
)

GATEWAY = GatewayProps(
    name="public",
    namespace=NAMESPACE,
    gateway_class_name="traefik",
    cluster_issuer="letsencrypt",
    listeners=(
        Listener(name="http", port=80, protocol="HTTP", allowed_routes=EVERY_NAMESPACE),
        Listener(
            name="https",
            port=443,
            protocol="HTTPS",
            hostname="*.example.org",
            certificate_refs=("wildcard-example-org",),
            allowed_routes=EVERY_NAMESPACE,
        ),
        Listener(
            name="sso",
            port=8443,
            protocol="TLS",
            hostname="sso.example.org",
            allowed_routes=AllowedRoutes(namespaces="All", kinds=("TLSRoute",)),
        ),
        Listener(
            name="postgres",
            port=5432,
            protocol="TCP",
            allowed_routes=AllowedRoutes(namespaces="All", kinds=("TCPRoute",)),
        ),
    ),
)

#: Where the apps' HTTPS routes attach.
HTTPS = ParentRef(name=GATEWAY.name, namespace=NAMESPACE, section_name="https")


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "traefik", TRAEFIK)
    Gateway(scope, "gateway", GATEWAY)
    HTTPRoute(
        scope,
        "to-https",
        HTTPRouteProps(
            name="to-https",
            namespace=NAMESPACE,
            parent_refs=(ParentRef(name=GATEWAY.name, section_name="http"),),
            rules=(HTTPRouteRule(filters=(RequestRedirect(scheme="https", status_code=301),)),),
        ),
    )


APP = AppSpec(name="edge", base=base)
