"""Gateway API routes: ``HTTPRoute`` and ``GRPCRoute`` objects as the constructs of those names, their parents,
rules, matches and backends typed. A field the props do not name (filters, header matches) leaves the route raw."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.grpc_route import GRPCRoute, GRPCRouteMatch, GRPCRouteProps, GRPCRouteRule
from constructs_lib.http_route import (
    GATEWAY_API,
    BackendRef,
    HTTPRoute,
    HTTPRouteMatch,
    HTTPRouteProps,
    HTTPRouteRule,
    ParentRef,
)
from homelab.importing.recognise.base import Objects, Proposal, name_of, object_meta, of_kind, propose


def parent_ref(ref: Mapping[str, Any]) -> ParentRef:
    return ParentRef(name=ref["name"], namespace=ref.get("namespace"), section_name=ref.get("sectionName"))


def backend_ref(ref: Mapping[str, Any]) -> BackendRef:
    """A backend of a Service (no ``kind``/``group``: the constructs write none)."""
    return BackendRef(service=ref["name"], port=ref["port"], weight=ref.get("weight"), namespace=ref.get("namespace"))


def http_match(match: Mapping[str, Any]) -> HTTPRouteMatch:
    path = match["path"]
    return HTTPRouteMatch(path=path["value"], type=path["type"])


def grpc_match(match: Mapping[str, Any]) -> GRPCRouteMatch:
    method = match["method"]
    return GRPCRouteMatch(service=method.get("service"), method=method.get("method"))


def route_fields(
    obj: Mapping[str, Any], rule: Callable[..., Any], match: Callable[[Mapping[str, Any]], Any]
) -> dict[str, Any]:
    """The props fields every route has: its metadata, parents, hostnames and rules."""
    spec = obj["spec"]
    return {
        **object_meta(obj),
        "parent_refs": tuple(parent_ref(p) for p in spec["parentRefs"]),
        "hostnames": tuple(spec.get("hostnames") or ()),
        "rules": tuple(
            rule(
                backend_refs=tuple(backend_ref(b) for b in r.get("backendRefs") or ()),
                matches=tuple(match(m) for m in r.get("matches") or ()),
            )
            for r in spec["rules"]
        ),
    }


def http_route_props(obj: Mapping[str, Any]) -> HTTPRouteProps:
    return HTTPRouteProps(**route_fields(obj, HTTPRouteRule, http_match))


def grpc_route_props(obj: Mapping[str, Any]) -> GRPCRouteProps:
    return GRPCRouteProps(**route_fields(obj, GRPCRouteRule, grpc_match))


def recognise_routes(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """An ``HTTPRoute`` per HTTPRoute, a ``GRPCRoute`` per GRPCRoute."""
    for kind, construct, props_of in (
        ("HTTPRoute", HTTPRoute, http_route_props),
        ("GRPCRoute", GRPCRoute, grpc_route_props),
    ):
        for i in of_kind(objects, free, GATEWAY_API, kind):
            yield from propose(construct, partial(props_of, objects[i]), (i,), name_of(objects[i]))
