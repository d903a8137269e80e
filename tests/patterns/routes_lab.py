"""A homelab whose apps are reached through a Traefik Ingress with cert-manager TLS and through Gateway API
routes, written the way a user writes apps: typed constructs, no ``api_object``, no acceptance file."""

from __future__ import annotations

from pathlib import Path

from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.grpc_route import GRPCRoute, GRPCRouteMatch, GRPCRouteProps, GRPCRouteRule
from constructs_lib.http_route import BackendRef, HTTPRoute, HTTPRouteMatch, HTTPRouteProps, HTTPRouteRule, ParentRef
from constructs_lib.ingress import Ingress, IngressPath, IngressProps, IngressTls
from constructs_lib.pod import Container, PodSpec, Port
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.versions import Image
from homelab import AppSpec, Cluster, ClusterPlan, Homelab, Scope
from tests.engine import minilab

HOME = Cluster(name="home", repo_url="https://git.example/routes")
GATEWAY = ParentRef(name="public", namespace="gateway", section_name="https")
WIKI_BACKEND = BackendRef(service="wiki", port=80)


def workload(scope: Scope, name: str, namespace: str, port: int) -> None:
    """A Deployment and the Service in front of it, both named ``name``."""
    Deployment(
        scope,
        f"{name}-deployment",
        DeploymentProps(
            name=name,
            namespace=namespace,
            selector={"app": name},
            pod=PodSpec(
                containers=(
                    Container(
                        name=name,
                        image=Image(name=f"ghcr.io/example/{name}", tag="1.0"),
                        ports=(Port(container_port=port),),
                    ),
                )
            ),
        ),
    )
    Service(
        scope,
        f"{name}-service",
        ServiceProps(name=name, namespace=namespace, selector={"app": name}, ports=(ServicePort(port=port),)),
    )


def wiki_ingress(scope: Scope) -> None:
    """A Traefik Ingress whose TLS Secret cert-manager's ingress-shim issues."""
    Ingress(
        scope,
        "ingress",
        IngressProps(
            name="wiki",
            namespace="wiki",
            ingress_class_name="traefik",
            cluster_issuer="letsencrypt",
            tls=(IngressTls(hosts=("wiki.example.org",), secret_name="wiki-tls"),),
            paths=(IngressPath(host="wiki.example.org", path="/", service="wiki", port=80),),
        ),
    )


def wiki_route(scope: Scope, backend: BackendRef = WIKI_BACKEND) -> None:
    """The same wiki through the Gateway, its API through a weighted pair of Services (one in another namespace)."""
    HTTPRoute(
        scope,
        "route",
        HTTPRouteProps(
            name="wiki",
            namespace="wiki",
            parent_refs=(GATEWAY,),
            hostnames=("wiki.example.net",),
            rules=(
                HTTPRouteRule(matches=(HTTPRouteMatch(path="/api", type="PathPrefix"),), backend_refs=(backend,)),
                HTTPRouteRule(
                    backend_refs=(
                        BackendRef(service="wiki", port=80, weight=90),
                        BackendRef(service="search", namespace="search", port=7700, weight=10),
                    )
                ),
            ),
        ),
    )


def wiki_base(scope: Scope) -> None:
    workload(scope, "wiki", "wiki", 80)
    wiki_ingress(scope)
    wiki_route(scope)


def search_base(scope: Scope) -> None:
    """A search service, also reached by gRPC through the Gateway."""
    workload(scope, "search", "search", 7700)
    GRPCRoute(
        scope,
        "grpc",
        GRPCRouteProps(
            name="search",
            namespace="search",
            parent_refs=(GATEWAY,),
            rules=(
                GRPCRouteRule(
                    matches=(GRPCRouteMatch(service="search.v1.Search"),),
                    backend_refs=(BackendRef(service="search", port=7700),),
                ),
            ),
        ),
    )


WIKI = AppSpec(name="wiki", base=wiki_base)
SEARCH = AppSpec(name="search", base=search_base)

LAB = Homelab(
    root=Path(__file__).resolve().parent,
    core=minilab.CORE,
    clusters=(ClusterPlan(cluster=HOME, apps=(WIKI, SEARCH)),),
)
