"""``TCPRoute``: a Gateway API route (``gateway.networking.k8s.io/v1alpha2``, the experimental channel) of
every TCP connection a Gateway's ``TCP`` listener takes, to Services (a database, an MQTT broker).

Its rules are :class:`~constructs_lib.tls_route.StreamRouteRule`'s; validation checks its backends as
for any route (check ``route-backend``).
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest
from constructs_lib.http_route import ParentRef, check_route, route_resource
from constructs_lib.object_meta import ObjectMeta
from constructs_lib.tls_route import GATEWAY_API_ALPHA, StreamRouteRule


@type_checked
@dataclass(frozen=True, kw_only=True)
class TCPRouteProps(ObjectMeta):
    """A TCPRoute: the connections a Gateway's TCP listener takes, sent to Services."""

    parent_refs: tuple[ParentRef, ...]
    """The Gateways' TCP listeners the route attaches to (``ParentRef(..., section_name='postgres')``)."""
    rules: tuple[StreamRouteRule, ...]
    """Where the connections go: one rule, usually."""

    def __post_init__(self) -> None:
        check_route(self.check("TCPRoute"), self.parent_refs, self.hostnames, self.rules)

    @property
    def hostnames(self) -> tuple[str, ...]:
        """None: a TCP connection names no host."""
        return ()


class TCPRoute(Construct):
    """The TCPRoute for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: TCPRouteProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource: Manifest = route_resource(self, "TCPRoute", props, GATEWAY_API_ALPHA)
