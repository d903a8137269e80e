"""The map's model: per cluster, its platform components, its apps (on and off) grouped by project, its
storage classes and backups, each entry with what :mod:`homelab.map.extract` reads from its objects.

Drawn from the synthesis (:func:`homelab.engine.pipeline.draft`): the plans and app specs say what runs
where, the rendered objects and the constructs that declared them say the rest; ``dist/`` is never read.
The model is plain JSON (what the page embeds and what ``--since`` compares): see :func:`build_map`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

from constructs_lib._internal.construct import Construct
from constructs_lib.annotations import PROVIDES_STORAGE_CLASSES
from constructs_lib.api_object import Manifest
from constructs_lib.platform.component import Component
from constructs_lib.platform.longhorn import LonghornProps
from constructs_lib.platform.velero import VeleroProps
from constructs_lib.sync_policy import SYNC_WAVE
from homelab.engine.derive import backup_namespaces
from homelab.engine.layout import repo_path
from homelab.map import extract
from homelab.map.extract import Item
from homelab.model.homelab import BOOTSTRAP_DIRECTORY
from homelab.model.origin import source_file

if TYPE_CHECKING:
    from homelab.engine.data import Draft, Rendered
    from homelab.kinds import KindScopes
    from homelab.model.app_spec import AppSpec
    from homelab.model.cluster_plan import ClusterPlan

MODEL_VERSION = 1
"""The version of the JSON the map is (``--since`` compares two of the same version)."""


def _of_an_app(item: Item, plan: ClusterPlan, core_application: str | None) -> bool:
    """Whether ``item`` of the cluster's bootstrap directory is an enabled app's Namespace, AppProject or
    Application (derived, or kept in the cluster's objects) or the Application deploying the platform
    (``core_application``): the map shows them as the app and the platform. The rest (a Helm chart's
    Application the cluster declares itself, an app-of-apps root) are the cluster's own objects."""
    if item.kind == "Application":
        return item.name == core_application or any(item.name == app.name for app in plan.apps)
    if item.kind == "AppProject":
        return any(item.name == app.app_project for app in plan.apps)
    return item.kind == "Namespace" and any(item.name == app.app_namespace for app in plan.apps)


def _construct_of(rendered: Rendered) -> Construct | None:
    """The construct of this library that declared ``rendered`` (the one holding its Manifest)."""
    node = rendered.construct
    if not isinstance(node, Manifest):
        return None
    scope = node.scope
    return scope if isinstance(scope, Construct) else node


def _items(rendered: list[Rendered], default_namespace: str, scopes: KindScopes) -> list[Item]:
    out = []
    for r in rendered:
        api_version, kind, namespace, _ = r.key
        if not namespace and not scopes.is_cluster_scoped(api_version, kind):
            namespace = default_namespace
        construct = _construct_of(r)
        out.append(Item(r.data, namespace, type(construct).__name__ if construct else "cdk8s"))
    return out


def _digest(item: Item, key: bytes | None) -> str | None:
    """A keyed digest of the whole object (``--since`` tells a changed object by it); keyed by a secret
    the run forgets, so it says nothing about a Secret's values. None without a key."""
    if key is None:
        return None
    text = json.dumps(item.data, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]


class _Cluster:
    """What an entry of one cluster reads: its facts, its PersistentVolumes, what creates each object."""

    def __init__(self, draft: Draft, plan: ClusterPlan, all_items: list[Item], key: bytes | None) -> None:
        self.plan = plan
        self.cluster = plan.cluster
        self.tree_in_repo = draft.tree_in_repo
        self.key = key
        self.volumes = {i.name: i for i in all_items if i.kind == "PersistentVolume"}
        self.made_by = extract.creators(all_items)

    def entry(self, name: str, items: list[Item], **facts: Any) -> dict[str, Any]:
        """One box of the map (an app, a component, the cluster's own objects) with what its objects say."""
        c = self.cluster
        out: dict[str, Any] = {"name": name, **facts}
        out["addresses"] = extract.addresses(items, c.tailnet, c.ingress_class)
        out["databases"] = extract.databases(items)
        out["volumes"] = extract.volumes(items, self.volumes)
        out["secrets"] = extract.secrets(items)
        out["charts"] = extract.charts(items)
        out["links"] = extract.links(items, self.made_by)
        objects = []
        for item in items:
            obj: dict[str, Any] = {"id": item.id, "construct": item.construct}
            digest = _digest(item, self.key)
            if digest:
                obj["digest"] = digest
            objects.append(obj)
        out["objects"] = objects
        return out


def _sync(application: Item | None, enabled: bool) -> str:
    """The app-of-apps Application's sync policy in words."""
    if not enabled:
        return "off: listed in disabled= (its overlay is generated, no Application deploys it)"
    if application is None:
        return ""
    policy = application.spec.get("syncPolicy") or {}
    automated = policy.get("automated")
    parts = ["automated" + (f" ({', '.join(k for k, v in automated.items() if v)})" if automated else "")]
    if automated is None:
        parts = ["manual"]
    if policy.get("syncOptions"):
        parts.append("options: " + ", ".join(policy["syncOptions"]))
    wave = application.annotations.get(SYNC_WAVE)
    if wave is not None:
        parts.append(f"sync wave {wave}")
    return "; ".join(parts)


def _app(ctx: _Cluster, app: AppSpec, enabled: bool, items: list[Item], bootstrap: list[Item]) -> dict[str, Any]:
    """The entry of one app on ``ctx``'s cluster: where it is declared and written, how it is deployed."""
    plan = ctx.plan
    application = next((i for i in bootstrap if i.kind == "Application" and i.name == app.name), None)
    overlay = source_file(app.builder_for(plan.cluster.name)) if app.deploys is None else app.origin
    kept = plan.cluster_objects if enabled and plan.settings_of(app).in_cluster_objects else None
    return ctx.entry(
        app.name,
        items,
        enabled=enabled,
        project=app.app_project,
        group=app.group.name if app.group else "",
        namespace=app.app_namespace,
        source=app.origin,
        overlay_source=overlay if overlay != app.origin else "",
        dist=repo_path(ctx.tree_in_repo, app.dir, "overlays", plan.cluster.name),
        deploys=app.deploys.name if app.deploys else "",
        sync=_sync(application, enabled),
        application_source=source_file(kept) if kept is not None else "",
        backup=bool(app.backup),
        remote=[f"{r.url}@{r.ref}" for r in (app.deploys or app).remote_resources],
    )


def _platform(ctx: _Cluster, draft: Draft, items: list[Item], rendered: list[Rendered]) -> list[dict[str, Any]]:
    """The platform components of the core app's overlay, each with its objects: those its construct declared,
    then the namespaces and sealed configs the platform gathers, by the namespace its Applications deploy to."""
    owners: dict[str, Component] = {}
    by_item: list[str] = []
    for r in rendered:
        node: Any = r.construct
        while isinstance(node, Construct) and not isinstance(node, Component):
            node = node.scope
        name = node.id if isinstance(node, Component) else ""
        if isinstance(node, Component):
            owners.setdefault(name, node)
        by_item.append(name)
    grouped: dict[str, list[Item]] = {name: [] for name in owners}
    namespaces: dict[str, str] = {}
    for item, name in zip(items, by_item, strict=True):
        if name and item.kind == "Application":
            namespaces.setdefault(str((item.spec.get("destination") or {}).get("namespace", "")), name)
    rest: list[Item] = []
    for item, name in zip(items, by_item, strict=True):
        owner = name or namespaces.get(item.name if item.kind == "Namespace" else item.namespace, "")
        (grouped[owner] if owner else rest).append(item)
    core = draft.lab.core_of(ctx.plan)
    if core is None:
        return []
    out = [
        ctx.entry(
            name,
            grouped[name],
            construct=type(component).__name__,
            namespace=next((ns for ns, owner in namespaces.items() if owner == name), ""),
            source=source_file(core.builder_for(ctx.cluster.name)),
            dist=repo_path(ctx.tree_in_repo, core.dir, "overlays", ctx.cluster.name),
        )
        for name, component in owners.items()
    ]
    if rest:
        out.append(
            ctx.entry(
                core.name,
                rest,
                construct="",
                namespace=ctx.cluster.argocd_namespace,
                source=core.origin,
                dist=repo_path(ctx.tree_in_repo, core.dir, "overlays", ctx.cluster.name),
            )
        )
    return out


def _storage_classes(plan: ClusterPlan, owned: list[tuple[str, list[Item]]]) -> list[dict[str, str]]:
    """The cluster's storage classes: declared as objects, created by charts, or built into the cluster."""
    out: dict[str, dict[str, str]] = {}
    for owner, items in owned:
        for item in items:
            if item.kind == "StorageClass":
                provisioner = str(item.data.get("provisioner", ""))
                out.setdefault(item.name, {"name": item.name, "provisioner": provisioner, "declared_by": owner})
            provided = str(item.annotations.get(PROVIDES_STORAGE_CLASSES, ""))
            for name in filter(None, (n.strip() for n in provided.split(","))):
                out.setdefault(name, {"name": name, "provisioner": f"chart of {item.label}", "declared_by": owner})
    for name in plan.cluster.builtin_storage_classes:
        out.setdefault(name, {"name": name, "provisioner": "", "declared_by": "the cluster (builtin)"})
    return sorted(out.values(), key=lambda s: s["name"])


def _backups(plan: ClusterPlan) -> dict[str, Any]:
    """What backs up the cluster: Velero's schedule and namespaces, Longhorn's backup target."""
    out: dict[str, Any] = {}
    for component in plan.platform.components:
        if isinstance(component, VeleroProps):
            schedule = component.schedule
            out["velero"] = {
                "schedule": f"{schedule.cron} (kept {schedule.ttl})" if schedule else "none scheduled",
                "namespaces": list(backup_namespaces(plan)),
            }
        elif isinstance(component, LonghornProps) and component.backup is not None:
            out["longhorn"] = {"target": component.backup.target}
    return out


def cluster_map(draft: Draft, plan: ClusterPlan, key: bytes | None = None) -> dict[str, Any]:
    """The map of one cluster of ``draft`` (see :func:`build_map`)."""
    lab, c = draft.lab, plan.cluster
    scopes = draft.scopes.with_crds(r.data for objs in draft.overlays.values() for r in objs)
    core_app = lab.core_of(plan)
    core_rendered = draft.objects(core_app, plan) if core_app is not None else []
    core = _items(core_rendered, c.argocd_namespace, scopes)
    directory = next(d for d in draft.directories if d.path == f"{BOOTSTRAP_DIRECTORY}/overlays/{c.name}")
    bootstrap = _items(directory.objects, c.argocd_namespace, scopes)
    apps = [(app, True) for app in plan.apps] + [(app, False) for app in plan.disabled]
    app_items = {app.name: _items(draft.objects(app, plan), app.app_namespace, scopes) for app, _ in apps}
    core_application = lab.root_app_name if core_app is not None else None
    own = [i for i in bootstrap if not _of_an_app(i, plan, core_application)]
    everything = core + own + [i for items in app_items.values() for i in items]
    ctx = _Cluster(draft, plan, everything, key)
    groups: dict[str, list[dict[str, Any]]] = {}
    for app, enabled in apps:
        groups.setdefault(app.app_project, []).append(_app(ctx, app, enabled, app_items[app.name], bootstrap))
    owned = [("platform", core), ("cluster", own), *((f"app {name}", items) for name, items in app_items.items())]
    return {
        "name": c.name,
        "tailnet": c.tailnet or "",
        "repo": c.repo_url,
        "revision": c.revision,
        "source": lab.origin_of(plan),
        "dist": repo_path(draft.tree_in_repo, BOOTSTRAP_DIRECTORY, "overlays", c.name),
        "platform": _platform(ctx, draft, core, core_rendered),
        "groups": [{"name": name, "apps": entries} for name, entries in groups.items()],
        "own": ctx.entry(
            "cluster-wide objects",
            own,
            source=source_file(plan.cluster_objects) if plan.cluster_objects else lab.origin_of(plan),
            dist=repo_path(draft.tree_in_repo, BOOTSTRAP_DIRECTORY, "overlays", c.name),
        ),
        "storage_classes": _storage_classes(plan, owned),
        "backups": _backups(plan),
    }


def build_map(draft: Draft, *, key: bytes | None = None) -> dict[str, Any]:
    """The map of every cluster ``draft`` rendered, as JSON-ready data.

    ``key`` keys each object's digest (``--since`` gives both sides the same, then forgets it); without
    it the objects carry none, and the map of a declaration is the same from one run to the next. The title is
    the name of the first cluster's repository (not of the checkout's directory, which varies)."""
    repo = draft.lab.clusters[0].cluster.repo_url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    return {
        "version": MODEL_VERSION,
        "title": repo,
        "clusters": [cluster_map(draft, plan, key) for plan in draft.plans],
    }
