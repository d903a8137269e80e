"""Offline schema validation: Kubernetes' strict JSON schemas and custom resource definitions.

Core kinds are checked against the strict schemas bundled in the ``kubernetes-validate`` wheel,
loaded once into cached ``jsonschema`` validators (its own ``validate()`` reloads its definitions
for every object and silently passes unknown kinds). Custom resources are checked against CRD
schemas — JSON files laid out ``<group>/<kind>_<version>.json``, CRD manifests, or CRDs found in
the tree itself — made strict the way the API server is (unknown fields are errors unless the
schema preserves them); their ``metadata`` is checked against the core ObjectMeta schema.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml
from packaging.version import Version
from referencing import Registry, Resource

from constructs_lib._internal.plaintext import sops_encrypted
from homelab.errors import HomelabError
from homelab.kinds import DEFAULT as DEFAULT_SCOPES
from homelab.kinds import KindScopes
from homelab.validate.schema_cache import cached_schema

SCHEMA_ROOT = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
PACKAGED = Path(__file__).parent / "crd_schemas"
"""Schemas of the custom resources the library emits (see its SOURCES.md), the last place looked."""
PACKAGED_LOCATION = f"file://{PACKAGED}/{{group}}/{{kind}}_{{version}}.json"
DEFINITIONS_ID = "https://kubernetes.io/api/_definitions.json"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
MAX_ERRORS_PER_OBJECT = 20


def core_schema_dir(version: str) -> Path:
    """The strict schema directory for Kubernetes ``version`` (the newest one not newer than it)."""
    wanted = Version(version.lstrip("v"))
    found = []
    for d in SCHEMA_ROOT.iterdir():
        m = re.match(r"^v(\d+\.\d+)\.\d+-local-strict$", d.name)
        if m and Version(m.group(1)) <= Version(f"{wanted.major}.{wanted.minor}"):
            found.append((Version(m.group(1)), d))
    if not found:
        raise HomelabError(f"--k8s-version {version}: kubernetes-validate has no schemas that old")
    return max(found)[1]


def _strict(schema: Any) -> Any:
    """An OpenAPI v3 CRD schema as JSON Schema, strict like the API server's field validation."""
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strict(v) for k, v in schema.items()}
    if out.pop("x-kubernetes-int-or-string", False):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if out.pop("nullable", False) and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if out.get("x-kubernetes-preserve-unknown-fields"):
        if out.get("additionalProperties") is False:
            del out["additionalProperties"]  # the API server keeps unknown fields here
    elif "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


