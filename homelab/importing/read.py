"""Reading a hand-written tree: its clusters (from their roots), its apps and what each builds.

An app is a directory holding ``base/`` and ``overlays/<cluster>/`` (each overlay one build), or a single
kustomization that is not part of another app (built once, as the app's base). A cluster is named by its
root (:func:`homelab.validate.roots.find_cluster_roots`, shared with validate) or by an app's
``overlays/<cluster>``; the root's build gives the cluster's Applications, AppProjects, Namespaces and own
objects. An app's generators (``configMapGenerator``, ``secretGenerator``) are read beside its builds, which
hold their objects expanded. Remote resources are never fetched: each build runs on a copy of the tree whose
kustomizations list none (:func:`offline_copy`), and the remote targets are kept beside the app.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from homelab.errors import HomelabError
from homelab.importing.hashed import hashed_base
from homelab.model.homelab import BOOTSTRAP_DIRECTORY, CORE_DIRECTORY
from homelab.validate.repository import repo_key
from homelab.validate.roots import ClusterRoot, find_cluster_roots
from homelab.validate.tree import Tree, is_remote

Manifest = dict[str, Any]

#: The directory of a tree that holds the cluster roots (``clusters/overlays/<cluster>``) in the layout
#: ``homelab init`` writes; a root elsewhere is given with ``--cluster-root``.
ROOTS_DIRECTORY = BOOTSTRAP_DIRECTORY

__all__ = ["CORE_DIRECTORY", "ROOTS_DIRECTORY", "AppSource", "ClusterSource", "Source", "read_tree", "repo_key"]


def sources(application: Manifest) -> list[dict[str, Any]]:
    """An Application's sources (``spec.source`` and ``spec.sources``)."""
    spec = application.get("spec") or {}
    found = [spec.get("source"), *(spec.get("sources") or [])]
    return [s for s in found if isinstance(s, dict)]


@dataclass(frozen=True)
class Generator:
    """A ``configMapGenerator`` or ``secretGenerator`` entry of a kustomization: its objects are in the builds,
    expanded; the import tells them by kind and name (:meth:`made`)."""

    kind: str
    """``ConfigMap`` or ``Secret``."""
    name: str
    directory: str
    """The kustomization's directory, tree-relative."""
    hashed: bool
    """Named ``<name>-<hash of its content>`` (kustomize's default; ``disableNameSuffixHash`` turns it off)."""

    @property
    def field(self) -> str:
        return "configMapGenerator" if self.kind == "ConfigMap" else "secretGenerator"

    def made(self, obj: Manifest) -> bool:
        """Whether ``obj`` (of a build) is this generator's object: its kind, and its name (with a prefix or
        suffix the kustomization adds), then the hash of its content when hashed."""
        if obj.get("kind") != self.kind:
            return False
        name = hashed_base(obj) if self.hashed else str((obj.get("metadata") or {}).get("name") or "")
        return name is not None and self.name in name


def generators(tree: Tree, entry: str) -> list[Generator]:
    """The generators a build of ``entry`` runs: its kustomization's and those of the directories it reads."""
    out: list[Generator] = []
    for directory in tree.reads(entry)[0]:
        k = tree.kustomizations.get(directory) or {}
        off = bool((k.get("generatorOptions") or {}).get("disableNameSuffixHash"))
        for key, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
            for g in k.get(key) or []:
                if isinstance(g, dict) and g.get("name"):
                    disabled = (g.get("options") or {}).get("disableNameSuffixHash", off)
                    out.append(Generator(kind, str(g["name"]), directory, hashed=not disabled))
    return out


@dataclass
class AppSource:
    """One app directory of the tree and what it builds."""

    directory: str
    base: list[Manifest] | None = None
    """The objects of ``<directory>/base`` (of the directory itself for a single kustomization); None when
    there is no base."""
    overlays: dict[str, list[Manifest]] = field(default_factory=dict)
    """Cluster → the objects of ``<directory>/overlays/<cluster>``."""
    single: bool = False
    """A single kustomization (no ``base/`` and ``overlays/``)."""
    remote: tuple[str, ...] = ()
    """Remote resources its builds list (``https://…?ref=…``), carried, never fetched."""
    errors: dict[str, str] = field(default_factory=dict)
    """Entry directory → why it does not build."""
    generators: tuple[Generator, ...] = ()
    """The generators its builds run, each once."""


@dataclass
class ClusterSource:
    """One cluster: its root and what the root builds."""

    name: str
    roots: list[ClusterRoot] = field(default_factory=list)
    objects: list[Manifest] = field(default_factory=list)
    """What its roots build, together."""
    errors: dict[str, str] = field(default_factory=dict)
    """Root directory → why it does not build."""


