"""Each cluster's ``clusters/overlays/<cluster>`` directory: the root Application (when the cluster runs the
core app), the app-of-apps of the enabled apps (their AppProjects admit what :mod:`homelab.engine.derive` finds in the apps' objects)
and the cluster's own objects. It has no base: the root Application has no cluster-free form."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from constructs_lib.annotations import creates
from constructs_lib.app_of_apps import AppOfApps, AppOfAppsProps
from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.sync_policy import CREATE_NAMESPACE
from homelab.engine import derive
from homelab.engine.data import Directory, Rendered, overlay_of
from homelab.engine.layout import repo_path
from homelab.errors import HomelabError
from homelab.model.homelab import BOOTSTRAP_DIRECTORY, CORE_DIRECTORY

if TYPE_CHECKING:
    from homelab.engine.render import Renderer
    from homelab.kinds import KindScopes
    from homelab.model.app_spec import AppSpec
    from homelab.model.cluster_plan import ClusterPlan
    from homelab.model.homelab import Homelab


def root_props(lab: Homelab, plan: ClusterPlan, tree_in_repo: str) -> GitArgoAppProps:
    """The root Application: it deploys the core app's overlay of the cluster."""
    c = plan.cluster
    return GitArgoAppProps(
        name=lab.root_app_name,
        namespace=c.argocd_namespace,
        destination_namespace=c.argocd_namespace,
        server=c.server,
        repo_url=c.repo_url,
        revision=c.revision,
        path=repo_path(tree_in_repo, CORE_DIRECTORY, "overlays", c.name),
    )


def app_of_apps_props(
    app: AppSpec,
    plan: ClusterPlan,
    overlays: Mapping[tuple[str, str], list[Rendered]],
    scopes: KindScopes,
    tree_in_repo: str,
) -> AppOfAppsProps:
    """The app-of-apps of enabled ``app``: its project admits what every app of its project contains."""
    c = plan.cluster
    group = [a for a in derived_apps(plan) if a.declares_project and a.app_project == app.app_project] or [app]
    settings = plan.settings_of(app)
    sync = settings.sync or plan.app_sync
    if app.namespace_creation == "sync-option" and CREATE_NAMESPACE not in sync.option_list:
        raise HomelabError(
            f"{app.origin}: AppSpec {app.name!r} has namespace_creation='sync-option', but its Application's sync "
            f"options on cluster {c.name!r} ({', '.join(sync.option_list) or 'none'}) lack {CREATE_NAMESPACE!r}, so "
            f"nothing would create namespace {app.app_namespace!r}; add it (application=ApplicationSettings("
            f"sync=SyncPolicy(options=SyncOptions(add=({CREATE_NAMESPACE!r},))))), or use namespace_creation="
            "'object' or 'none'"
        )
    return AppOfAppsProps(
        name=app.name,
        namespace=app.app_namespace,
        repo_url=c.repo_url,
        revision=app.revision or c.revision,
        path=repo_path(tree_in_repo, app.dir, "overlays", c.name),
        argocd_namespace=c.argocd_namespace,
        server=c.server,
        project=app.app_project,
        source_repos=derive.with_declared(
            derive.union(derive.source_repos(overlay_of(overlays, a, plan)) for a in group),
            derive.union(a.source_repos for a in group),
        ),
        extra_destinations=derive.union(derive.destinations(a, overlay_of(overlays, a, plan)) for a in group),
        namespace_labels=dict(app.app_namespace_labels),
        cluster_resource_whitelist=derive.union(
            derive.project_cluster_resources(a, overlay_of(overlays, a, plan), scopes) for a in group
        ),
        sync=sync,
        cascade_delete=app.cascade_delete,
        project_cascade_delete=any(a.cascade_delete for a in group),
        annotations={**settings.annotations, **(creates(app.creates, app.app_namespace) if app.creates else {})},
        labels=dict(settings.labels),
        ignore_differences=settings.ignore_differences or (),
        sync_wave=settings.sync_wave,
        hook=settings.hook,
        info=dict(settings.info),
        revision_history_limit=settings.revision_history_limit,
        destination_name=settings.destination_name,
        shares_project=app is not group[0],
        namespace_object=app.namespace_object,
        project_object=app.declares_project,
    )


def derived_apps(plan: ClusterPlan) -> list[AppSpec]:
    """The enabled apps whose Namespace + AppProject + Application the engine derives: all but those whose
    cluster objects declare them (``ApplicationSettings(in_cluster_objects=True)``)."""
    return [a for a in plan.apps if not plan.settings_of(a).in_cluster_objects]


def cluster_directory(renderer: Renderer, plan: ClusterPlan, scopes: KindScopes, tree_in_repo: str) -> Directory:
    """Render ``clusters/overlays/<cluster>``, once every app's overlay of the cluster is rendered."""
    lab, c = renderer.lab, plan.cluster
    directory = f"{BOOTSTRAP_DIRECTORY}/overlays/{c.name}"
    objects: list[Rendered] = []
    if lab.core_of(plan) is not None:
        objects += renderer.run(
            directory,
            partial(GitArgoApp, id="root", props=root_props(lab, plan, tree_in_repo)),
            lab.origin_of(plan),
            chart=f"{BOOTSTRAP_DIRECTORY}:root",
            cluster=c.name,
        )
    for app in derived_apps(plan):
        props = app_of_apps_props(app, plan, renderer.overlays, scopes, tree_in_repo)
        objects += renderer.run(
            f"{directory}/{app.name}",
            partial(AppOfApps, id=app.name, props=props),
            app.origin,
            chart=f"{BOOTSTRAP_DIRECTORY}:{app.name}",
            cluster=c.name,
        )
    if plan.cluster_objects is not None:
        objects += renderer.run_for(directory, plan.cluster_objects, plan, chart=f"{BOOTSTRAP_DIRECTORY}:objects")
    notes = []
    if plan.disabled:
        names = ", ".join(a.name for a in plan.disabled)
        notes.append(
            f"Off on this cluster (overlays generated, not deployed): {names}. Enable in {lab.origin_of(plan)}."
        )
    return Directory(path=directory, origin=lab.origin_of(plan), objects=objects, notes=notes)
