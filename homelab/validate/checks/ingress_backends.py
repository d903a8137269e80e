"""``ingress-backend``: an Ingress's backend Services exist among what the cluster deploys."""

from __future__ import annotations

import difflib

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.checks._deployed import charts_by_namespace
from homelab.validate.content import Placed, Source, creates_hint, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index


def ingress_backends(placed: list[Placed], tree: Source, idx: Index) -> list[Finding]:
    """An Ingress's backend Services exist in its namespace among what the cluster deploys (or a controller
    creates, see :func:`~homelab.validate.index.created_by`); where a chart deployed there could create
    one, a name not derived from its release is only a warning."""
    charts = charts_by_namespace(placed)
    out = []
    for p in placed:
        if p.obj.get("kind") != "Ingress":
            continue
        spec = as_mapping(p.obj.get("spec"))
        backends = [
            ("spec.defaultBackend.service.name", as_mapping(as_mapping(spec.get("defaultBackend")).get("service")))
        ]
        for i, rule in enumerate(spec.get("rules") or []):
            for j, path in enumerate(as_mapping(rule.get("http")).get("paths") or []):
                backends.append(
                    (
                        f"spec.rules[{i}].http.paths[{j}].backend.service.name",
                        as_mapping(as_mapping(path.get("backend")).get("service")),
                    )
                )
        for where, service in backends:
            name = service.get("name")
            if not isinstance(name, str) or ("Service", p.namespace, name) in idx.created:
                continue
            releases = charts.get(p.namespace, [])
            if any(name.startswith(r) for r in releases):
                continue  # the chart's release creates it
            close = difflib.get_close_matches(name, idx.names("Service", p.namespace), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            if releases:
                out.append(
                    placed_finding(
                        tree,
                        p,
                        "ingress-backend",
                        f"routes to Service {name!r}, which nothing here creates and whose name is not derived from a chart release in {p.namespace} ({', '.join(releases)}){hint}",
                        f"check the Service name the chart creates (kubectl get svc -n {p.namespace}); if the "
                        f"chart's operator creates it, declare it: {creates_hint('Service', name, p.namespace)}",
                        where,
                        "warning",
                    )
                )
            else:
                out.append(
                    placed_finding(
                        tree,
                        p,
                        "ingress-backend",
                        f"routes to Service {name!r}, which nothing the cluster deploys creates in namespace {p.namespace}{hint}",
                        "correct the backend's service name, deploy that Service (constructs_lib.service.Service), "
                        f"or, if a controller creates it, declare it: {creates_hint('Service', name, p.namespace)}",
                        where,
                    )
                )
    return out