@dataclass
class Source:
    """Everything read from the tree."""

    tree: Path
    clusters: dict[str, ClusterSource]
    apps: dict[str, AppSource]
    """By directory."""
    repos: tuple[str, ...]
    """The repository URLs that mean "this repository"."""


def offline_copy(tree: Path, into: Path) -> dict[str, tuple[str, ...]]:
    """Copy ``tree`` into ``into`` without the remote resources of its kustomizations; directory →
    the remote resources it listed."""
    shutil.copytree(tree, into, symlinks=True)
    removed: dict[str, tuple[str, ...]] = {}
    for path in sorted(into.rglob("kustomization.y*ml")):
        doc = yaml.safe_load(path.read_text()) or {}
        if not isinstance(doc, dict):
            continue
        remote = tuple(r for r in doc.get("resources") or [] if isinstance(r, str) and is_remote(r))
        if remote:
            doc["resources"] = [r for r in doc["resources"] if r not in remote]
            path.write_text(yaml.safe_dump(doc, sort_keys=False))
            removed[path.parent.relative_to(into).as_posix()] = remote
    return removed


def read_tree(
    tree: Tree,
    repos: Sequence[str],
    given_roots: Sequence[str],
    remote: dict[str, tuple[str, ...]],
    named: Path | None = None,
) -> Source:
    """The clusters and apps of ``tree`` (an offline copy of ``named``, ``remote`` what it had); an error when
    it has no cluster."""
    roots = find_cluster_roots(tree, repos, given_roots)
    clusters: dict[str, ClusterSource] = {}
    for r in roots:
        clusters.setdefault(r.cluster, ClusterSource(r.cluster)).roots.append(r)
    root_dirs = {r.directory for r in roots}
    apps: dict[str, AppSource] = {}
    for rel in sorted(tree.kustomizations):
        parts = PurePosixPath(rel).parts
        if len(parts) >= 3 and parts[-2] == "overlays" and parts[0] != ROOTS_DIRECTORY:
            directory = "/".join(parts[:-2])
            apps.setdefault(directory, AppSource(directory)).overlays[parts[-1]] = []
            clusters.setdefault(parts[-1], ClusterSource(parts[-1]))
    if not clusters:
        raise HomelabError(
            f"{named or tree.root}: no cluster found: no folder or kustomization of Argo CD Applications that nothing else "
            "deploys, and no <app>/overlays/<cluster>/; give the directory you apply by hand to bootstrap a "
            "cluster with --cluster-root [NAME=]PATH (repeatable), and the repository its Applications name with --repo"
        )
    for rel in tree.roots():
        inside_app = any(rel == a or rel.startswith(a + "/") for a in apps)
        if inside_app or rel in root_dirs or PurePosixPath(rel).parts[0] == ROOTS_DIRECTORY:
            continue
        apps[rel] = AppSource(rel, single=True)
    entries = [r.directory for r in roots if r.kind == "kustomization"]
    for app in apps.values():
        entries += [_base_dir(app), *(f"{app.directory}/overlays/{c}" for c in app.overlays)]
    builds = tree.build([e for e in entries if e in tree.kustomizations])
    for cluster in clusters.values():
        for root in cluster.roots:
            if root.kind == "folder":
                cluster.objects += _folder_objects(tree, root.directory)
                continue
            build = builds[root.directory]
            cluster.objects += build.objects
            if build.error:
                cluster.errors[root.directory] = build.error
    for app in apps.values():
        base = _base_dir(app)
        if base in builds:
            app.base, error = builds[base].objects, builds[base].error
            if error:
                app.errors[base] = error
        for c in app.overlays:
            build = builds[f"{app.directory}/overlays/{c}"]
            app.overlays[c] = build.objects
            if build.error:
                app.errors[build.entry] = build.error
        app_entries = [base, *(f"{app.directory}/overlays/{c}" for c in app.overlays)]
        app.generators = tuple(
            dict.fromkeys(g for e in app_entries if e in tree.kustomizations for g in generators(tree, e))
        )
        app.remote = tuple(
            r for d, refs in remote.items() if d == base or d.startswith(app.directory + "/") for r in refs
        )
    return Source(tree=tree.root, clusters=dict(sorted(clusters.items())), apps=apps, repos=tuple(repos))


def _base_dir(app: AppSource) -> str:
    return app.directory if app.single else f"{app.directory}/base"


def _folder_objects(tree: Tree, directory: str) -> list[Manifest]:
    """The objects of a root that is a plain folder of YAML files, read as they are."""
    out: list[Manifest] = []
    for rel in tree.yaml_files():
        if PurePosixPath(rel).parent.as_posix() == directory:
            out += [d for d in tree.documents(rel) if d.get("kind")]
    return out
