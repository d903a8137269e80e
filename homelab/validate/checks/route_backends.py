"""``route-backend``: a Gateway API route's backendRefs (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute),
and the Services an HTTPRoute's ``RequestMirror`` filters copy requests to, name Services the cluster deploys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import group_of
from homelab.validate.checks._backends import missing_service
from homelab.validate.checks._deployed import charts_by_namespace
from homelab.validate.content import Placed, Source
from homelab.validate.findings import Finding
from homelab.validate.index import GATEWAY_GROUP, Index

ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")


def is_route(obj: dict[str, Any]) -> bool:
    """Whether ``obj`` is a Gateway API route (of any version)."""
    return obj.get("kind") in ROUTE_KINDS and group_of(str(obj.get("apiVersion", ""))) == GATEWAY_GROUP


def _backend_refs(route: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(field, ref) of each rule's backendRefs and of its request mirrors' backendRef."""
    for i, rule in enumerate(as_mapping(route.get("spec")).get("rules") or []):
        for j, ref in enumerate(as_mapping(rule).get("backendRefs") or []):
            yield f"spec.rules[{i}].backendRefs[{j}]", as_mapping(ref)
        for k, f in enumerate(as_mapping(rule).get("filters") or []):
            mirror = as_mapping(as_mapping(f).get("requestMirror")).get("backendRef")
            if mirror is not None:
                yield f"spec.rules[{i}].filters[{k}].requestMirror.backendRef", as_mapping(mirror)


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
        for where, ref in _backend_refs(p.obj):
            name = ref.get("name")
            if not isinstance(name, str) or ref.get("kind", "Service") != "Service" or ref.get("group", ""):
                continue
            namespace = str(ref.get("namespace") or p.namespace)
            setting = "RequestMirror(service=...)" if "requestMirror" in where else "BackendRef(service=...)"
            fix = f"correct the backendRef's name ({setting}) or its namespace"
            finding = missing_service(tree, p, "route-backend", f"{where}.name", name, namespace, charts, idx, fix)
            if finding:
                out.append(finding)
    return out
