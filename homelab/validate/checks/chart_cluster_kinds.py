"""``chart-cluster-kinds``: an Application of a chart known to install cluster-scoped kinds
(:data:`homelab.kinds.CHART_CLUSTER_KINDS`) whose AppProject does not admit them: the first sync would fail,
though nothing of the chart is in the tree to say so."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import CHART_CLUSTER_KINDS
from homelab.validate.content import Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index, kind_admitted


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
    missing = [
        (group, kind)
        for group, kind in CHART_CLUSTER_KINDS[chart]
        if not kind_admitted(project, group, kind, cluster_scoped=True)
    ]
    if not missing:
        return []
    listed = ", ".join(kind for _, kind in missing)
    return [
        placed_finding(
            tree,
            p,
            "chart-cluster-kinds",
            f"chart {chart} installs cluster-scoped {listed}, which AppProject {project_name} does not admit; "
            "Argo CD would refuse its first sync",
            declare_cluster_kinds(missing),
            "spec.source.chart",
        )
    ]


def declare_cluster_kinds(missing: list[tuple[str, str]]) -> str:
    """The fix for a chart's cluster-scoped kinds (group, kind) its project does not admit: the Python setting."""
    pairs = ", ".join(f"({group!r}, {kind!r})" for group, kind in missing)
    return (
        f"declare them on the app: HelmArgoAppProps(cluster_resources=({pairs},)) (added to what its project "
        "admits; AppSpec(cluster_resources=...) for the app's own project); in a hand-written tree, add them to "
        "the project's clusterResourceWhitelist"
    )
