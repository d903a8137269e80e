"""What the backend checks share: whether a Service a route or an Ingress sends to exists, and the finding when not."""

from __future__ import annotations

import difflib

from homelab.validate.checks._deployed import named_after_a_release
from homelab.validate.content import Placed, Source, creates_hint, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index


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
    """The finding for a backend Service ``namespace/name`` of ``p`` (at field ``where``) that nothing the cluster
    deploys creates (nor a controller, see :func:`~homelab.validate.index.created_by`), or None; where a chart is
    deployed in ``namespace`` (``charts``, see :func:`~homelab.validate.checks._deployed.charts_by_namespace`) it could
    create one, so a name not derived from its release is only a warning. ``fix`` starts the error's fix (how to
    correct the reference)."""
    if ("Service", namespace, name) in idx.created:
        return None
    releases = charts.get(namespace, [])
    if named_after_a_release(name, releases):
        return None
    close = difflib.get_close_matches(name, idx.names("Service", namespace), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    declare = creates_hint("Service", name, namespace)
    if releases:
        return placed_finding(
            tree,
            p,
            check_id,
            f"routes to Service {name!r}, which nothing here creates and whose name is not derived from a chart release in {namespace} ({', '.join(releases)}){hint}",
            f"check the Service name the chart creates (kubectl get svc -n {namespace}); if the "
            f"chart's operator creates it, declare it: {declare}",
            where,
            "warning",
        )
    return placed_finding(
        tree,
        p,
        check_id,
        f"routes to Service {name!r}, which nothing the cluster deploys creates in namespace {namespace}{hint}",
        f"{fix}, deploy that Service (constructs_lib.service.Service), or, if a controller creates it, declare it: {declare}",
        where,
    )
