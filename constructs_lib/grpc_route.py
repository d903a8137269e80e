"""``GRPCRoute``: a Gateway API route (``gateway.networking.k8s.io/v1``) of gRPC calls to Services, by service and method.

It attaches and sends as an :class:`~constructs_lib.http_route.HTTPRoute` does (:class:`ParentRef`,
:class:`BackendRef`); validation checks its backends the same way (check ``route-backend``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest
from constructs_lib.errors import PropsError
from constructs_lib.http_route import BackendRef, ParentRef, check_backend_refs, check_route, route_resource, rule_json
from constructs_lib.object_meta import ObjectMeta


@type_checked
@dataclass(frozen=True, kw_only=True)
class GRPCRouteMatch:
    """Which calls a rule takes: a gRPC service, one of its methods, or both (exact names)."""

    service: str | None = None
    """The fully qualified gRPC service (``grpc.health.v1.Health``); any service when left out."""
    method: str | None = None
    """The method (``Check``); any method when left out."""

    def __post_init__(self) -> None:
        if self.service is None and self.method is None:
            raise PropsError("GRPCRouteMatch: give service=, method= or both (a rule with no matches takes every call)")

    def render(self) -> dict[str, Any]:
        method = {"service": self.service, "method": self.method}
        return {"method": {k: v for k, v in method.items() if v is not None}}


@type_checked
@dataclass(frozen=True, kw_only=True)
class GRPCRouteRule:
    """Calls that match, and the Services they go to."""

    backend_refs: tuple[BackendRef, ...]
    """The Services, sharing the calls by weight."""
    matches: tuple[GRPCRouteMatch, ...] = ()
    """Any of these matches the rule; every call when left out."""

    def __post_init__(self) -> None:
        check_backend_refs("GRPCRouteRule", self.backend_refs, "BackendRef(service='api', port=9090)")

    def render(self) -> dict[str, Any]:
        return rule_json(self.matches, self.backend_refs)


@type_checked
@dataclass(frozen=True, kw_only=True)
class GRPCRouteProps(ObjectMeta):
    """A GRPCRoute: gRPC calls for ``hostnames`` arriving at a Gateway, routed by service and method."""

    parent_refs: tuple[ParentRef, ...]
    """The Gateways (or their listeners) the route attaches to."""
    rules: tuple[GRPCRouteRule, ...]
    """The routing rules."""
    hostnames: tuple[str, ...] = ()
    """The hosts the route serves; every host its listeners take when left out."""

    def __post_init__(self) -> None:
        check_route(self.check("GRPCRoute"), self.parent_refs, self.hostnames, self.rules)


class GRPCRoute(Construct):
    """The GRPCRoute for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes (filters, header matches): ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: GRPCRouteProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource: Manifest = route_resource(self, "GRPCRoute", props)
