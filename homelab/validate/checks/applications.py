"""``application``: what Argo CD would refuse or get wrong in an Application itself: where it lives
(``application-namespace``), its project (``project``, ``project-source``, ``project-destination``,
``project-source-namespace``) and ``ignoreDifferences`` that syncs overwrite (``ignore-differences``)."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.content import Placed, Source, glob, placed_finding, sources_of
from homelab.validate.findings import Finding
from homelab.validate.index import Index, project_admits
from homelab.validate.repository import argocd_repo_form

#: How a project's admissions are set in Python, before the YAML of a hand-written tree.
DERIVED = (
    "a project synth derives admits what the apps of its project deploy: declare this Application in one of "
    "them, or put the apps in one AppGroup; in a hand-written tree, "
)


def application(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    """The findings of ``p`` if it is an Application."""
    obj = p.obj
    if obj.get("kind") != "Application":
        return []
    argocd_ns, app_namespaces = idx.argocd_ns, idx.app_namespaces
    spec = as_mapping(obj.get("spec"))
    out: list[Finding] = []

    def add(check_name: str, message: str, fix: str, where: str, severity: str = "error") -> None:
        out.append(placed_finding(tree, p, check_name, message, fix, where, severity))

    home = p.namespace or argocd_ns
    if app_namespaces is not None and home != argocd_ns and not any(glob(n, home) for n in app_namespaces):
        add(
            "application-namespace",
            f"lives in namespace {home}, which Argo CD's application.namespaces does not list; Argo CD ignores it",
            "render the platform with the cluster's facts, Platform(scope, 'platform', PLATFORM, facts=ctx), "
            "which derives Argo CD's application.namespaces from the apps; in a hand-written tree, add "
            f"{home} to the argocd Application's configs.params['application.namespaces']",
            "metadata.namespace",
        )
    project_name = str(spec.get("project", ""))
    project = idx.projects.get(project_name)
    if project_name != "default" and project is None:
        add(
            "project",
            f"belongs to AppProject {project_name!r}, which this cluster does not define",
            f"use an existing project (the Application's props: project=), or list the app whose project it is in "
            f"ClusterPlan(apps=...) (its AppOfApps defines AppProject {project_name} in {argocd_ns})",
            "spec.project",
        )
    if project is not None:
        pspec = as_mapping(project.get("spec"))
        # Argo CD's own comparison, not repo_key's: a project admitting https://… does not admit git@….
        allowed = [argocd_repo_form(str(r)) for r in pspec.get("sourceRepos") or []]
        for i, source in enumerate(sources_of(obj)):
            repo = argocd_repo_form(str(source.get("repoURL", "")))
            if not any(glob(a, repo) for a in allowed):
                add(
                    "project-source",
                    f"pulls from {source.get('repoURL')}, which AppProject {project_name} does not admit in sourceRepos",
                    f"{DERIVED}add {source.get('repoURL')} to the project's sourceRepos",
                    "spec.source.repoURL" if i == 0 and spec.get("source") else f"spec.sources[{i}].repoURL",
                )
        dest = as_mapping(spec.get("destination"))
        ns, server = str(dest.get("namespace", "")), str(dest.get("server", ""))
        if ns and not project_admits(project, ns, server):
            add(
                "project-destination",
                f"deploys to namespace {ns}, which AppProject {project_name} does not admit as a destination",
                f"{DERIVED}add {{namespace: {ns}, server: {server}}} to the project's destinations",
                "spec.destination",
            )
        if home != argocd_ns and not any(glob(str(n), home) for n in pspec.get("sourceNamespaces") or []):
            add(
                "project-source-namespace",
                f"lives in namespace {home}, which AppProject {project_name} does not list in sourceNamespaces",
                f"{DERIVED}add {home} to the project's sourceNamespaces",
                "metadata.namespace",
            )
    options = as_mapping(spec.get("syncPolicy")).get("syncOptions") or []
    if spec.get("ignoreDifferences") and "RespectIgnoreDifferences=true" not in options:
        add(
            "ignore-differences",
            "has ignoreDifferences but not the sync option RespectIgnoreDifferences=true: syncs still overwrite those fields",
            "add it to the sync options: ApplicationSettings(sync=SyncPolicy(options=(..., "
            "'RespectIgnoreDifferences=true'))) on the AppSpec, or HelmArgoAppProps(sync=SyncPolicy(options=...)) "
            "on an Application of its own; in a hand-written tree, spec.syncPolicy.syncOptions",
            "spec.ignoreDifferences",
            "warning",
        )
    return out
