"""Kustomize patches whose ``target`` selects nothing: kustomize applies them silently to no object."""

from __future__ import annotations

import re
from typing import Any

from homelab.validate.findings import Finding
from homelab.validate.tree import Tree, describe


def _labels_match(selector: str, labels: dict[str, Any]) -> bool:
    for term in filter(None, (t.strip() for t in selector.split(","))):
        if "!=" in term:
            key, value = (s.strip() for s in term.split("!=", 1))
            if str(labels.get(key)) == value:
                return False
        elif "=" in term:
            key, value = (s.strip() for s in term.split("=", 1))
            if str(labels.get(key.rstrip("="))) != value.lstrip("="):
                return False
        elif term.startswith("!"):
            if term[1:] in labels:
                return False
        elif term not in labels:
            return False
    return True


def _full(pattern: str, value: str) -> bool:
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return pattern == value


def matches(target: dict[str, Any], obj: dict[str, Any]) -> bool:
    """Whether kustomize's ``target`` selector selects ``obj``."""
    group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
    meta = obj.get("metadata") or {}
    checks = (
        ("group", group),
        ("version", version),
        ("kind", str(obj.get("kind", ""))),
        ("name", str(meta.get("name", ""))),
        ("namespace", str(meta.get("namespace") or "")),
    )
    for field, value in checks:
        wanted = target.get(field)
        if wanted not in (None, "") and not _full(str(wanted), value):
            return False
    if target.get("labelSelector") and not _labels_match(str(target["labelSelector"]), meta.get("labels") or {}):
        return False
    return not (
        target.get("annotationSelector")
        and not _labels_match(str(target["annotationSelector"]), meta.get("annotations") or {})
    )


def unmatched_patches(tree: Tree, directory: str, built: list[dict[str, Any]], entry: str) -> list[Finding]:
    """A finding for each targeted patch of ``directory``'s kustomization that selects none of its inputs.

    Patches are matched against the built objects first (cheap, and right unless a patch renames or
    deletes); only a patch that matches none of them is matched against the inputs themselves.
    """
    kustomization = tree.kustomizations.get(directory) or {}
    findings: list[Finding] = []
    for field in ("patches", "patchesJson6902"):
        for i, patch in enumerate(kustomization.get(field) or []):
            target = patch.get("target") if isinstance(patch, dict) else None
            if not isinstance(target, dict) or any(matches(target, o) for o in built):
                continue
            objects = tree.inputs(directory)
            if any(matches(target, o) for o in objects):
                continue
            wanted = ", ".join(f"{k}={v}" for k, v in target.items())
            near = [describe(o) for o in objects if o.get("kind") == target.get("kind")][:3]
            findings.append(
                Finding(
                    entry=entry,
                    check="patch-target",
                    file=tree.kustomization_files[directory],
                    field=f"{field}[{i}].target",
                    message=f"the patch selects no object ({wanted}), so kustomize silently applies it to nothing",
                    fix=(
                        f"correct the target (objects of that kind here: {', '.join(near)})"
                        if near
                        else "correct the target's kind/name/namespace, or remove the patch"
                    ),
                )
            )
    return findings
