"""Arranging clusters: each cluster's facts, which apps its root deploys, and each app's ``AppSpec`` settings.

A cluster's facts come from its root's Applications into the repository (the URL as they spell it, the
revision, Argo CD's namespace, the tree's path in the repository), its tailnet from the hosts its objects
name. Each Application of the root into an app directory makes the app enabled there; its Namespace +
AppProject + Application are *derived* when the engine's own derivation (:func:`app_of_apps_props`),
given the settings read from them, renders them exactly — the settings name the project's extra
repositories and cluster-wide kinds, with the derived ones too where the order needs it
(:func:`declared_order`), and ``ApplicationSettings`` the Application's own fields (sync policy with its
retry, ``ignoreDifferences``, ``info``, a destination by name, ...). Otherwise they are *kept as written*:
objects of the cluster, the app still deployed (``ApplicationSettings(in_cluster_objects=True)``; a second
Application of a directory gets no AppSpec), and the report says which fields the derivation would change.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, TypeVar, cast

from constructs_lib.app_of_apps import CASCADE_FINALIZER, AppOfApps
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.sync_policy import SYNC_WAVE, SyncPolicy
from homelab.engine import derive
from homelab.engine.cluster_dir import app_of_apps_props
from homelab.engine.data import Rendered
from homelab.errors import HomelabError
from homelab.importing.layout_map import new_directories, without_directory_options
from homelab.importing.read import CORE_DIRECTORY, Manifest, Source, repo_key, sources
from homelab.importing.recognise.applications import ignore_differences, info_of, policy_of
from homelab.importing.unowned import unowned_settings
from homelab.kinds import KindScopes
from homelab.model.app_spec import AppSpec
from homelab.model.cluster import Cluster
from homelab.model.cluster_plan import ClusterPlan
from homelab.validate.roots import place_in_repository

T = TypeVar("T")

_TAILNET = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)*\.ts\.net\b")


@dataclass
class Placement:
    """One Application of a cluster's root into an app directory: the app on that cluster."""

    application: Manifest
    directory: str
    """The app directory (tree-relative) whose ``overlays/<cluster>`` (or the directory itself) it deploys."""
    triple: list[Manifest] = field(default_factory=list)
    """Its Application, and the Namespace and AppProject of the root named after its destination and project."""
    spec: dict[str, Any] = field(default_factory=dict)
    """The ``AppSpec`` keyword arguments that reproduce it (besides name, base, overlays)."""
    derived: bool = False
    """Whether the engine's derivation renders ``triple`` exactly from ``spec``."""
    differences: list[str] = field(default_factory=list)
    """When not derived: what the derivation would change."""


@dataclass
class ClusterFacts:
    """One cluster as read: its ``Cluster`` keyword arguments, the root Application, its placements."""

    name: str
    cluster: dict[str, Any]
    root_app: Manifest | None
    placements: list[Placement]
    app_sync: dict[str, Any]
    """The ``syncPolicy`` most of its app-of-apps Applications have (``ClusterPlan.app_sync``)."""
    objects: list[Manifest]
    """Objects of the root that are neither the root Application nor a derived triple."""
    has_root: bool


def tree_prefix(source: Source) -> str:
    """Where the tree lives in the repository: the part of the root Applications' paths before an app
    directory of the tree (``kustomize`` for ``kustomize/immich/overlays/thomelab``)."""
    objects = [o for cluster in source.clusters.values() for o in cluster.objects]
    found = place_in_repository(source.tree, source.repos, objects)
    return "kustomize" if found is None else found


def _into_repo(obj: Manifest, source: Source) -> list[dict[str, Any]]:
    if obj.get("kind") != "Application":
        return []
    keys = {repo_key(r) for r in source.repos}
    return [s for s in sources(obj) if repo_key(str(s.get("repoURL", ""))) in keys and "path" in s]


def app_directory(path: str, prefix: str, source: Source) -> str | None:
    """The app directory an Application path names (``<prefix>/<dir>/overlays/<c>`` or ``<prefix>/<dir>``)."""
    rel = path.strip("/")
    if prefix:
        if not rel.startswith(prefix + "/"):
            return None
        rel = rel[len(prefix) + 1 :]
    parts = PurePosixPath(rel).parts
    if len(parts) >= 3 and parts[-2] == "overlays" and "/".join(parts[:-2]) in source.apps:
        return "/".join(parts[:-2])
    if rel in source.apps or (len(parts) >= 1 and parts[0] == CORE_DIRECTORY):
        return rel if rel in source.apps else parts[0]
    return None


