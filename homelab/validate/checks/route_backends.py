"""``route-backend``: a Gateway API route's backendRefs (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute)
name Services the cluster deploys."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import group_of
from homelab.validate.checks._backends import missing_service
from homelab.validate.checks._deployed import charts_by_namespace
from homelab.validate.content import Placed, Source
from homelab.validate.findings import Finding
from homelab.validate.index import Index

GATEWAY_GROUP = "gateway.networking.k8s.io"
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")


def route_backends(placed: list[Placed], tree: Source, idx: Index) -> list[Finding]:
    """Each backendRef to a Service (its ``kind`` left out or ``Service``, in the core group) names one that
    the cluster deploys (or a controller creates) in the ref's ``namespace``, the route's own when left out;
    where a chart deployed there could create it, only a warning
    (:func:`~homelab.validate.checks._backends.missing_service`)."""
    charts = charts_by_namespace(placed)
    out = []
    for p in placed:
        if p.obj.get("kind") not in ROUTE_KINDS or group_of(str(p.obj.get("apiVersion", ""))) != GATEWAY_GROUP:
            continue
        for i, rule in enumerate(as_mapping(p.obj.get("spec")).get("rules") or []):
            for j, ref in enumerate(as_mapping(rule).get("backendRefs") or []):
                ref = as_mapping(ref)
                name = ref.get("name")
                if not isinstance(name, str) or ref.get("kind", "Service") != "Service" or ref.get("group", ""):
                    continue
                namespace = str(ref.get("namespace") or p.namespace)
                where = f"spec.rules[{i}].backendRefs[{j}].name"
                fix = "correct the backendRef's name (BackendRef(service=...)) or its namespace"
                finding = missing_service(tree, p, "route-backend", where, name, namespace, charts, idx, fix)
                if finding:
                    out.append(finding)
    return out
