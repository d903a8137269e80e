"""ApplicationSets: the Applications one generates, where the tree alone tells them.

Expanded: the ``git`` generator's ``directories`` over this repository (one Application per directory of the
tree matching a ``path`` pattern and no ``exclude: true`` one; ``*`` does not cross ``/``, ``**`` does) and the
``list`` generator's ``elements``, into ``spec.template`` with Go template parameters (``goTemplate: true``:
``{{.path.path}}``, ``{{.path.basename}}``, ``{{.path.basenameNormalized}}``, ``{{index .path.segments N}}``,
``{{.key}}`` of an element) or the default ones (``{{path}}``, ``{{path.basename}}``,
``{{path.basenameNormalized}}``, ``{{path[N]}}``, ``{{key}}``). Anything else (the cluster, matrix, merge, SCM
and pull-request generators, ``templatePatch``, a template function) is not expanded, and the reason says why.
Each generated Application is in the ApplicationSet's namespace, as Argo CD creates it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.content import path_in_tree
from homelab.validate.repository import repo_key

Manifest = dict[str, Any]

_EXPRESSION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")


@dataclass(frozen=True)
class Expansion:
    """What an ApplicationSet generates: its Applications, or why they cannot be told from the tree."""

    applications: list[Manifest] = field(default_factory=list)
    reason: str = ""
    """Empty when expanded; else why not (its Applications are then unknown)."""


def is_appset(obj: Mapping[str, Any]) -> bool:
    return obj.get("kind") == "ApplicationSet" and str(obj.get("apiVersion", "")).startswith("argoproj.io/")


def expand(appset: Mapping[str, Any], directories: Collection[str], keys: set[str], prefix: str) -> Expansion:
    """The Applications ``appset`` generates (see the module). ``directories``: the tree's directories
    (tree-relative); ``keys``: this repository (:func:`repo_key`); ``prefix``: where the tree is in it."""
    spec = as_mapping(appset.get("spec"))
    if spec.get("templatePatch"):
        return Expansion(reason="it has a templatePatch (a Go template of the template itself)")
    go = bool(spec.get("goTemplate"))
    params: list[Mapping[str, Any]] = []
    for generator in spec.get("generators") or []:
        kind = next(iter(generator), "?") if isinstance(generator, dict) and generator else "?"
        found = _GENERATORS.get(kind)
        if found is None:
            return Expansion(reason=f"its {kind} generator depends on more than the tree")
        more = found(as_mapping(generator[kind]), directories, keys, prefix)
        if isinstance(more, str):
            return Expansion(reason=f"its {kind} generator {more}")
        params += more
    template = as_mapping(spec.get("template"))
    namespace = as_mapping(appset.get("metadata")).get("namespace")
    out = []
    for p in params:
        try:
            rendered = _render(json.loads(json.dumps(template)), p, go)
        except KeyError as exc:
            return Expansion(reason=f"its template uses {{{{{exc.args[0]}}}}}, which the tree does not tell")
        metadata = dict(as_mapping(rendered.get("metadata")))
        if namespace:
            metadata["namespace"] = namespace
        out.append(
            {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": metadata, **_spec(rendered)}
        )
    return Expansion(applications=out)


def _spec(rendered: Mapping[str, Any]) -> dict[str, Any]:
    return {"spec": rendered["spec"]} if "spec" in rendered else {}


def _git(generator: Mapping[str, Any], directories: Collection[str], keys: set[str], prefix: str) -> list[Any] | str:
    if repo_key(str(generator.get("repoURL", ""))) not in keys:
        return "reads another repository"
    if not generator.get("directories") or generator.get("files"):
        return "lists files, not directories"
    include: list[re.Pattern[str]] = []
    exclude: list[re.Pattern[str]] = []
    for entry in generator["directories"]:
        pattern = path_in_tree(str(as_mapping(entry).get("path", "")), prefix)
        if pattern is None:
            continue  # outside the tree: nothing of it is known
        (exclude if as_mapping(entry).get("exclude") else include).append(_pattern(pattern))
    matched = [
        d
        for d in sorted(directories)
        if any(p.fullmatch(d) for p in include) and not any(p.fullmatch(d) for p in exclude)
    ]
    return [_path_params(prefix + "/" + d if prefix else d) for d in matched]


def _list(generator: Mapping[str, Any], directories: Collection[str], keys: set[str], prefix: str) -> list[Any] | str:
    if "elements" not in generator:
        return "reads its elements from elsewhere (elementsYaml)"
    return [as_mapping(e) for e in generator.get("elements") or []]


_GENERATORS: dict[str, Callable[[Mapping[str, Any], Collection[str], set[str], str], list[Any] | str]] = {
    "git": _git,
    "list": _list,
}


def _pattern(glob: str) -> re.Pattern[str]:
    """A directory pattern of the git generator as a regular expression (``*`` within a segment)."""
    out = ""
    for token in re.split(r"(\*\*|\*|\?)", glob.strip("/")):
        out += {"**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token, re.escape(token))
    return re.compile(out)


def _path_params(path: str) -> dict[str, Any]:
    segments = path.split("/")
    basename = segments[-1]
    normalized = re.sub(r"[^a-zA-Z0-9-]", "-", basename).lower()
    return {"path": {"path": path, "basename": basename, "basenameNormalized": normalized, "segments": segments}}


def _render(value: Any, params: Mapping[str, Any], go: bool) -> Any:
    """``value`` with each ``{{…}}`` of its strings replaced by its parameter (KeyError: an unknown one)."""
    if isinstance(value, dict):
        return {k: _render(v, params, go) for k, v in value.items()}
    if isinstance(value, list):
        return [_render(v, params, go) for v in value]
    if isinstance(value, str):
        return _EXPRESSION.sub(lambda m: str(_lookup(m.group(1), params, go)), value)
    return value


def _lookup(expression: str, params: Mapping[str, Any], go: bool) -> Any:
    if go:
        index = re.fullmatch(r"index\s+\.([\w.]+)\s+(\d+)", expression)
        if index:
            found = _dotted(index.group(1), params, expression)
            return (
                found[int(index.group(2))]
                if isinstance(found, list) and int(index.group(2)) < len(found)
                else _missing(expression)
            )
        if not expression.startswith(".") or " " in expression:
            _missing(expression)
        return _dotted(expression[1:], params, expression)
    index = re.fullmatch(r"([\w.]+)\[(\d+)\]", expression)
    if index:
        found = _dotted(index.group(1) + ".segments", params, expression)
        return found[int(index.group(2))] if int(index.group(2)) < len(found) else _missing(expression)
    if expression == "path":
        return _dotted("path.path", params, expression)
    return _dotted(expression, params, expression)


def _dotted(path: str, params: Mapping[str, Any], expression: str) -> Any:
    found: Any = params
    for part in path.split("."):
        if not isinstance(found, Mapping) or part not in found:
            _missing(expression)
        found = found[part]
    if isinstance(found, (dict, list)) and not path.endswith("segments"):
        _missing(expression)
    return found


def _missing(expression: str) -> Any:
    raise KeyError(expression)


def tree_directories(root: Path) -> list[str]:
    """The directories of the tree at ``root`` (tree-relative, hidden ones left out), as the git generator
    lists a repository's."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_dir() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
