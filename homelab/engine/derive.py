"""Facts derived from rendered objects: pure functions, each over the objects it reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from constructs_lib.annotations import declared_cluster_resources, declared_namespaces
from constructs_lib.app_of_apps import STORAGE_RESOURCES
from homelab.kinds import KindScopes, group_of

if TYPE_CHECKING:
    from homelab.engine.data import Rendered
    from homelab.model.app_spec import AppSpec
    from homelab.model.cluster_plan import ClusterPlan


def union(parts: Iterable[tuple[Any, ...]]) -> tuple[Any, ...]:
    """Every item of ``parts``, each once, in order of appearance."""
    return tuple(dict.fromkeys(item for part in parts for item in part))


def with_declared(derived: Iterable[Any], declared: tuple[Any, ...]) -> tuple[Any, ...]:
    """``derived`` then ``declared``, each once; where ``declared`` names derived entries too, it gives
    their order: the derived entries it does not name come first, then ``declared`` as written."""
    return union((tuple(d for d in derived if d not in declared), declared))


def application_namespaces(plan: ClusterPlan, apps_objects: Iterable[list[Rendered]]) -> tuple[str, ...]:
    """Namespaces, other than Argo CD's, where the enabled apps (``apps_objects``: each one's objects)
    keep Applications."""
    found: dict[str, None] = {}
    for objects in apps_objects:
        for obj in objects:
            ns = obj.key[2]
            if obj.key[1] == "Application" and ns and ns != plan.cluster.argocd_namespace:
                found.setdefault(ns)
    return tuple(found)


def backup_namespaces(plan: ClusterPlan) -> tuple[str, ...]:
    """Namespaces to back up: the enabled apps marked ``backup=True``, then the plan's extras."""
    names = [app.app_namespace for app in plan.apps if app.backup] + list(plan.extra_backup_namespaces)
    return tuple(dict.fromkeys(names))


def source_repos(objects: list[Rendered]) -> tuple[str, ...]:
    """Repositories the Applications among ``objects`` pull from, in order of appearance."""
    repos: dict[str, None] = {}
    for obj in objects:
        if obj.key[1] != "Application":
            continue
        spec = obj.data.get("spec") or {}
        for source in [spec.get("source") or {}, *(spec.get("sources") or [])]:
            if source.get("repoURL"):
                repos.setdefault(source["repoURL"])
    return tuple(repos)


def destinations(app: AppSpec, objects: list[Rendered]) -> tuple[str, ...]:
    """Namespaces other than the app's that its ``objects`` name explicitly (then those its charts
    (``HelmArgoAppProps.namespaces``) and remote resources declare), in order."""
    found = {obj.key[2]: None for obj in objects if obj.key[2]}
    for obj in objects:
        if obj.key[1] == "Application":
            found.update(dict.fromkeys(declared_namespaces((obj.data.get("metadata") or {}).get("annotations") or {})))
    for remote in (app.deploys or app).remote_resources:
        found.update(dict.fromkeys(remote.namespaces))
    found.pop(app.app_namespace, None)
    return tuple(found)


def project_cluster_resources(app: AppSpec, objects: list[Rendered], scopes: KindScopes) -> tuple[tuple[str, str], ...]:
    """What the app's AppProject admits cluster-wide: the kinds :func:`derived_cluster_resources` finds,
    then those the app itself declares (in its order where it names derived ones: :func:`with_declared`)."""
    return with_declared(derived_cluster_resources(app, objects, scopes), app.cluster_resources)


def derived_cluster_resources(app: AppSpec, objects: list[Rendered], scopes: KindScopes) -> tuple[tuple[str, str], ...]:
    """The kinds of the app's cluster-scoped objects, then those its charts
    (``HelmArgoAppProps.cluster_resources``) and its remote resources declare."""
    charts = [
        kind
        for obj in objects
        if obj.key[1] == "Application"
        for kind in declared_cluster_resources((obj.data.get("metadata") or {}).get("annotations") or {})
    ]
    remote = [kind for r in (app.deploys or app).remote_resources for kind in r.cluster_resources]
    return union((cluster_resources(objects, scopes), tuple(charts), tuple(remote)))


def cluster_resources(objects: list[Rendered], scopes: KindScopes) -> tuple[tuple[str, str], ...]:
    """(group, kind) of the cluster-scoped ``objects``, in :data:`STORAGE_RESOURCES` order first."""
    scopes = scopes.with_crds(obj.data for obj in objects)
    kinds: dict[tuple[str, str], None] = {}
    for obj in objects:
        if scopes.is_cluster_scoped(obj.key[0], obj.key[1]):
            kinds[(group_of(obj.key[0]), obj.key[1])] = None
    order = [k for k in STORAGE_RESOURCES if k in kinds] + sorted(k for k in kinds if k not in STORAGE_RESOURCES)
    return tuple(order)
