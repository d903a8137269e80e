"""Where each cluster starts: the directories applied by hand to bootstrap it (its *cluster roots*), from
which every Application is followed. One discovery, shared by ``homelab validate`` and ``homelab import``.

In order: the roots given (``--cluster-root [NAME=]PATH``); the tree's convention
(``clusters/overlays/<cluster>``, or the kustomizations under it); and, when neither finds one, the shapes
of hand-kept repositories: a directory applied once by hand — a plain folder of YAML (``clusters/<name>/``,
``bootstrap/<name>/``, ``argocd/``, an ``apps/`` folder) or a kustomization no other includes — that holds
Applications (or ApplicationSets) pulling from this repository, and that no Application outside it deploys.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from constructs_lib._internal.plaintext import as_mapping
from homelab.errors import HomelabError
from homelab.validate.content import path_in_tree, sources_of
from homelab.validate.repository import repo_key
from homelab.validate.tree import Tree

#: Directory names that say what a folder holds, not which cluster: a root's cluster is named by the last
#: part of its path that is none of them (``clusters/prod/apps`` → ``prod``), else otherwise (:func:`cluster_name`).
GENERIC_NAMES = frozenset(
    {
        "apps",
        "applications",
        "argo",
        "argo-cd",
        "argocd",
        "bootstrap",
        "cluster",
        "clusters",
        "gitops",
        "k8s",
        "kubernetes",
        "kustomize",
        "manifests",
        "overlays",
        "root",
    }
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class ClusterRoot:
    """A directory applied by hand to bootstrap a cluster (Argo CD follows the rest from it)."""

    cluster: str
    """The cluster's name."""
    directory: str
    """Tree-relative: a kustomization, or a plain folder of YAML files (Applications) read as they are."""
    kind: Literal["kustomization", "folder"]


def find_cluster_roots(
    tree: Tree, repos: Iterable[str], given: Sequence[str] = (), prefix: str | None = None
) -> list[ClusterRoot]:
    """The cluster roots of ``tree``, whose Applications pull from ``repos`` (any spelling of its URL, see
    :func:`repo_key`), sorted by cluster and directory: ``given`` (``PATH`` or ``NAME=PATH``, tree-relative or
    from the working directory), then the convention's for the clusters not given, then, when neither
    found one and none is given, the hand-kept shapes (see the module) — when no Application of the tree deploys
    a path of a git repository (a root deploying only Helm charts), those holding Applications of any
    repository. ``prefix``: where the tree is in the
    repository (Applications' paths start with it); guessed from the paths when None. Empty when it cannot
    tell: the caller asks for ``--cluster-root``."""
    keys = {repo_key(r) for r in repos}
    roots = [_given_root(tree, item, keys) for item in given]
    named = {r.cluster for r in roots}
    for cluster in sorted({c for e in tree.entries() if (c := Tree.cluster_of(e))} - named):
        bootstrap = f"clusters/overlays/{cluster}"
        starts = [bootstrap] if bootstrap in tree.kustomizations else tree.roots()
        roots += [
            ClusterRoot(cluster, s, "kustomization") for s in starts if s == bootstrap or s.startswith(bootstrap + "/")
        ]
    if not roots:
        roots = _hand_kept_roots(tree, keys, prefix, any_repo=not _deploys_paths(tree))
    return sorted(set(roots), key=lambda r: (r.cluster, r.directory))


