"""Gateway API beyond HTTPRoute and GRPCRoute: the Gateway (its listeners, certificates cert-manager issues, which
routes it admits), HTTPRoute filters, TLSRoute and TCPRoute. Each wrong prop is refused where it is written, and
each wrong reference at synth with its check id and the Python fix (``route-backend``, ``route-parent``,
``secret-ref``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from constructs_lib.errors import PropsError
from constructs_lib.gateway import AllowedRoutes, Gateway, GatewayProps, Listener
from constructs_lib.http_route import BackendRef, HTTPRoute, HTTPRouteMatch, HTTPRouteProps, HTTPRouteRule, ParentRef
from constructs_lib.http_route_filter import (
    PathModifier,
    RequestHeaderModifier,
    RequestMirror,
    RequestRedirect,
    ResponseHeaderModifier,
    URLRewrite,
)
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.tcp_route import TCPRouteProps
from constructs_lib.tls_route import StreamRouteRule, TLSRoute, TLSRouteProps
from homelab import AppSpec, HomelabError, Scope
from homelab.engine.pipeline import Synthesis, synthesise
from homelab.kinds import KindScopes
from homelab.validate.content import ClusterContent, Placed
from homelab.validate.index import certificate_refs, created_by, index
from tests.conftest import FakeStore
from tests.patterns.all_patterns_lab import LAB
from tests.patterns.all_patterns_lab.apps import edge

HTTPS = Listener(name="https", port=443, protocol="HTTPS", hostname="*.example.org", certificate_refs=("wild",))
WIKI_BACKEND = (BackendRef(service="wiki", port=80),)


def synth(*apps: AppSpec) -> Synthesis:
    plan = replace(LAB.clusters[0], apps=apps)
    return synthesise(replace(LAB, clusters=(plan,)), stores={"home": FakeStore()})


def app(name: str, build: Any) -> AppSpec:
    return AppSpec(name=name, base=build)


def edge_with(gateway: GatewayProps) -> AppSpec:
    return app("edge", lambda scope: Gateway(scope, "gateway", gateway))


def routed(route: HTTPRouteProps | TLSRouteProps, service: str = "wiki") -> AppSpec:
    """App ``wiki``: a Service ``service`` and ``route``."""

    def base(scope: Scope) -> None:
        ports = (ServicePort(port=80),)
        Service(scope, "service", ServiceProps(name=service, namespace="wiki", selector={}, ports=ports))
        (TLSRoute if isinstance(route, TLSRouteProps) else HTTPRoute)(scope, "route", route)  # type: ignore[operator]

    return app("wiki", base)


def http_route(parent: ParentRef, *rules: HTTPRouteRule) -> HTTPRouteProps:
    return HTTPRouteProps(
        name="wiki", namespace="wiki", parent_refs=(parent,), rules=rules or (HTTPRouteRule(backend_refs=WIKI_BACKEND),)
    )


# -- props refused where they are written ---------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: Listener(name="https", port=443, protocol="HTTPS"),
            r"Listener 'https': an HTTPS listener terminates TLS with a certificate: add certificate_refs=\('https-tls',\)",
        ),
        (
            lambda: Listener(name="db", port=5432, protocol="TCP", hostname="db.example.org"),
            r"Listener 'db': a TCP listener takes no hostname; drop hostname=",
        ),
        (
            lambda: Listener(name="web", port=80, protocol="HTTP", certificate_refs=("web-tls",)),
            r"Listener 'web': a HTTP listener carries no TLS; drop certificate_refs= or use protocol='HTTPS'",
        ),
        (lambda: Listener(name="web", port=0, protocol="HTTP"), r"Listener 'web': port must be 1..65535, got 0"),
        (lambda: Listener(name="Web", port=80, protocol="HTTP"), r"Listener 'Web': name 'Web'"),
        (
            lambda: AllowedRoutes(namespaces="Selector"),
            r"AllowedRoutes: namespaces='Selector' and selector= go together",
        ),
        (lambda: AllowedRoutes(selector={"a": "b"}), r"AllowedRoutes: namespaces='Selector' and selector= go together"),
        (
            lambda: GatewayProps(name="gw", gateway_class_name="traefik", listeners=()),
            r"Gateway 'gw': listeners must hold at least one, e.g. listeners=\(Listener\(name='http', port=80",
        ),
        (
            lambda: GatewayProps(name="gw", gateway_class_name="traefik", listeners=(HTTPS, replace(HTTPS, port=8443))),
            r"Gateway 'gw': two listeners are named 'https'; name each once",
        ),
        (
            lambda: GatewayProps(name="gw", gateway_class_name="traefik", listeners=(HTTPS, replace(HTTPS, name="b"))),
            r"Gateway 'gw': two listeners take port 443 HTTPS for hostname '\*.example.org'; give each a hostname or "
            r"port of its own",
        ),
        (
            lambda: GatewayProps(
                name="gw",
                gateway_class_name="traefik",
                cluster_issuer="le",
                listeners=(Listener(name="http", port=80, protocol="HTTP"),),
            ),
            r"Gateway 'gw': issuer 'le' has nothing to issue: add a listener with certificate_refs, e.g. "
            r"Listener\(name='https', port=443, protocol='HTTPS', hostname='gw.example.org', certificate_refs=\('gw-tls',\)\)",
        ),
        (
            lambda: GatewayProps(
                name="gw", gateway_class_name="traefik", issuer="ca", listeners=(replace(HTTPS, hostname=None),)
            ),
            r"Gateway 'gw': listener 'https' has no hostname, which cert-manager needs to issue its certificate: add "
            r"hostname='gw.example.org'",
        ),
        (
            lambda: GatewayProps(
                name="gw", gateway_class_name="traefik", issuer="ca", cluster_issuer="le", listeners=(HTTPS,)
            ),
            r"Gateway 'gw': give cluster_issuer= or issuer=, not both",
        ),
        (
            lambda: GatewayProps(
                name="gw",
                gateway_class_name="traefik",
                cluster_issuer="le",
                annotations={"cert-manager.io/cluster-issuer": "other"},
                listeners=(HTTPS,),
            ),
            r"Gateway 'gw': annotations\['cert-manager.io/cluster-issuer'\] = 'other' contradicts the issuer prop",
        ),
    ],
)
def test_a_wrong_gateway_is_refused(make: Any, message: str) -> None:
    with pytest.raises(PropsError, match=message):
        make()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: RequestHeaderModifier(), r"RequestHeaderModifier: give set=, add= or remove="),
        (
            lambda: ResponseHeaderModifier(set={"X Frame": "deny"}),
            r"ResponseHeaderModifier.set: 'X Frame' is not a header name",
        ),
        (
            lambda: RequestHeaderModifier(add={"X-A": "1", "x-a": "2"}),
            r"RequestHeaderModifier.add: header 'X-A' is named twice \(names ignore case\); keep one",
        ),
        (
            lambda: RequestHeaderModifier(remove=tuple(f"X-{i}" for i in range(17))),
            r"RequestHeaderModifier.remove: at most 16 headers, got 17",
        ),
        (
            lambda: RequestRedirect(),
            r"RequestRedirect: give scheme=, hostname=, path= or port= \(a redirect to the same URL loops\)",
        ),
        (
            lambda: RequestRedirect(hostname="*.example.org"),
            r"RequestRedirect: hostname '\*.example.org' is a wildcard",
        ),
        (lambda: RequestRedirect(port=70000), r"RequestRedirect: port must be 1..65535, got 70000"),
        (lambda: URLRewrite(), r"URLRewrite: give hostname= or path="),
        (
            lambda: PathModifier(type="ReplaceFullPath", value="api"),
            r"PathModifier 'api': a path starts with '/': write value='/api'",
        ),
        (lambda: RequestMirror(service="wiki", port=0), r"RequestMirror 'wiki': port must be 1..65535, got 0"),
        (
            lambda: HTTPRouteRule(filters=(RequestRedirect(scheme="https"),), backend_refs=WIKI_BACKEND),
            r"HTTPRouteRule: a rule with a RequestRedirect answers the request itself: drop its backend_refs",
        ),
        (
            lambda: HTTPRouteRule(filters=(RequestRedirect(scheme="https"), URLRewrite(hostname="a.example.org"))),
            r"HTTPRouteRule: filters hold a RequestRedirect and a URLRewrite; a rule redirects or rewrites, not both",
        ),
        (
            lambda: HTTPRouteRule(
                filters=(URLRewrite(hostname="a.example.org"), URLRewrite(hostname="b.example.org")),
                backend_refs=WIKI_BACKEND,
            ),
            r"HTTPRouteRule: filters hold URLRewrite 2 times; a rule takes it once",
        ),
        (
            lambda: HTTPRouteRule(
                matches=(HTTPRouteMatch(path="/old", type="Exact"),),
                filters=(URLRewrite(path=PathModifier(type="ReplacePrefixMatch", value="/new")),),
                backend_refs=WIKI_BACKEND,
            ),
            r"HTTPRouteRule: URLRewrite replaces the matched prefix, so the rule must match by one path prefix: "
            r"matches=\(HTTPRouteMatch\(path='/app', type='PathPrefix'\),\)",
        ),
        (
            lambda: HTTPRouteRule(filters=(RequestHeaderModifier(set={"A": "1"}),)),
            r"HTTPRouteRule: backend_refs must hold at least one BackendRef",
        ),
        (lambda: StreamRouteRule(backend_refs=()), r"StreamRouteRule: backend_refs must hold at least one BackendRef"),
        (
            lambda: TLSRouteProps(name="db", parent_refs=(), rules=(StreamRouteRule(backend_refs=WIKI_BACKEND),)),
            r"TLSRoute 'db': parent_refs must name the Gateway it attaches to",
        ),
        (
            lambda: TCPRouteProps(name="db", parent_refs=(ParentRef(name="gw"),), rules=()),
            r"TCPRoute 'db': rules must hold at least one rule with its backend_refs",
        ),
    ],
)
def test_a_wrong_filter_or_route_is_refused(make: Any, message: str) -> None:
    with pytest.raises(PropsError, match=message):
        make()


def test_filters_that_go_together() -> None:
    """Mirrors repeat; a redirect stands alone; a prefix is replaced behind the default match (``/``)."""
    rule = HTTPRouteRule(
        filters=(RequestMirror(service="a", port=1), RequestMirror(service="b", port=1, namespace="x")),
        backend_refs=WIKI_BACKEND,
    )
    assert [f["requestMirror"]["backendRef"] for f in rule.render()["filters"]] == [
        {"name": "a", "port": 1},
        {"name": "b", "namespace": "x", "port": 1},
    ]
    redirect = HTTPRouteRule(filters=(RequestRedirect(path=PathModifier(type="ReplacePrefixMatch", value="/v2")),))
    assert redirect.render() == {
        "filters": [
            {
                "type": "RequestRedirect",
                "requestRedirect": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/v2"}},
            }
        ]
    }


# -- references checked at synth ------------------------------------------------------------------


def test_a_tls_route_to_a_missing_service_is_refused() -> None:
    route = TLSRouteProps(
        name="wiki",
        namespace="wiki",
        parent_refs=(ParentRef(name="public", namespace="edge", section_name="sso"),),
        rules=(StreamRouteRule(backend_refs=(BackendRef(service="wikki", port=443),)),),
    )
    with pytest.raises(
        HomelabError,
        match=r"tests/patterns/test_gateway.py: TLSRoute wiki/wiki spec.rules\[0\].backendRefs\[0\].name: "
        r"\[route-backend\] routes to Service 'wikki', which nothing the cluster deploys creates in namespace wiki "
        r"\(did you mean wiki\?\).*Fix: correct the backendRef's name \(BackendRef\(service=...\)\) or its namespace, "
        r"deploy that Service \(constructs_lib.service.Service\)",
    ):
        synth(edge.APP, routed(route))


def test_a_request_mirror_to_a_missing_service_is_refused() -> None:
    rule = HTTPRouteRule(filters=(RequestMirror(service="shadow", port=80),), backend_refs=WIKI_BACKEND)
    with pytest.raises(
        HomelabError,
        match=r"HTTPRoute wiki/wiki spec.rules\[0\].filters\[0\].requestMirror.backendRef.name: \[route-backend\] "
        r"routes to Service 'shadow', .*Fix: correct the backendRef's name \(RequestMirror\(service=...\)\)",
    ):
        synth(edge.APP, routed(http_route(edge.HTTPS, rule)))


def test_a_route_to_a_listener_the_gateway_has_not_is_refused() -> None:
    with pytest.raises(
        HomelabError,
        match=r"tests/patterns/test_gateway.py: HTTPRoute wiki/wiki spec.parentRefs\[0\].sectionName: \[route-parent\] "
        r"attaches to listener 'htps' of Gateway edge/public, which has no listener of that name \(its listeners: "
        r"http, https, sso, postgres\); the route would not be attached.*Fix: name one of its listeners: "
        r"ParentRef\(name='public', namespace='edge', section_name=...\)",
    ):
        synth(edge.APP, routed(http_route(replace(edge.HTTPS, section_name="htps"))))


def test_a_route_its_listeners_do_not_admit_is_refused() -> None:
    same = replace(edge.GATEWAY, listeners=(replace(HTTPS, certificate_refs=("wildcard-example-org",)),))
    with pytest.raises(
        HomelabError,
        match=r"HTTPRoute wiki/wiki spec.parentRefs\[0\]: \[route-parent\] attaches to Gateway edge/public, whose "
        r"listeners do not admit a HTTPRoute from namespace wiki: https takes routes from its own namespace only "
        r"\(allowedRoutes.namespaces.from: Same\); the route would not be attached.*Fix: let the listener take it "
        r"\(Listener\(allowed_routes=AllowedRoutes\(namespaces='All'\)\)",
    ):
        synth(edge_with(same), routed(http_route(edge.HTTPS)))
    with pytest.raises(
        HomelabError,
        match=r"HTTPRoute wiki/wiki spec.parentRefs\[0\]: \[route-parent\] .* sso takes only TLSRoute \(allowedRoutes.kinds\)",
    ):
        synth(edge.APP, routed(http_route(replace(edge.HTTPS, section_name="sso"))))
    # without a sectionName, any listener that admits it will do
    synth(edge.APP, routed(http_route(ParentRef(name="public", namespace="edge"))))


def test_a_route_to_a_gateway_missing_where_the_tree_keeps_gateways_is_refused() -> None:
    with pytest.raises(
        HomelabError,
        match=r"HTTPRoute wiki/wiki spec.parentRefs\[0\].name: \[route-parent\] attaches to Gateway 'publc', which "
        r"nothing the cluster deploys creates in namespace edge \(did you mean public\?\).*Fix: correct the "
        r"parentRef's name \(ParentRef\(name=..., namespace=...\)\), deploy that Gateway "
        r"\(constructs_lib.gateway.Gateway\), or, if a controller creates it, declare it: "
        r"creates=\(Creates\(kind='Gateway', name='publc', namespace='edge'\),\)",
    ):
        synth(edge_with(edge.GATEWAY), routed(http_route(replace(edge.HTTPS, name="publc"))))
    # a namespace where the tree keeps no Gateway is not judged (the platform may install one outside git)
    synth(edge.APP, routed(http_route(ParentRef(name="cilium", namespace="kube-system"))))


def test_a_gateway_certificate_nothing_issues_is_refused() -> None:
    no_issuer = replace(edge.GATEWAY, cluster_issuer=None)
    with pytest.raises(
        HomelabError,
        match=r"tests/patterns/test_gateway.py: Gateway edge/public spec.listeners\[1\].tls.certificateRefs\[0\].name: "
        r"\[secret-ref\] uses Secret 'wildcard-example-org', which nothing creates in namespace edge",
    ):
        synth(edge_with(no_issuer))


def test_which_certificates_cert_manager_issues() -> None:
    """Those of a terminating listener with a hostname, in the Gateway's namespace, when it names an issuer."""

    def gateway(annotations: dict[str, str], *listeners: dict[str, Any]) -> dict[str, Any]:
        return {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "Gateway",
            "metadata": {"name": "gw", "annotations": annotations},
            "spec": {"listeners": list(listeners)},
        }

    def tls(mode: str, *refs: dict[str, str], hostname: str | None = "a.example.org") -> dict[str, Any]:
        return {"name": "l", "hostname": hostname, "tls": {"mode": mode, "certificateRefs": list(refs)}}

    issuer = {"cert-manager.io/issuer": "ca"}
    listeners = (
        tls("Terminate", {"name": "a"}, {"name": "b", "namespace": "other"}, {"name": "c", "kind": "ConfigMap"}),
        tls("Terminate", {"name": "d"}, hostname=None),
        tls("Passthrough", {"name": "e"}),
    )
    assert [(n, issued) for _, n, issued in certificate_refs(gateway(issuer, *listeners), "ns")] == [
        ("a", True),
        ("d", False),
        ("e", False),
    ]
    assert {n for k, _, n in created_by(gateway(issuer, *listeners), "ns") if k == "Secret"} == {"a"}
    assert {k for k, _, _ in created_by(gateway({}, *listeners), "ns")} == {"Gateway"}
    placed = [Placed(obj=gateway({}, *listeners), entry="e", namespace="ns")]
    assert ("Secret", "ns", "a") not in index(
        ClusterContent(name="c", placed=placed), "argocd", set(), KindScopes()
    ).created