def cluster_facts(source: Source, prefix: str, repo: str) -> dict[str, ClusterFacts]:
    """Every cluster's facts and placements; a cluster without a root borrows the first rooted one's."""
    out: dict[str, ClusterFacts] = {}
    for name, cluster in source.clusters.items():
        into = [o for o in cluster.objects if _into_repo(o, source)]
        urls = Counter(str(_into_repo(o, source)[0]["repoURL"]) for o in into)
        revisions = Counter(str(_into_repo(o, source)[0].get("targetRevision", "HEAD")) for o in into)
        root_app = next(
            (o for o in into if app_directory(str(_into_repo(o, source)[0]["path"]), prefix, source) == CORE_DIRECTORY),
            None,
        )
        if root_app is not None:
            revision = str(_into_repo(root_app, source)[0].get("targetRevision", "HEAD"))
        else:
            revision = revisions.most_common(1)[0][0] if revisions else "main"
        argocd = Counter(str((o.get("metadata") or {}).get("namespace") or "argocd") for o in into)
        facts: dict[str, Any] = {
            "name": name,
            "repo_url": urls.most_common(1)[0][0] if urls else repo,
            "revision": revision,
            "tree_path": prefix,
        }
        if argocd and argocd.most_common(1)[0][0] != "argocd":
            facts["argocd_namespace"] = argocd.most_common(1)[0][0]
        tailnet = _tailnet(source, name)
        if tailnet:
            facts["tailnet"] = tailnet
        storage = _storage_classes(source, name)
        if storage:
            facts["builtin_storage_classes"] = storage
        placements = [
            Placement(application=o, directory=d)
            for o in into
            if o is not root_app
            and (d := app_directory(str(_into_repo(o, source)[0]["path"]), prefix, source))
            not in (None, CORE_DIRECTORY)
        ]
        syncs = Counter(_key((p.application.get("spec") or {}).get("syncPolicy") or {}) for p in placements)
        app_sync = dict(eval_key(syncs.most_common(1)[0][0])) if syncs else {}
        out[name] = ClusterFacts(name, facts, root_app, placements, app_sync, [], bool(cluster.roots))
    rooted = next((f for f in out.values() if f.has_root), None)
    for borrower in out.values():
        if not borrower.has_root and rooted is not None:
            borrower.cluster = {**rooted.cluster, "name": borrower.name}
            borrower.app_sync = rooted.app_sync
    return out


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def eval_key(key: str) -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(key))


def _tailnet(source: Source, cluster: str) -> str | None:
    """The tailnet most hosts of the cluster's objects are on (``*.tail1234.ts.net``)."""
    text = repr(
        [*source.clusters[cluster].objects, *(o for a in source.apps.values() for o in a.overlays.get(cluster, []))]
    )
    found = Counter(m.split(".", 1)[1] if m.count(".") > 2 else m for m in _TAILNET.findall(text))
    names = [n for n, _ in found.most_common() if n.startswith("tail")]
    return names[0] if names else None


def _storage_classes(source: Source, cluster: str) -> tuple[str, ...]:
    """Storage classes the cluster's claims use that no StorageClass of the tree creates."""
    objects = [
        *source.clusters[cluster].objects,
        *(o for a in source.apps.values() for o in a.overlays.get(cluster, [])),
    ]
    created = {str((o.get("metadata") or {}).get("name")) for o in objects if o.get("kind") == "StorageClass"}
    used = [
        str((o.get("spec") or {}).get("storageClassName"))
        for o in objects
        if o.get("kind") == "PersistentVolumeClaim" and (o.get("spec") or {}).get("storageClassName")
    ]
    return tuple(dict.fromkeys(u for u in used if u not in created))


def sync_policy(raw: dict[str, Any]) -> SyncPolicy:
    """The ``SyncPolicy`` of a ``syncPolicy`` mapping (what it cannot say, the rendering check finds)."""
    return policy_of(raw)


