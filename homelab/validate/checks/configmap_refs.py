"""``configmap-ref``: the ConfigMaps a workload's pods read exist among what is deployed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from constructs_lib._internal.plaintext import as_mapping, leaves
from homelab.validate.checks._deployed import WORKLOADS, charts_by_namespace
from homelab.validate.content import Placed, Source, nearest, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index

#: The ConfigMap every namespace has (the cluster's CA bundle, published by the API server).
BUILTIN_CONFIGMAPS = ("kube-root-ca.crt",)


def _configmap_refs(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, name) of the ConfigMaps a workload's pods read (env, envFrom, volumes, projected volumes);
    optional references left out."""
    if obj.get("kind") not in WORKLOADS:
        return
    for path, key, value, _ in leaves(obj):
        if not (isinstance(value, dict) and isinstance(value.get("name"), str)) or value.get("optional"):
            continue
        if key in ("configMapKeyRef", "configMapRef", "configMap"):  # env, envFrom, a volume or projected source
            yield f"{path}.name", value["name"]


def configmap_refs(placed: list[Placed], tree: Source, _idx: Index) -> list[Finding]:
    """The ConfigMaps a workload's pods read exist in its namespace among what is deployed; where a chart
    deployed there could create one, a name not derived from its release is only a warning."""
    configmaps = {
        (p.namespace, str(as_mapping(p.obj.get("metadata")).get("name")))
        for p in placed
        if p.obj.get("kind") == "ConfigMap"
    }
    charts = charts_by_namespace(placed)
    out = []
    for p in placed:
        for where, name in _configmap_refs(p.obj):
            releases = charts.get(p.namespace, [])
            if (p.namespace, name) in configmaps or name in BUILTIN_CONFIGMAPS:
                continue
            if any(name.startswith(r) for r in releases):
                continue  # the chart's release creates it
            hint = nearest(name, sorted(n for ns, n in configmaps if ns == p.namespace))
            where_from = f"and whose name is not derived from a chart release in {p.namespace} ({', '.join(releases)})"
            out.append(
                placed_finding(
                    tree,
                    p,
                    "configmap-ref",
                    f"reads ConfigMap {name!r}, which nothing "
                    + (f"here creates {where_from}" if releases else f"deployed creates in namespace {p.namespace}")
                    + "; the pod would not start",
                    "correct the name, deploy that ConfigMap (constructs_lib.config_map.ConfigMap), "
                    "or mark the reference optional" + hint,
                    where,
                    "warning" if releases else "error",
                )
            )
    return out
