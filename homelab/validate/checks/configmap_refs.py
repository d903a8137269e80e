"""``configmap-ref``: the ConfigMaps a workload's pods read exist among what is deployed."""

from __future__ import annotations

from homelab.validate.checks._deployed import charts_by_namespace, named_after_a_release
from homelab.validate.content import Placed, Source, creates_hint, nearest, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index
from homelab.validate.references import configmaps_used

#: The ConfigMap every namespace has (the cluster's CA bundle, published by the API server).
BUILTIN_CONFIGMAPS = ("kube-root-ca.crt",)


def configmap_refs(placed: list[Placed], tree: Source, idx: Index) -> list[Finding]:
    """The ConfigMaps a workload's pods read exist in its namespace among what is deployed (or a controller
    creates); where a chart deployed there could create one, a name not derived from its release is only a
    warning."""
    charts = charts_by_namespace(placed)
    out = []
    for p in placed:
        for where, name in configmaps_used(p.obj):
            releases = charts.get(p.namespace, [])
            if ("ConfigMap", p.namespace, name) in idx.created or name in BUILTIN_CONFIGMAPS:
                continue
            if named_after_a_release(name, releases):
                continue
            hint = nearest(name, idx.names("ConfigMap", p.namespace))
            where_from = f"and whose name is not derived from a chart release in {p.namespace} ({', '.join(releases)})"
            out.append(
                placed_finding(
                    tree,
                    p,
                    "configmap-ref",
                    f"reads ConfigMap {name!r}, which nothing "
                    + (f"here creates {where_from}" if releases else f"deployed creates in namespace {p.namespace}")
                    + "; the pod would not start",
                    "correct the name" + hint + ", deploy that ConfigMap (constructs_lib.config_map.ConfigMap), "
                    "mark the reference optional, or, if a controller creates it, declare it: "
                    + creates_hint("ConfigMap", name, p.namespace),
                    where,
                    "warning" if releases else "error",
                )
            )
    return out
