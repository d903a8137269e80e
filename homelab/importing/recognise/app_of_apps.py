"""The app-of-apps: a Namespace + AppProject + Application putting one app on a cluster as ``AppOfApps``, and
namespaces of their own as ``Namespace``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.app_of_apps import CASCADE_FINALIZER, AppOfApps, AppOfAppsProps
from constructs_lib.namespace import Namespace
from constructs_lib.sync_policy import SyncPolicy
from homelab.importing.recognise.applications import common_fields, sync_policy
from homelab.importing.recognise.base import Objects, Proposal, metadata, name_of, of_kind, propose


def _pairs(entries: Any) -> tuple[tuple[str, str], ...]:
    return tuple((e.get("group", ""), e["kind"]) for e in entries or ())


def app_of_apps_props(
    namespace: Mapping[str, Any] | None, project: Mapping[str, Any] | None, app: Mapping[str, Any]
) -> AppOfAppsProps:
    """The props of the triple (the Application's ``source`` a path of the GitOps repository); of the
    Application alone (``shares_project``) without ``namespace`` and ``project``."""
    spec = app["spec"]
    source = spec["source"]
    common = common_fields(app)
    name = name_of(app)
    cascade = CASCADE_FINALIZER in (metadata(app).get("finalizers") or [])
    if namespace is None or project is None:
        return AppOfAppsProps(
            name=name,
            repo_url=source["repoURL"],
            path=source["path"],
            revision=str(source.get("targetRevision", "")),
            namespace=None if common["destination_namespace"] == name else common["destination_namespace"],
            project=None if spec["project"] == name else spec["project"],
            argocd_namespace=metadata(app)["namespace"],
            server=common["server"],
            sync=sync_policy(spec) or SyncPolicy(automated=False, options=()),  # none: differs, so refused
            cascade_delete=cascade,
            annotations=common["annotations"],
            labels=common["labels"],
            ignore_differences=common["ignore_differences"],
            sync_wave=common.get("sync_wave"),
            hook=common.get("hook"),
            shares_project=True,
        )
    project_spec = project["spec"]
    repos = list(project_spec.get("sourceRepos") or ())
    if not repos or repos[0] != source["repoURL"]:
        raise ValueError("the project does not admit the Application's repository first")
    destinations = [d["namespace"] for d in project_spec.get("destinations") or ()]
    project_finalizers = metadata(project).get("finalizers") or []
    ns = name_of(namespace)
    return AppOfAppsProps(
        name=name,
        repo_url=source["repoURL"],
        path=source["path"],
        revision=str(source.get("targetRevision", "")),
        namespace=None if ns == name else ns,
        project=None if name_of(project) == name else name_of(project),
        argocd_namespace=metadata(app)["namespace"],
        server=common["server"],
        source_repos=tuple(repos[1:]),
        namespace_labels=dict(metadata(namespace).get("labels") or {}),
        cluster_resource_whitelist=_pairs(project_spec.get("clusterResourceWhitelist")),
        namespace_resource_whitelist=_pairs(project_spec.get("namespaceResourceWhitelist")),
        sync=sync_policy(spec) or SyncPolicy(automated=False, options=()),  # none: differs, so refused
        extra_destinations=tuple(d for d in destinations if d != ns),
        cascade_delete=cascade,
        project_cascade_delete=None if (CASCADE_FINALIZER in project_finalizers) == cascade else not cascade,
        annotations=common["annotations"],
        labels=common["labels"],
        ignore_differences=common["ignore_differences"],
        sync_wave=common.get("sync_wave"),
        hook=common.get("hook"),
    )


def recognise_app_of_apps(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """An ``AppOfApps`` per AppProject with its app's Namespace and the Application deploying it."""
    namespaces = {name_of(objects[i]): i for i in of_kind(objects, free, "v1", "Namespace")}
    applications = of_kind(objects, free, "argoproj.io", "Application")
    for p in of_kind(objects, free, "argoproj.io", "AppProject"):
        project = objects[p]
        source_namespaces = (project.get("spec") or {}).get("sourceNamespaces") or []
        if not source_namespaces or source_namespaces[0] not in namespaces:
            continue
        n = namespaces[source_namespaces[0]]
        for a in applications:
            spec = objects[a].get("spec") or {}
            if spec.get("project") == name_of(project) and (spec.get("destination") or {}).get("namespace") == name_of(
                objects[n]
            ):
                props = partial(app_of_apps_props, objects[n], project, objects[a])
                yield from propose(AppOfApps, props, (n, p, a), name_of(objects[a]))


def recognise_lone_app_of_apps(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """An ``AppOfApps`` sharing its group's project per Application of a path left (one with Argo CD's
    finalizer, say, which ``GitArgoApp`` does not write)."""
    for i in of_kind(objects, free, "argoproj.io", "Application"):
        if "path" in ((objects[i].get("spec") or {}).get("source") or {}):
            yield from propose(AppOfApps, partial(app_of_apps_props, None, None, objects[i]), (i,), name_of(objects[i]))


def recognise_namespaces(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``Namespace`` per Namespace (its name and labels)."""
    for i in of_kind(objects, free, "v1", "Namespace"):
        labels = dict(metadata(objects[i]).get("labels") or {})
        arguments = {"name": name_of(objects[i]), **({"labels": labels} if labels else {})}
        yield from propose(Namespace, partial(dict, arguments), (i,), name_of(objects[i]))
