"""A cluster's deployed content: its root directories built, and every directory its Applications deploy
from the GitOps repository, followed recursively."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import KindScopes
from homelab.validate.content import ClusterContent, Placed, Source, nearest, normalise_repo, placed_finding, sources_of


def follow(
    tree: Source,
    cluster: str,
    starts: list[str],
    repos: set[str],
    prefix: str,
    scopes: KindScopes,
    tree_revisions: tuple[str, ...] = ("main", "master"),
) -> ClusterContent:
    """Build ``starts`` and every directory their Applications deploy, recursively. A missing path of an
    Application following a revision other than ``tree_revisions`` (the checkout's) cannot be verified here."""
    content = ClusterContent(name=cluster, starts=list(starts))
    queue: list[tuple[str, str, str | None, Placed | None]] = [(s, "", None, None) for s in starts]
    seen: set[tuple[str, str | None]] = set()
    while queue:
        directory, default_ns, revision, via = queue.pop(0)
        if (directory, revision) in seen:
            continue
        seen.add((directory, revision))
        build = tree.build([directory])[directory]
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
            if obj.get("kind") != "Application":
                continue
            for i, source in enumerate(sources_of(obj)):
                if normalise_repo(str(source.get("repoURL", ""))) not in repos:
                    continue
                path = str(source.get("path", "")).strip("/")
                rel = path[len(prefix) + 1 :] if prefix and path.startswith(prefix + "/") else None
                where = (
                    "spec.source.path"
                    if i == 0 and as_mapping(obj.get("spec")).get("source")
                    else f"spec.sources[{i}].path"
                )
                target_revision = str(source.get("targetRevision") or "")
                missing = rel is None or rel not in tree.kustomizations
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
                            f"point it at an existing directory under {prefix}/ (or create {path})"
                            + nearest(path, [f"{prefix}/{k}" if prefix else k for k in tree.kustomizations]),
                            where,
                        )
                    )
                    continue
                assert rel is not None
                dest = as_mapping(as_mapping(obj.get("spec")).get("destination"))
                queue.append((rel, str(dest.get("namespace") or ""), target_revision, placed))
    return content
