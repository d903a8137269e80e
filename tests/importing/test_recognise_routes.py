"""Gateway API routes come back as ``HTTPRoute``/``GRPCRoute``, ExternalSecrets as ``ExternalSecret``, with
the props they were rendered from; what the props cannot say leaves the object raw."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_lib.external_secret import ExternalSecret, ExternalSecretData, ExternalSecretProps, SecretStoreRef
from constructs_lib.grpc_route import GRPCRoute, GRPCRouteMatch, GRPCRouteProps, GRPCRouteRule
from constructs_lib.http_route import BackendRef, HTTPRoute, HTTPRouteMatch, HTTPRouteProps, HTTPRouteRule, ParentRef
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
http_routes = st.builds(
    HTTPRouteProps,
    name=names,
    namespace=maybe_names,
    labels=st.dictionaries(names, names, max_size=2),
    sync_wave=st.one_of(st.none(), st.integers(-3, 3)),
    parent_refs=st.lists(parents, min_size=1, max_size=2).map(tuple),
    hostnames=hostnames.map(tuple),
    rules=st.lists(
        st.builds(
            HTTPRouteRule,
            backend_refs=st.lists(backends, min_size=1, max_size=2).map(tuple),
            matches=st.lists(http_matches, max_size=2).map(tuple),
        ),
        min_size=1,
        max_size=2,
    ).map(tuple),
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
external_secrets = st.builds(
    ExternalSecretProps,
    name=names,
    namespace=maybe_names,
    store=st.builds(SecretStoreRef, name=names, kind=st.sampled_from(["SecretStore", "ClusterSecretStore"])),
    data=st.lists(
        st.builds(ExternalSecretData, secret_key=names, remote_key=names, property=maybe_names, version=maybe_names),
        min_size=1,
        max_size=3,
        unique_by=lambda d: d.secret_key,
    ).map(tuple),
    target=maybe_names,
    refresh_interval=st.sampled_from([None, "1h", "15m", "0"]),
    api_version=st.sampled_from(["external-secrets.io/v1", "external-secrets.io/v1beta1"]),
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


@settings(max_examples=25, deadline=None)
@given(external_secrets)
def test_an_external_secret_is_its_props(props: ExternalSecretProps) -> None:
    claim = only_claim(lambda s: ExternalSecret(s, "secret", props))
    assert claim.construct is ExternalSecret
    # a target equal to the name is read back as no target: the same Secret, written the same way
    assert claim.props == (props if props.target != props.name else replace(props, target=None))


RULE = HTTPRouteRule(backend_refs=(BackendRef(service="wiki", port=80),), matches=(HTTPRouteMatch(path="/api"),))
HTTP = HTTPRouteProps(name="wiki", parent_refs=(ParentRef(name="gateway"),), rules=(RULE,))


def test_what_a_route_cannot_say_leaves_it_raw() -> None:
    objects, _ = recognised(lambda s: HTTPRoute(s, "wiki", HTTP))
    rule = objects[0]["spec"]["rules"][0]
    header = {"headers": [{"name": "x-env", "value": "test"}], **rule["matches"][0]}
    near_miss(objects, 0, ("spec", "rules"), [{**rule, "matches": [header]}])
    near_miss(objects, 0, ("spec", "rules"), [{**rule, "filters": [{"type": "RequestHeaderModifier"}]}])
    near_miss(
        objects, 0, ("spec", "rules"), [{**rule, "backendRefs": [{"kind": "Service", "name": "wiki", "port": 80}]}]
    )
    near_miss(objects, 0, ("spec", "parentRefs"), [{"name": "gateway", "port": 443}])
    grpc = GRPCRouteProps(
        name="api",
        parent_refs=(ParentRef(name="gateway"),),
        rules=(GRPCRouteRule(backend_refs=(BackendRef(service="api", port=9090),)),),
    )
    objects, _ = recognised(lambda s: GRPCRoute(s, "api", grpc))
    near_miss(
        objects, 0, ("spec", "rules"), [{"backendRefs": [{"name": "api", "port": 9090}], "sessionPersistence": {}}]
    )


def test_what_an_external_secret_cannot_say_leaves_it_raw() -> None:
    props = ExternalSecretProps(
        name="db",
        store=SecretStoreRef(name="vault", kind="ClusterSecretStore"),
        data=(ExternalSecretData(secret_key="password", remote_key="app/db", property="password"),),
    )
    objects, _ = recognised(lambda s: ExternalSecret(s, "db", props))
    near_miss(objects, 0, ("spec", "dataFrom"), [{"extract": {"key": "app/db"}}])
    near_miss(objects, 0, ("spec", "target", "creationPolicy"), "Merge")
    near_miss(
        objects,
        0,
        ("spec", "data"),
        [{"secretKey": "password", "remoteRef": {"key": "app/db", "decodingStrategy": "Base64"}}],
    )
    near_miss(objects, 0, ("spec", "data"), [])  # no key: the props refuse it, the object stays as it is
