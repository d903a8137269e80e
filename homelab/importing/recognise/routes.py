"""Gateway API routes: ``HTTPRoute`` (its filters typed), ``GRPCRoute``, ``TLSRoute`` and ``TCPRoute`` objects as
the constructs of those names, their parents, rules, matches and backends typed. A field the props do not
name (a header match, a backend of another kind) leaves the route raw."""

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
from constructs_lib.http_route_filter import (
    HTTPRouteFilter,
    PathModifier,
    RequestHeaderModifier,
    RequestMirror,
    RequestRedirect,
    ResponseHeaderModifier,
    URLRewrite,
)
from constructs_lib.tcp_route import TCPRoute, TCPRouteProps
from constructs_lib.tls_route import GATEWAY_API_ALPHA, StreamRouteRule, TLSRoute, TLSRouteProps
from homelab.importing.recognise.base import Objects, Proposal, name_of, object_meta, of_kind, propose


def parent_ref(ref: Mapping[str, Any]) -> ParentRef:
    return ParentRef(name=ref["name"], namespace=ref.get("namespace"), section_name=ref.get("sectionName"))


def backend_ref(ref: Mapping[str, Any]) -> BackendRef:
    """A backend of a Service (no ``kind``/``group``: the constructs write none)."""
    return BackendRef(service=ref["name"], port=ref["port"], weight=ref.get("weight"), namespace=ref.get("namespace"))


def backend_refs(rule: Mapping[str, Any]) -> tuple[BackendRef, ...]:
    return tuple(backend_ref(b) for b in rule.get("backendRefs") or ())


def http_match(match: Mapping[str, Any]) -> HTTPRouteMatch:
    path = match["path"]
    return HTTPRouteMatch(path=path["value"], type=path["type"])


def grpc_match(match: Mapping[str, Any]) -> GRPCRouteMatch:
    method = match["method"]
    return GRPCRouteMatch(service=method.get("service"), method=method.get("method"))


def path_modifier(path: Mapping[str, Any] | None) -> PathModifier | None:
    if path is None:
        return None
    key = "replaceFullPath" if path["type"] == "ReplaceFullPath" else "replacePrefixMatch"
    return PathModifier(type=path["type"], value=path[key])


def http_filter(entry: Mapping[str, Any]) -> HTTPRouteFilter:
    """A filter of an HTTPRoute rule (an ``ExtensionRef`` or unknown type raises: the route stays raw)."""
    kind = entry["type"]
    body = entry["urlRewrite" if kind == "URLRewrite" else kind[0].lower() + kind[1:]]
    if kind in ("RequestHeaderModifier", "ResponseHeaderModifier"):
        modifier = RequestHeaderModifier if kind == "RequestHeaderModifier" else ResponseHeaderModifier
        pairs = {what: {h["name"]: h["value"] for h in body.get(what) or ()} for what in ("set", "add")}
        return modifier(**pairs, remove=tuple(body.get("remove") or ()))
    if kind == "RequestRedirect":
        return RequestRedirect(
            scheme=body.get("scheme"),
            hostname=body.get("hostname"),
            path=path_modifier(body.get("path")),
            port=body.get("port"),
            status_code=body.get("statusCode"),
        )
    if kind == "URLRewrite":
        return URLRewrite(hostname=body.get("hostname"), path=path_modifier(body.get("path")))
    if kind == "RequestMirror":
        ref = body["backendRef"]
        return RequestMirror(service=ref["name"], port=ref["port"], namespace=ref.get("namespace"))
    raise ValueError(f"HTTPRoute filter {kind!r} has no typed form")


def http_rule(rule: Mapping[str, Any]) -> HTTPRouteRule:
    return HTTPRouteRule(
        backend_refs=backend_refs(rule),
        matches=tuple(http_match(m) for m in rule.get("matches") or ()),
        filters=tuple(http_filter(f) for f in rule.get("filters") or ()),
    )


def grpc_rule(rule: Mapping[str, Any]) -> GRPCRouteRule:
    return GRPCRouteRule(
        backend_refs=backend_refs(rule), matches=tuple(grpc_match(m) for m in rule.get("matches") or ())
    )


def stream_rule(rule: Mapping[str, Any]) -> StreamRouteRule:
    return StreamRouteRule(backend_refs=backend_refs(rule))


def route_props(cls: Callable[..., Any], rule: Callable[[Mapping[str, Any]], Any], obj: Mapping[str, Any]) -> Any:
    """``cls`` (a route's props) of ``obj``: its metadata, parents, hostnames (when it has them) and rules."""
    spec = obj["spec"]
    hostnames = {"hostnames": tuple(spec["hostnames"])} if "hostnames" in spec else {}
    return cls(
        **object_meta(obj),
        parent_refs=tuple(parent_ref(p) for p in spec["parentRefs"]),
        rules=tuple(rule(r) for r in spec["rules"]),
        **hostnames,
    )


#: (apiVersion, kind, construct, props, rule reader) of each route.
ROUTES = (
    (GATEWAY_API, "HTTPRoute", HTTPRoute, HTTPRouteProps, http_rule),
    (GATEWAY_API, "GRPCRoute", GRPCRoute, GRPCRouteProps, grpc_rule),
    (GATEWAY_API_ALPHA, "TLSRoute", TLSRoute, TLSRouteProps, stream_rule),
    (GATEWAY_API_ALPHA, "TCPRoute", TCPRoute, TCPRouteProps, stream_rule),
)


def recognise_routes(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """An ``HTTPRoute``, ``GRPCRoute``, ``TLSRoute`` or ``TCPRoute`` per route of that kind."""
    for api_version, kind, construct, props, rule in ROUTES:
        for i in of_kind(objects, free, api_version, kind):
            yield from propose(construct, partial(route_props, props, rule, objects[i]), (i,), name_of(objects[i]))