def _given_root(tree: Tree, item: str, keys: set[str]) -> ClusterRoot:
    """``--cluster-root [NAME=]PATH`` as a root, or an error saying what the path must be."""
    name, sep, path = item.partition("=")
    if not sep or not _NAME.match(name):
        name, path = "", item
    on_disk = tree.root / path if (tree.root / path).exists() else Path(path)
    usage = (
        "give the directory applied by hand to bootstrap the cluster (a kustomization, or a folder of its root "
        "Applications), tree-relative or from here, as --cluster-root PATH or --cluster-root NAME=PATH"
    )
    if not on_disk.is_dir():
        raise HomelabError(f"--cluster-root {item}: {path} is not a directory; {usage}")
    try:
        rel = tree.rel(on_disk)
    except ValueError:
        raise HomelabError(f"--cluster-root {item}: {path} is outside the tree {tree.root}; {usage}") from None
    kind: Literal["kustomization", "folder"] = "kustomization" if rel in tree.kustomizations else "folder"
    if kind == "folder" and tree.read_folder(rel) is None:
        raise HomelabError(f"--cluster-root {item}: {rel} holds no kustomization.yaml nor YAML file; {usage}")
    return ClusterRoot(name or cluster_name(tree, rel, keys), rel, kind)


#: A cluster's name when neither its root's path nor the repository's name says one.
FALLBACK_CLUSTER = "home"


def cluster_name(tree: Tree, directory: str, keys: Iterable[str] = ()) -> str:
    """The cluster a root ``directory`` bootstraps: the last part of its path that is not generic (see
    :data:`GENERIC_NAMES`); for a path all generic (``bootstrap``, ``argocd``, ``clusters``), the one cluster
    the tree's ``<app>/overlays/<cluster>`` directories name, if they name one, else the repository's name
    (the last part of a key of ``keys``, see :func:`repo_key`) when it is not generic, else
    :data:`FALLBACK_CLUSTER`."""
    parts = PurePosixPath(tree.root.resolve().name if directory == "." else directory).parts
    specific = [p for p in parts if p.lower() not in GENERIC_NAMES]
    if specific:
        return specific[-1]
    overlaid = {c for e in tree.entries() if (c := Tree.cluster_of(e))}
    if len(overlaid) == 1:
        return overlaid.pop()
    names = sorted({k.rsplit("/", 1)[-1] for k in keys} - GENERIC_NAMES)
    return next((n for n in names if _NAME.match(n)), FALLBACK_CLUSTER)


def _hand_kept_roots(tree: Tree, keys: set[str], prefix: str | None, any_repo: bool = False) -> list[ClusterRoot]:
    """Directories holding Applications of this repository (of any, with ``any_repo``) that no Application
    outside them deploys: plain folders no kustomization reads, and kustomizations no other includes."""

    def rooting(doc: dict[str, Any]) -> bool:
        return pulls_from(doc, keys) or (any_repo and doc.get("kind") in ("Application", "ApplicationSet"))

    read = tree.referenced_files()
    candidates: dict[str, Literal["kustomization", "folder"]] = {}
    deploys: list[tuple[str, tuple[str, bool]]] = []  # (file of an Application, a directory it deploys)
    for rel in tree.yaml_files():
        apps = [d for d in tree.documents(rel) if rooting(d)]
        deploys += [(rel, target) for app in apps for target in _targets(tree, app, keys, prefix)]
        directory = PurePosixPath(rel).parent.as_posix()
        if apps and rel not in read and directory not in candidates and tree.read_folder(directory) is not None:
            candidates[directory] = "folder"
    for directory in tree.roots():
        if any(rooting(d) for f in _resource_files(tree, directory) for d in tree.documents(f)):
            candidates[directory] = "kustomization"
    roots = []
    for directory, kind in candidates.items():
        # A root may deploy itself (its root Application manages its own folder), but nothing else deploys it.
        if not any(_reaches(target, directory) and not _inside(file, directory) for file, target in deploys):
            roots.append(ClusterRoot(cluster_name(tree, directory, keys), directory, kind))
    return roots


