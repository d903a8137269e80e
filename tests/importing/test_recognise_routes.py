"""Gateway API objects come back as ``HTTPRoute`` (filters typed), ``GRPCRoute``, ``TLSRoute``, ``TCPRoute`` and
``Gateway`` with the props they were rendered from; what the props cannot say leaves the object raw."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_lib.gateway import AllowedRoutes, Gateway, GatewayProps, Listener
from constructs_lib.grpc_route import GRPCRoute, GRPCRouteMatch, GRPCRouteProps, GRPCRouteRule
from constructs_lib.http_route import BackendRef, HTTPRoute, HTTPRouteMatch, HTTPRouteProps, HTTPRouteRule, ParentRef
from constructs_lib.http_route_filter import (
    PathModifier,
    RequestHeaderModifier,
    RequestMirror,
    RequestRedirect,
    ResponseHeaderModifier,
    URLRewrite,
)
from constructs_lib.tcp_route import TCPRoute, TCPRouteProps
from constructs_lib.tls_route import StreamRouteRule, TLSRoute, TLSRouteProps
from tests.importing.recognising import near_miss, only_claim, recognised

names = st.from_regex(r"[a-z][a-z0-9-]{0,8}[a-z0-9]", fullmatch=True)
maybe_names = st.one_of(st.none(), names)
parents = st.builds(ParentRef, name=names, namespace=maybe_names, section_name=maybe_names)
backends = st.builds(
    BackendRef,
    service=names,
    port=st.integers(1, 65535),
    weight=st.one_of(st.none(), st.integers(0, 100)),
    namespace=maybe_names,
)
http_matches = st.builds(
    HTTPRouteMatch, path=st.from_regex(r"/[a-z/]{0,8}", fullmatch=True), type=st.sampled_from(["PathPrefix", "Exact"])
)
grpc_matches = st.one_of(
    st.builds(GRPCRouteMatch, service=st.just("grpc.health.v1.Health"), method=st.one_of(st.none(), st.just("Check"))),
    st.builds(GRPCRouteMatch, method=st.just("Watch")),
)
hostnames = st.lists(st.sampled_from(["wiki.example.org", "*.example.org", "api.example.org"]), max_size=2, unique=True)
#: Filters a rule with backends may hold together, and a redirect (whose rule has none).
FILTERS = (
    (),
    (RequestHeaderModifier(set={"X-Forwarded-Proto": "https"}, remove=("X-Debug",)),),
    (
        ResponseHeaderModifier(add={"Cache-Control": "no-store"}),
        URLRewrite(hostname="internal.example.org", path=PathModifier(type="ReplaceFullPath", value="/v2")),
        RequestMirror(service="shadow", port=8080, namespace="test"),
        RequestMirror(service="audit", port=80),
    ),
)
REDIRECT = (RequestRedirect(scheme="https", port=443, status_code=301),)


@st.composite
def http_rules(draw: st.DrawFn) -> HTTPRouteRule:
    filters = draw(st.sampled_from([*FILTERS, REDIRECT]))
    return HTTPRouteRule(
        backend_refs=() if filters == REDIRECT else tuple(draw(st.lists(backends, min_size=1, max_size=2))),
        matches=tuple(draw(st.lists(http_matches, max_size=2))),
        filters=filters,
    )


http_routes = st.builds(
    HTTPRouteProps,
    name=names,
    namespace=maybe_names,
    labels=st.dictionaries(names, names, max_size=2),
    sync_wave=st.one_of(st.none(), st.integers(-3, 3)),
    parent_refs=st.lists(parents, min_size=1, max_size=2).map(tuple),
    hostnames=hostnames.map(tuple),
    rules=st.lists(http_rules(), min_size=1, max_size=2).map(tuple),
)
grpc_routes = st.builds(
    GRPCRouteProps,
    name=names,
    namespace=maybe_names,
    parent_refs=st.lists(parents, min_size=1, max_size=2).map(tuple),
    hostnames=hostnames.map(tuple),
    rules=st.lists(
        st.builds(
            GRPCRouteRule,
            backend_refs=st.lists(backends, min_size=1, max_size=2).map(tuple),
            matches=st.lists(grpc_matches, max_size=2).map(tuple),
        ),
        min_size=1,
        max_size=2,
    ).map(tuple),
)


@settings(max_examples=25, deadline=None)
@given(http_routes)
def test_an_http_route_is_its_props(props: HTTPRouteProps) -> None:
    claim = only_claim(lambda s: HTTPRoute(s, "route", props))
    assert (claim.construct, claim.props) == (HTTPRoute, props)


@settings(max_examples=25, deadline=None)
@given(grpc_routes)
def test_a_grpc_route_is_its_props(props: GRPCRouteProps) -> None:
    claim = only_claim(lambda s: GRPCRoute(s, "route", props))
    assert (claim.construct, claim.props) == (GRPCRoute, props)


stream_rules = st.lists(
    st.builds(StreamRouteRule, backend_refs=st.lists(backends, min_size=1, max_size=2).map(tuple)),
    min_size=1,
    max_size=2,
).map(tuple)


@settings(max_examples=15, deadline=None)
@given(names, st.lists(parents, min_size=1, max_size=2).map(tuple), hostnames.map(tuple), stream_rules)
def test_tls_and_tcp_routes_are_their_props(
    name: str, parent_refs: tuple[ParentRef, ...], hosts: tuple[str, ...], rules: tuple[StreamRouteRule, ...]
) -> None:
    tls = TLSRouteProps(name=name, parent_refs=parent_refs, hostnames=hosts, rules=rules)
    tcp = TCPRouteProps(name=name, namespace="db", parent_refs=parent_refs, rules=rules)
    for construct, props in ((TLSRoute, tls), (TCPRoute, tcp)):
        claim = only_claim(lambda s, c=construct, p=props: c(s, "route", p))
        assert (claim.construct, claim.props) == (construct, props)


def test_a_redirect_replacing_the_matched_prefix_is_typed() -> None:
    rule = HTTPRouteRule(
        matches=(HTTPRouteMatch(path="/old"),),
        filters=(RequestRedirect(path=PathModifier(type="ReplacePrefixMatch", value="/new")),),
    )
    props = HTTPRouteProps(name="moved", parent_refs=(ParentRef(name="gateway"),), rules=(rule,))
    assert only_claim(lambda s: HTTPRoute(s, "moved", props)).props == props


listeners = st.sampled_from(
    [
        Listener(name="http", port=80, protocol="HTTP"),
        Listener(
            name="https",
            port=443,
            protocol="HTTPS",
            hostname="*.example.org",
            certificate_refs=("wildcard-tls",),
            allowed_routes=AllowedRoutes(namespaces="All", kinds=("HTTPRoute",)),
        ),
        Listener(name="tls", port=8443, protocol="TLS", hostname="db.example.org"),
        Listener(
            name="postgres",
            port=5432,
            protocol="TCP",
            allowed_routes=AllowedRoutes(namespaces="Selector", selector={"gateway-access": "db"}),
        ),
    ]
)


@settings(max_examples=15, deadline=None)
@given(
    names,
    st.lists(listeners, min_size=1, max_size=4, unique_by=lambda li: li.name).map(tuple),
    st.sampled_from([{}, {"cluster_issuer": "letsencrypt"}, {"issuer": "local"}]),
    st.dictionaries(st.sampled_from(["a.example/x", "b.example/y"]), names, max_size=2),
)
def test_a_gateway_is_its_props(
    name: str, found: tuple[Listener, ...], issuer: dict[str, str], annotations: dict[str, str]
) -> None:
    if issuer and not any(li.certificate_refs for li in found):
        found = (
            *found,
            Listener(
                name="web", port=9443, protocol="HTTPS", hostname="web.example.org", certificate_refs=("web-tls",)
            ),
        )
    props = GatewayProps(
        name=name, namespace="gateway", gateway_class_name="traefik", listeners=found, annotations=annotations, **issuer
    )
    claim = only_claim(lambda s: Gateway(s, "gateway", props))
    assert (claim.construct, claim.props) == (Gateway, props)


def test_what_a_gateway_cannot_say_leaves_it_raw() -> None:
    props = GatewayProps(
        name="gw",
        gateway_class_name="cilium",
        listeners=(Listener(name="https", port=443, protocol="HTTPS", certificate_refs=("gw-tls",)),),
    )
    objects, _ = recognised(lambda s: Gateway(s, "gw", props))
    near_miss(objects, 0, ("spec", "addresses"), [{"type": "IPAddress", "value": "10.0.0.1"}])
    listener = objects[0]["spec"]["listeners"][0]
    other_namespace = {"kind": "Secret", "name": "gw-tls", "namespace": "certs"}
    near_miss(
        objects,
        0,
        ("spec", "listeners"),
        [{**listener, "tls": {**listener["tls"], "certificateRefs": [other_namespace]}}],
    )
    near_miss(objects, 0, ("spec", "listeners"), [{**listener, "tls": {**listener["tls"], "mode": "Passthrough"}}])


RULE = HTTPRouteRule(backend_refs=(BackendRef(service="wiki", port=80),), matches=(HTTPRouteMatch(path="/api"),))
HTTP = HTTPRouteProps(name="wiki", parent_refs=(ParentRef(name="gateway"),), rules=(RULE,))


def test_what_a_route_cannot_say_leaves_it_raw() -> None:
    objects, _ = recognised(lambda s: HTTPRoute(s, "wiki", HTTP))
    rule = objects[0]["spec"]["rules"][0]
    header = {"headers": [{"name": "x-env", "value": "test"}], **rule["matches"][0]}
    near_miss(objects, 0, ("spec", "rules"), [{**rule, "matches": [header]}])
    near_miss(objects, 0, ("spec", "rules"), [{**rule, "filters": [{"type": "ExtensionRef", "extensionRef": {}}]}])
    near_miss(objects, 0, ("spec", "rules"), [{**rule, "filters": [{"type": "RequestHeaderModifier"}]}])
    near_miss(
        objects, 0, ("spec", "rules"), [{**rule, "backendRefs": [{"kind": "Service", "name": "wiki", "port": 80}]}]
    )
    near_miss(objects, 0, ("spec", "parentRefs"), [{"name": "gateway", "port": 443}])
    tcp = TCPRouteProps(
        name="db",
        parent_refs=(ParentRef(name="gateway"),),
        rules=(StreamRouteRule(backend_refs=(BackendRef(service="db", port=5432),)),),
    )
    objects, _ = recognised(lambda s: TCPRoute(s, "db", tcp))
    near_miss(objects, 0, ("spec", "hostnames"), ["db.example.org"])
    grpc = GRPCRouteProps(
        name="api",
        parent_refs=(ParentRef(name="gateway"),),
        rules=(GRPCRouteRule(backend_refs=(BackendRef(service="api", port=9090),)),),
    )
    objects, _ = recognised(lambda s: GRPCRoute(s, "api", grpc))
    near_miss(
        objects, 0, ("spec", "rules"), [{"backendRefs": [{"name": "api", "port": 9090}], "sessionPersistence": {}}]
    )
