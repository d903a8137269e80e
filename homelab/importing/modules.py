"""From what was read to the modules to write: each app directory an app module (its ``AppSpec`` named
after the Application that deploys it), each cluster a cluster module (its plan: the apps its root
deploys, the others disabled), the core app (``core-argocd-apps``) the one the root Application deploys."""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from constructs_lib._internal.k8s_names import DNS_LABEL
from constructs_lib.application_settings import ApplicationSettings
from homelab.engine.layout import repo_path
from homelab.importing.arrange import Arranger
from homelab.importing.built import Built
from homelab.importing.clusters import ClusterFacts, Placement, sync_policy
from homelab.importing.layout_map import LayoutMap, moved_application, new_directories, without_directory_options
from homelab.importing.overrides import cluster_override
from homelab.importing.read import CORE_DIRECTORY, AppSource, Manifest, Source, repo_key, sources
from homelab.importing.write import AppModule, ClusterModule, app_summary


@dataclass
class Modules:
    """Everything to write, and the report's notes."""

    apps: list[AppModule]
    clusters: list[ClusterModule]
    core: str
    homelab: dict[str, Any]
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(app directory or cluster, line)."""
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """(app directory or cluster, line): what must not pass unseen (a plain Secret imported in clear)."""
    paths: dict[str, str] = field(default_factory=dict)
    """New Application path → the old one (the layout moves them; compared aside). Keyed by the new path: two
    clusters deploying one directory (a flat app) have one old path and two new ones."""


def module_names(directories: Iterable[str]) -> dict[str, str]:
    """Directory → its module's name, lower-case: the shortest tail of its path no other takes (``nextcloud`` for
    ``nextcloud/``, ``base_nextcloud`` for ``base/nextcloud`` beside it); shallower directories choose first,
    so a directory named exactly so keeps the short name."""
    taken = {"core_argocd_apps"}
    out: dict[str, str] = {}
    for directory in sorted(directories, key=lambda d: (len(PurePosixPath(d).parts), d)):
        parts = [
            re.sub(r"\W", "_", p.lower().replace("-", "_")).strip("_") or "app" for p in PurePosixPath(directory).parts
        ]
        tails = ["_".join(parts[-n:]) for n in range(1, len(parts) + 1)]
        tails = [t if _usable(t) else f"app_{t}" for t in tails]
        name = next((t for t in tails if t not in taken), None)
        stem, n = tails[-1], 2
        while name is None or name in taken:  # another directory's path spelled the same once cleaned
            name, n = f"{stem}_{n}", n + 1
        taken.add(name)
        out[directory] = name
    return out


def _usable(name: str) -> bool:
    """A module name of ``clusters.apps`` that is a Python name and not one the package already means."""
    return name.isidentifier() and not keyword.iskeyword(name) and name not in {"apps", "core"}


def _app_name(directory: str, taken: set[str]) -> str:
    parts = PurePosixPath(directory).parts
    for n in range(1, len(parts) + 1):
        name = re.sub(r"[^a-z0-9-]+", "-", "-".join(parts[-n:]).lower()).strip("-")[:63] or "app"
        if DNS_LABEL.fits(name) and name not in taken:
            taken.add(name)
            return name
    stem, n = re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")[:58] or "app", 2
    while f"{stem}-{n}" in taken:
        n += 1
    taken.add(f"{stem}-{n}")
    return f"{stem}-{n}"


def modules(
    source: Source, facts: dict[str, ClusterFacts], arranger: Arranger, prefix: str, layout: LayoutMap | None = None
) -> Modules:
    """The modules of the imported homelab (``layout``: where the directories each cluster deploys go)."""
    new_tree = repo_path("dist", prefix)
    layout = layout or LayoutMap()
    notes: list[tuple[str, str]] = list(layout.notes)
    placements: dict[str, list[tuple[str, Placement]]] = {}
    for cluster_facts in facts.values():
        for p in cluster_facts.placements:
            placements.setdefault(p.directory, []).append((cluster_facts.name, p))
    names: set[str] = {CORE_DIRECTORY}
    for found in placements.values():
        for _, p in found:
            names.add(str(p.application["metadata"]["name"]))
    module_of = module_names(d for d in source.apps if d != CORE_DIRECTORY)
    new_dir = new_directories(source.apps)
    out = Modules(apps=[], clusters=[], core="", homelab={})
    enabled: dict[str, list[str]] = {c: [] for c in facts}
    disabled: dict[str, list[str]] = {c: [] for c in facts}
    kept: dict[str, list[Manifest]] = {c: [] for c in facts}
    written: dict[str, dict[str, object]] = {c: {} for c in facts}  # cluster → app → its kept-as-written setting
    first_rooted = next((c for c, f in facts.items() if f.has_root), next(iter(facts)))
    for directory, app in sorted(source.apps.items(), key=lambda i: (i[0] != CORE_DIRECTORY, i[0])):
        module = module_of.get(directory, "core_argocd_apps")
        found = placements.get(directory, [])
        owner = found[0][1] if found else None
        name = (
            str(owner.application["metadata"]["name"])
            if owner
            else (CORE_DIRECTORY if directory == CORE_DIRECTORY else _app_name(directory, names))
        )
        overlays = {c: objs for c, objs in app.overlays.items() if c in facts}
        built = arranger.app(app.base, overlays, app.generators)
        for line in built.notes:
            notes.append((directory, line))
        out.warnings += [(directory, line) for line in built.warnings]
        for entry, error in app.errors.items():
            notes.append((directory, f"{entry} does not build in the original ({error}); not imported"))
        spec: dict[str, Any] = {}
        if new_dir[directory] != name:
            spec["directory"] = new_dir[directory]
        if new_dir[directory] != directory:
            notes.append(
                (directory, f"becomes {new_dir[directory]}/ (a directory of the new tree is a path of DNS labels)")
            )
        if owner is not None:
            spec.update({k: v for k, v in owner.spec.items() if k != "deploys"})
        if app.remote:
            spec["remote_resources"] = _remote(app, notes)
        if app.base is None and not app.single:
            notes.append((directory, "has no base/: every object is declared in the overlays"))
        module_obj = AppModule(module, name, app_summary(name, directory, built), built, spec)
        out.apps.append(module_obj)
        if directory == CORE_DIRECTORY:
            out.core = module
            continue
        listed: set[str] = set()
        for cluster, p in sorted(found, key=lambda found: not found[1].derived):  # derived first
            same = owner is not None and p.application["metadata"]["name"] == owner.application["metadata"]["name"]
            if same and p.derived and owner is not None and p is not owner:
                override = cluster_override(owner.spec, p.spec, sync_policy(facts[cluster].app_sync))
                if isinstance(override, str):  # the app's AppSpec cannot deploy it: kept as written
                    p.derived, p.differences = False, [override]
                elif override is not None:
                    written[cluster][name] = override
            if p.derived:
                variable = "APP" if same else _deploying(module_obj, p)
                if cluster not in listed or variable != "APP":
                    enabled[cluster].append(f"{module}.{variable}")
            else:  # deployed by its Application kept as written: APP renders the overlay, the engine no triple
                kept[cluster] += [_moved(o, source, prefix, new_tree, new_dir[directory], cluster) for o in p.triple]
                notes.append((directory, _kept_note(p, cluster, name, cluster in listed)))
                if cluster not in listed:
                    enabled[cluster].append(f"{module}.APP")
                    written[cluster][name] = ApplicationSettings(in_cluster_objects=True)
            listed.add(cluster)
            out.paths[repo_path(new_tree, new_dir[directory], "overlays", cluster)] = _path(p.application)
        clusters_of = set(overlays) or {first_rooted}
        for cluster in sorted(clusters_of - listed):
            disabled[cluster].append(f"{module}.APP")  # every cluster with a placement is listed above
            notes.append((directory, f"no root of {cluster} deploys it: imported as disabled there"))
    runs_core = {name: bool(out.core) and f.root_app is not None for name, f in facts.items()}
    for name, f in facts.items():
        objects = [*_into_bootstrap(f.objects, name, layout, source, prefix, new_tree, out.paths), *kept[name]]
        built = arranger.cluster(objects, name) if objects else Built()
        out.notes += [(name, line) for line in built.notes]
        out.warnings += [(name, line) for line in built.warnings]
        roots = ", ".join(f"{r.directory}/" for r in source.clusters[name].roots)
        summary = f"{name}: the cluster's facts and plan, imported by `homelab import`" + (
            f" from its root {roots}." if roots else " (no root deploys it: every app disabled)."
        )
        for root, error in source.clusters[name].errors.items():
            out.notes.append((name, f"its root {root} does not build in the original ({error}); not imported"))
        if not f.has_root:
            out.notes.append((name, "no root deploys this cluster: its apps are imported disabled"))
        out.clusters.append(
            ClusterModule(
                module=name.replace("-", "_"),
                name=name,
                summary=summary,
                cluster=f.cluster,
                apps=enabled[name],
                disabled=disabled[name],
                objects=built,
                app_sync=sync_policy(f.app_sync),
                runs_core=runs_core[name],
                application_settings=written[name],
            )
        )
        if f.root_app is not None:
            out.paths[repo_path(new_tree, CORE_DIRECTORY, "overlays", name)] = _path(f.root_app)
            root_name = str(f.root_app["metadata"]["name"])
            if root_name != "core-argocd-app":
                out.homelab["root_app_name"] = root_name
    out.notes = notes + out.notes
    return out


def _into_bootstrap(
    objects: list[Manifest],
    cluster: str,
    layout: LayoutMap,
    source: Source,
    prefix: str,
    new_tree: str,
    paths: dict[str, str],
) -> list[Manifest]:
    """The cluster's own objects, an Application deploying a folder of Applications pointing at the bootstrap
    directory they are now in (``paths`` gets its new path → old)."""
    keys = {repo_key(r) for r in source.repos}
    out = []
    for obj in objects:
        moved = moved_application(obj, cluster, layout, keys, prefix, new_tree)
        for old, new in zip(sources(obj), sources(moved), strict=True):
            if old.get("path") != new.get("path"):
                paths[str(new["path"])] = str(old["path"])
        out.append(moved)
    return out


def _kept_note(p: Placement, cluster: str, app: str, listed: bool) -> str:
    """Why a placement's Application (and the Namespace and AppProject of the root named after it) are kept as
    written, field by field."""
    name = p.application["metadata"]["name"]
    which = (
        "no AppSpec for it"
        if listed
        else f"the app is in apps= with application_settings={{{app!r}: ApplicationSettings(in_cluster_objects=True)}}: "
        "deployed by this Application"
    )
    held = {o.get("kind") for o in p.triple}
    kinds = [k for k in ("Namespace", "AppProject") if k in held] + ["Application"]
    what = f"the {', '.join(kinds[:-1])} and Application of {name} are" if kinds[:-1] else f"the Application {name} is"
    return (
        f"on {cluster}: {what} kept as written in "
        f"clusters/{cluster}.py ({which}): no AppSpec setting gives the same fields, the derivation would change "
        + "; ".join(p.differences[:4])
        + (f"; and {len(p.differences) - 4} more" if len(p.differences) > 4 else "")
    )


def _deploying(module: AppModule, p: Placement) -> str:
    """The variable of an ``AppSpec(deploys=APP)`` for a second Application of the same directory."""
    name = str(p.application["metadata"]["name"])
    variable = re.sub(r"\W", "_", name.replace("-", "_")).upper()
    if variable in module.built.constants or variable == "APP":  # a props constant (or the app) has the name
        variable += "_APP"
    if variable not in {v for v, _, _ in module.deploying}:
        kwargs = {k: v for k, v in p.spec.items() if k not in ("deploys", "directory")}
        module.deploying.append((variable, name, kwargs))
    return variable


def _path(application: Manifest) -> str:
    return str(next((s.get("path") for s in sources(application) if s.get("path")), ""))


def _moved(obj: Manifest, source: Source, prefix: str, new_tree: str, directory: str, cluster: str) -> Manifest:
    """A kept Application pointing at the app's new overlay directory."""
    if obj.get("kind") != "Application":
        return obj
    copy: Manifest = json.loads(json.dumps(obj))
    for src in sources(copy):
        if "path" in src:
            src["path"] = repo_path(new_tree, directory, "overlays", cluster)
    return without_directory_options(copy)


def _remote(app: AppSource, notes: list[tuple[str, str]]) -> tuple[object, ...]:
    from homelab.errors import HomelabError
    from homelab.model.remote_resource import RemoteResource

    out = []
    for target in app.remote:
        url, _, query = target.partition("?")
        ref = dict(p.partition("=")[::2] for p in query.split("&") if p).get("ref", "")
        try:
            out.append(RemoteResource(url=url, ref=ref))
        except HomelabError as exc:
            notes.append((app.directory, f"remote resource {target} is not carried: {exc}"))
    return tuple(out)