def place_in_repository(root: Path, repos: Iterable[str], applications: Iterable[dict[str, Any]]) -> str | None:
    """Where the tree at ``root`` is in the repository, as the Applications (among ``applications``) that deploy
    paths of it (``repos``, any spelling) tell: the most common part of their paths before a directory of the
    tree (``kustomize`` for ``kustomize/immich/overlays/home``, ``""`` for the repository itself); None when
    none does."""
    keys = {repo_key(r) for r in repos}
    found: Counter[str] = Counter()
    for app in applications:
        if app.get("kind") != "Application":
            continue
        for source in sources_of(app):
            if repo_key(str(source.get("repoURL", ""))) not in keys or "path" not in source:
                continue
            parts = PurePosixPath(str(source["path"]).strip("/")).parts
            at = next((i for i in range(len(parts)) if (root / "/".join(parts[i:])).is_dir()), None)
            if at is not None:
                found["/".join(parts[:at])] += 1
    return found.most_common(1)[0][0] if found else None


def _deploys_paths(tree: Tree) -> bool:
    """Whether an Application (or ApplicationSet's template) of ``tree`` deploys a path of a git repository."""
    for rel in tree.yaml_files():
        for doc in tree.documents(rel):
            spec = as_mapping(doc.get("spec"))
            app = as_mapping(spec.get("template")) if doc.get("kind") == "ApplicationSet" else doc
            if doc.get("kind") in ("Application", "ApplicationSet") and any("path" in s for s in sources_of(app)):
                return True
    return False


def pulls_from(doc: dict[str, Any], keys: set[str]) -> bool:
    """Whether ``doc`` is an Application, or an ApplicationSet (its template, its git generators), with a
    source in this repository."""
    if doc.get("kind") == "Application":
        return any(repo_key(str(s.get("repoURL", ""))) in keys for s in sources_of(doc))
    if doc.get("kind") != "ApplicationSet":
        return False
    spec = as_mapping(doc.get("spec"))
    repos = [str(s.get("repoURL", "")) for s in sources_of(as_mapping(spec.get("template")))]
    repos += [
        str(as_mapping(g.get("git")).get("repoURL", "")) for g in spec.get("generators") or [] if isinstance(g, dict)
    ]
    return any(repo_key(r) in keys for r in repos)


def _targets(tree: Tree, app: dict[str, Any], keys: set[str], prefix: str | None) -> Iterator[tuple[str, bool]]:
    """The tree directories an Application deploys from this repository, each with its ``directory.recurse``."""
    if app.get("kind") != "Application":
        return
    for source in sources_of(app):
        if repo_key(str(source.get("repoURL", ""))) not in keys:
            continue
        target = tree_directory(tree, str(source.get("path", "")), prefix)
        if target is not None:
            yield target, bool(as_mapping(source.get("directory")).get("recurse"))


def _reaches(target: tuple[str, bool], directory: str) -> bool:
    """Whether an Application deploying ``target`` (a directory, recursively or not) deploys ``directory``."""
    path, recurse = target
    return path == directory or (recurse and _inside(directory, path))


def _inside(path: str, directory: str) -> bool:
    return directory == "." or path == directory or path.startswith(directory + "/")


def tree_directory(tree: Tree, path: str, prefix: str | None) -> str | None:
    """An Application's repository ``path`` as a directory of the tree: without ``prefix`` (where the tree is
    in the repository), or, when None, the longest end of it that is a directory of the tree."""
    if prefix is not None:
        return path_in_tree(path, prefix)
    parts = PurePosixPath(path.strip("/")).parts
    if not parts:
        return "."  # the repository's root: the tree is the repository
    for i in range(len(parts)):
        candidate = "/".join(parts[i:])
        if (tree.root / candidate).is_dir():
            return candidate
    return None


def _resource_files(tree: Tree, directory: str) -> list[str]:
    """The YAML files a kustomization (and the local bases it reads) lists as resources, tree-relative."""
    out = []
    for d in tree.reads(directory)[0]:
        for ref in (tree.kustomizations.get(d) or {}).get("resources") or []:
            if isinstance(ref, str) and ref.endswith((".yaml", ".yml")):
                rel = PurePosixPath(d, ref).as_posix()
                if (tree.root / rel).is_file():
                    out.append(tree.rel(tree.root / rel))
    return out
