"""``TLSRoute``: a Gateway API route (``gateway.networking.k8s.io/v1alpha2``, the experimental channel) of TLS
connections to Services, chosen by the host name the client asks for (SNI); the Gateway's ``TLS`` listener
passes the connection through still encrypted (or terminates it).

It attaches and sends as an :class:`~constructs_lib.http_route.HTTPRoute` does (:class:`ParentRef`,
:class:`BackendRef`); validation checks its backends the same way (check ``route-backend``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest
from constructs_lib.http_route import BackendRef, ParentRef, check_backend_refs, check_route, route_resource, rule_json
from constructs_lib.object_meta import ObjectMeta

#: The API version of TLSRoute and TCPRoute (the Gateway API's experimental channel).
GATEWAY_API_ALPHA = "gateway.networking.k8s.io/v1alpha2"


@type_checked
@dataclass(frozen=True, kw_only=True)
class StreamRouteRule:
    """The Services a TLS or TCP route's connections go to (a rule matches nothing: the route's hosts or
    listener choose it)."""

    backend_refs: tuple[BackendRef, ...]
    """The Services, sharing the connections by weight."""

    def __post_init__(self) -> None:
        check_backend_refs("StreamRouteRule", self.backend_refs, "BackendRef(service='db', port=5432)")

    def render(self) -> dict[str, Any]:
        return rule_json((), self.backend_refs)


@type_checked
@dataclass(frozen=True, kw_only=True)
class TLSRouteProps(ObjectMeta):
    """A TLSRoute: TLS connections for ``hostnames`` (SNI) arriving at a Gateway's TLS listener, sent to Services."""

    parent_refs: tuple[ParentRef, ...]
    """The Gateways (or their TLS listeners) the route attaches to."""
    rules: tuple[StreamRouteRule, ...]
    """Where the connections go: one rule, usually."""
    hostnames: tuple[str, ...] = ()
    """The host names clients ask for (``db.example.org``, ``*.example.org``); every host its listeners take
    when left out."""

    def __post_init__(self) -> None:
        check_route(self.check("TLSRoute"), self.parent_refs, self.hostnames, self.rules)


class TLSRoute(Construct):
    """The TLSRoute for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: TLSRouteProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource: Manifest = route_resource(self, "TLSRoute", props, GATEWAY_API_ALPHA)
