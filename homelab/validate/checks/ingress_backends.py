"""``ingress-backend``: an Ingress's backend Services exist among what the cluster deploys."""

from __future__ import annotations

from homelab.validate.checks._backends import missing_service
from homelab.validate.checks._deployed import charts_by_namespace
from homelab.validate.content import Placed, Source
from homelab.validate.findings import Finding
from homelab.validate.index import Index
from homelab.validate.references import ingress_backends as ingress_backends_of


def ingress_backends(placed: list[Placed], tree: Source, idx: Index) -> list[Finding]:
    """An Ingress's backend Services exist in its namespace among what the cluster deploys (or a controller
    creates); where a chart deployed there could create one, a name not derived from its release is only a
    warning (:func:`~homelab.validate.checks._backends.missing_service`)."""
    charts = charts_by_namespace(placed)
    out = []
    for p in placed:
        if p.obj.get("kind") != "Ingress":
            continue
        for where, name in ingress_backends_of(p.obj):
            fix = "correct the backend's service name"
            finding = missing_service(tree, p, "ingress-backend", where, name, p.namespace, charts, idx, fix)
            if finding:
                out.append(finding)
    return out
