"""A cluster's deployed content: its root directories built, and every directory its Applications deploy
from the GitOps repository, followed recursively."""

from __future__ import annotations

from pathlib import Path

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import KindScopes
from homelab.validate.appsets import expand, is_appset, tree_directories
from homelab.validate.content import ClusterContent, Placed, Source, nearest, path_in_tree, placed_finding, sources_of
from homelab.validate.repository import repo_key
from homelab.validate.tree import Build


def follow(
    tree: Source,
    cluster: str,
    starts: list[str],
    repos: set[str],
    prefix: str,
    scopes: KindScopes,
    tree_revisions: tuple[str, ...] = ("main", "master"),
) -> ClusterContent:
    """Build ``starts`` and every directory their Applications deploy, recursively: a kustomization is built,
    a plain folder of YAML (a hand-kept root, a directory an Application deploys as Argo CD reads it) read as
    it is. ``repos``: keys of the GitOps repository (:func:`repo_key`). A missing path of an Application
    following a revision other than ``tree_revisions`` (the checkout's) cannot be verified here."""
    content = ClusterContent(name=cluster, starts=list(starts))
    queue: list[Queued] = [(s, False, "", None, None) for s in starts]
    seen: set[tuple[str, bool, str | None]] = set()
    while queue:
        directory, recurse, default_ns, revision, via = queue.pop(0)
        if (directory, recurse, revision) in seen:
            continue
        seen.add((directory, recurse, revision))
        build = _read(tree, directory, recurse, content)
        content.entries.append(directory)
        if build.error:
            content.failed.append(directory)
            continue  # reported by the build check
        for obj in build.objects:
            ns = str(
                as_mapping(obj.get("metadata")).get("namespace")
                or (
                    ""
                    if scopes.is_cluster_scoped(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
                    else default_ns
                )
            )
            placed = Placed(obj=obj, entry=directory, namespace=ns, revision=revision, app=via)
            content.placed.append(placed)
            if is_appset(obj):
                applications = _generated(tree, placed, repos, prefix, content)
                content.placed += applications
            else:
                applications = [placed] if obj.get("kind") == "Application" else []
            for app in applications:
                queue += _deployed(tree, app, repos, prefix, tree_revisions, content)
    return content


def _generated(tree: Source, appset: Placed, repos: set[str], prefix: str, content: ClusterContent) -> list[Placed]:
    """The Applications ``appset`` generates, placed where it is (see :mod:`homelab.validate.appsets`); a finding
    when the tree does not tell them."""
    root = getattr(tree, "root", None)
    directories = tree_directories(root) if isinstance(root, Path) else list(tree.kustomizations)
    expansion = expand(appset.obj, directories, repos, prefix)
    if expansion.reason:
        content.findings.append(
            placed_finding(
                tree,
                appset,
                "appset-not-expanded",
                f"the Applications it generates are not followed: {expansion.reason}",
                "check what it deploys on the cluster (argocd appset get); only git directory and list "
                "generators are expanded from the tree",
                "spec.generators",
                "info",
            )
        )
    return [
        Placed(obj=app, entry=appset.entry, namespace=appset.namespace, revision=appset.revision, app=appset.app)
        for app in expansion.applications
    ]


Queued = tuple[str, bool, str, str | None, Placed | None]


def _deployed(
    tree: Source, placed: Placed, repos: set[str], prefix: str, tree_revisions: tuple[str, ...], content: ClusterContent
) -> list[Queued]:
    """The directories of this repository the Application ``placed`` deploys (findings for those missing)."""
    obj = placed.obj
    queue: list[Queued] = []
    for i, source in enumerate(sources_of(obj)):
        if repo_key(str(source.get("repoURL", ""))) not in repos or ("ref" in source and "path" not in source):
            continue  # another repository's, or only a ``$ref`` of values files for the other sources
        recursive = bool(as_mapping(source.get("directory")).get("recurse"))
        path = str(source.get("path", "")).strip("/")
        rel = path_in_tree(path, prefix)
        where = (
            "spec.source.path" if i == 0 and as_mapping(obj.get("spec")).get("source") else f"spec.sources[{i}].path"
        )
        target_revision = str(source.get("targetRevision") or "")
        if rel is not None and is_chart(tree, rel):
            content.findings.append(
                placed_finding(
                    tree,
                    placed,
                    "helm-chart",
                    f"deploys {path!r}, a Helm chart of the tree that Argo CD renders with helm: its objects are not checked",
                    f"render it (helm dependency build {path} && helm template {path}) to check them",
                    where,
                    "info",
                )
            )
            continue
        missing = rel is None or (rel not in tree.kustomizations and tree.read_folder(rel, recursive) is None)
        if missing and target_revision not in ("", "HEAD", *tree_revisions):
            content.findings.append(
                placed_finding(
                    tree,
                    placed,
                    "other-revision",
                    f"follows revision {target_revision!r} and points at {path!r}, which this checkout does "
                    "not have: not verifiable at this revision",
                    f"validate a checkout of {target_revision} to check what it deploys",
                    where,
                    "info",
                )
            )
            continue
        if missing:
            content.findings.append(
                placed_finding(
                    tree,
                    placed,
                    "application-path",
                    f"points at {path!r}, which is not a kustomize directory of the tree",
                    f"point it at an existing directory {f'under {prefix}/' if prefix else 'of the tree'} (or create {path})"
                    + nearest(path, [f"{prefix}/{k}" if prefix else k for k in tree.kustomizations]),
                    where,
                )
            )
            continue
        assert rel is not None
        dest = as_mapping(as_mapping(obj.get("spec")).get("destination"))
        queue.append((rel, recursive, str(dest.get("namespace") or ""), target_revision, placed))
    return queue


def is_chart(tree: Source, rel: str) -> bool:
    """Whether the tree's directory ``rel`` is a Helm chart (a ``Chart.yaml``, no kustomization)."""
    root = getattr(tree, "root", None)
    return rel not in tree.kustomizations and isinstance(root, Path) and (root / rel / "Chart.yaml").is_file()


def _read(tree: Source, directory: str, recurse: bool, content: ClusterContent) -> Build:
    """``directory`` built by kustomize, or read as a plain folder of YAML (kept in ``content.folders``)."""
    if directory not in tree.kustomizations and (folder := tree.read_folder(directory, recurse)) is not None:
        content.folders[directory] = folder
        return folder
    return tree.build([directory])[directory]
