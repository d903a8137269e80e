"""``HTTPRoute``: a Gateway API route (``gateway.networking.k8s.io/v1``) from a Gateway's listener to Services.

:class:`ParentRef` (the Gateway a route attaches to) and :class:`BackendRef` (a Service port it sends to)
are also what :class:`~constructs_lib.grpc_route.GRPCRoute` takes. Validation checks every backendRef's
Service among what the cluster deploys (check ``route-backend``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain, check_hostname
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.http_route_filter import HTTPRouteFilter, check_filters
from constructs_lib.object_meta import ObjectMeta

GATEWAY_API = "gateway.networking.k8s.io/v1"


@type_checked
@dataclass(frozen=True, kw_only=True)
class ParentRef:
    """The Gateway (and optionally one of its listeners) a route attaches to."""

    name: str
    """Name of the Gateway."""
    namespace: str | None = None
    """Namespace of the Gateway; the route's own namespace when left out."""
    section_name: str | None = None
    """The Gateway listener's name (``https``); every listener that allows the route when left out."""

    def __post_init__(self) -> None:
        owner = f"ParentRef {self.name!r}"
        check_dns_subdomain(self.name, what="name", owner=owner)
        if self.namespace is not None:
            check_dns_label(self.namespace, what="namespace", owner=owner)
        if self.section_name is not None:
            check_dns_subdomain(self.section_name, what="section_name", owner=owner)

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.namespace is not None:
            out["namespace"] = self.namespace
        if self.section_name is not None:
            out["sectionName"] = self.section_name
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class BackendRef:
    """A Service port a route sends requests to."""

    service: str
    """Name of the Service."""
    port: int
    """Port number of the Service (Gateway API names no ports)."""
    weight: int | None = None
    """Share of the rule's requests, relative to its other backends; an equal share (1) when left out."""
    namespace: str | None = None
    """Namespace of the Service; the route's own when left out. Another namespace needs a ReferenceGrant there."""

    def __post_init__(self) -> None:
        owner = f"BackendRef {self.service!r}"
        check_dns_label(self.service, what="service", owner=owner)
        if self.namespace is not None:
            check_dns_label(self.namespace, what="namespace", owner=owner)
        if not 1 <= self.port <= 65535:
            raise PropsError(f"{owner}: port must be 1..65535, got {self.port}")
        if self.weight is not None and not 0 <= self.weight <= 1_000_000:
            raise PropsError(f"{owner}: weight must be 0..1000000, got {self.weight}")

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.service}
        if self.namespace is not None:
            out["namespace"] = self.namespace
        out["port"] = self.port
        if self.weight is not None:
            out["weight"] = self.weight
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class HTTPRouteMatch:
    """Which requests a rule takes, by path."""

    path: str = "/"
    """The request path; it starts with ``/``. Every path (``/``) by default."""
    type: Literal["PathPrefix", "Exact"] = "PathPrefix"
    """How ``path`` matches: a path prefix (whole segments) by default."""

    def __post_init__(self) -> None:
        if not self.path.startswith("/"):
            raise PropsError(f"HTTPRouteMatch {self.path!r}: a path starts with '/': write path={'/' + self.path!r}")

    def render(self) -> dict[str, Any]:
        return {"path": {"type": self.type, "value": self.path}}


@type_checked
@dataclass(frozen=True, kw_only=True)
class HTTPRouteRule:
    """Requests that match, what the Gateway does to them (``filters``), and the Services they go to."""

    backend_refs: tuple[BackendRef, ...] = ()
    """The Services, sharing the requests by weight; at least one, unless a ``RequestRedirect`` answers."""
    matches: tuple[HTTPRouteMatch, ...] = ()
    """Any of these matches the rule; every request (path prefix ``/``) when left out."""
    filters: tuple[HTTPRouteFilter, ...] = ()
    """Header changes, a redirect, a rewrite, mirrors (:mod:`constructs_lib.http_route_filter`), in order; none by default."""

    def __post_init__(self) -> None:
        check_filters("HTTPRouteRule", self.filters, self.matches, len(self.backend_refs))
        if not any(f.filter_type == "RequestRedirect" for f in self.filters):
            check_backend_refs("HTTPRouteRule", self.backend_refs, "BackendRef(service='wiki', port=80)")

    def render(self) -> dict[str, Any]:
        return rule_json(self.matches, self.backend_refs, self.filters)


