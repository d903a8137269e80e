"""``service-selector``: a Service's selector matches the pod template of a workload of its app."""

from __future__ import annotations

from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.checks._deployed import charts_by_namespace
from homelab.validate.content import Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index
from homelab.validate.references import WORKLOADS, pod_labels


def service_selectors(placed: list[Placed], tree: Source, _idx: Index) -> list[Finding]:
    """A Service's selector matches the pod template of a workload of its app (unless a chart deployed into
    its namespace may run the pods)."""
    charts = charts_by_namespace(placed)
    pods: dict[str, list[dict[str, Any]]] = {}
    for p in placed:
        if p.obj.get("kind") in WORKLOADS:
            pods.setdefault(p.namespace, []).append(pod_labels(p.obj))
    out = []
    for p in placed:
        selector = as_mapping(p.obj.get("spec")).get("selector") if p.obj.get("kind") == "Service" else None
        if not isinstance(selector, dict) or not selector or charts.get(p.namespace):
            continue
        if not any(all(labels.get(k) == v for k, v in selector.items()) for labels in pods.get(p.namespace, [])):
            out.append(
                placed_finding(
                    tree,
                    p,
                    "service-selector",
                    f"selects pods labelled {selector}, but no workload deployed in {p.namespace} has a pod template with those labels; the Service has no endpoints",
                    "make the selector match the workload's pod labels: ServiceProps(selector=...) as the workload's "
                    "DeploymentProps(selector=...) (or its pod_labels=)",
                    "spec.selector",
                )
            )
    return out
