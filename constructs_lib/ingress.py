"""``Ingress``: an Ingress of any class (Traefik, nginx, ...), with TLS that cert-manager can issue.

With ``cluster_issuer=`` (or ``issuer=``) the Ingress carries cert-manager's annotation and its
ingress-shim creates each TLS entry's Secret: nothing else needs to create it, and the secret checks
count it as created. :class:`IngressPath` is also what :class:`~constructs_lib.tailscale_ingress.TailscaleIngress`
routes with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain, check_hostname
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.object_meta import ObjectMeta

#: cert-manager's annotations naming the ClusterIssuer / the Issuer (in the Ingress's namespace) of its TLS Secrets.
CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer"
ISSUER_ANNOTATION = "cert-manager.io/issuer"


@type_checked
@dataclass(frozen=True, kw_only=True)
class IngressPath:
    """One routed path (``spec.rules[].http.paths``) to a Service port."""

    path: str
    """The request path; it starts with ``/``."""
    service: str
    """Name of the Service, in the Ingress's namespace."""
    port: int | str
    """Port of the Service, by number or name."""
    path_type: Literal["Prefix", "Exact", "ImplementationSpecific"] = "Prefix"
    """How ``path`` matches: a path prefix by default."""
    host: str | None = None
    """The rule's ``host``: only requests for this host take the path; every host when left out.
    Paths of one host share one rule."""

    def __post_init__(self) -> None:
        owner = f"IngressPath {self.path!r}"
        if self.path_type != "ImplementationSpecific" and not self.path.startswith("/"):
            raise PropsError(f"{owner}: a {self.path_type} path starts with '/': write path={'/' + self.path!r}")
        check_dns_label(self.service, what="service", owner=owner)
        if self.host is not None:
            check_hostname(self.host, what="host", owner=owner)


def port_of(port: int | str) -> dict[str, Any]:
    """A Service backend's ``port``: ``{number: 80}`` or ``{name: http}``."""
    return {"number": port} if isinstance(port, int) else {"name": port}


def rules_of(paths: tuple[IngressPath, ...]) -> list[dict[str, Any]]:
    """``spec.rules``: one rule per host, in order of appearance (the rule without host first if any)."""
    by_host: dict[str | None, list[dict[str, Any]]] = {}
    for p in paths:
        by_host.setdefault(p.host, []).append(
            {
                "path": p.path,
                "pathType": p.path_type,
                "backend": {"service": {"name": p.service, "port": port_of(p.port)}},
            }
        )
    return [
        {**({"host": host} if host is not None else {}), "http": {"paths": entries}}
        for host, entries in by_host.items()
    ]


@type_checked
@dataclass(frozen=True, kw_only=True)
class IngressTls:
    """One ``spec.tls`` entry: hosts served with the certificate in one Secret."""

    hosts: tuple[str, ...]
    """The hosts the certificate covers (``('wiki.example.org',)``)."""
    secret_name: str | None = None
    """The Secret holding the certificate (``tls.crt``/``tls.key``), which cert-manager creates when the
    Ingress names an issuer; the controller's default certificate when left out (not with an issuer)."""

    def __post_init__(self) -> None:
        owner = f"IngressTls {self.hosts!r}"
        if not self.hosts:
            raise PropsError(f"{owner}: hosts must name at least one host, e.g. hosts=('wiki.example.org',)")
        for host in self.hosts:
            check_hostname(host, what="host", owner=owner)
        if self.secret_name is not None:
            check_dns_subdomain(self.secret_name, what="secret_name", owner=owner)


@type_checked
@dataclass(frozen=True, kw_only=True)
class IngressProps(ObjectMeta):
    """An Ingress of any class."""

    ingress_class_name: str | None = None
    """The IngressClass (``traefik``, ``nginx``, ...); the cluster's default IngressClass when left out."""
    paths: tuple[IngressPath, ...] = ()
    """Path routes, grouped into one rule per host; none by default (then give ``service``)."""
    service: str | None = None
    """Service behind the default backend (requests no path matches); none by default (then give ``paths``)."""
    port: int | str = "http"
    """Port of ``service``, by number or name; the port named ``http`` by default."""
    tls: tuple[IngressTls, ...] = ()
    """TLS hosts and their Secrets; plain HTTP only when left out."""
    cluster_issuer: str | None = None
    """cert-manager ClusterIssuer that issues the ``tls`` Secrets (annotation ``cert-manager.io/cluster-issuer``);
    no certificate from cert-manager when left out."""
    issuer: str | None = None
    """cert-manager Issuer in the Ingress's namespace that issues the ``tls`` Secrets (annotation
    ``cert-manager.io/issuer``), instead of a ClusterIssuer; none when left out."""

    def __post_init__(self) -> None:
        owner = self.check("Ingress")
        if self.ingress_class_name is not None:
            check_dns_subdomain(self.ingress_class_name, what="ingress_class_name", owner=owner)
        if self.service is None and not self.paths:
            raise PropsError(f"{owner}: give paths=(IngressPath(...),) or service= (the default backend)")
        if self.service is not None:
            check_dns_label(self.service, what="service", owner=owner)
        if self.cluster_issuer is not None and self.issuer is not None:
            raise PropsError(f"{owner}: give cluster_issuer= or issuer=, not both: cert-manager takes one issuer")
        issuer = self.cluster_issuer or self.issuer
        if issuer is None:
            return
        written = self.cert_manager_annotations()
        for key, value in self.annotations.items():
            if key in (CLUSTER_ISSUER_ANNOTATION, ISSUER_ANNOTATION) and written.get(key) != value:
                raise PropsError(
                    f"{owner}: annotations[{key!r}] = {value!r} contradicts the issuer prop: drop it from "
                    "annotations, cluster_issuer=/issuer= writes it"
                )
        if not self.tls:
            raise PropsError(
                f"{owner}: issuer {issuer!r} has nothing to issue: add "
                f"tls=(IngressTls(hosts=('{self.name}.example.org',), secret_name='{self.name}-tls'),)"
            )
        for entry in self.tls:
            if entry.secret_name is None:
                raise PropsError(
                    f"{owner}: TLS hosts {entry.hosts!r} have no secret_name, which cert-manager needs to create "
                    f"the certificate's Secret: add secret_name='{self.name}-tls'"
                )

    def cert_manager_annotations(self) -> dict[str, str]:
        """The annotation naming the issuer of the TLS Secrets; none without an issuer."""
        if self.cluster_issuer is not None:
            return {CLUSTER_ISSUER_ANNOTATION: self.cluster_issuer}
        if self.issuer is not None:
            return {ISSUER_ANNOTATION: self.issuer}
        return {}


class Ingress(Construct):
    """The Ingress for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: IngressProps) -> None:
        super().__init__(scope, id)
        self.props = props
        metadata = props.metadata()
        annotations = {**metadata.get("annotations", {}), **props.cert_manager_annotations()}
        if annotations:
            metadata["annotations"] = annotations
        spec: dict[str, Any] = {}
        if props.ingress_class_name is not None:
            spec["ingressClassName"] = props.ingress_class_name
        if props.service is not None:
            spec["defaultBackend"] = {"service": {"name": props.service, "port": port_of(props.port)}}
        if props.tls:
            spec["tls"] = [
                {"hosts": list(t.hosts), **({"secretName": t.secret_name} if t.secret_name else {})} for t in props.tls
            ]
        if props.paths:
            spec["rules"] = rules_of(props.paths)
        self.resource: Manifest = api_object(
            self, "Resource", api_version="networking.k8s.io/v1", kind="Ingress", metadata=metadata, spec=spec
        )
