"""GitOps cross-references within one cluster: what Argo CD would refuse or silently get wrong.

A cluster's *deployed content* (:mod:`.follow`) starts at its bootstrap directories
(``clusters/overlays/<cluster>``) and follows every Application whose source points into the GitOps
repository. :func:`check` indexes it (:mod:`.index`) and runs every check of the registry
(:data:`homelab.validate.checks.CHECKS`) on it; :func:`own_references` runs those that apply to a
directory no cluster deploys.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import KindScopes
from homelab.validate.checks import CHECKS, Check
from homelab.validate.content import ClusterContent, Placed, Source
from homelab.validate.findings import Finding, Severity
from homelab.validate.index import Index, index


def _run(checks: list[Check], placed: list[Placed], tree: Source, idx: Index) -> list[Finding]:
    """``checks`` on ``placed``: the content-wide ones first, then the per-object ones object by object."""
    findings = [f for c in checks if c.on_content is not None for f in c.on_content(placed, tree, idx)]
    for p in placed:
        findings += [f for c in checks if c.on_object is not None for f in c.on_object(p, tree, idx)]
    return findings


def check(
    content: ClusterContent,
    tree: Source,
    *,
    argocd_ns: str,
    builtin_storage_classes: set[str],
    scopes: KindScopes,
    plaintext: bool = True,
) -> list[Finding]:
    """Every cross-reference finding of one cluster's deployed content; checks whose input did not build
    are skipped, each with a finding that says why. ``plaintext=False`` leaves out the search for secrets
    in clear, for a caller that searched every object already (synth)."""
    findings = list(content.findings)
    broken_roots = [s for s in content.starts if s in content.failed]
    if broken_roots or not content.starts:
        why = f"its root {', '.join(broken_roots)} does not build" if broken_roots else "it has no root directory"
        fix = (
            BUILD_ERRORS
            if broken_roots
            else "give its root (the directory applied by hand to bootstrap it) with --cluster-root PATH, then "
            "validate again"
        )
        message = f"the GitOps checks of cluster {content.name} were skipped: {why}"
        return [*findings, _skipped(content, message, fix)]
    idx = index(content, argocd_ns, builtin_storage_classes, scopes)
    if idx.app_namespaces is None:
        why = "Argo CD's own Application (chart argo-cd) is not among what it deploys"
        fix = (
            "deploy Argo CD's Application from the cluster's root to have it checked; nothing to fix when Argo CD "
            "is kept by other means"
        )
        # Argo CD kept by other means (installed by hand, another repository) is the common case: a note. Only
        # a directory that does not build, and may hold its Application, makes it a warning.
        severity: Severity = "info"
        if content.failed:
            why += f" (maybe in {', '.join(content.failed)}, which does not build)"
            fix = BUILD_ERRORS
            severity = "warning"
        message = f"cluster {content.name}: where Applications may live was not checked: {why}"
        findings.append(_skipped(content, message, fix, severity))
    checks = [c for c in CHECKS if plaintext or c.id != "plaintext"]
    return findings + _run(checks, content.placed, tree, idx)


#: Where the objects of a not-deployed directory that set no namespace go, when the others name no single one.
UNDEPLOYED_NAMESPACE = "<destination>"


def own_references(tree: Source, directory: str, objects: list[dict[str, Any]], scopes: KindScopes) -> list[Finding]:
    """The references between the objects of a directory no cluster deploys (yet): the Secrets (and their
    keys), Services and ConfigMaps its own objects use must be among what it builds, as :func:`check`
    requires of a cluster's content, and none may hold a secret in clear: the checks marked ``undeployed``,
    whose findings have the check's ``undeployed_severity``. Objects that set no namespace go
    where its future Application will put them: the one namespace the others name (an app's directory),
    else :data:`UNDEPLOYED_NAMESPACE`."""
    named = {str(ns) for obj in objects if (ns := as_mapping(obj.get("metadata")).get("namespace"))}
    default = next(iter(named)) if len(named) == 1 else UNDEPLOYED_NAMESPACE
    placed = []
    for obj in objects:
        cluster_wide = scopes.is_cluster_scoped(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
        namespace = as_mapping(obj.get("metadata")).get("namespace") or ("" if cluster_wide else default)
        placed.append(Placed(obj=obj, entry=directory, namespace=str(namespace)))
    idx = index(ClusterContent(name=directory, placed=placed), "", set(), scopes)
    return [
        replace(f, severity=c.undeployed_severity) for c in CHECKS if c.undeployed for f in _run([c], placed, tree, idx)
    ]


#: The advice of a check skipped because a directory does not build.
BUILD_ERRORS = "fix the build errors reported above, then validate again"


def _skipped(content: ClusterContent, message: str, fix: str, severity: Severity = "warning") -> Finding:
    return Finding(
        entry=(content.starts or ["."])[0],
        check="skipped",
        message=message,
        fix=fix,
        severity=severity,
    )