def settle(facts: ClusterFacts, source: Source, prefix: str) -> None:
    """Read each placement's settings, check the derivation renders its triple, and keep the root's other
    objects as the cluster's own."""
    cluster = Cluster(**facts.cluster)
    root = source.clusters[facts.name].objects
    taken: set[int] = {id(facts.root_app)} if facts.root_app is not None else set()
    seen_dirs: dict[str, str] = {}
    owners: dict[str, str] = {}
    for placement in facts.placements:
        app = placement.application
        meta, spec = app.get("metadata") or {}, app.get("spec") or {}
        name = str(meta.get("name"))
        namespace = str((spec.get("destination") or {}).get("namespace") or name)
        project = str(spec.get("project") or "default")
        placement.triple = [app] + [
            o
            for o in root
            if (o.get("kind"), (o.get("metadata") or {}).get("name"))
            in (("Namespace", namespace), ("AppProject", project))
        ]
        unowned = unowned_settings(app, placement.triple, namespace, project)
        refused = []
        try:
            placement.spec = {**_settings(placement, name, namespace, project, facts, cluster, source), **unowned}
        except HomelabError as exc:  # a value the settings refuse: the triple is kept as written
            placement.spec, refused = dict(unowned), [f"its settings are refused: {exc}"]
        if placement.directory in seen_dirs:
            placement.spec["deploys"] = seen_dirs[placement.directory]
        seen_dirs.setdefault(placement.directory, name)
        owned = [
            k
            for k, u in ((f"ns:{namespace}", "namespace_creation"), (f"project:{project}", "project"))
            if u not in unowned
        ]
        clash = [owners.get(k) for k in owned]
        if refused:
            placement.differences = refused
        elif any(clash):
            placement.differences = [f"shares its namespace or project with {next(c for c in clash if c)}"]
        else:
            placement.differences = _check(placement, name, facts, cluster, source, prefix)
        placement.derived = not placement.differences
        if placement.derived:
            owners.update(dict.fromkeys(owned, name))
        placement.triple = [o for o in placement.triple if id(o) not in taken]
        taken.update(id(o) for o in placement.triple)
    facts.objects = [o for o in root if id(o) not in taken]


def _settings(
    placement: Placement, name: str, namespace: str, project: str, facts: ClusterFacts, cluster: Cluster, source: Source
) -> dict[str, Any]:
    app, spec = placement.application, placement.application.get("spec") or {}
    meta = app.get("metadata") or {}
    out: dict[str, Any] = {}
    if namespace != name:
        out["namespace"] = namespace
    if project != name:
        out["project"] = project
    revision = str((spec.get("source") or {}).get("targetRevision", "HEAD"))
    if revision != cluster.revision:
        out["revision"] = revision
    annotations = dict(meta.get("annotations") or {})
    wave = annotations.pop(SYNC_WAVE, None)
    settings: dict[str, Any] = {}
    if _key(spec.get("syncPolicy") or {}) != _key(facts.app_sync):
        settings["sync"] = sync_policy(spec.get("syncPolicy") or {})
    if annotations:
        settings["annotations"] = annotations
    if meta.get("labels"):
        settings["labels"] = dict(meta["labels"])
    if wave is not None and str(wave).lstrip("-").isdigit():
        settings["sync_wave"] = int(wave)
    settings.update(_spec_settings(spec))
    if settings:
        out["application"] = ApplicationSettings(**settings)
    if CASCADE_FINALIZER in (meta.get("finalizers") or ()):
        out["cascade_delete"] = True
    rendered = [_rendered(o) for o in _overlay(placement, facts, source)]
    project_spec = (next((o for o in placement.triple if o.get("kind") == "AppProject"), {}).get("spec")) or {}
    namespace_obj = next((o for o in placement.triple if o.get("kind") == "Namespace"), {})
    repos = [str(r) for r in project_spec.get("sourceRepos") or ()]
    if repos[:1] == [cluster.repo_url]:  # the app-of-apps lists the repository first, always
        derived_repos = [r for r in derive.source_repos(rendered) if r != cluster.repo_url]
        declared_repos = declared_order(repos[1:], derived_repos)
        if declared_repos:
            out["source_repos"] = declared_repos
    whitelist = [
        (str(w.get("group", "")), str(w.get("kind"))) for w in project_spec.get("clusterResourceWhitelist") or ()
    ]
    bare = AppSpec(name=name, base=_nothing, directory=_directory(placement))
    declared_kinds = declared_order(whitelist, derive.derived_cluster_resources(bare, rendered, KindScopes()))
    if declared_kinds:
        out["cluster_resources"] = declared_kinds
    labels = (namespace_obj.get("metadata") or {}).get("labels")
    if labels:
        out["namespace_labels"] = dict(labels)
    return out