def test_a_route_of_a_kind_its_listeners_protocol_does_not_carry_is_refused() -> None:
    """Before: with no ``allowedRoutes.kinds``, a TLSRoute on an HTTPS listener synthesised; the Gateway takes
    only the kinds of the listener's protocol, and the route would never be attached."""
    route = TLSRouteProps(
        name="wiki",
        namespace="wiki",
        parent_refs=(edge.HTTPS,),
        rules=(StreamRouteRule(backend_refs=(BackendRef(service="wiki", port=443),)),),
    )
    with pytest.raises(
        HomelabError,
        match=r"TLSRoute wiki/wiki spec.parentRefs\[0\]: \[route-parent\] attaches to Gateway edge/public, whose "
        r"listeners do not admit a TLSRoute from namespace wiki: https is a HTTPS listener, which takes HTTPRoute "
        r"and GRPCRoute only; the route would not be attached",
    ):
        synth(edge.APP, routed(route))


def test_a_route_whose_hostnames_its_listeners_do_not_take_is_refused() -> None:
    """Before: an HTTPRoute for ``wiki.other.org`` on the ``*.example.org`` listener synthesised, and would
    never be attached."""
    with pytest.raises(
        HomelabError,
        match=r"HTTPRoute wiki/wiki spec.parentRefs\[0\]: \[route-parent\] attaches to Gateway edge/public, whose "
        r"listeners do not admit a HTTPRoute from namespace wiki: https takes hostname \*.example.org, which none "
        r"of the route's hostnames \(wiki.other.org\) matches; .*Fix: .*give the route a hostname the listener "
        r"takes \(hostnames=...\)",
    ):
        synth(edge.APP, routed(replace(http_route(edge.HTTPS), hostnames=("wiki.other.org",))))
    synth(edge.APP, routed(replace(http_route(edge.HTTPS), hostnames=("wiki.other.org", "a.b.example.org"))))


@pytest.mark.parametrize(
    ("a", "b", "meet"),
    [
        ("wiki.example.org", "wiki.example.org", True),
        ("*.example.org", "wiki.example.org", True),
        ("*.example.org", "a.wiki.example.org", True),
        ("*.example.org", "example.org", False),
        ("*.example.org", "*.wiki.example.org", True),
        ("*.wiki.example.org", "*.example.org", True),
        ("*.example.org", "*.example.net", False),
        ("wiki.example.org", "blog.example.org", False),
        ("*.example.org", "wikiexample.org", False),
    ],
)
def test_hostnames_meet(a: str, b: str, meet: bool) -> None:
    from homelab.validate.checks.route_parents import hostnames_meet

    assert hostnames_meet(a, b) is meet and hostnames_meet(b, a) is meet
