"""The incremental synth's memory: what each builder rendered, and each directory's text, between runs.

Kept in ``<repository>/.homelab-cache/`` (ignored by git). A builder's run is reused when nothing
that could change it has changed, which its *fingerprint* covers:

- the source of the module that defines the builder and of every module it imports, transitively,
  among the homelab's own files (the repository's, not installed packages);
- what the builder captured: the values of its closure, its defaults and a ``functools.partial``'s
  arguments (their ``repr``: frozen props print all they hold), so a builder made by a factory in one
  module from another module's data changes with that data;
- the library itself (every source file of ``homelab`` and ``constructs_lib``), the Python version and
  the versions of PyYAML and the cdk8s libraries;
- what the builder was given: the directory, the cluster's facts, the backed-up namespaces;
- the sealed values it read, recorded with the objects and asked again of the store before reuse.

A builder that reads a fact derived from the other apps (``ctx.application_namespaces``: the core
app) is never reused, nor one whose module cannot be told (a ``functools.partial``). What a builder
reads beyond its arguments and its modules (an environment variable, a file) is not seen: run
``homelab synth --no-cache`` after changing such a thing. A directory's files are reused when its
objects are the same (a hash of their JSON). The cache is a speed-up only: deleting it, or
``--no-cache``, gives the same tree.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import pickle
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import constructs_lib
import homelab

DIRECTORY = ".homelab-cache"
FILE = "synth-v1.pickle"
#: ``from X import a, b`` (one line, or parenthesised over several) and ``import X, Y as Z``, anywhere in a
#: file (an import in a function counts; one in a docstring too, which only makes the cache more careful).
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)|import[ \t]+([^\n#;]+))", re.M
)


def _sha(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


#: Distributions whose version changes what synth writes (the YAML emitter, the cdk8s libraries).
_DEPENDENCIES = ("PyYAML", "cdk8s", "cdk8s-plus-33", "constructs", "jsii")


def library_version() -> str:
    """A hash of the library's own source, the Python version and the versions of what renders with it:
    a new version of any renders anew."""
    packages = (Path(str(package.__file__)).parent for package in (homelab, constructs_lib))
    files = sorted(p for directory in packages for p in directory.rglob("*.py"))
    versions = []
    for name in _DEPENDENCIES:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return _sha(sys.version, *versions, *(p.read_bytes() for p in files))


def _captured(function: Any, functions: list[Any], depth: int = 0) -> list[str]:
    """What ``function`` (a builder) carries besides its code: its name, closure values, defaults and, for a
    ``functools.partial``, its arguments; the functions among them are followed (and listed in ``functions``)."""
    if depth > 8:
        return ["(deep)"]
    if isinstance(function, functools.partial):
        return [
            repr(function.args),
            repr(sorted(function.keywords.items())),
            *_captured(function.func, functions, depth + 1),
        ]
    if not hasattr(function, "__code__"):
        return [repr(function)]  # a callable object: its repr (an address in it means no reuse)
    functions.append(function)
    out = [f"{function.__module__}.{function.__qualname__}", repr(function.__defaults__), repr(function.__kwdefaults__)]
    for cell in function.__closure__ or ():
        try:
            value = cell.cell_contents
        except ValueError:  # not yet bound
            continue
        if hasattr(value, "__code__") or isinstance(value, functools.partial):
            out += _captured(value, functions, depth + 1)
        else:
            out.append(repr(value))
    return out


@dataclass
class Recording:
    """A sealed store that remembers what was read from it (``SealedLookup``)."""

    store: Any
    reads: list[tuple[dict[str, Any], dict[str, str]]] = field(default_factory=list)

    def sealed_values(self, *, namespace: str, name: str, scope: Any, keys: tuple[str, ...]) -> Mapping[str, str]:
        values = self.store.sealed_values(namespace=namespace, name=name, scope=scope, keys=keys)
        asked = {"namespace": namespace, "name": name, "scope": scope, "keys": tuple(keys)}
        self.reads.append((asked, dict(values)))
        return values


@dataclass
class Entry:
    fingerprint: str
    objects: list[tuple[dict[str, Any], str, str]]
    """(manifest, origin, construct path) of each object."""
    reads: list[tuple[dict[str, Any], dict[str, str]]]


class RenderCache:
    """Rendered builder runs and directory texts of the last synths of one repository."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.root = root
        self.enabled = enabled
        self.path = root / DIRECTORY / FILE
        self._library = ""
        self._root = Path(os.path.abspath(root))
        self._library_dirs = [Path(os.path.abspath(Path(p.__file__).parent)) for p in (homelab, constructs_lib)]  # type: ignore[arg-type]
        self._own: dict[str, Path | None] = {}
        self._module_files: dict[str, list[Path]] = {}
        self._file_hashes: dict[Path, str] = {}
        self.renders: dict[tuple[str, str], Entry] = {}
        self.texts: dict[str, tuple[str, dict[str, str]]] = {}
        self._used_renders: set[tuple[str, str]] = set()
        self._used_texts: set[str] = set()
        self.hits = 0
        self.misses = 0
        if enabled:
            self._load()

    def _load(self) -> None:
        try:
            with self.path.open("rb") as file:
                data = pickle.load(file)
            if data.get("library") == self._library_hash():
                self.renders, self.texts = data["renders"], data["texts"]
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, KeyError, TypeError, ValueError):
            self.renders, self.texts = {}, {}  # no cache, or one this version cannot read: render anew

    # -- fingerprints ---------------------------------------------------------------------------
    def _library_hash(self) -> str:
        if not self._library:
            self._library = library_version()
        return self._library

    def _own_file(self, module: str) -> Path | None:
        """The file of ``module`` when it is one of the homelab's own (inside the repository, not the library)."""
        if module not in self._own:
            self._own[module] = self._find_own_file(module)
        return self._own[module]

    def _find_own_file(self, module: str) -> Path | None:
        file = getattr(sys.modules.get(module), "__file__", None)
        if not file:
            return None
        path = Path(os.path.abspath(file))
        if not path.is_relative_to(self._root) or any(path.is_relative_to(lib) for lib in self._library_dirs):
            return None
        if any(part in (".venv", "site-packages", "node_modules") for part in path.parts):
            return None
        return path

    def _imports(self, module: str, path: Path) -> Iterable[str]:
        """The modules ``module`` reads names from: ``from X import m`` is module ``X.m`` when that is a
        module (a package's ``__init__`` is not read for it), else ``X``; ``import X.Y`` is ``X.Y``."""
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for match in _IMPORT.finditer(path.read_text(errors="replace")):
            source, names, plain = match.groups()
            if plain:
                yield from (n.strip().split()[0] for n in plain.split(",") if n.strip())
                continue
            if source.startswith("."):
                dots = len(source) - len(source.lstrip("."))
                base = package.rsplit(".", dots - 1)[0] if dots > 1 else package
                source = f"{base}.{source.lstrip('.')}".rstrip(".")
            names_read = [n for n in re.split(r"[\s,()]+", names.replace(" as ", " ")) if n and n != "*"]
            submodules = [f"{source}.{n}" for n in names_read if f"{source}.{n}" in sys.modules]
            yield from submodules
            if len(submodules) < len(names_read) or "*" in names:
                yield source  # names defined in the module itself

    def module_files(self, module: str) -> list[Path]:
        """The files of ``module`` and of every module of the homelab's own that it imports, transitively."""
        if module in self._module_files:
            return self._module_files[module]
        seen: dict[str, Path] = {}
        todo = [module]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            path = self._own_file(name)
            if path is None:
                continue
            seen[name] = path
            todo += [m for m in self._imports(name, path) if m not in seen]
        files = sorted(set(seen.values()))
        self._module_files[module] = files
        return files

    def _hash_file(self, path: Path) -> str:
        if path not in self._file_hashes:
            self._file_hashes[path] = _sha(path.read_bytes())
        return self._file_hashes[path]

    def fingerprint(self, builder: Callable[..., Any], *given: str) -> str | None:
        """What a run of ``builder`` depends on (see the module), or None when it cannot be told."""
        if not self.enabled:
            return None
        functions: list[Any] = []
        captured = _captured(builder, functions)
        modules = {getattr(f, "__module__", None) for f in functions}
        if not functions or any(not isinstance(m, str) or self._own_file(m) is None for m in modules):
            return None
        files = sorted({p for m in modules for p in self.module_files(str(m))})
        return _sha(
            self._library_hash(),
            *captured,
            *given,
            *(f"{p}:{self._hash_file(p)}" for p in files),
        )

    # -- renders --------------------------------------------------------------------------------
    def get(self, key: tuple[str, str], fingerprint: str | None, store: Any) -> Entry | None:
        """The cached run for ``key`` if its fingerprint matches and the sealed values it read are still those."""
        entry = self.renders.get(key) if fingerprint else None
        if entry is None or entry.fingerprint != fingerprint:
            self.misses += 1
            return None
        for asked, values in entry.reads:
            try:
                if dict(store.sealed_values(**asked)) != values:
                    self.misses += 1
                    return None
            except Exception:  # missing now: render anew, which says what to seal
                self.misses += 1
                return None
        self.hits += 1
        self._used_renders.add(key)
        return entry

    def put(self, key: tuple[str, str], entry: Entry) -> None:
        self.renders[key] = entry
        self._used_renders.add(key)

    # -- directory texts ------------------------------------------------------------------------
    @staticmethod
    def content_hash(content: Any) -> str:
        """A hash of a directory's objects and settings (their JSON)."""
        return _sha(json.dumps(content, separators=(",", ":"), default=str))

    def text(self, directory: str, content_hash: str) -> dict[str, str] | None:
        found = self.texts.get(directory)
        if found is None or found[0] != content_hash:
            return None
        self._used_texts.add(directory)
        return found[1]

    def put_text(self, directory: str, content_hash: str, files: dict[str, str]) -> None:
        self.texts[directory] = (content_hash, files)
        self._used_texts.add(directory)

    def save(self) -> None:
        """Keep what this run used (the rest is gone from the tree), atomically; a failure only costs speed."""
        if not self.enabled:
            return
        data = {
            "library": self._library_hash(),
            "renders": {k: v for k, v in self.renders.items() if k in self._used_renders},
            "texts": {k: v for k, v in self.texts.items() if k in self._used_texts},
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# homelab synth's cache (see homelab/render_cache.py)\n*\n")
            tmp = self.path.with_name(f".{FILE}.{os.getpid()}")
            tmp.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
        except OSError:
            pass


def disabled() -> RenderCache:
    """A cache that remembers nothing (``--no-cache``, tests, tools)."""
    return RenderCache(Path("."), enabled=False)
