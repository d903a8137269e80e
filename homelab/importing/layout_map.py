"""Where each directory a cluster deploys goes in the engine's layout: the map from a hand-kept tree's
directories to the new repository's.

Each cluster's Applications are followed from its roots (:func:`homelab.validate.follow.follow`, as validate
follows them). A directory reached is either

- a *folder of Applications*: a root (applied by hand), or a directory whose Applications deploy more of this
  repository (an app-of-apps level, ``argocd/<cluster>/``). Its objects go into the cluster's bootstrap
  directory ``clusters/overlays/<cluster>``: its Applications into app directories become the apps'
  Applications, the rest the cluster's own objects; an Application that deploys such a folder is kept, pointing
  at the bootstrap directory (where its Applications now are);
- an *app directory*: what one Application deploys, whatever its name — ``<app>/overlays/<env>`` (the env need
  not be the cluster's name), a flat kustomization (``apps/<name>/``) or a plain folder of manifests. It becomes
  the cluster's overlay of the app: ``<app>/overlays/<cluster>`` (its base ``<app>/base``).

Directory names are kept: the app of ``apps/wiki`` is in ``apps/wiki/{base,overlays/<cluster>}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from constructs_lib._internal.k8s_names import is_directory
from homelab.engine.layout import repo_path
from homelab.importing.carried import carried_paths
from homelab.importing.read import CORE_DIRECTORY, AppSource, Manifest, Source, sources
from homelab.kinds import KindScopes
from homelab.model.homelab import BOOTSTRAP_DIRECTORY
from homelab.validate.appsets import expand, is_appset, tree_directories
from homelab.validate.content import path_in_tree
from homelab.validate.follow import follow
from homelab.validate.repository import repo_key
from homelab.validate.roots import pulls_from
from homelab.validate.tree import Tree


@dataclass
class LayoutMap:
    """Per cluster, each directory of the original it deploys → the directory of the new tree it becomes."""

    directories: dict[str, dict[str, str]] = field(default_factory=dict)
    """Cluster → {original directory: new directory}, both tree-relative."""
    folders: dict[str, list[str]] = field(default_factory=dict)
    """Cluster → its folders of Applications (roots first), flattened into its bootstrap directory."""
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(directory or cluster, what could not be mapped as it is)."""
    fixes: dict[str, str] = field(default_factory=dict)
    """``Kind namespace/name`` of an original object not imported as it is → why (an ApplicationSet expanded)."""
    carried: dict[str, str] = field(default_factory=dict)
    """Tree-relative path → why it is carried into the new repository as it is (:mod:`homelab.importing.carried`)."""
    unproven: list[str] = field(default_factory=list)
    """What the new tree may deploy differently, which the proof cannot see (an ApplicationSet not expanded)."""

    def new_path(self, cluster: str, path: str, prefix: str, new_tree: str) -> str | None:
        """The new repository path of an Application path of ``cluster`` (None: not a directory it maps)."""
        rel = path_in_tree(path, prefix)
        moved = self.directories.get(cluster, {}).get(rel.strip("/") if rel is not None else "")
        return repo_path(new_tree, moved) if moved is not None and rel is not None else None


def bootstrap_directory(cluster: str) -> str:
    return f"{BOOTSTRAP_DIRECTORY}/overlays/{cluster}"


def _into_repo(obj: Manifest, keys: set[str]) -> list[str]:
    """The paths of an Application's sources in this repository."""
    if obj.get("kind") != "Application":
        return []
    return [str(s.get("path", "")) for s in sources(obj) if repo_key(str(s.get("repoURL", ""))) in keys and "path" in s]


def map_layout(tree: Tree, source: Source, prefix: str) -> LayoutMap:
    """Follow each rooted cluster of ``source`` through ``tree`` and map what it deploys (see the module):
    ``source``'s clusters get the objects of their folders of Applications, its apps the overlay of each
    cluster that deploys them, keyed by cluster (an overlay named after an environment, not a cluster, is
    re-keyed; a cluster named only by such an overlay is dropped)."""
    keys = {repo_key(r) for r in source.repos}
    layout = LayoutMap()
    directories = tree_directories(tree.root)
    deployed_overlays: set[tuple[str, str]] = set()  # (app directory, overlay name) some cluster deploys
    overlays: dict[str, dict[str, list[Manifest]]] = {}  # app directory → cluster → objects
    for name, cluster in source.clusters.items():
        if not cluster.roots:
            continue
        starts = [r.directory for r in cluster.roots]
        content = follow(tree, name, starts, keys, prefix, KindScopes())
        by_entry = {  # what each directory builds, once (two Applications may deploy one directory)
            entry: _expanded(
                (content.folders.get(entry) or tree.build([entry])[entry]).objects,
                entry,
                directories,
                keys,
                prefix,
                layout,
            )
            for entry in content.entries
        }
        moved = layout.directories.setdefault(name, {})
        folders = layout.folders.setdefault(name, [])
        for entry in content.entries:
            if entry in moved or entry in content.failed:
                continue
            objects = by_entry.get(entry, [])
            if entry in starts or (
                PurePosixPath(entry).parts[:1] != (CORE_DIRECTORY,) and any(_into_repo(o, keys) for o in objects)
            ):
                folders.append(entry)
                moved[entry] = bootstrap_directory(name)
                continue
            app = _app_of(entry, source)
            if app is None:
                app = entry
                source.apps[entry] = AppSource(entry, base=objects, single=True)
            env = PurePosixPath(entry).name if entry != app else None
            if env is not None:
                deployed_overlays.add((app, env))
            if name in overlays.get(app, {}):
                layout.notes.append((entry, f"{name} deploys a second directory of app {app}; it is not imported"))
                continue
            overlays.setdefault(app, {})[name] = objects
            moved[entry] = f"{app}/overlays/{name}"
        cluster.objects = [o for entry in folders for o in by_entry.get(entry, [])]
        deployed = [o for objects in by_entry.values() for o in objects if o.get("kind") == "Application"]
        layout.carried.update(carried_paths(tree, deployed, keys, prefix))
    for carried in layout.carried:
        source.apps.pop(carried, None)  # not an app: its Application reads it where it is
    for folder in {f for found in layout.folders.values() for f in found} - set(overlays):
        source.apps.pop(folder, None)  # a kustomization of Applications: the clusters' own, not an app
    rooted = {n for n, c in source.clusters.items() if c.roots}
    for directory, found in source.apps.items():
        kept = {c: objs for c, objs in found.overlays.items() if c in rooted or (directory, c) not in deployed_overlays}
        found.overlays = {**kept, **overlays.get(directory, {})}
    named = {c for found in source.apps.values() for c in found.overlays}
    source.clusters = {n: c for n, c in source.clusters.items() if c.roots or n in named}
    return layout


