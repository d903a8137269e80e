"""``chart-admits`` (``homelab validate --online``): what a chart renders, its AppProject admits.

Offline, ``chart-cluster-kinds`` knows what some charts install from a table; online, each Helm
Application of a cluster's deployed content is rendered as Argo CD would (:mod:`.charts`) and every
object it renders is checked against the Application's AppProject: its cluster-scoped kinds against the
``clusterResourceWhitelist``, its namespaced kinds against the namespace resource white- and blacklists, the
namespaces it writes into against the destinations. A chart that cannot be fetched is one ``needs-network``
note; without a helm binary, one note says that charts were not rendered and how to install helm.
"""

from __future__ import annotations

from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import CHART_CLUSTER_KINDS, KindScopes, group_of
from homelab.validate.charts import ChartFailed, ChartRenderer, ChartSource, ChartUnavailable, chart_sources
from homelab.validate.checks.chart_cluster_kinds import declare_cluster_kinds
from homelab.validate.content import ClusterContent, Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.helm import HOW_TO_INSTALL
from homelab.validate.index import index, kind_admitted, project_admits


def chart_findings(
    contents: list[ClusterContent],
    tree: Source,
    renderer: ChartRenderer | None,
    *,
    argocd_ns: str,
    scopes: KindScopes,
) -> list[Finding]:
    """The ``chart-admits`` findings of every Helm Application the clusters deploy (``renderer`` None: no helm)."""
    apps = [(c, p) for c in contents for p in c.placed if p.obj.get("kind") == "Application" and chart_sources(p.obj)]
    if not apps:
        return []
    if renderer is None:
        charts = sorted({s.chart for _, p in apps for s in chart_sources(p.obj)})
        return [
            Finding(
                entry=".",
                check="chart-render",
                message=f"charts were not rendered: no helm binary beside this Python nor on PATH, so what "
                f"{len(charts)} chart(s) ({', '.join(charts)}) deploy was not checked against their AppProjects",
                fix=HOW_TO_INSTALL,
                severity="info",
            )
        ]
    findings: list[Finding] = []
    unavailable: dict[str, Finding] = {}
    indexes = {c.name: index(c, argocd_ns, set(), scopes) for c in contents}
    for content, p in apps:
        project_name = str(as_mapping(p.obj.get("spec")).get("project", "default"))
        project = indexes[content.name].projects.get(project_name)
        if project is None:
            continue  # the applications check says so
        for source in chart_sources(p.obj):
            try:
                objects = renderer.render(source)
            except ChartUnavailable as exc:
                unavailable.setdefault(source.label, _unavailable(tree, p, source, str(exc)))
                continue
            except ChartFailed as exc:
                message = (
                    f"{source.label} does not render with the Application's values ({exc}); Argo CD could not sync it"
                )
                fix = "correct the chart's values (HelmArgoAppProps(values=...)) or version as the error says"
                findings.append(placed_finding(tree, p, "chart-render", message, fix, "spec.source", "warning"))
                continue
            findings += _admitted(tree, p, source, objects, project_name, project, scopes)
    return findings + list(unavailable.values())


def _admitted(
    tree: Source,
    p: Placed,
    source: ChartSource,
    objects: list[dict[str, Any]],
    project_name: str,
    project: dict[str, Any],
    scopes: KindScopes,
) -> list[Finding]:
    """What of ``objects`` (``source`` rendered) the AppProject does not admit, one finding per kind of problem."""
    scopes = scopes.with_crds(objects)
    server = str(as_mapping(as_mapping(p.obj.get("spec")).get("destination")).get("server", ""))
    listed = set(CHART_CLUSTER_KINDS.get(source.chart, ()))  # reported offline already (chart-cluster-kinds)
    cluster_kinds: dict[tuple[str, str], None] = {}
    namespaced_kinds: dict[tuple[str, str], None] = {}
    namespaces: dict[str, None] = {}
    for obj in objects:
        api_version, kind = str(obj.get("apiVersion", "")), str(obj.get("kind", ""))
        group, cluster_wide = group_of(api_version), scopes.is_cluster_scoped(api_version, kind)
        if not kind_admitted(project, group, kind, cluster_scoped=cluster_wide) and (group, kind) not in listed:
            (cluster_kinds if cluster_wide else namespaced_kinds)[(group, kind)] = None
        namespace = str(as_mapping(obj.get("metadata")).get("namespace") or source.namespace)
        if not cluster_wide and namespace and not project_admits(project, namespace, server):
            namespaces[namespace] = None
    refused = f"which AppProject {project_name} does not admit; Argo CD would refuse to sync them"
    out = []
    if cluster_kinds:
        kinds = ", ".join(kind for _, kind in cluster_kinds)
        message = f"{source.label} renders cluster-scoped {kinds}, {refused}"
        out.append(
            placed_finding(
                tree, p, "chart-admits", message, declare_cluster_kinds(list(cluster_kinds)), "spec.source.chart"
            )
        )
    if namespaced_kinds:
        kinds = ", ".join(f"{{group: '{g}', kind: {k}}}" for g, k in namespaced_kinds)
        message = f"{source.label} renders {', '.join(k for _, k in namespaced_kinds)}, {refused} (its namespace resource lists)"
        fix = (
            f"admit them in the project: add {kinds} to its namespaceResourceWhitelist, or take them out of its "
            "namespaceResourceBlacklist (the AppProjects synth derives admit every namespaced kind)"
        )
        out.append(placed_finding(tree, p, "chart-admits", message, fix, "spec.source.chart"))
    if namespaces:
        listed_ns = ", ".join(namespaces)
        pairs = ", ".join(repr(n) for n in namespaces)
        message = f"{source.label} writes into namespace(s) {listed_ns}, {refused} (not among its destinations)"
        fix = (
            f"declare them on the app: HelmArgoAppProps(namespaces=({pairs},)) (added to the destinations its project "
            "admits), or set the chart's values so it writes into the Application's namespace; in a hand-written "
            f"tree, add {{namespace: {next(iter(namespaces))}, server: ...}} to the project's destinations"
        )
        out.append(placed_finding(tree, p, "chart-admits", message, fix, "spec.destination.namespace"))
    return out


def _unavailable(tree: Source, p: Placed, source: ChartSource, why: str) -> Finding:
    return placed_finding(
        tree,
        p,
        "needs-network",
        f"{source.label} could not be fetched ({why}), so what it deploys was not checked against its AppProject",
        "validate where its repository is reachable; check the chart's repo_url, name and version (HelmChart(...))",
        "spec.source.repoURL",
        "info",
    )
