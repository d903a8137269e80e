"""``Gateway``: a Gateway API ``Gateway`` (``gateway.networking.k8s.io/v1``): the listeners (port, protocol,
host name, certificates) of a load balancer of some ``GatewayClass`` (Traefik, Cilium, Envoy Gateway...),
to which routes attach (:class:`~constructs_lib.http_route.HTTPRoute` and its kin).

With ``cluster_issuer=`` (or ``issuer=``) the Gateway carries cert-manager's annotation and its gateway-shim
issues each TLS listener's certificate into the Secret its ``certificate_refs`` name: nothing else needs to
create it, and the secret checks count it as created (check ``secret-ref`` reads the certificate Secrets of
every Gateway). Validation also checks that the routes attaching to a Gateway of the tree name one of its
listeners and are allowed by it (check ``route-parent``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_subdomain, check_hostname
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.http_route import GATEWAY_API
from constructs_lib.ingress import check_issuer, issuer_annotations, with_issuer
from constructs_lib.object_meta import ObjectMeta

#: The protocols whose listeners carry TLS (and a ``tls`` block); those that name no host.
TLS_PROTOCOLS = ("HTTPS", "TLS")
NO_HOST_PROTOCOLS = ("TCP", "UDP")


@type_checked
@dataclass(frozen=True, kw_only=True)
class AllowedRoutes:
    """Which routes may attach to a listener: from which namespaces, of which kinds."""

    namespaces: Literal["Same", "All", "Selector"] = "Same"
    """``Same``: the Gateway's own namespace (the Gateway API's default); ``All``; ``Selector``: the
    namespaces whose labels ``selector`` matches."""
    selector: Mapping[str, str] = field(default_factory=dict)
    """The namespaces' labels, with ``namespaces='Selector'`` (``{'gateway-access': 'public'}``)."""
    kinds: tuple[str, ...] = ()
    """The route kinds taken (``('HTTPRoute',)``); those the protocol carries when left out."""

    def __post_init__(self) -> None:
        if (self.namespaces == "Selector") != bool(self.selector):
            raise PropsError(
                "AllowedRoutes: namespaces='Selector' and selector= go together, e.g. "
                "AllowedRoutes(namespaces='Selector', selector={'gateway-access': 'public'})"
            )

    def render(self) -> dict[str, Any]:
        namespaces: dict[str, Any] = {"from": self.namespaces}
        if self.selector:
            namespaces["selector"] = {"matchLabels": dict(self.selector)}
        out: dict[str, Any] = {"namespaces": namespaces}
        if self.kinds:
            out["kinds"] = [{"kind": k} for k in self.kinds]
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class Listener:
    """One port of the Gateway, with its protocol and, for HTTPS and TLS, its certificates."""

    name: str
    """The listener's name (``https``), which a route's ``ParentRef(section_name=...)`` names."""
    port: int
    """The port it listens on."""
    protocol: Literal["HTTP", "HTTPS", "TLS", "TCP", "UDP"]
    """``HTTPS`` terminates TLS with ``certificate_refs``; ``TLS`` passes connections through (no
    ``certificate_refs``) or terminates them (with them)."""
    hostname: str | None = None
    """The host (``wiki.example.org``) or wildcard (``*.example.org``) it takes; every host when left out.
    Not for TCP or UDP. cert-manager issues a certificate for it (so it needs one with an issuer)."""
    certificate_refs: tuple[str, ...] = ()
    """The Secrets (in the Gateway's namespace) holding its certificates; required for HTTPS."""
    allowed_routes: AllowedRoutes | None = None
    """Which routes may attach; the Gateway API's default when left out: those of the Gateway's own namespace."""

    def __post_init__(self) -> None:
        owner = f"Listener {self.name!r}"
        check_dns_subdomain(self.name, what="name", owner=owner)
        if not 1 <= self.port <= 65535:
            raise PropsError(f"{owner}: port must be 1..65535, got {self.port}")
        if self.hostname is not None:
            if self.protocol in NO_HOST_PROTOCOLS:
                raise PropsError(f"{owner}: a {self.protocol} listener takes no hostname; drop hostname=")
            check_hostname(self.hostname, what="hostname", owner=owner)
        for secret in self.certificate_refs:
            check_dns_subdomain(secret, what="certificate_refs", owner=owner)
        if self.protocol == "HTTPS" and not self.certificate_refs:
            raise PropsError(
                f"{owner}: an HTTPS listener terminates TLS with a certificate: add "
                f"certificate_refs=('{self.name}-tls',) (a Secret; cert-manager issues it with the Gateway's "
                "cluster_issuer=)"
            )
        if self.certificate_refs and self.protocol not in TLS_PROTOCOLS:
            raise PropsError(
                f"{owner}: a {self.protocol} listener carries no TLS; drop certificate_refs= or use protocol='HTTPS'"
            )

    @property
    def terminates_tls(self) -> bool:
        """Whether the Gateway ends TLS here with its own certificates (HTTPS, or TLS with certificates)."""
        return bool(self.certificate_refs)

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.hostname is not None:
            out["hostname"] = self.hostname
        out["port"] = self.port
        out["protocol"] = self.protocol
        if self.protocol in TLS_PROTOCOLS:
            tls: dict[str, Any] = {"mode": "Terminate" if self.terminates_tls else "Passthrough"}
            if self.certificate_refs:
                tls["certificateRefs"] = [{"kind": "Secret", "name": s} for s in self.certificate_refs]
            out["tls"] = tls
        if self.allowed_routes is not None:
            out["allowedRoutes"] = self.allowed_routes.render()
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class GatewayProps(ObjectMeta):
    """A Gateway of class ``gateway_class_name`` with its listeners."""

    gateway_class_name: str
    """The GatewayClass (``traefik``, ``cilium``, ``eg``...) whose controller runs it."""
    listeners: tuple[Listener, ...]
    """Its listeners, at least one; each (port, protocol, hostname) once."""
    cluster_issuer: str | None = None
    """cert-manager ClusterIssuer that issues the listeners' ``certificate_refs`` Secrets (annotation
    ``cert-manager.io/cluster-issuer``); no certificate from cert-manager when left out."""
    issuer: str | None = None
    """cert-manager Issuer in the Gateway's namespace that issues them (annotation ``cert-manager.io/issuer``),
    instead of a ClusterIssuer; none when left out."""

    def __post_init__(self) -> None:
        owner = self.check("Gateway")
        check_dns_subdomain(self.gateway_class_name, what="gateway_class_name", owner=owner)
        if not self.listeners:
            raise PropsError(
                f"{owner}: listeners must hold at least one, e.g. listeners=(Listener(name='http', port=80, protocol='HTTP'),)"
            )
        names = [listener.name for listener in self.listeners]
        addresses = [(listener.port, listener.protocol, listener.hostname) for listener in self.listeners]
        for listener, address in zip(self.listeners, addresses, strict=True):
            if names.count(listener.name) > 1:
                raise PropsError(f"{owner}: two listeners are named {listener.name!r}; name each once")
            if addresses.count(address) > 1:
                raise PropsError(
                    f"{owner}: two listeners take port {listener.port} {listener.protocol} for hostname "
                    f"{listener.hostname!r}; give each a hostname or port of its own"
                )
        issuer = check_issuer(owner, self.cluster_issuer, self.issuer, self.annotations)
        if issuer is None:
            return
        terminating = [listener for listener in self.listeners if listener.terminates_tls]
        if not terminating:
            raise PropsError(
                f"{owner}: issuer {issuer!r} has nothing to issue: add a listener with certificate_refs, e.g. "
                f"Listener(name='https', port=443, protocol='HTTPS', hostname='{self.name}.example.org', "
                f"certificate_refs=('{self.name}-tls',))"
            )
        for listener in terminating:
            if listener.hostname is None:
                raise PropsError(
                    f"{owner}: listener {listener.name!r} has no hostname, which cert-manager needs to issue its "
                    f"certificate: add hostname='{self.name}.example.org' (or '*.example.org')"
                )

    def cert_manager_annotations(self) -> dict[str, str]:
        """The annotation naming the issuer of the listeners' certificates; none without an issuer."""
        return issuer_annotations(self.cluster_issuer, self.issuer)


class Gateway(Construct):
    """The Gateway for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes (addresses, infrastructure): ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: GatewayProps) -> None:
        super().__init__(scope, id)
        self.props = props
        spec = {"gatewayClassName": props.gateway_class_name, "listeners": [li.render() for li in props.listeners]}
        metadata = with_issuer(props.metadata(), props.cert_manager_annotations())
        self.resource: Manifest = api_object(
            self, "Resource", api_version=GATEWAY_API, kind="Gateway", metadata=metadata, spec=spec
        )