def _spec_settings(spec: dict[str, Any]) -> dict[str, Any]:
    """The ``ApplicationSettings`` of an Application's ``spec`` fields besides its sync policy: ``ignoreDifferences``,
    ``info`` (when its names are distinct), ``revisionHistoryLimit`` and a destination cluster by name."""
    out: dict[str, Any] = {}
    if spec.get("ignoreDifferences"):
        out["ignore_differences"] = ignore_differences(spec)
    info = info_of(spec)
    if info:
        out["info"] = info
    if spec.get("revisionHistoryLimit") is not None:
        out["revision_history_limit"] = spec["revisionHistoryLimit"]
    destination = spec.get("destination") or {}
    if destination.get("name") and "server" not in destination:
        out["destination_name"] = str(destination["name"])
    return out


def declared_order(wanted: Sequence[T], derived: Sequence[T]) -> tuple[T, ...] | None:
    """The shortest declaration (a tail of ``wanted``) that the engine's order — the derived entries it does
    not name, then it (:func:`homelab.engine.derive.with_declared`) — turns into ``wanted``; None when none
    does (the derivation finds an entry ``wanted`` lacks: no setting removes it)."""
    for k in range(len(wanted) + 1):
        tail = tuple(wanted[len(wanted) - k :])
        if derive.with_declared(derived, tail) == tuple(wanted):
            return tail
    return None


def _overlay(placement: Placement, facts: ClusterFacts, source: Source) -> list[Manifest]:
    """What the placement's Application deploys: the app's overlay of the cluster (or its base)."""
    app = source.apps[placement.directory]
    return app.overlays.get(facts.name) or app.base or []


def _rendered(obj: Manifest) -> Rendered:
    return Rendered(data=obj, origin="", construct=cast(Any, None))


def _check(
    placement: Placement, name: str, facts: ClusterFacts, cluster: Cluster, source: Source, prefix: str
) -> list[str]:
    """What the engine's app-of-apps, from ``placement.spec``, renders differently from the root's triple."""
    from homelab.engine.diff import object_fields
    from homelab.importing.recognise.base import canonical, rendered

    if "source" not in (placement.application.get("spec") or {}):
        name_ = placement.application.get("metadata", {}).get("name")
        return [f"Application {name_}: spec.sources: its several sources → one (spec.source)"]
    kwargs = {k: v for k, v in placement.spec.items() if k != "deploys"}
    app = AppSpec(name=name, base=_nothing, directory=_directory(placement), **kwargs)
    plan = ClusterPlan(cluster=cluster, apps=(app,), app_sync=sync_policy(facts.app_sync))
    objects = _overlay(placement, facts, source)
    overlays = {(app.dir, cluster.name): [_rendered(o) for o in objects]}
    try:
        props = app_of_apps_props(app, plan, overlays, KindScopes().with_crds(objects), prefix)
        made = rendered(AppOfApps, props)
    except Exception as exc:  # a setting the derivation refuses: keep the triple as written
        return [f"the derivation refuses it: {exc}"]
    path = str(placement.application["spec"]["source"]["path"])
    for obj in made:
        if obj.get("kind") == "Application":
            obj["spec"]["source"]["path"] = path  # the layout decides the path (compared aside)
    want = {_obj_key(o): without_directory_options(o) for o in placement.triple}
    got = {_obj_key(o): o for o in made}
    out = []
    for key in dict.fromkeys([*want, *got]):
        if key not in want:
            out.append(f"{key[0]} {key[1]}: the derivation adds it")
        elif key not in got:
            out.append(f"{key[0]} {key[1]}: the derivation leaves it out")
        elif canonical(want[key]) != canonical(got[key]):
            out += [f"{key[0]} {key[1]}: {p}: {w}" for p, w in object_fields(want[key], got[key])]
    return out


def _obj_key(obj: Manifest) -> tuple[str, str]:
    return str(obj.get("kind")), str((obj.get("metadata") or {}).get("name"))


def _nothing(scope: object) -> None:
    """A base builder for checking a derivation (the objects are given)."""


def _directory(placement: Placement) -> str:
    """The directory of the new tree ``placement``'s app directory becomes (a path of DNS labels)."""
    return new_directories([placement.directory])[placement.directory]
