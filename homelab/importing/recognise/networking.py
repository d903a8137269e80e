"""Ingresses (of class ``tailscale`` as ``TailscaleIngress``, of any other class as ``Ingress``) and Gateway API
``Gateway`` objects as ``Gateway``, cert-manager's issuer annotation read back as ``cluster_issuer=``/``issuer=``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.gateway import AllowedRoutes, Gateway, GatewayProps, Listener
from constructs_lib.http_route import GATEWAY_API
from constructs_lib.ingress import (
    CLUSTER_ISSUER_ANNOTATION,
    ISSUER_ANNOTATION,
    Ingress,
    IngressPath,
    IngressProps,
    IngressTls,
)
from constructs_lib.tailscale_ingress import FUNNEL_ANNOTATION, TAGS_ANNOTATION, TailscaleIngress, TailscaleIngressProps
from homelab.importing.recognise.base import Objects, Proposal, metadata, name_of, object_meta, of_kind, propose


def backend_of(spec: Mapping[str, Any]) -> dict[str, Any]:
    """``service=``/``port=`` of the default backend (nothing without one)."""
    if "defaultBackend" not in spec:
        return {}
    service = spec["defaultBackend"]["service"]
    port = service["port"]
    return {"service": service["name"], "port": port["number"] if "number" in port else port["name"]}


def paths_of(spec: Mapping[str, Any]) -> tuple[IngressPath, ...]:
    out = []
    for rule in spec.get("rules") or ():
        for p in (rule.get("http") or {}).get("paths") or ():
            service = p["backend"]["service"]
            port = service["port"]
            out.append(
                IngressPath(
                    path=p.get("path", ""),
                    service=service["name"],
                    port=port["number"] if "number" in port else port["name"],
                    path_type=p.get("pathType"),
                    host=rule.get("host"),
                )
            )
    return tuple(out)


def tailscale_props(obj: Mapping[str, Any]) -> TailscaleIngressProps:
    meta, spec = metadata(obj), obj["spec"]
    annotations = meta.get("annotations") or {}
    tls = spec.get("tls") or [{}]
    tags = annotations.get(TAGS_ANNOTATION)
    return TailscaleIngressProps(
        name=meta["name"],
        namespace=meta.get("namespace"),
        funnel=annotations.get(FUNNEL_ANNOTATION) == "true",
        tags=tuple(tags.split(",")) if tags else (),
        ingress_class=spec["ingressClassName"],
        hosts=tuple(tls[0].get("hosts") or ()),
        paths=paths_of(spec),
        **backend_of(spec),
    )


def meta_with_issuer(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The object's :class:`~constructs_lib.object_meta.ObjectMeta` fields, cert-manager's issuer annotation
    as ``cluster_issuer=`` or ``issuer=``."""
    meta = object_meta(obj)
    annotations = dict(meta.pop("annotations", {}))
    issuers = {
        "cluster_issuer": annotations.pop(CLUSTER_ISSUER_ANNOTATION, None),
        "issuer": annotations.pop(ISSUER_ANNOTATION, None),
    }
    return {**meta, "annotations": annotations, **{k: v for k, v in issuers.items() if v is not None}}


def ingress_props(obj: Mapping[str, Any]) -> IngressProps:
    spec = obj["spec"]
    return IngressProps(
        **meta_with_issuer(obj),
        ingress_class_name=spec.get("ingressClassName"),
        paths=paths_of(spec),
        tls=tuple(IngressTls(hosts=tuple(t["hosts"]), secret_name=t.get("secretName")) for t in spec.get("tls") or ()),
        **backend_of(spec),
    )


def allowed_routes(entry: Mapping[str, Any]) -> AllowedRoutes:
    namespaces = entry.get("namespaces") or {}
    return AllowedRoutes(
        namespaces=namespaces.get("from", "Same"),
        selector=dict((namespaces.get("selector") or {}).get("matchLabels") or {}),
        kinds=tuple(k["kind"] for k in entry.get("kinds") or ()),
    )


def listener(entry: Mapping[str, Any]) -> Listener:
    """A listener; its TLS mode follows from its certificates (a mode they contradict fails the rendering check)."""
    refs = (entry.get("tls") or {}).get("certificateRefs") or ()
    if any(set(r) != {"kind", "name"} or r["kind"] != "Secret" for r in refs):
        raise ValueError("a certificate reference other than a Secret by name has no typed form")
    return Listener(
        name=entry["name"],
        port=entry["port"],
        protocol=entry["protocol"],
        hostname=entry.get("hostname"),
        certificate_refs=tuple(r["name"] for r in refs),
        allowed_routes=allowed_routes(entry["allowedRoutes"]) if "allowedRoutes" in entry else None,
    )


def gateway_props(obj: Mapping[str, Any]) -> GatewayProps:
    spec = obj["spec"]
    return GatewayProps(
        **meta_with_issuer(obj),
        gateway_class_name=spec["gatewayClassName"],
        listeners=tuple(listener(li) for li in spec["listeners"]),
    )


def recognise_ingresses(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``TailscaleIngress`` per Ingress of class ``tailscale``, an ``Ingress`` per other one."""
    for i in of_kind(objects, free, "networking.k8s.io/v1", "Ingress"):
        obj = objects[i]
        if (obj.get("spec") or {}).get("ingressClassName") == "tailscale":
            yield from propose(TailscaleIngress, partial(tailscale_props, obj), (i,), name_of(obj))
        yield from propose(Ingress, partial(ingress_props, obj), (i,), name_of(obj))


def recognise_gateways(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``Gateway`` per Gateway."""
    for i in of_kind(objects, free, GATEWAY_API, "Gateway"):
        yield from propose(Gateway, partial(gateway_props, objects[i]), (i,), name_of(objects[i]))
