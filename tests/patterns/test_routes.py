"""Ingress of any class and Gateway API routes: the routes lab synthesises with no acceptance file, and a
route's backendRef to a Service nothing deploys is refused with its check id, the Python fix and the acceptance."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, ClassVar

import pytest
import yaml

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.http_route import BackendRef
from constructs_lib.ingress import Ingress, IngressPath, IngressProps, IngressTls
from constructs_lib.versions import HelmChart
from homelab import AppSpec, HomelabError, Scope
from homelab.engine.pipeline import Synthesis, synthesise
from homelab.kinds import KindScopes
from homelab.validate import accept
from homelab.validate.checks.route_backends import route_backends
from homelab.validate.content import ClusterContent, Placed
from homelab.validate.index import index
from tests.conftest import FakeStore
from tests.patterns import routes_lab as lab


def synth(*apps: AppSpec) -> Synthesis:
    plan = replace(lab.LAB.clusters[0], apps=apps or (lab.WIKI, lab.SEARCH))
    return synthesise(replace(lab.LAB, clusters=(plan,)), stores={"home": FakeStore()})


def wiki_with_route_to(backend: BackendRef) -> AppSpec:
    def base(scope: Scope) -> None:
        lab.workload(scope, "wiki", "wiki", 80)
        lab.wiki_route(scope, backend)

    return replace(lab.WIKI, base=base)


def written(s: Synthesis, kind: str) -> dict[str, object]:
    (text,) = (t for t in s.files.values() if f"\nkind: {kind}\n".encode() in t)
    return yaml.safe_load(text)


def test_the_lab_synthesises_with_no_acceptance_file_and_no_warning() -> None:
    assert not (lab.LAB.root / accept.FILE_NAME).exists()
    s = synth()
    assert s.warnings == []
    ingress = written(s, "Ingress")
    assert ingress["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "letsencrypt"}  # type: ignore[index]
    assert ingress["spec"]["tls"] == [{"hosts": ["wiki.example.org"], "secretName": "wiki-tls"}]  # type: ignore[index]
    route = written(s, "HTTPRoute")
    assert route["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert route["spec"]["parentRefs"] == [{"name": "public", "namespace": "gateway", "sectionName": "https"}]  # type: ignore[index]
    assert written(s, "GRPCRoute")["spec"]["rules"][0]["matches"] == [{"method": {"service": "search.v1.Search"}}]  # type: ignore[index]


def test_an_http_route_to_a_missing_service_is_refused() -> None:
    with pytest.raises(
        HomelabError,
        match=r"tests/patterns/test_routes.py: HTTPRoute wiki/wiki spec.rules\[0\].backendRefs\[0\].name: "
        r"\[route-backend\] routes to Service 'wikii', which nothing the cluster deploys creates in namespace wiki "
        r"\(did you mean wiki\?\).*Fix: correct the backendRef's name \(BackendRef\(service=...\)\) or its namespace, "
        r"deploy that Service \(constructs_lib.service.Service\), or, if a controller creates it, declare it: "
        r"creates=\(Creates\(kind='Service', name='wikii', namespace='wiki'\),\) on its HelmArgoAppProps.*\n"
        r"    or, if it is right as it is, accept it in .homelab-validate.yaml: "
        r'- \{check: route-backend, object: "HTTPRoute wiki/wiki", reason: "..."\}',
    ):
        synth(wiki_with_route_to(BackendRef(service="wikii", port=80)), lab.SEARCH)


def test_a_backend_ref_namespace_is_where_the_service_is_looked_for() -> None:
    with pytest.raises(
        HomelabError,
        match=r"HTTPRoute wiki/wiki spec.rules\[1\].backendRefs\[1\].name: \[route-backend\] routes to Service "
        r"'search', which nothing the cluster deploys creates in namespace search",
    ):
        synth(lab.WIKI)  # the search app is not deployed
    with pytest.raises(HomelabError, match=r"\[route-backend\] routes to Service 'search', .* in namespace wiki"):
        synth(wiki_with_route_to(BackendRef(service="search", port=7700)), lab.SEARCH)  # in the route's namespace


def test_a_chart_in_the_namespace_makes_it_a_warning() -> None:
    chart = HelmArgoAppProps(
        name="wiki-plugins",
        destination_namespace="wiki",
        chart=HelmChart(repo_url="https://charts.example", chart="plugins", version="1.0.0"),
        release_name="plugins",
    )

    def base(scope: Scope) -> None:
        HelmArgoApp(scope, "plugins", chart)

    s = synth(wiki_with_route_to(BackendRef(service="wikii", port=80)), lab.SEARCH, AppSpec(name="plugins", base=base))
    [warning] = s.warnings
    assert re.match(
        r"tests/patterns/test_routes.py: HTTPRoute wiki/wiki spec.rules\[0\].backendRefs\[0\].name: \[route-backend\] "
        r"routes to Service 'wikii', which nothing here creates and whose name is not derived from a chart release "
        r"in wiki \(plugins\)",
        warning,
    )
    s = synth(
        wiki_with_route_to(BackendRef(service="plugins-web", port=80)), lab.SEARCH, AppSpec(name="plugins", base=base)
    )
    assert s.warnings == []  # derived from the release: the chart creates it


def test_an_ingress_tls_secret_with_no_issuer_is_refused() -> None:
    """The issuer prop is what makes cert-manager create the Secret: without it, nothing does."""

    def base(scope: Scope) -> None:
        lab.workload(scope, "wiki", "wiki", 80)
        Ingress(
            scope,
            "ingress",
            IngressProps(
                name="wiki",
                namespace="wiki",
                ingress_class_name="nginx",
                tls=(IngressTls(hosts=("wiki.example.org",), secret_name="wiki-tls"),),
                paths=(IngressPath(host="wiki.example.org", path="/", service="wiki", port=80),),
            ),
        )

    with pytest.raises(
        HomelabError, match=r"Ingress wiki/wiki spec.tls\[0\].secretName: \[secret-ref\] uses Secret 'wiki-tls'"
    ):
        synth(replace(lab.WIKI, base=base))


def test_which_backend_refs_are_checked() -> None:
    """Every Gateway API route kind, any version; refs to another kind (a ServiceImport) are not Services."""

    class Tree:
        kustomizations: ClassVar[dict[str, Any]] = {}

        def origin(self, obj: dict[str, Any], entry: str = "") -> str:
            return "app.yaml"

    def route(api_version: str, kind: str, *refs: dict[str, Any]) -> dict[str, Any]:
        return {
            "apiVersion": api_version,
            "kind": kind,
            "metadata": {"name": "r"},
            "spec": {"rules": [{"backendRefs": list(refs)}]},
        }

    def findings(*objects: dict[str, Any]) -> list[str]:
        placed = [Placed(obj=o, entry="e", namespace="ns") for o in objects]
        idx = index(ClusterContent(name="c", placed=placed), "argocd", set(), KindScopes())
        return [f"{f.object} {f.field}" for f in route_backends(placed, Tree(), idx)]  # type: ignore[arg-type]

    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}
    tls = route("gateway.networking.k8s.io/v1alpha2", "TLSRoute", {"name": "s", "port": 443}, {"name": "t", "port": 1})
    assert findings(tls, service) == ["TLSRoute ns/r spec.rules[0].backendRefs[1].name"]
    imported = {"name": "t", "port": 1, "group": "multicluster.x-k8s.io", "kind": "ServiceImport"}
    assert findings(route("gateway.networking.k8s.io/v1", "HTTPRoute", imported)) == []
    assert findings(route("example.org/v1", "HTTPRoute", {"name": "t", "port": 1})) == []  # another group's kind
