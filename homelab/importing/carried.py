"""What an import carries into the new repository as it is: what the Applications read from this repository
that is not a kustomize build the language re-expresses —

- a Helm chart of the tree (a directory with ``Chart.yaml``, rendered by Argo CD with helm);
- a kustomization inflating Helm charts (``helmCharts:``, built by Argo CD with ``--enable-helm``), with the
  directories it reads;
- the values files a multi-source Application reads through a ``ref`` source (``$values/path/in/repo.yaml``),
  and those of a chart of the tree outside it (``helm.valueFiles: [../values.yaml]``).

Each is copied to the same repository path in the new repository, so the Applications reading it (kept as
written) still do; the proof compares it file by file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.content import path_in_tree, sources_of
from homelab.validate.follow import is_chart
from homelab.validate.repository import repo_key
from homelab.validate.tree import Tree


def inflates_helm(tree: Tree, rel: str) -> bool:
    """Whether building the kustomization ``rel`` inflates a Helm chart (``helmCharts:`` in what it reads)."""
    return rel in tree.kustomizations and any(
        (tree.kustomizations.get(d) or {}).get("helmCharts") for d in tree.reads(rel)[0]
    )


def carried_paths(tree: Tree, applications: Iterable[Mapping[str, Any]], keys: set[str], prefix: str) -> dict[str, str]:
    """Tree-relative path (a directory or a file) → why it is carried as it is, for what ``applications`` read
    from this repository (see the module). A path outside the tree is keyed by its repository path, starting
    with ``../`` (it cannot be carried)."""
    out: dict[str, str] = {}
    for app in applications:
        sources = sources_of(dict(app))
        refs = {str(s["ref"]) for s in sources if s.get("ref") and repo_key(str(s.get("repoURL", ""))) in keys}
        for source in sources:
            helm = as_mapping(source.get("helm"))
            for value_file in helm.get("valueFiles") or []:
                ref, _, rest = str(value_file).partition("/")
                if ref.startswith("$") and ref[1:] in refs:
                    _add(out, path_in_tree(rest, prefix), rest, "a values file a ref source reads")
            if repo_key(str(source.get("repoURL", ""))) not in keys or "path" not in source:
                continue
            rel = path_in_tree(str(source["path"]), prefix)
            if rel is None:
                continue
            if is_chart(tree, rel):
                out[rel] = "a Helm chart of the tree (Argo CD renders it with helm)"
                for value_file in helm.get("valueFiles") or []:
                    inside = os.path.normpath(f"{rel}/{value_file}")
                    if not str(value_file).startswith("$") and not inside.startswith(rel + "/"):
                        _add(out, None if inside.startswith("..") else inside, str(value_file), "a values file of it")
            elif inflates_helm(tree, rel):
                for directory in tree.reads(rel)[0]:
                    out[directory] = f"what {rel} builds with helmCharts: (Argo CD builds it with --enable-helm)"
    return out


def _add(out: dict[str, str], rel: str | None, path: str, why: str) -> None:
    out[rel if rel is not None else f"../{path}"] = why


def copy_carried(tree: Path, into: Path, carried: Mapping[str, str]) -> list[str]:
    """Copy each carried path of ``tree`` into the new repository tree ``into`` (the same relative path);
    the files written, relative to ``into``."""
    written = []
    for rel in sorted(carried):
        if rel.startswith("../"):
            continue
        source, target = tree / rel, into / rel
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        for f in files:
            dest = target / f.relative_to(source) if source.is_dir() else target
            if dest.exists():
                continue  # carried twice (a directory and a file in it)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
            written.append(PurePosixPath(os.path.relpath(dest, into)).as_posix())
    return written


def differing_files(tree: Path, new: Path, carried: Mapping[str, str]) -> list[str]:
    """The carried paths whose files are not the same in ``new`` as in ``tree`` (missing ones too)."""
    out = []
    for rel in sorted(carried):
        if rel.startswith("../"):
            out.append(rel)
            continue
        source = tree / rel
        files = [p for p in source.rglob("*") if p.is_file()] if source.is_dir() else [source]
        if not source.exists() or any(
            not (new / p.relative_to(tree)).is_file() or (new / p.relative_to(tree)).read_bytes() != p.read_bytes()
            for p in files
        ):
            out.append(rel)
    return out