class Schemas:
    """Cached validators for every kind the run meets."""

    def __init__(self, *, k8s_version: str = "1.32", scopes: KindScopes = DEFAULT_SCOPES) -> None:
        self.scopes = scopes
        """Which kinds are cluster-scoped: the tables, extended by every CRD added."""
        self.core_dir = core_schema_dir(k8s_version)
        definitions = json.loads((self.core_dir / "_definitions.json").read_text())
        self.registry: Registry = Resource.from_contents(definitions) @ Registry()
        self._defs = definitions["$defs"]
        self._crds: dict[tuple[str, str], dict[str, Any]] = {}
        self._cache: dict[tuple[str, str], jsonschema.protocols.Validator | None] = {}
        self._locations: list[tuple[str, Path | None]] = []
        self.unreachable: set[str] = set()
        """Schema locations that could not be reached (offline): the kinds they should have served are unchecked."""
        self._cached_only: set[str] = set()
        meta = {"$ref": f"{DEFINITIONS_ID}#/$defs/{OBJECT_META}"}
        self.object_meta = jsonschema.Draft202012Validator(meta, registry=self.registry)

    # -- custom resource schemas ----------------------------------------------------------------
    def add_crd_schema(self, api_version: str, kind: str, schema: dict[str, Any]) -> None:
        strict = _strict(schema)
        if isinstance(strict.get("properties"), dict):
            # Every object has these; metadata is checked against ObjectMeta instead.
            strict["properties"].update({"apiVersion": {"type": "string"}, "kind": {"type": "string"}})
            strict["properties"]["metadata"] = {"type": "object"}
        self._crds[(api_version, kind)] = strict
        self._cache.pop((api_version, kind), None)

    def add_schema_dir(self, directory: Path) -> int:
        """Load ``<group>/<kind>_<version>.json`` files; return how many."""
        if not directory.is_dir():
            raise HomelabError(f"--crd-schemas {directory}: no such directory")
        count = 0
        for path in sorted(directory.glob("*/*.json")):
            kind_lower, _, version = path.stem.rpartition("_")
            schema = json.loads(path.read_text())
            kind = self._kind_name(schema, kind_lower)
            self.add_crd_schema(f"{path.parent.name}/{version}", kind, schema)
            count += 1
        return count

    @staticmethod
    def _kind_name(schema: dict[str, Any], kind_lower: str) -> str:
        enum = ((schema.get("properties") or {}).get("kind") or {}).get("enum") or []
        for value in enum:
            if isinstance(value, str) and value.lower() == kind_lower:
                return value
        return kind_lower  # matched case-insensitively in validator()

    def add_crds(self, documents: Iterable[Any]) -> int:
        """Register the schemas of CustomResourceDefinition documents (also inside a List)."""
        count = 0
        for doc in documents:
            if not isinstance(doc, dict):
                continue
            if doc.get("kind") == "List":
                count += self.add_crds(doc.get("items") or [])
                continue
            if doc.get("kind") != "CustomResourceDefinition":
                continue
            self.scopes = self.scopes.with_crds([doc])
            spec = doc.get("spec") or {}
            group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
            for version in spec.get("versions") or []:
                schema = ((version.get("schema") or {}).get("openAPIV3Schema")) or None
                if group and kind and schema:
                    self.add_crd_schema(f"{group}/{version['name']}", kind, schema)
                    count += 1
        return count

    def add_crd_file(self, path: Path) -> int:
        try:
            return self.add_crds(yaml.safe_load_all(path.read_text()))
        except (OSError, yaml.YAMLError) as exc:
            raise HomelabError(f"--crds {path}: cannot read CRDs ({exc})") from exc

    # -- validation -----------------------------------------------------------------------------
    def _core_file(self, api_version: str, kind: str) -> Path:
        group, _, version = api_version.rpartition("/")
        prefix = f"-{group.split('.')[0]}" if group else ""
        return self.core_dir / f"{kind.lower()}{prefix}-{version}.json"

    # -- schema locations (the kubeconform way) --------------------------------------------------
    def add_location(self, template: str, cache_dir: Path | None = None, *, fetch: bool = True) -> None:
        """Look up custom resources' schemas at ``template`` (``{group}``, ``{kind}`` lower-cased,
        ``{version}``): a ``file://`` path, or a URL fetched on first use and kept in ``cache_dir``
        (only what is cached already when ``fetch`` is false)."""
        if not all(f"{{{name}}}" in template for name in ("group", "kind", "version")):
            raise HomelabError(
                f"--schema-location {template!r}: the template must contain {{group}}, {{kind}} and {{version}}"
            )
        self._locations.append((template, cache_dir))
        if not fetch:
            self._cached_only.add(template)

    def fetched(self, api_version: str, kind: str) -> dict[str, Any] | None:
        """The schema of ``kind`` as the first of the locations that has it gives it (cached), else None."""
        return self._from_locations(api_version, kind)

    def _from_locations(self, api_version: str, kind: str) -> dict[str, Any] | None:
        group, _, version = api_version.rpartition("/")
        for template, cache_dir in self._locations:
            url = template.format(group=group, kind=kind.lower(), version=version)
            if url.startswith("file://") or "://" not in url:
                path = Path(url.removeprefix("file://"))
                if path.is_file():
                    return dict(json.loads(path.read_text()))
                continue
            cached = cached_schema(template, cache_dir, api_version, kind) if cache_dir else None
            if cached is not None and cached.is_file():
                return dict(json.loads(cached.read_text()))
            if template in self.unreachable or template in self._cached_only:
                continue
            try:
                with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response:
                    data = response.read()
            except urllib.error.HTTPError:
                continue  # this location has no schema for the kind
            except (urllib.error.URLError, OSError):
                self.unreachable.add(template)
                continue
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_name(f".{cached.name}.tmp-{os.getpid()}")
                tmp.write_bytes(data)
                os.replace(tmp, cached)
            return dict(json.loads(data))
        return None

    def validator(self, api_version: str, kind: str) -> jsonschema.protocols.Validator | None:
        key = (api_version, kind)
        if key not in self._cache:
            group = api_version.rpartition("/")[0]
            core_group = "." not in group or group.endswith(".k8s.io")
            core_known = core_group and self._core_file(api_version, kind).exists()
            if key not in self._crds and not core_known and self._locations:
                fetched = self._from_locations(api_version, kind)
                if fetched is not None:
                    self.add_crd_schema(api_version, kind, fetched)
            crd = self._crds.get(key) or next(
                (s for (a, k), s in self._crds.items() if a == api_version and k.lower() == kind.lower()), None
            )
            if crd is not None:
                self._cache[key] = jsonschema.Draft7Validator(crd)
            else:
                group = api_version.rpartition("/")[0]
                path = self._core_file(api_version, kind)
                core_group = "." not in group or group.endswith(".k8s.io")
                self._cache[key] = (
                    jsonschema.Draft202012Validator(json.loads(path.read_text()), registry=self.registry)
                    if core_group and path.exists()
                    else None
                )
        return self._cache[key]

    def pointer_problem(self, api_version: str, kind: str, pointer: str) -> str | None:
        """What is wrong with JSON pointer ``pointer`` (``/spec/externalTraficPolicy``) in a ``kind`` object:
        a field its schema does not have (with the closest one), or a path below a scalar; None when the
        path exists, or when no schema is at hand or it says nothing of that part (free-form data)."""
        validator = self.validator(api_version, kind)
        if validator is None:
            return None
        node: Any = validator.schema
        path: list[str | int] = []
        for raw in pointer.split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            node = self._resolved(node)
            properties = node.get("properties")
            types = node.get("type")
            types = [types] if isinstance(types, str) else types or []
            if isinstance(properties, dict) and part in properties:
                node = properties[part]
            elif isinstance(node.get("items"), dict) and (part == "-" or part.isdigit()):
                node, part = node["items"], int(part) if part.isdigit() else part  # type: ignore[assignment]
            elif isinstance(node.get("additionalProperties"), dict):
                node = node["additionalProperties"]
            elif isinstance(properties, dict) and node.get("additionalProperties") is False:
                where = field_path(path) or "the object"
                close = difflib.get_close_matches(part, list(properties), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (its fields: {', '.join(sorted(properties))})"
                return f"{kind} has no field {field_path([*path, part])}: {where} has no {part!r}{hint}"
            elif types and not {"object", "array"} & set(types):
                return f"{kind} field {field_path(path)} is of type {types[0]}: it has no field {part!r}"
            else:
                return None  # free-form below here: nothing to check against
            path.append(part)
        return None

    def value_problem(self, obj: dict[str, Any], pointer: str) -> str | None:
        """What is wrong with the value ``obj`` holds at JSON pointer ``pointer`` (what a ``set_field`` put
        there) by its schema: a wrong JSON type, a value its enum does not allow, a required field missing
        (the first such problem at or below the pointer, with the type expected in Python terms); None when
        it fits or no schema is at hand."""
        validator = self.validator(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
        if validator is None:
            return None
        at = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]

        def below(path: list[str | int]) -> bool:
            return len(path) >= len(at) and all(w == "-" or str(p) == w for w, p in zip(at, path, strict=False))

        found = sorted(
            (e for e in validator.iter_errors(obj) if below(list(e.absolute_path))),
            key=lambda e: [str(p) for p in e.absolute_path],
        )
        if not found:
            return None
        error = found[0]
        where, got = field_path(error.absolute_path), _json_value(error.instance)
        if error.validator == "type":
            wanted = [t for t in _listed(error.validator_value) if t != "null"]
            return f"{where} must be {' or '.join(_python_type(t) for t in wanted)}, got {got}"
        if error.validator == "enum":
            allowed = ", ".join(repr(v) for v in _listed(error.validator_value))
            return f"{where} must be one of {allowed}, got {got}"
        if error.validator in ("anyOf", "oneOf"):
            types = [t for s in error.validator_value for t in _listed(s.get("type")) if t != "null"]
            kinds = [_python_type(t) for t in dict.fromkeys(types)]
            return f"{where} must be {' or '.join(kinds) or 'of another shape'}, got {got}"
        return f"{where}: {_message(error)}"

    def _resolved(self, node: Any) -> Any:
        """``node`` with its ``$ref`` (to a core definition) followed."""
        while isinstance(node, dict) and "$ref" in node:
            node = self._defs.get(str(node["$ref"]).rpartition("/")[2], {})
        return node if isinstance(node, dict) else {}

    def is_custom(self, api_version: str, kind: str) -> bool:
        return any(a == api_version and k.lower() == kind.lower() for a, k in self._crds)

    def errors(self, obj: dict[str, Any]) -> list[tuple[str, str]] | None:
        """(field path, message) of every violation; None when no schema knows the kind."""
        api_version, kind = str(obj.get("apiVersion", "")), str(obj.get("kind", ""))
        validator = self.validator(api_version, kind)
        if validator is None:
            return None
        if sops_encrypted(obj):  # the sops block goes when the file is decrypted, before it is applied
            obj = {k: v for k, v in obj.items() if k != "sops"}
        found = list(validator.iter_errors(obj))
        if self.is_custom(api_version, kind):
            found += [_prefixed(e, "metadata") for e in self.object_meta.iter_errors(obj.get("metadata") or {})]
        out = []
        for error in sorted(found, key=lambda e: [str(p) for p in e.absolute_path])[:MAX_ERRORS_PER_OBJECT]:
            out.append((field_path(error.absolute_path), _message(error)))
        return out


FETCH_TIMEOUT = 10


def field_path(parts: Iterable[str | int]) -> str:
    """``["spec", "ports", 0, "port"]`` → ``spec.ports[0].port``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


#: JSON Schema's types as a Python value of each is written.
PYTHON_TYPES = {
    "integer": "an integer (int)",
    "number": "a number (int or float)",
    "string": "a string (str)",
    "boolean": "a boolean (bool)",
    "array": "a list",
    "object": "a mapping (dict)",
    "null": "None",
}


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [] if value is None else [value]


def _python_type(json_type: Any) -> str:
    return PYTHON_TYPES.get(str(json_type), str(json_type))


def _json_value(value: Any) -> str:
    """``value`` in a message: its JSON type and, when short, itself."""
    kind = next(
        (
            t
            for t, py in (("boolean", bool), ("integer", int), ("number", float), ("string", str))
            if isinstance(value, py)
        ),
        "array" if isinstance(value, list) else "object" if isinstance(value, dict) else "null",
    )
    shown = repr(value)
    return f"{_python_type(kind)} {shown}" if len(shown) <= 60 else _python_type(kind)


def _prefixed(error: jsonschema.ValidationError, prefix: str) -> jsonschema.ValidationError:
    error = copy.copy(error)
    error.path.appendleft(prefix)
    return error


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties" and error.validator_value is False:
        return error.message.replace("Additional properties are not allowed", "unknown field(s)")
    return error.message if len(error.message) < 200 else error.message[:197] + "..."