def check_backend_refs(owner: str, backend_refs: tuple[BackendRef, ...], example: str) -> None:
    """A route's rule sends somewhere: at least one backend."""
    if not backend_refs:
        raise PropsError(f"{owner}: backend_refs must hold at least one BackendRef, e.g. backend_refs=({example},)")


def rule_json(
    matches: tuple[Any, ...], backend_refs: tuple[BackendRef, ...], filters: tuple[Any, ...] = ()
) -> dict[str, Any]:
    """A route's rule: its ``matches`` and ``filters`` when given, then its ``backendRefs`` (when any)."""
    out: dict[str, Any] = {}
    if matches:
        out["matches"] = [m.render() for m in matches]
    if filters:
        out["filters"] = [f.render() for f in filters]
    if backend_refs:
        out["backendRefs"] = [b.render() for b in backend_refs]
    return out


class RouteProps(Protocol):
    """What every route's props have (:class:`HTTPRouteProps`, :class:`~constructs_lib.grpc_route.GRPCRouteProps`)."""

    @property
    def parent_refs(self) -> tuple[ParentRef, ...]: ...
    @property
    def hostnames(self) -> tuple[str, ...]: ...
    @property
    def rules(self) -> tuple[Any, ...]: ...
    def metadata(self) -> dict[str, Any]: ...


def route_resource(scope: Construct, kind: str, props: RouteProps, api_version: str = GATEWAY_API) -> Manifest:
    """A Gateway API route of ``kind`` under ``scope``: its ``spec`` has ``parentRefs``, ``hostnames`` when
    given, and ``rules``."""
    spec: dict[str, Any] = {"parentRefs": [p.render() for p in props.parent_refs]}
    if props.hostnames:
        spec["hostnames"] = list(props.hostnames)
    spec["rules"] = [r.render() for r in props.rules]
    return api_object(scope, "Resource", api_version=api_version, kind=kind, metadata=props.metadata(), spec=spec)


def check_route(
    owner: str, parent_refs: tuple[ParentRef, ...], hostnames: tuple[str, ...], rules: tuple[Any, ...]
) -> None:
    """What every route needs: a Gateway to attach to, valid host names, at least one rule."""
    if not parent_refs:
        raise PropsError(
            f"{owner}: parent_refs must name the Gateway it attaches to, e.g. parent_refs=(ParentRef(name='gateway', namespace='gateway'),)"
        )
    for host in hostnames:
        check_hostname(host, what="hostname", owner=owner)
    if not rules:
        raise PropsError(f"{owner}: rules must hold at least one rule with its backend_refs")


@type_checked
@dataclass(frozen=True, kw_only=True)
class HTTPRouteProps(ObjectMeta):
    """An HTTPRoute: requests for ``hostnames`` arriving at a Gateway, routed by path to Services."""

    parent_refs: tuple[ParentRef, ...]
    """The Gateways (or their listeners) the route attaches to."""
    rules: tuple[HTTPRouteRule, ...]
    """The routing rules."""
    hostnames: tuple[str, ...] = ()
    """The hosts the route serves (``wiki.example.org``, ``*.example.org``); every host its listeners take when left out."""

    def __post_init__(self) -> None:
        check_route(self.check("HTTPRoute"), self.parent_refs, self.hostnames, self.rules)


class HTTPRoute(Construct):
    """The HTTPRoute for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes (header and query matches): ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: HTTPRouteProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource: Manifest = route_resource(self, "HTTPRoute", props)
