"""Run every check of ``homelab validate`` on a tree and collect the report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import KindScopes
from homelab.validate import accept, gitops
from homelab.validate.builds import build_findings
from homelab.validate.content import ClusterContent, path_in_tree, sources_of
from homelab.validate.findings import Finding, Report
from homelab.validate.follow import follow
from homelab.validate.patches import unmatched_patches
from homelab.validate.repository import repo_key
from homelab.validate.roots import find_cluster_roots
from homelab.validate.schema_cache import cache_dir, charts_cache_dir, default_locations
from homelab.validate.schemas import PACKAGED_LOCATION, Schemas
from homelab.validate.tree import Build, Tree, describe, obj_key


@dataclass
class ValidateOptions:
    """What to validate and with which knowledge of the clusters."""

    tree: Path
    """Root of the kustomize tree (``dist/kustomize`` or a hand-written ``kustomize/``)."""
    repos: set[str]
    """URLs of the GitOps repository, in any spelling: Applications pulling from it are followed into the tree."""
    prefix: str = "kustomize"
    """Where the tree lives inside the repository (Applications' paths start with it)."""
    clusters: list[str] | None = None
    """Only these clusters' directories; every cluster when None."""
    argocd_namespace: str = "argocd"
    cluster_scoped_kinds: tuple[tuple[str, str], ...] = ()
    """(group, kind) of custom kinds without a namespace beyond :mod:`homelab.kinds`'s and the CRDs'."""
    builtin_storage_classes: dict[str, set[str]] = field(default_factory=dict)
    """Per cluster (``"*"``: any cluster), storage classes it provides without the tree declaring them."""
    crd_schema_dirs: list[Path] = field(default_factory=list)
    crd_files: list[Path] = field(default_factory=list)
    allowed_kinds: set[str] = field(default_factory=set)
    """Kinds (``Kind`` or ``group/Kind``) accepted without a schema."""
    k8s_version: str = "1.32"
    schema_locations: list[str] | None = None
    """URL or ``file://`` templates of custom resources' schemas (``{group}/{kind}_{version}.json``); the
    CRDs catalog when neither this nor ``crd_schema_dirs`` is given."""
    schema_cache: Path | None = None
    """Where fetched schemas are kept; ``$XDG_CACHE_HOME/homelab/schemas`` by default."""
    unused: bool = False
    """List the tree's YAML files no kustomization reads (dead YAML), as notes."""
    online: bool = False
    """The network is reachable: a remote resource that does not build is an error, not a warning, and each
    Helm Application's chart is rendered and checked against its AppProject (:mod:`.chart_admits`)."""
    chart_cache: Path | None = None
    """Where rendered charts are kept (``online``); ``$XDG_CACHE_HOME/homelab/charts`` by default."""
    accept_file: Path | None = None
    """Findings accepted on purpose (see :mod:`homelab.validate.accept`); annotations are always read."""
    cluster_roots: list[str] = field(default_factory=list)
    """``--cluster-root [NAME=]PATH``: directories applied by hand to bootstrap a cluster, where the
    discovery (:func:`homelab.validate.roots.find_cluster_roots`) cannot tell."""


def _schema_findings(
    tree: Tree, schemas: Schemas, entry: str, objects: list[dict], allowed: set[str], offline: Sequence[str] = ()
) -> list[Finding]:
    """A finding per schema violation, and per object of a kind no schema knows (unless allowed): a
    warning only when remote resources could not be fetched (``offline``), whose CRDs may define it."""
    findings = []
    for obj in objects:
        kind = str(obj.get("kind", ""))
        if kind in allowed or f"{obj.get('apiVersion', '').rpartition('/')[0]}/{kind}" in allowed:
            continue
        errors = schemas.errors(obj)
        severity: Literal["error", "warning"] = "error"
        if errors is None:
            message = f"no schema for {kind} ({obj.get('apiVersion')}): it cannot be checked"
            if offline:
                severity = "warning"
                message += f"; its CRD may come from what could not be fetched offline ({offline[0]})"
            errors = [("", message)]
            fix = f"pass --crd-schemas DIR or --crds FILE holding its CRD, or --allow-kind {kind}"
        else:
            fix = "correct the field as the schema of the kind requires"
        file, name = tree.origin(obj, entry), describe(obj)
        findings += [
            Finding(
                entry=entry,
                check="schema",
                file=file,
                object=name,
                field=where,
                message=message,
                fix=fix,
                severity=severity,
            )
            for where, message in errors
        ]
    return findings


def _not_deployed(
    tree: Tree,
    schemas: Schemas,
    options: ValidateOptions,
    contents: list[ClusterContent],
    repos: set[str],
    built: set[str],
) -> list[Finding]:
    """Directories that an Application file of the tree points at but no cluster root reaches (an
    app-of-apps commented out of a kustomization, an overlay in waiting): checked too, as warnings. With
    ``--cluster``, another cluster's (``<x>/overlays/<cluster>``) are left to that cluster's run: its root
    was not followed."""
    # A root that does not build hides what its own Application files deploy (reported as skipped).
    hidden = tuple(f"{s}/" for c in contents for s in c.starts if s in c.failed)
    deployed = {e for c in contents for e in c.entries}
    targets: dict[str, tuple[str, bool]] = {}  # directory -> (the Application pointing there, recursively?)
    for rel in tree.yaml_files():
        if rel.startswith(hidden):
            continue
        for doc in tree.documents(rel):
            if doc.get("kind") != "Application":
                continue
            for source in sources_of(doc):
                path = str(source.get("path", "")).strip("/")
                if repo_key(str(source.get("repoURL", ""))) not in repos:
                    continue
                target = path_in_tree(path, options.prefix) or path
                if options.clusters is not None and Tree.cluster_of(target) not in (None, *options.clusters):
                    continue
                recurse = bool(as_mapping(source.get("directory")).get("recurse"))
                if target not in deployed and (
                    target in tree.kustomizations or tree.read_folder(target, recurse) is not None
                ):
                    targets.setdefault(target, (f"Application {doc.get('metadata', {}).get('name')} in {rel}", recurse))
    out = []
    for target, (via, recurse) in sorted(targets.items()):
        b = tree.read_folder(target, recurse) or tree.build([target])[target]
        status = (
            f"does not build: {b.error}" if b.error else f"{len(b.objects)} objects, checked against their schemas only"
        )
        out.append(
            Finding(
                entry=target,
                check="not-deployed",
                file=tree.kustomization_files.get(target, ""),
                message=f"not deployed: {via} points here, but no cluster root reaches it; {status}",
                fix="deploy it from a cluster root, or delete it if it is obsolete",
                severity="warning",
            )
        )
        if not b.error and target not in built:  # an entry directory's objects are checked already
            out += [
                Finding(**{**f.__dict__, "severity": "warning"})
                for f in _schema_findings(tree, schemas, target, b.objects, options.allowed_kinds)
            ]
    return out


def _undeployed_references(
    tree: Tree, schemas: Schemas, contents: list[ClusterContent], builds: dict[str, Build], reported: list[Finding]
) -> list[Finding]:
    """Directories that build but no cluster deploys (an overlay being prepared, an app switched off): the
    references their own objects make are checked within what each builds, as warnings that say so (a
    secret in clear stays an error: it is in git already). A problem of a field ``reported`` already (in a
    base a cluster deploys too) is not said again."""
    deployed = {e for c in contents for e in c.entries}
    known = {(f.check, f.file, f.object, f.field) for f in reported}
    out = []
    for directory, b in sorted(builds.items()):
        if directory in deployed or b.error:
            continue
        for f in gitops.own_references(tree, directory, b.objects, schemas.scopes):
            if (f.check, f.file, f.object, f.field) in known:
                continue
            message = f"{f.message} [{directory} is not deployed yet: checked within what it builds]"
            out.append(Finding(**{**f.__dict__, "message": message}))
    return out


def _one_unreachable_finding(findings: list[Finding], unreachable: set[str]) -> list[Finding]:
    """Offline with nothing cached: one finding naming the kinds left without a schema, not one per object."""
    missing = [f for f in findings if f.check == "schema" and f.message.startswith("no schema for ")]
    if not missing:
        return findings
    kinds = sorted({f.message.split(" ")[3] for f in missing})
    summary = Finding(
        entry=".",
        check="schema",
        message=f"no schema for {len(kinds)} kind(s) ({', '.join(kinds)}): {', '.join(sorted(unreachable))} could not "
        f"be reached (offline?) and the cache ({cache_dir()}) has none; {len(missing)} object(s) unchecked",
        fix="pass --crd-schemas DIR or --schema-location file:///DIR/{group}/{kind}_{version}.json, "
        "validate once online to fill the cache, or --allow-kind KIND",
    )
    return [f for f in findings if f not in missing] + [summary]


def _rendered_charts(
    options: ValidateOptions, contents: list[ClusterContent], tree: Tree, schemas: Schemas
) -> list[Finding]:
    """``--online``: what each chart renders, checked against its AppProject (helm loaded only then)."""
    from homelab.validate.chart_admits import chart_findings
    from homelab.validate.charts import ChartRenderer
    from homelab.validate.helm import helm_path

    helm = helm_path()
    renderer = ChartRenderer(helm, options.chart_cache or charts_cache_dir(), options.k8s_version) if helm else None
    return chart_findings(contents, tree, renderer, argocd_ns=options.argocd_namespace, scopes=schemas.scopes)


def _no_root(options: ValidateOptions, clusters: list[str]) -> Finding:
    """The finding of a tree where no cluster root was found (for the clusters of ``--cluster``, if given)."""
    if clusters:
        missing = f"for cluster(s) {', '.join(clusters)}, named by the tree's <app>/overlays/<cluster>/"
    else:
        missing = "(no kustomization.yaml under clusters/overlays/<cluster>/ nor any <app>/overlays/<cluster>/)"
    return Finding(
        entry=".",
        check="cluster-root",
        message=f"no cluster root found: nothing deployed was checked {missing}; no folder of Applications of "
        "this repository either, that no other Application deploys"
        + (f" (cluster(s) {', '.join(options.clusters)})" if options.clusters else ""),
        fix="give the tree root with --tree (the directory holding clusters/ and the apps) and the repository's URL "
        "with --repo; a cluster's root is clusters/overlays/<cluster>/kustomization.yaml, the directory applied "
        "to bootstrap it, or a folder of its root Applications: name another with --cluster-root [NAME=]PATH",
    )


def validate(options: ValidateOptions) -> Report:
    """Every check on ``options.tree``."""
    tree = Tree(options.tree)
    schemas = Schemas(k8s_version=options.k8s_version, scopes=KindScopes(options.cluster_scoped_kinds))
    for schema_dir in options.crd_schema_dirs:
        schemas.add_schema_dir(schema_dir)
    locations = options.schema_locations
    if locations is None:
        locations = default_locations(options.crd_schema_dirs)
    for template in locations:
        schemas.add_location(template, options.schema_cache or cache_dir())
    schemas.add_location(PACKAGED_LOCATION)  # the library's own kinds, offline, last
    for crd_file in options.crd_files:
        schemas.add_crd_file(crd_file)

    roots = find_cluster_roots(tree, options.repos, options.cluster_roots, options.prefix)
    entries = tree.entries()
    found_clusters = sorted({c for e in entries if (c := Tree.cluster_of(e))} | {r.cluster for r in roots})
    clusters = [c for c in found_clusters if options.clusters is None or c in options.clusters]
    if options.clusters is not None:
        entries = [e for e in entries if Tree.cluster_of(e) in options.clusters]
    for b in tree.build(entries).values():
        schemas.add_crds(b.objects)  # CRDs shipped in the tree: their scope and their resources' schemas

    repos = {repo_key(r) for r in options.repos}
    contents = [
        follow(
            tree, cluster, [r.directory for r in roots if r.cluster == cluster], repos, options.prefix, schemas.scopes
        )
        for cluster in (clusters if roots else [])
    ]
    early = [] if clusters and roots else [_no_root(options, clusters)]

    folders = {d: b for c in contents for d, b in c.folders.items()}  # plain folders, read as they are
    built_dirs = sorted(set(entries) | {e for c in contents for e in c.entries})
    builds = {**tree.build([d for d in built_dirs if d not in folders]), **folders}
    for b in builds.values():
        schemas.add_crds(b.objects)  # CRDs shipped in the tree validate their own custom resources

    report = Report(entries=built_dirs)
    report.extend(early)
    failed_builds = build_findings(tree, builds, online=options.online)
    report.extend(failed_builds)
    offline = [f.message.split(";", 1)[0] for f in failed_builds if f.check == "needs-network"]
    objects: set[tuple[str, str, str]] = set()
    for directory, b in builds.items():
        objects.update(obj_key(o) for o in b.objects)
        report.extend(_schema_findings(tree, schemas, directory, b.objects, options.allowed_kinds, offline))
        report.extend(unmatched_patches(tree, directory, b.objects, directory))
    for content in contents:
        report.extend(
            gitops.check(
                content,
                tree,
                argocd_ns=options.argocd_namespace,
                scopes=schemas.scopes,
                builtin_storage_classes=options.builtin_storage_classes.get(content.name)
                or options.builtin_storage_classes.get("*", set()),
            )
        )
    if options.online:
        report.extend(_rendered_charts(options, contents, tree, schemas))
    if contents:  # without a root nothing is known to be deployed
        report.extend(_not_deployed(tree, schemas, options, contents, repos, set(builds)))
    report.extend(_undeployed_references(tree, schemas, contents, builds, report.findings))
    if options.unused:
        referenced = tree.referenced_files()
        report.extend(
            Finding(
                entry=".",
                check="unused",
                file=rel,
                message="no kustomization reads this file: dead YAML",
                fix="delete it, or add it to a kustomization's resources",
                severity="info",
            )
            for rel in tree.yaml_files()
            if rel not in referenced
        )
    report.objects = len(objects)
    if schemas.unreachable:
        report.findings = _one_unreachable_finding(report.findings, schemas.unreachable)
    acceptances = accept.from_file(options.accept_file) if options.accept_file else []
    acceptances += accept.from_annotations([(o, "") for b in builds.values() for o in b.objects])
    # A run of some clusters only (--cluster) cannot tell an acceptance that another cluster still uses from a
    # stale one: staleness is reported by a run of every cluster.
    report.findings, report.accepted = accept.apply(report.unique(), acceptances, report_stale=options.clusters is None)
    return report
