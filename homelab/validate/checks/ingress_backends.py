"""``ingress-backend``: an Ingress's backend Services exist among what the cluster deploys."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.checks._backends import missing_service
from homelab.validate.checks._deployed import charts_by_namespace
from homelab.validate.content import Placed, Source
from homelab.validate.findings import Finding
from homelab.validate.index import Index


def ingress_backends(placed: list[Placed], tree: Source, idx: Index) -> list[Finding]:
    """An Ingress's backend Services exist in its namespace among what the cluster deploys (or a controller
    creates); where a chart deployed there could create one, a name not derived from its release is only a
    warning (:func:`~homelab.validate.checks._backends.missing_service`)."""
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
            if not isinstance(name, str):
                continue
            fix = "correct the backend's service name"
            finding = missing_service(tree, p, "ingress-backend", where, name, p.namespace, charts, idx, fix)
            if finding:
                out.append(finding)
    return out
