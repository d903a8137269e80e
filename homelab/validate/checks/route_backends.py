"""``route-backend``: a Gateway API route's backendRefs (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute),
and the Services an HTTPRoute's ``RequestMirror`` filters copy requests to, name Services the cluster deploys."""

from __future__ import annotations

from homelab.validate.checks._backends import missing_service
from homelab.validate.checks._deployed import charts_by_namespace
from homelab.validate.content import Placed, Source
from homelab.validate.findings import Finding
from homelab.validate.index import Index
from homelab.validate.references import is_route, route_services


def route_backends(placed: list[Placed], tree: Source, idx: Index) -> list[Finding]:
    """Each backendRef to a Service (its ``kind`` left out or ``Service``, in the core group) names one that
    the cluster deploys (or a controller creates) in the ref's ``namespace``, the route's own when left out;
    where a chart deployed there could create it, only a warning
    (:func:`~homelab.validate.checks._backends.missing_service`)."""
    charts = charts_by_namespace(placed)
    out = []
    for p in placed:
        if not is_route(p.obj):
            continue
        for where, namespace, name in route_services(p.obj, p.namespace):
            setting = "RequestMirror(service=...)" if "requestMirror" in where else "BackendRef(service=...)"
            fix = f"correct the backendRef's name ({setting}) or its namespace"
            finding = missing_service(tree, p, "route-backend", where, name, namespace, charts, idx, fix)
            if finding:
                out.append(finding)
    return out
