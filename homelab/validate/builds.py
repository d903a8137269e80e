"""Findings for directories that do not build: where the fault is and the fix its error calls for
(kustomize's wording is read by :mod:`.kustomize_errors`)."""

from __future__ import annotations

import difflib
import os
from pathlib import PurePosixPath

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.findings import Finding
from homelab.validate.kustomize_errors import cause, recursed_paths
from homelab.validate.tree import Build, Tree


def build_findings(tree: Tree, builds: dict[str, Build], *, online: bool = False) -> list[Finding]:
    """A finding per directory that does not build, with the fix its error calls for. A directory that
    reads remote resources and fails offline needs the network: a warning, unless ``online``."""
    out = []
    for b in builds.values():
        if b.unrestricted:
            out.append(_unrestricted(tree, b))
        if not b.error:
            continue
        if b.entry not in tree.kustomizations:  # a plain folder of YAML: one of its files does not parse
            where = b.error.partition(": ")[0]  # FILE:LINE
            out.append(
                Finding(
                    entry=b.entry,
                    check="build",
                    file=where.split(":")[0],
                    message=f"{b.error}; none of the objects of the folder {b.entry} was read",
                    fix=f"fix the YAML syntax at {where}",
                )
            )
            continue
        remote = tree.remote_refs(b.entry)
        if remote and not online:
            out.append(
                Finding(
                    entry=b.entry,
                    check="needs-network",
                    file=tree.kustomization_files.get(b.entry, ""),
                    field="resources",
                    message=f"needs network: {', '.join(remote)}; offline, kustomize cannot fetch it, so its objects "
                    f"were not checked ({b.error})",
                    fix="validate with --online where the network is reachable, or vendor the manifest into the tree",
                    severity="warning",
                )
            )
            continue
        at = _failing_directory(tree, b.entry, b.error)
        field_name, fix = _build_fix(tree, at, b.error)
        out.append(
            Finding(
                entry=b.entry,
                check="build",
                file=tree.kustomization_files.get(at, ""),
                field=field_name,
                message=f"kubectl kustomize fails: {b.error}",
                fix=fix,
            )
        )
    return out


def _unrestricted(tree: Tree, b: Build) -> Finding:
    """A directory that reads a file outside itself: it builds only as Argo CD builds it when told to."""
    told = tree.allows_unrestricted_builds
    return Finding(
        entry=b.entry,
        check="load-restrictor",
        file=tree.kustomization_files.get(b.entry, ""),
        field="resources",
        message="reads a file outside its directory: it builds only with --load-restrictor LoadRestrictionsNone"
        + (
            " (which the tree's Argo CD configuration gives)"
            if told
            else ", which nothing in the tree sets for Argo CD"
        ),
        fix="keep kustomize.buildOptions: --load-restrictor LoadRestrictionsNone in argocd-cm"
        if told
        else "set kustomize.buildOptions: --load-restrictor LoadRestrictionsNone in argocd-cm (Argo CD's chart: "
        "configs.cm), or move the file into the directory (or a base it includes)",
        severity="info" if told else "warning",
    )


def _failing_directory(tree: Tree, entry: str, error: str) -> str:
    """The directory whose kustomization the build error is in: the innermost base kustomize recursed into
    when it is a directory of the tree, else ``entry``."""
    return next((d for d in recursed_paths(error) if d in tree.kustomizations), entry)


def _build_fix(tree: Tree, entry: str, error: str) -> tuple[str, str]:
    """(the kustomization field at fault, the fix) for a build error in ``entry``'s kustomization (the
    directory that holds the fault: see :func:`_failing_directory`)."""
    k = tree.kustomizations.get(entry) or {}
    c = cause(error)
    if c.kind == "patch-missing-path":
        for i, patch in enumerate(k.get("patches") or []):
            if isinstance(patch, dict) and c.path in str(patch.get("patch", "")):
                target = ", ".join(f"{a}={b}" for a, b in as_mapping(patch.get("target")).items())
                return (
                    f"patches[{i}]",
                    f"patches[{i}] (target {target or 'none'}) {c.op}s {c.path}, which the object does not "
                    "have: correct the path, or use op add to create it",
                )
        return "patches", f"a JSON patch {c.op}s {c.path}, which its object does not have: correct the path"
    if c.kind == "no-namespace":
        return "patches", (
            "[noNs] is kustomize's 'no namespace': the patch has no namespace (or another one) than the object "
            "it should change; give the patch the object's metadata.namespace, and check its kind and name"
        )
    if c.kind == "unparsable-patch":
        return "patches", "a patch is neither valid YAML nor a JSON patch: check its indentation and brackets"
    if c.kind == "missing-path":
        written = f"{c.ref} ({c.path})" if c.ref != c.path else c.ref
        return "resources", f"{written} does not exist: correct the path{_did_you_mean(tree, entry, c.ref)}"
    if c.kind == "yaml":
        return "", "fix the YAML syntax at the line the error names"
    if c.kind == "duplicate":
        return "resources", "two resources are the same object: keep one, or patch it instead of adding it twice"
    return "", "run `kubectl kustomize` on the directory to see the whole error, and fix the kustomization"


def _did_you_mean(tree: Tree, entry: str, ref: str) -> str:
    """``; did you mean X?`` for a missing path ``ref`` of ``entry``'s kustomization: the existing path of the
    tree that ends like it (a moved directory), else the closest name beside where it was looked for."""
    tail = [part for part in PurePosixPath(ref).parts if part not in ("..", ".")]
    files = (p.relative_to(tree.root).as_posix() for p in tree.root.rglob("*") if p.is_file())
    existing = {*tree.kustomizations, *files}
    for size in range(len(tail), 0, -1):
        suffix = "/".join(tail[-size:])
        found = sorted(e for e in existing if e == suffix or e.endswith("/" + suffix))
        if found:
            return f"; did you mean {os.path.relpath(found[0], entry)} ({found[0]})?"
    looked = PurePosixPath(os.path.normpath(f"{entry}/{ref}"))
    parent = tree.root / looked.parent.as_posix()
    siblings = [p.name for p in parent.iterdir()] if parent.is_dir() else []
    close = difflib.get_close_matches(looked.name, siblings, n=1)
    return f"; did you mean {close[0]}?" if close else ""
