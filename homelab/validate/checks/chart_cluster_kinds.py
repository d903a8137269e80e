"""``chart-cluster-kinds``: an Application of a chart known to install cluster-scoped kinds
(:data:`homelab.kinds.CHART_CLUSTER_KINDS`) whose AppProject does not admit them: the first sync would fail,
though nothing of the chart is in the tree to say so."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import CHART_CLUSTER_KINDS
from homelab.validate.content import Placed, Source, glob, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index


def chart_cluster_kinds(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    """The kinds ``p``'s chart installs that its project's clusterResourceWhitelist leaves out."""
    if p.obj.get("kind") != "Application":
        return []
    spec = as_mapping(p.obj.get("spec"))
    chart = str(as_mapping(spec.get("source")).get("chart") or "")
    project_name = str(spec.get("project", "default"))
    project = idx.projects.get(project_name)
    if chart not in CHART_CLUSTER_KINDS or project is None:
        return []
    allowed = as_mapping(project.get("spec")).get("clusterResourceWhitelist") or []
    missing = [
        (group, kind)
        for group, kind in CHART_CLUSTER_KINDS[chart]
        if not any(glob(str(w.get("group", "")), group) and glob(str(w.get("kind", "")), kind) for w in allowed)
    ]
    if not missing:
        return []
    listed = ", ".join(kind for _, kind in missing)
    pairs = ", ".join(f"({group!r}, {kind!r})" for group, kind in missing)
    return [
        placed_finding(
            tree,
            p,
            "chart-cluster-kinds",
            f"chart {chart} installs cluster-scoped {listed}, which AppProject {project_name} does not admit; "
            "Argo CD would refuse its first sync",
            f"declare them on the app: HelmArgoAppProps(cluster_resources=({pairs},)) (added to what its project "
            "admits); in a hand-written tree, add them to the project's clusterResourceWhitelist",
            "spec.source.chart",
        )
    ]
