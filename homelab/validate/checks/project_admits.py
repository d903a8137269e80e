"""``project-admits``: the AppProject of the Application deploying an object admits it (``project-kinds``
for a cluster-scoped kind, ``project-destination`` for its namespace)."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import group_of
from homelab.validate.content import Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index, kind_admitted, project_admits


def admitted_by_project(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    """The project of the Application deploying ``p`` admits its kind (cluster-wide) or its namespace."""
    app = p.app
    if app is None or app.obj.get("kind") != "Application":
        return []
    project_name = str(as_mapping(app.obj.get("spec")).get("project", "default"))
    project = idx.projects.get(project_name)
    if project is None:
        return []
    kind, api_version = str(p.obj.get("kind")), str(p.obj.get("apiVersion", ""))
    api_group = group_of(api_version)
    server = str(as_mapping(as_mapping(app.obj.get("spec")).get("destination")).get("server", ""))
    if idx.scopes.is_cluster_scoped(api_version, kind):
        if kind_admitted(project, api_group, kind, cluster_scoped=True):
            return []
        return [
            placed_finding(
                tree,
                p,
                "project-kinds",
                f"cluster-scoped {kind} is not in AppProject {project_name}'s clusterResourceWhitelist; Argo CD refuses to sync it",
                f"declare the kind on the app installing it, added to what its project admits: "
                f"HelmArgoAppProps(cluster_resources=(({api_group!r}, {kind!r}),)) for a chart's, "
                "RemoteResource(cluster_resources=...) for remote manifests, AppSpec(cluster_resources=...) "
                "otherwise; in a hand-written "
                f"tree, add {{group: '{api_group}', kind: {kind}}} to the project's clusterResourceWhitelist",
            )
        ]
    if p.namespace and not project_admits(project, p.namespace, server):
        return [
            placed_finding(
                tree,
                p,
                "project-destination",
                f"lands in namespace {p.namespace}, which AppProject {project_name} does not admit as a destination; Argo CD refuses to sync it",
                f"put the object in the Application's namespace (its props' namespace=), or, in a hand-written "
                f"tree, add namespace {p.namespace} to the project's destinations (synth derives them from the "
                "app's objects)",
                "metadata.namespace",
            )
        ]
    return []
