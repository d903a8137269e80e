"""Ingress (any class, cert-manager TLS), HTTPRoute and GRPCRoute: what they write and what they refuse."""

# mypy: disable-error-code="arg-type"

from __future__ import annotations

from collections.abc import Callable

import pytest

from constructs_lib.errors import PropsError
from constructs_lib.grpc_route import GRPCRoute, GRPCRouteMatch, GRPCRouteProps, GRPCRouteRule
from constructs_lib.http_route import BackendRef, HTTPRoute, HTTPRouteMatch, HTTPRouteProps, HTTPRouteRule, ParentRef
from constructs_lib.ingress import Ingress, IngressPath, IngressProps, IngressTls
from tests.conftest import render_one

TLS = (IngressTls(hosts=("wiki.example.org",), secret_name="wiki-tls"),)
PATHS = (IngressPath(path="/", service="wiki", port=80, host="wiki.example.org"),)
RULE = HTTPRouteRule(backend_refs=(BackendRef(service="wiki", port=80),))
GATEWAY = (ParentRef(name="public"),)


def test_an_ingress_of_another_class_with_a_namespaced_issuer() -> None:
    props = IngressProps(
        name="wiki", ingress_class_name="nginx", issuer="internal", tls=TLS, paths=PATHS, annotations={"a": "b"}
    )
    m = render_one(lambda s: Ingress(s, "i", props))
    assert m["metadata"] == {"name": "wiki", "annotations": {"a": "b", "cert-manager.io/issuer": "internal"}}
    assert m["spec"] == {
        "ingressClassName": "nginx",
        "tls": [{"hosts": ["wiki.example.org"], "secretName": "wiki-tls"}],
        "rules": [
            {
                "host": "wiki.example.org",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": "wiki", "port": {"number": 80}}},
                        }
                    ]
                },
            }
        ],
    }


def test_an_ingress_with_only_a_default_backend_and_the_default_class() -> None:
    m = render_one(lambda s: Ingress(s, "i", IngressProps(name="wiki", service="wiki")))
    assert m["spec"] == {"defaultBackend": {"service": {"name": "wiki", "port": {"name": "http"}}}}
    assert "annotations" not in m["metadata"]


def test_an_ingress_keeps_its_sync_wave_beside_the_issuer() -> None:
    props = IngressProps(name="wiki", issuer="internal", tls=TLS, paths=PATHS, annotations={"a": "b"}, sync_wave=2)
    m = render_one(lambda s: Ingress(s, "i", props))
    assert m["metadata"]["annotations"] == {
        "a": "b",
        "argocd.argoproj.io/sync-wave": "2",
        "cert-manager.io/issuer": "internal",
    }


def test_routes_write_only_what_is_set() -> None:
    http = HTTPRouteProps(
        name="wiki",
        parent_refs=GATEWAY,
        rules=(
            HTTPRouteRule(
                matches=(HTTPRouteMatch(path="/healthz", type="Exact"),),
                backend_refs=(BackendRef(service="wiki", port=80, weight=0),),
            ),
        ),
    )
    spec = render_one(lambda s: HTTPRoute(s, "r", http))["spec"]
    assert spec == {
        "parentRefs": [{"name": "public"}],
        "rules": [
            {
                "matches": [{"path": {"type": "Exact", "value": "/healthz"}}],
                "backendRefs": [{"name": "wiki", "port": 80, "weight": 0}],
            }
        ],
    }
    grpc = GRPCRouteProps(
        name="api",
        parent_refs=GATEWAY,
        hostnames=("*.example.org",),
        rules=(
            GRPCRouteRule(
                matches=(GRPCRouteMatch(method="Check"),), backend_refs=(BackendRef(service="api", port=9090),)
            ),
        ),
    )
    m = render_one(lambda s: GRPCRoute(s, "g", grpc))
    assert (m["apiVersion"], m["kind"]) == ("gateway.networking.k8s.io/v1", "GRPCRoute")
    assert m["spec"]["hostnames"] == ["*.example.org"]
    assert m["spec"]["rules"][0]["matches"] == [{"method": {"method": "Check"}}]


