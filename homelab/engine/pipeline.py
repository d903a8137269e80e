"""Synthesis, stage by stage: render → derive → lay out (:func:`draft`), check (:func:`check`), emit.

:func:`synthesise` runs them all (:func:`draft`, then :func:`finish`). Each call renders afresh; a base is rendered by the app's base builder
alone, with no cluster's facts, so the order of the clusters changes nothing, and each cluster's overlay
is rendered with that cluster's :class:`~homelab.model.context.Context` and written as patches of the base.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from constructs_lib.sealed_config import SealedLookup
from homelab.engine import checks, tree_checks
from homelab.engine.cluster_dir import cluster_directory
from homelab.engine.data import Directory, Draft
from homelab.engine.emit import tree_files
from homelab.engine.layout import app_directories, has_overlay
from homelab.engine.render import Renderer
from homelab.kinds import KindScopes
from homelab.model.homelab import Homelab
from homelab.sealing.store import raise_missing


@dataclass(frozen=True)
class Synthesis:
    """What a synthesis gives: the files, the warnings to print, and the sealed stores it read."""

    files: dict[str, bytes]
    """``{path relative to the output directory: content}`` of every generated file."""
    warnings: list[str]
    """What the GitOps checks warn about."""
    stores: Mapping[str, SealedLookup]
    """The sealed store of each rendered cluster (what it recorded as used)."""


def draft(
    lab: Homelab,
    *,
    clusters: Iterable[str] | None = None,
    stores: Mapping[str, SealedLookup] | None = None,
    tree_in_repo: str | None = None,
) -> Draft:
    """Render every directory of the tree and lay it out, nothing checked yet but names.

    ``clusters`` limits the overlays rendered; ``stores`` replaces the sealed stores (tests, tools);
    ``tree_in_repo`` is the tree's path from the repository root (``dist/kustomize`` by default, from
    the homelab's output directory)."""
    in_repo = tree_in_repo if tree_in_repo is not None else lab.tree_in_repo(lab.root / lab.output)
    wanted = list(clusters) if clusters is not None else [p.cluster.name for p in lab.clusters]
    plans = tuple(lab.plan(name) for name in wanted)
    scopes = KindScopes(lab.cluster_scoped_kinds)
    renderer = Renderer(lab, stores or {})
    directories: list[Directory] = []
    # Apps first: the core app's and the clusters' directories derive facts from them.
    core = [lab.core] if lab.core is not None and any(p.runs_core for p in lab.clusters) else []
    for app in [*(a for a in lab.apps if a.deploys is None), *core]:  # no core directory when none runs it
        base = renderer.base(app)
        overlays = [
            (p, renderer.overlay(app, p)) for p in plans if (p.runs_core if app is lab.core else has_overlay(app, p))
        ]
        directories += app_directories(app, base, overlays)
    directories += [cluster_directory(renderer, plan, scopes, in_repo) for plan in plans]
    return Draft(
        lab=lab,
        plans=plans,
        tree_in_repo=in_repo,
        scopes=scopes,
        directories=directories,
        overlays=renderer.overlays,
        stores=renderer.stores,
    )


def check(draft: Draft) -> list[str]:
    """Refuse a tree that is not sound (:class:`~homelab.errors.HomelabError`, or the missing sealed
    values listed at once); the warnings to print."""
    for directory in draft.directories:  # what each directory holds is sound before how they refer to each other
        checks.check_unique(directory)
        checks.check_plaintext(directory)
    checks.check_secret_keys(draft)
    checks.check_platform(draft)
    tree_checks.check_set_fields(draft.directories, draft.scopes)
    tree_checks.check_custom_resources(draft.directories, draft.scopes)
    warnings = tree_checks.check_gitops(draft)
    raise_missing(draft.stores.values())  # before any text: a placeholder never reaches a file
    return warnings


def synthesise(
    lab: Homelab,
    *,
    clusters: Iterable[str] | None = None,
    stores: Mapping[str, SealedLookup] | None = None,
    tree_in_repo: str | None = None,
) -> Synthesis:
    """Render, check and emit ``lab``'s tree (see :func:`draft` for the arguments)."""
    return finish(draft(lab, clusters=clusters, stores=stores, tree_in_repo=tree_in_repo))


def finish(tree: Draft) -> Synthesis:
    """Check ``tree`` and emit its files."""
    warnings = check(tree)
    return Synthesis(files=tree_files(tree.lab.tree_path, tree.directories), warnings=warnings, stores=tree.stores)
