"""``TailscaleIngress``: expose a Service on the tailnet (and, with Funnel, to the internet).

The Tailscale operator turns an Ingress of class ``tailscale`` into a tailnet machine whose name
is the TLS host (``photos`` → ``https://photos.<tailnet>``). Funnel makes it public; it is a
required choice, never a default, because it exposes the app to the whole internet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.ingress import IngressPath, port_of, rules_of
from constructs_lib.object_meta import metadata_of

_TAILNET_HOST = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
FUNNEL_ANNOTATION = "tailscale.com/funnel"
TAGS_ANNOTATION = "tailscale.com/tags"

__all__ = ["IngressPath", "TailscaleIngress", "TailscaleIngressProps"]


@type_checked
@dataclass(frozen=True, kw_only=True)
class TailscaleIngressProps:
    """An Ingress served by the Tailscale operator."""

    name: str
    """Name of the Ingress."""
    funnel: bool
    """Expose the app to the internet through Tailscale Funnel (``tailscale.com/funnel: "true"``). Required."""
    service: str | None = None
    """Service behind the default backend; required unless ``paths`` are given."""
    port: int | str = "http"
    """Port of ``service``, by number or name; the port named ``http`` by default."""
    paths: tuple[IngressPath, ...] = ()
    """Path routes instead of (or besides) the default backend; none by default."""
    hosts: tuple[str, ...] = ()
    """TLS hosts: the tailnet machine names (single DNS labels such as ``photos``); the operator
    derives one from the namespace and name when left out."""
    namespace: str | None = None
    """Namespace of the Ingress; the app's destination namespace when left out."""
    ingress_class: str = "tailscale"
    """Ingress class of the Tailscale operator."""
    tags: tuple[str, ...] = ()
    """ACL tags of the tailnet machine (``tag:k8s``); the operator's defaults when left out."""

    def __post_init__(self) -> None:
        owner = f"TailscaleIngress {self.name!r}"
        check_dns_subdomain(self.name, what="name", owner=owner)
        if self.namespace is not None:
            check_dns_label(self.namespace, what="namespace", owner=owner)
        if self.service is None and not self.paths:
            raise PropsError(f"{owner}: give service= (the default backend) or paths=")
        for host in self.hosts:
            if not _TAILNET_HOST.match(host) or len(host) > 63:
                raise PropsError(
                    f"{owner}: TLS host {host!r} is not a tailnet machine name: use one DNS label "
                    f"(lower-case letters, digits, '-'), e.g. 'photos', not {host!r}"
                )
        for tag in self.tags:
            if not tag.startswith("tag:") or len(tag) <= 4:
                raise PropsError(f"{owner}: ACL tag {tag!r} must look like 'tag:k8s'")


class TailscaleIngress(Construct):
    """The Ingress for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: TailscaleIngressProps) -> None:
        super().__init__(scope, id)
        self.props = props
        annotations: dict[str, str] = {}
        if props.funnel:
            annotations[FUNNEL_ANNOTATION] = "true"
        if props.tags:
            annotations[TAGS_ANNOTATION] = ",".join(props.tags)
        metadata = metadata_of(props.name, props.namespace, {}, annotations)
        spec: dict[str, Any] = {}
        if props.service is not None:
            spec["defaultBackend"] = {"service": {"name": props.service, "port": port_of(props.port)}}
        spec["ingressClassName"] = props.ingress_class
        if props.hosts:
            spec["tls"] = [{"hosts": list(props.hosts)}]
        if props.paths:
            spec["rules"] = rules_of(props.paths)
        self.resource: Manifest = api_object(
            self, "Resource", api_version="networking.k8s.io/v1", kind="Ingress", metadata=metadata, spec=spec
        )