def _expanded(
    objects: list[Manifest], entry: str, directories: list[str], keys: set[str], prefix: str, layout: LayoutMap
) -> list[Manifest]:
    """``objects`` with each ApplicationSet replaced by the Applications it generates (the apps' Applications
    in the new layout), noted and listed as a deliberate change; one that cannot be expanded is kept as written,
    and when it reads this repository, listed as unproven."""
    out = []
    for obj in objects:
        if not is_appset(obj):
            out.append(obj)
            continue
        what = (
            f"ApplicationSet {obj.get('metadata', {}).get('namespace', '')}/{obj.get('metadata', {}).get('name', '')}"
        )
        expansion = expand(obj, directories, keys, prefix)
        if expansion.reason:
            out.append(obj)
            if pulls_from(obj, keys):
                layout.notes.append((entry, f"{what} is kept as written: {expansion.reason}"))
                layout.unproven.append(
                    f"{entry}: {what} deploys from this repository what the tree does not tell ({expansion.reason}): "
                    "the directories it generates Applications for are not imported, and its paths name the "
                    "original layout; declare those apps (or rewrite its paths into dist/) by hand"
                )
            continue
        names = ", ".join(str(a["metadata"].get("name")) for a in expansion.applications) or "none"
        layout.fixes[what] = f"expanded into the Applications it generates ({names})"
        layout.notes.append(
            (
                entry,
                f"{what} is expanded into the {len(expansion.applications)} Applications it generates ({names}): "
                "each becomes the Application of its app; the ApplicationSet is not imported",
            )
        )
        out += expansion.applications
    return out


def _app_of(entry: str, source: Source) -> str | None:
    """The app directory of ``entry``: ``<app>/overlays/<env>``'s app, or ``entry`` itself when it is one."""
    parts = PurePosixPath(entry).parts
    if len(parts) >= 3 and parts[-2] == "overlays" and "/".join(parts[:-2]) in source.apps:
        return "/".join(parts[:-2])
    return entry if entry in source.apps else None


def without_directory_options(obj: Manifest, paths: Collection[str] | None = None) -> Manifest:
    """``obj`` without the ``directory:`` options (``recurse``, ``include``, ``exclude``) of its sources whose
    path is in ``paths`` (every source with a path when None): the directory they read became a kustomization
    of the new tree, which Argo CD would read as a plain directory while they are set. ``obj`` itself when it
    has none."""
    if not any("directory" in s and (paths is None or s.get("path") in paths) for s in sources(obj)):
        return obj
    copy: Manifest = json.loads(json.dumps(obj))
    for src in sources(copy):
        if paths is None or src.get("path") in paths:
            src.pop("directory", None)
    return copy


def moved_application(
    obj: Manifest, cluster: str, layout: LayoutMap, keys: set[str], prefix: str, new_tree: str
) -> Manifest:
    """``obj`` with the paths of an Application into this repository pointing where the layout moved them (a
    kustomization: without ``directory:`` options)."""
    if not _into_repo(obj, keys):
        return obj
    copy: Manifest = json.loads(json.dumps(obj))
    moved = []
    for src in sources(copy):
        if repo_key(str(src.get("repoURL", ""))) in keys and "path" in src:
            new = layout.new_path(cluster, str(src["path"]), prefix, new_tree)
            if new is not None:
                src["path"] = new
                moved.append(new)
    return without_directory_options(copy, moved)


def new_directories(directories: Iterable[str]) -> dict[str, str]:
    """Directory → the directory of the new tree it becomes: itself when it is a path of DNS labels, else each
    part lower-cased with what a DNS label does not allow as ``-`` (``apps/my_app`` → ``apps/my-app``,
    ``apps/Nextcloud`` → ``apps/nextcloud``), numbered when another directory already has that path."""
    taken = {d for d in directories if is_directory(d)}
    out = {d: d for d in taken}
    for directory in sorted(set(directories) - taken):
        parts = [re.sub(r"[^a-z0-9-]+", "-", p.lower()).strip("-")[:60] or "app" for p in directory.split("/")]
        stem, n = "/".join(parts), 2
        name = stem
        while name in taken:
            name, n = f"{stem}-{n}", n + 1
        taken.add(name)
        out[directory] = name
    return out
