"""``Service``: a stable address in front of pods, with its ``ServicePort``s."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_json import to_json
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.object_meta import ObjectMeta

if TYPE_CHECKING:
    from cdk8s_plus_33 import k8s  # only for types


@type_checked
@dataclass(frozen=True, kw_only=True)
class ServicePort:
    """A port of a Service."""

    port: int
    target_port: int | str | None = None
    """Container port (number or name); ``port`` when left out."""
    name: str | None = None
    protocol: Literal["TCP", "UDP", "SCTP"] | None = None

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.name:
            out["name"] = self.name
        if self.protocol:
            out["protocol"] = self.protocol
        out["port"] = self.port
        if self.target_port is not None:
            out["targetPort"] = self.target_port
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class ServiceProps(ObjectMeta):
    """A Service in front of pods."""

    selector: Mapping[str, str]
    ports: tuple[ServicePort | k8s.ServicePort, ...]
    """:class:`ServicePort`, or a ``k8s.ServicePort`` for the fields it does not name (``nodePort``, ...)."""
    type: Literal["ClusterIP", "NodePort", "LoadBalancer"] | None = None
    """Left out by default, which Kubernetes reads as ClusterIP."""
    cluster_ip: str | None = None
    """``clusterIP``: ``"None"`` for a headless Service (DNS names the pods), or a fixed address;
    one Kubernetes allocates when left out."""
    external_traffic_policy: Literal["Cluster", "Local"] | None = None
    """For ``NodePort``/``LoadBalancer``: ``Local`` keeps the client's address and sends only to pods on the
    receiving node; left out, Kubernetes reads ``Cluster``."""
    external_ips: tuple[str, ...] = ()
    """Addresses of nodes that also accept the Service's traffic (``externalIPs``); none by default."""

    def __post_init__(self) -> None:
        owner = self.check("Service")
        if not self.ports:
            raise PropsError(f"{owner}: ports must hold at least one ServicePort")
        if self.external_traffic_policy is not None and self.type not in ("NodePort", "LoadBalancer"):
            raise PropsError(
                f"{owner}: external_traffic_policy={self.external_traffic_policy!r} applies only to an external "
                f"Service, and type is {self.type!r}; the API server refuses it: set type='LoadBalancer' or "
                "type='NodePort', or drop external_traffic_policy"
            )


class Service(Construct):
    """The Service for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: ServiceProps) -> None:
        super().__init__(scope, id)
        self.props = props
        spec: dict[str, Any] = {}
        if props.type:
            spec["type"] = props.type
        if props.cluster_ip is not None:
            spec["clusterIP"] = props.cluster_ip
        if props.external_traffic_policy is not None:
            spec["externalTrafficPolicy"] = props.external_traffic_policy
        if props.external_ips:
            spec["externalIPs"] = list(props.external_ips)
        spec["selector"] = dict(props.selector)
        spec["ports"] = [p.render() if isinstance(p, ServicePort) else to_json(p) for p in props.ports]
        self.resource: Manifest = api_object(
            self, "Resource", api_version="v1", kind="Service", metadata=props.metadata(), spec=spec
        )
