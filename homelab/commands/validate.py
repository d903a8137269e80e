"""``homelab validate``: check the synthesised tree, or a hand-written one, before it reaches a cluster.

The checks are :mod:`homelab.validate`'s; this module gathers what they need to know about the clusters,
from the homelab declaration or (``--tree DIR --repo URL``) from the arguments alone."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from homelab.declaration import load_homelab, repository_root
from homelab.errors import HomelabError

if TYPE_CHECKING:
    from homelab.model.homelab import Homelab
    from homelab.validate import ValidateOptions


@dataclass(frozen=True)
class ValidateCommandOptions:
    """The arguments of ``homelab validate`` (the checks' own options are :class:`ValidateOptions`)."""

    homelab: str | None
    """The declaration as MODULE:ATTRIBUTE (`--homelab`); the repository's `[tool.homelab]` when None."""
    clusters: list[str] | None
    tree: Path | None
    repos: list[str]
    prefix: str | None
    argocd_namespace: str
    storage_classes: list[str]
    crd_schema_dirs: list[Path]
    crd_files: list[Path]
    schema_locations: list[str] | None
    allowed_kinds: set[str]
    k8s_version: str
    output_format: str
    strict: bool
    unused: bool
    online: bool
    accept_file: Path | None
    cluster_roots: list[str]
    """``--cluster-root [NAME=]PATH``: directories applied by hand to bootstrap a cluster."""
    dist: str | None
    """The output directory the homelab's tree is in (``$CDK8S_OUTDIR``); the homelab's when None."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ValidateCommandOptions:
        return cls(
            homelab=args.homelab,
            clusters=args.cluster,
            tree=Path(args.tree) if args.tree else None,
            repos=args.repo or [],
            prefix=args.prefix,
            argocd_namespace=args.argocd_namespace,
            storage_classes=args.storage_class or [],
            crd_schema_dirs=[Path(p) for p in args.crd_schemas or []],
            crd_files=[Path(p) for p in args.crds or []],
            schema_locations=args.schema_location,
            allowed_kinds=set(args.allow_kind or []),
            k8s_version=args.k8s_version,
            output_format=args.format,
            strict=args.strict,
            unused=args.unused,
            online=args.online,
            accept_file=Path(args.accept) if args.accept else None,
            cluster_roots=args.cluster_root or [],
            dist=os.environ.get("CDK8S_OUTDIR") or None,
        )


def run(options: ValidateCommandOptions) -> int:
    from homelab.validate import validate

    if options.tree is not None and options.repos:
        checked = _of_tree(options, options.tree)  # a hand-written tree: no homelab declaration needed
    else:
        checked = _of_homelab(options, load_homelab(options.homelab))
    report = validate(checked)
    print(report.json() if options.output_format == "json" else report.text())
    return report.exit_code(strict=options.strict)


def _of_tree(options: ValidateCommandOptions, tree: Path) -> ValidateOptions:
    """What to check in a hand-written tree, with the facts about its clusters the arguments give."""
    root = repository_root(tree.resolve())
    return _checking(
        options,
        tree=tree,
        root=root,
        repos=set(options.repos),
        prefix=options.prefix if options.prefix is not None else _place_in_repository(tree, root, options.repos),
        argocd_namespace=options.argocd_namespace,
        cluster_scoped_kinds=(),
        builtin_storage_classes={"*": set(options.storage_classes)},
    )


def _place_in_repository(tree: Path, root: Path | None, repos: Iterable[str]) -> str:
    """Where ``tree`` is in its repository, as Applications' paths start: the path from the repository's
    root (``""`` for the root itself); outside a git checkout, what the tree's Applications' paths tell, else
    the tree's directory name."""
    if root is None:
        from homelab.validate.roots import place_in_repository
        from homelab.validate.tree import Tree

        found = Tree(tree)
        applications = (d for rel in found.yaml_files() for d in found.documents(rel))
        place = place_in_repository(tree, repos, applications)
        return tree.resolve().name if place is None else place
    place = tree.resolve().relative_to(root).as_posix()
    return "" if place == "." else place


def _of_homelab(options: ValidateCommandOptions, lab: Homelab) -> ValidateOptions:
    """What to check of the homelab's tree (or of ``--tree``), with the facts its declaration gives."""
    from homelab.engine.app_modules import unlisted_apps

    for warning in unlisted_apps(lab):
        print(f"warning: {warning}", file=sys.stderr)
    clusters = {p.cluster.name: p.cluster for p in lab.clusters}
    for name in options.clusters or []:
        lab.plan(name)
    if options.tree is not None:
        tree = options.tree
        # The acceptances are those of the repository holding the tree (another tree's: its own, or none).
        root = repository_root(tree.resolve())
        inside = tree.resolve().is_relative_to(lab.root.resolve())
        prefix = tree.resolve().relative_to(lab.root.resolve()).as_posix() if inside else tree.resolve().name
    else:
        output = lab.output_dir(options.dist)
        tree, root, prefix = output / lab.tree_path, lab.root, lab.tree_in_repo(output)
    return _checking(
        options,
        tree=tree,
        root=root,
        repos={c.repo_url for c in clusters.values()} | set(options.repos),
        prefix=prefix if options.prefix is None else options.prefix,
        argocd_namespace=_one_argocd_namespace(lab, options.clusters),
        cluster_scoped_kinds=lab.cluster_scoped_kinds,
        builtin_storage_classes={
            name: set(c.builtin_storage_classes) | set(options.storage_classes) for name, c in clusters.items()
        },
    )


def _checking(
    options: ValidateCommandOptions,
    *,
    tree: Path,
    root: Path | None,
    repos: set[str],
    prefix: str,
    argocd_namespace: str,
    cluster_scoped_kinds: tuple[tuple[str, str], ...],
    builtin_storage_classes: dict[str, set[str]],
) -> ValidateOptions:
    """The validation of ``tree``, whose repository is ``root``, with these facts about its clusters."""
    from homelab.validate import ValidateOptions
    from homelab.validate.accept import FILE_NAME as ACCEPT_FILE
    from homelab.validate.schema_cache import default_locations, repository_location

    accept_file = options.accept_file
    if accept_file is None and root is not None and (root / ACCEPT_FILE).is_file():
        accept_file = root / ACCEPT_FILE
    locations = options.schema_locations
    own = repository_location(root) if root is not None else None
    if own is not None:  # the repository's own schemas first, then where validate looks by default
        given = locations if locations is not None else default_locations(options.crd_schema_dirs)
        locations = [own, *given]
    return ValidateOptions(
        tree=tree,
        repos=repos,
        prefix=prefix,
        clusters=options.clusters,
        argocd_namespace=argocd_namespace,
        cluster_scoped_kinds=cluster_scoped_kinds,
        builtin_storage_classes=builtin_storage_classes,
        crd_schema_dirs=options.crd_schema_dirs,
        crd_files=options.crd_files,
        allowed_kinds=options.allowed_kinds,
        k8s_version=options.k8s_version,
        schema_locations=locations,
        unused=options.unused,
        online=options.online,
        accept_file=accept_file,
        cluster_roots=options.cluster_roots,
    )


def _one_argocd_namespace(lab: Homelab, only: list[str] | None) -> str:
    namespaces = sorted({p.cluster.argocd_namespace for p in lab.clusters if not only or p.cluster.name in only})
    if len(namespaces) > 1:
        raise HomelabError(
            f"{lab.origin}: clusters run Argo CD in different namespaces ({', '.join(namespaces)}); "
            "validate them one at a time with --cluster NAME --argocd-namespace NS"
        )
    return namespaces[0]
