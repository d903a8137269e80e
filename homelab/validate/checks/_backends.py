"""What the backend and parent checks share: whether an object a route or an Ingress names (a Service it sends
to, a Gateway it attaches to) exists, and the finding when not."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from homelab.validate.checks._deployed import named_after_a_release
from homelab.validate.content import Placed, Source, creates_hint, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index


@dataclass(frozen=True)
class Named:
    """An object that ``p`` names at field ``where``: ``kind`` ``namespace/name``, which ``p`` ``verb``
    (``routes to``, ``attaches to``)."""

    p: Placed
    where: str
    kind: str
    namespace: str
    name: str
    verb: str = "routes to"


def missing_object(
    tree: Source, check_id: str, named: Named, charts: dict[str, list[str]], idx: Index, fix: str
) -> Finding | None:
    """The finding for an object ``named`` that nothing the cluster deploys creates (nor a controller, see
    :func:`~homelab.validate.index.created_by`), or None; where a chart is deployed in its namespace
    (``charts``, see :func:`~homelab.validate.checks._deployed.charts_by_namespace`) it could create one, so a
    name not derived from its release is only a warning. ``fix`` starts the error's fix (how to correct the
    reference, what would deploy it)."""
    kind, name, namespace = named.kind, named.name, named.namespace
    if (kind, namespace, name) in idx.created:
        return None
    releases = charts.get(namespace, [])
    if named_after_a_release(name, releases):
        return None
    close = difflib.get_close_matches(name, idx.names(kind, namespace), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    declare = creates_hint(kind, name, namespace)
    if releases:
        return placed_finding(
            tree,
            named.p,
            check_id,
            f"{named.verb} {kind} {name!r}, which nothing here creates and whose name is not derived from a chart "
            f"release in {namespace} ({', '.join(releases)}){hint}",
            f"check the {kind} name the chart creates (kubectl get {kind.lower()} -n {namespace}); if the "
            f"chart's operator creates it, declare it: {declare}",
            named.where,
            "warning",
        )
    return placed_finding(
        tree,
        named.p,
        check_id,
        f"{named.verb} {kind} {name!r}, which nothing the cluster deploys creates in namespace {namespace}{hint}",
        f"{fix}, or, if a controller creates it, declare it: {declare}",
        named.where,
    )


def missing_service(
    tree: Source,
    p: Placed,
    check_id: str,
    where: str,
    name: str,
    namespace: str,
    charts: dict[str, list[str]],
    idx: Index,
    fix: str,
) -> Finding | None:
    """:func:`missing_object` for a backend Service ``namespace/name`` of ``p``."""
    named = Named(p=p, where=where, kind="Service", namespace=namespace, name=name)
    return missing_object(
        tree, check_id, named, charts, idx, f"{fix}, deploy that Service (constructs_lib.service.Service)"
    )