REFUSED: list[tuple[Callable[[], object], str]] = [
    (
        lambda: IngressProps(name="wiki"),
        r"^Ingress 'wiki': give paths=\(IngressPath\(...\),\) or service= \(the default backend\)$",
    ),
    (
        lambda: IngressProps(name="wiki", paths=PATHS, cluster_issuer="le", issuer="internal", tls=TLS),
        r"^Ingress 'wiki': give cluster_issuer= or issuer=, not both",
    ),
    (
        lambda: IngressProps(name="wiki", paths=PATHS, cluster_issuer="le"),
        r"^Ingress 'wiki': issuer 'le' has nothing to issue: add "
        r"tls=\(IngressTls\(hosts=\('wiki.example.org',\), secret_name='wiki-tls'\),\)$",
    ),
    (
        lambda: IngressProps(
            name="wiki", paths=PATHS, cluster_issuer="le", tls=(IngressTls(hosts=("wiki.example.org",)),)
        ),
        r"^Ingress 'wiki': TLS hosts \('wiki.example.org',\) have no secret_name, which cert-manager needs to "
        r"create the certificate's Secret: add secret_name='wiki-tls'$",
    ),
    (
        lambda: IngressProps(
            name="wiki", paths=PATHS, cluster_issuer="le", tls=TLS, annotations={"cert-manager.io/issuer": "x"}
        ),
        r"^Ingress 'wiki': annotations\['cert-manager.io/issuer'\] = 'x' contradicts the issuer prop: drop it",
    ),
    (
        lambda: IngressPath(path="api", service="api", port=80),
        r"^IngressPath 'api': a Prefix path starts with '/': write path='/api'$",
    ),
    (
        lambda: IngressPath(path="/", service="api", port=80, host="https://wiki.example.org"),
        r"^IngressPath '/': host 'https://wiki.example.org' is not a host name: use a DNS name .* without scheme",
    ),
    (lambda: IngressTls(hosts=()), r"^IngressTls \(\): hosts must name at least one host"),
    (
        lambda: HTTPRouteProps(name="wiki", parent_refs=(), rules=(RULE,)),
        r"^HTTPRoute 'wiki': parent_refs must name the Gateway it attaches to, e.g. parent_refs=\(ParentRef\(",
    ),
    (
        lambda: HTTPRouteProps(name="wiki", parent_refs=GATEWAY, rules=()),
        r"^HTTPRoute 'wiki': rules must hold at least one rule",
    ),
    (
        lambda: HTTPRouteProps(name="wiki", parent_refs=GATEWAY, rules=(RULE,), hostnames=("wiki.*",)),
        r"^HTTPRoute 'wiki': hostname 'wiki.\*' is not a host name",
    ),
    (
        lambda: HTTPRouteRule(backend_refs=()),
        r"^HTTPRouteRule: backend_refs must hold at least one BackendRef, e.g. backend_refs=\(BackendRef\(",
    ),
    (lambda: HTTPRouteMatch(path="api"), r"^HTTPRouteMatch 'api': a path starts with '/': write path='/api'$"),
    (lambda: BackendRef(service="wiki", port=0), r"^BackendRef 'wiki': port must be 1..65535, got 0$"),
    (lambda: BackendRef(service="wiki", port=80, weight=-1), r"^BackendRef 'wiki': weight must be 0..1000000, got -1$"),
    (lambda: ParentRef(name="Public"), r"^ParentRef 'Public': name 'Public' is not a valid Kubernetes name"),
    (lambda: GRPCRouteMatch(), r"^GRPCRouteMatch: give service=, method= or both"),
    (
        lambda: GRPCRouteProps(name="api", parent_refs=GATEWAY, rules=()),
        r"^GRPCRoute 'api': rules must hold at least one rule",
    ),
    # wrong types, named where given
    (
        lambda: HTTPRouteProps(name="wiki", parent_refs=GATEWAY, rules=(RULE,), hostnames="wiki.example.org"),
        r"^HTTPRouteProps\.hostnames: expected a tuple \(tuple\[str, \.\.\.\]\), got the string 'wiki.example.org'; "
        r"for one item write hostnames=\('wiki.example.org',\)",
    ),
    (lambda: BackendRef(service="wiki", port="http"), r"^BackendRef\.port: expected int, got str 'http'$"),
    (
        lambda: HTTPRouteProps(name="wiki", parent_refs=ParentRef(name="public"), rules=(RULE,)),
        r"^HTTPRouteProps\.parent_refs: expected a tuple",
    ),
    (
        lambda: IngressProps(name="wiki", service="wiki", cluster_issuer=True),
        r"^IngressProps\.cluster_issuer: expected",
    ),
    (lambda: IngressProps(name="wiki", service="wiki", tls=TLS[0]), r"^IngressProps\.tls: expected a tuple"),
]


@pytest.mark.parametrize(("make", "message"), REFUSED, ids=[m for _, m in REFUSED])
def test_refused(make: Callable[[], object], message: str) -> None:
    with pytest.raises(PropsError, match=message):
        make()
