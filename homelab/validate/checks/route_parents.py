"""``route-parent``: a Gateway API route attaches to a Gateway of the tree that takes it: the listener its
``sectionName`` names exists, and some listener it attaches to admits the route's namespace, its kind (those
``allowedRoutes.kinds`` lists, else those of the listener's protocol) and one of its hostnames.

A Gateway the tree does not hold is not judged, unless the tree holds Gateways in that namespace (then the
homelab manages them there, and a name none has is likely a typo): platforms often install theirs outside git.
"""

from __future__ import annotations

from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import group_of
from homelab.validate.checks._backends import Named, missing_object
from homelab.validate.checks._deployed import charts_by_namespace
from homelab.validate.content import Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import GATEWAY_GROUP, Index
from homelab.validate.references import is_route

#: The label every namespace has, naming it.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
#: The route kinds a listener of each protocol takes when its ``allowedRoutes.kinds`` lists none (the Gateway
#: API's; a TLS listener takes TLSRoutes passed through and TCPRoutes it terminates). Other protocols: not judged.
PROTOCOL_KINDS = {
    "HTTP": ("HTTPRoute", "GRPCRoute"),
    "HTTPS": ("HTTPRoute", "GRPCRoute"),
    "TLS": ("TLSRoute", "TCPRoute"),
    "TCP": ("TCPRoute",),
    "UDP": ("UDPRoute",),
}


def hostnames_meet(a: str, b: str) -> bool:
    """Whether host names ``a`` and ``b`` (each perhaps a wildcard, ``*.example.org``: any host below
    ``example.org``) have a host in common."""
    if a == b:
        return True
    if a.startswith("*.") and b.startswith("*."):
        return a[1:].endswith(b[1:]) or b[1:].endswith(a[1:])
    if a.startswith("*."):
        return b.endswith(a[1:])
    return b.startswith("*.") and a.endswith(b[1:])


def _refused_because(
    listener: dict[str, Any], route: dict[str, Any], namespace: str, gateway_ns: str, labels: dict[str, dict[str, str]]
) -> str | None:
    """Why ``listener`` of a Gateway in ``gateway_ns`` does not admit ``route`` from ``namespace``, or None when
    it does (or cannot be known: a selector with expressions, a namespace the tree does not hold)."""
    kind = str(route.get("kind"))
    allowed = as_mapping(listener.get("allowedRoutes"))
    namespaces = as_mapping(allowed.get("namespaces"))
    taken = namespaces.get("from", "Same")
    name = listener.get("name")
    if taken == "Same" and namespace != gateway_ns:
        return f"{name} takes routes from its own namespace only (allowedRoutes.namespaces.from: Same)"
    selector = as_mapping(namespaces.get("selector"))
    if taken == "Selector" and namespace in labels and not selector.get("matchExpressions"):
        wanted = as_mapping(selector.get("matchLabels"))
        has = {**labels[namespace], NAMESPACE_NAME_LABEL: namespace}
        if any(has.get(k) != v for k, v in wanted.items()):
            return f"{name} takes routes from namespaces labelled {dict(wanted)}, which namespace {namespace} is not"
    kinds = [as_mapping(k) for k in allowed.get("kinds") or []]
    if kinds and not any(k.get("kind") == kind and k.get("group", GATEWAY_GROUP) == GATEWAY_GROUP for k in kinds):
        return f"{name} takes only {', '.join(str(k.get('kind')) for k in kinds)} (allowedRoutes.kinds)"
    protocol = str(listener.get("protocol"))
    if not kinds and kind not in PROTOCOL_KINDS.get(protocol, (kind,)):
        return f"{name} is a {protocol} listener, which takes {' and '.join(PROTOCOL_KINDS[protocol])} only"
    host = listener.get("hostname")
    hosts = [str(h) for h in as_mapping(route.get("spec")).get("hostnames") or []]
    if isinstance(host, str) and hosts and not any(hostnames_meet(host, h) for h in hosts):
        return f"{name} takes hostname {host}, which none of the route's hostnames ({', '.join(hosts)}) matches"
    return None


def route_parents(placed: list[Placed], tree: Source, idx: Index) -> list[Finding]:
    """Each parentRef to a Gateway of the tree names one of its listeners (``sectionName``) and is admitted by
    one; a parentRef to a Gateway missing from a namespace where the tree holds others is reported as missing
    (:func:`~homelab.validate.checks._backends.missing_object`)."""
    gateways = {
        (p.namespace, str(as_mapping(p.obj.get("metadata")).get("name"))): p.obj
        for p in placed
        if p.obj.get("kind") == "Gateway" and group_of(str(p.obj.get("apiVersion", ""))) == GATEWAY_GROUP
    }
    labels = {
        str(as_mapping(p.obj.get("metadata")).get("name")): dict(
            as_mapping(as_mapping(p.obj.get("metadata")).get("labels"))
        )
        for p in placed
        if p.obj.get("kind") == "Namespace"
    }
    charts = charts_by_namespace(placed)
    out = []
    for p in placed:
        if not is_route(p.obj):
            continue
        kind = str(p.obj.get("kind"))
        for i, ref in enumerate(as_mapping(p.obj.get("spec")).get("parentRefs") or []):
            ref = as_mapping(ref)
            if ref.get("kind", "Gateway") != "Gateway" or ref.get("group", GATEWAY_GROUP) != GATEWAY_GROUP:
                continue
            namespace, name, where = (
                str(ref.get("namespace") or p.namespace),
                str(ref.get("name")),
                f"spec.parentRefs[{i}]",
            )
            gateway = gateways.get((namespace, name))
            if gateway is None:
                if any(ns == namespace for ns, _ in gateways):
                    named = Named(
                        p=p, where=f"{where}.name", kind="Gateway", namespace=namespace, name=name, verb="attaches to"
                    )
                    fix = "correct the parentRef's name (ParentRef(name=..., namespace=...)), deploy that Gateway (constructs_lib.gateway.Gateway)"
                    finding = missing_object(tree, "route-parent", named, charts, idx, fix)
                    out += [finding] if finding else []
                continue
            listeners = [as_mapping(li) for li in as_mapping(gateway.get("spec")).get("listeners") or []]
            section = ref.get("sectionName")
            chosen = [li for li in listeners if li.get("name") == section] if section else listeners
            names = ", ".join(str(li.get("name")) for li in listeners) or "none"
            if not chosen:
                out.append(
                    placed_finding(
                        tree,
                        p,
                        "route-parent",
                        f"attaches to listener {section!r} of Gateway {namespace}/{name}, which has no listener of "
                        f"that name (its listeners: {names}); the route would not be attached",
                        f"name one of its listeners: ParentRef(name={name!r}, namespace={namespace!r}, section_name=...)",
                        f"{where}.sectionName",
                    )
                )
                continue
            reasons = [_refused_because(li, p.obj, p.namespace, namespace, labels) for li in chosen]
            if all(reasons):
                out.append(
                    placed_finding(
                        tree,
                        p,
                        "route-parent",
                        f"attaches to Gateway {namespace}/{name}, whose listeners do not admit a {kind} from namespace "
                        f"{p.namespace}: {'; '.join(str(r) for r in reasons)}; the route would not be attached",
                        "let the listener take it (Listener(allowed_routes=AllowedRoutes(namespaces='All')), or "
                        f"namespaces='Selector' with a label namespace {p.namespace} has, or kinds= naming {kind}), "
                        "give the route a hostname the listener takes (hostnames=...), "
                        "or attach the route to a listener that does (ParentRef(section_name=...))",
                        where,
                    )
                )
    return out
