"""Kubernetes objects built from plain data (:func:`api_object`), and read back as manifests.

:class:`Manifest` is the object every construct of this library renders, kept in Python: in a homelab,
creating and reading it needs no Node.js (a cdk8s ``ApiObject`` lives in Node.js, reached through
jsii). Its JSON is what cdk8s would render: metadata keys sorted and empty metadata fields dropped,
``None`` dropped from mappings. :meth:`Manifest.set_field` is the escape hatch for a field no prop
exposes. Under a cdk8s construct (a cdk8s program's chart) it is also a ``cdk8s.ApiObject`` rendering
the same JSON, so ``chart.to_json()`` and ``app.synth()`` hold it.

cdk8s drops ``null`` values; a few real manifests carry one on purpose (kubeseal writes
``creationTimestamp: null``): ``null_fields`` names them and they are written as ``null``. Under the
pointers in ``keep_null`` (Helm ``valuesObject``, where ``null`` unsets a chart default) every
``None`` is kept and written as ``null``.

A top-level field that looks like a misspelling of a Kubernetes one (``sepc``) is refused: it would
be written out as given and ignored, or refused, by the API server. So are, where the object is
created or ``set_field`` changes it, an ``apiVersion``, kind, name, namespace or label Kubernetes
would refuse (the name is also the file's), and a value that is not JSON data (bytes, a set, ``nan``):
each error names the line of the call.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from constructs_lib._internal.construct import Construct, ConstructScope, cdk8s_node
from constructs_lib._internal.k8s_json import check_json, to_json
from constructs_lib._internal.k8s_names import manifest_problems
from constructs_lib.errors import PropsError

if TYPE_CHECKING:
    pass

#: Top-level fields of Kubernetes objects besides ``apiVersion``, ``kind`` and ``metadata``.
TOP_LEVEL_FIELDS = frozenset(
    [
        "spec",
        "data",
        "stringData",
        "binaryData",
        "type",
        "immutable",
        "rules",
        "roleRef",
        "subjects",
        "aggregationRule",
        "provisioner",
        "parameters",
        "reclaimPolicy",
        "volumeBindingMode",
        "allowVolumeExpansion",
        "mountOptions",
        "allowedTopologies",
        "webhooks",
        "secrets",
        "imagePullSecrets",
        "automountServiceAccountToken",
        "template",
        "driver",
        "handler",
        "overhead",
        "scheduling",
        "value",
        "globalDefault",
        "preemptionPolicy",
        "description",
        "subsets",
        "endpoints",
        "addressType",
        "ports",
        "status",
        "deletionPolicy",
        "sops",  # a SOPS-encrypted file's metadata, carried as it is (never decrypted)
    ]
)
#: The fields a misspelling is checked against: those nearly every object has.
_COMMON_FIELDS = ("spec", "data", "stringData", "binaryData", "type", "rules", "subjects", "roleRef", "template")


def _without_none(value: Any) -> Any:
    """``value`` as cdk8s renders it: ``None`` dropped from mappings, tuples as lists."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_without_none(v) for v in value]
    return value


def _without_none_except(value: Any, keep: frozenset[str], path: str = "") -> Any:
    """:func:`_without_none`, except below the JSON pointers ``keep``, where ``None`` stays."""
    if path in keep:
        return to_json(value)  # None kept everywhere below, tuples as lists
    if isinstance(value, dict):
        return {k: _without_none_except(v, keep, f"{path}/{k}") for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_without_none_except(v, keep, f"{path}/-") for v in value]
    return value


def check_top_level(kind: str, fields: Any) -> None:
    """Refuse a top-level field that looks like a misspelt Kubernetes one (``sepc`` for ``spec``)."""
    for name in fields:
        if name in TOP_LEVEL_FIELDS:
            continue
        close = difflib.get_close_matches(name, _COMMON_FIELDS, n=1, cutoff=0.75)
        if close:
            raise PropsError(f"{kind}: top-level field {name!r} is not a Kubernetes field; did you mean {close[0]!r}?")


def _sorted_metadata(value: Any) -> Any:
    """cdk8s's rendering of ``metadata``: keys sorted, ``None`` and empty mappings and lists dropped."""
    if isinstance(value, dict):
        out = {}
        for key in sorted(value):
            item = _sorted_metadata(value[key])
            if item is not None:
                out[key] = item
        return out or None
    if isinstance(value, list | tuple):
        return [_sorted_metadata(v) for v in value] or None
    return value


class SetField(NamedTuple):
    """A :meth:`Manifest.set_field` call, kept for the engine to check its pointer and value against the object's
    schema."""

    pointer: str
    stack: tuple[tuple[str, int], ...]
    """(file, line) of each frame of the call, innermost first: the engine names the user's."""


def _call_stack() -> tuple[tuple[str, int], ...]:
    frame = sys._getframe(2)  # the caller of set_field
    out = []
    while frame is not None:
        out.append((frame.f_code.co_filename, frame.f_lineno))
        frame = frame.f_back  # type: ignore[assignment]
    return tuple(out)


class Manifest(Construct):
    """One Kubernetes object of this library: ``apiVersion``, ``kind``, ``metadata``, then ``body``
    (``spec``, ``data``, ...), kept and rendered in Python (see the module)."""

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        *,
        api_version: str,
        kind: str,
        metadata: dict[str, Any],
        body: dict[str, Any] | None = None,
        null_fields: tuple[str, ...] = (),
        keep_null: tuple[str, ...] = (),
    ) -> None:
        check_top_level(kind, body or {})
        super().__init__(scope, id)
        self.null_fields = null_fields
        """JSON pointers (``/metadata/creationTimestamp``) rendered as ``null``."""
        self.hashed = False
        """Whether the engine names the object after its content, as kustomize's generators do (a
        ``ConfigMap``'s or ``PlainSecret``'s ``hashed``)."""
        self._kind = kind
        check_json(metadata, "metadata", self._owner)
        for field, value in (body or {}).items():
            check_json(value, field, self._owner)
        self._head = {"apiVersion": api_version, "kind": kind, "metadata": _sorted_metadata(metadata) or {}}
        self._check_names(self._head)
        self._body = {k: v for k, v in (body or {}).items() if v is not None}
        self._keep_null = frozenset(keep_null)
        self.set_fields: list[SetField] = []
        """The :meth:`set_field` calls made on it, in order."""
        mirror(self)  # under a cdk8s construct: its cdk8s.ApiObject

    @property
    def _owner(self) -> str:
        """The object in messages: ``ConfigMap (wiki/settings)``."""
        return f"{self._kind} ({self.path})"

    def _check_names(self, head: dict[str, Any]) -> None:
        """Refuse an apiVersion, kind, name, namespace or label that Kubernetes would (they also name the
        object's file), where the object is declared; the engine checks again after rendering, for cdk8s
        constructs."""
        problems = manifest_problems(head)
        if problems:
            raise PropsError(
                f"{self._owner}: {'; '.join(problems)}; fix: rename it where it is declared: its props' "
                "name=/namespace=/labels=, or api_object(metadata={'name': ...})"
            )

    def set_field(self, pointer: str, value: Any) -> None:
        """Set the field at JSON pointer ``pointer`` (``/spec/successfulJobsHistoryLimit``) to ``value``.

        The escape hatch for a field no prop of the construct exposes: missing mappings on the way
        are created, a list index (``/spec/template/spec/containers/0/tty``) or ``-`` (append)
        addresses lists, and ``value`` may hold typed ``cdk8s_plus_33.k8s`` pieces. Prefer a prop when
        one exists: it is typed. In a homelab, synth checks ``pointer`` and ``value`` against the object's
        schema (a core kind's, or a custom resource's at hand) and refuses, at this line, a field it does not
        have and a value of another type (or not among its enum's).
        """
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        if not pointer.startswith("/") or not parts or parts[0] in ("apiVersion", "kind"):
            raise PropsError(
                f"{self._kind}: set_field needs a JSON pointer below the object, e.g. '/spec/replicas', got {pointer!r}"
            )
        check_top_level(self._kind, parts[:1])
        check_json(value, "value", f"{self._owner}: set_field({pointer!r})")
        self.set_fields.append(SetField(pointer, _call_stack()))
        value = to_json(value)
        if parts[0] == "metadata":
            metadata = _sorted_metadata(_set(self._head["metadata"], parts[1:], value, pointer)) or {}
            self._check_names({**self._head, "metadata": metadata})
            self._head["metadata"] = metadata
        else:
            self._body = _set(self._body, parts, value, pointer)
        mirror(self)

    def to_json(self) -> dict[str, Any]:
        """The manifest, as cdk8s would render it."""
        body = _without_none_except(self._body, self._keep_null) if self._keep_null else _without_none(self._body)
        return {**self._head, **body}


def _set(node: Any, parts: list[str], value: Any, pointer: str) -> Any:
    """A copy of ``node`` with ``value`` at ``parts`` (copies along the path only: props stay untouched)."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if node is None and head == "-":
        node = []  # appending to a list not there yet: a list of one
    if isinstance(node, list | tuple):
        items = list(node)
        if head == "-":
            items.append(_set({}, rest, value, pointer))
        elif head.isdigit() and int(head) < len(items):
            items[int(head)] = _set(items[int(head)], rest, value, pointer)
        else:
            raise PropsError(f"set_field {pointer!r}: no item {head!r} in a list of {len(items)}")
        return items
    if node is None:
        node = {}
    if not isinstance(node, dict):
        raise PropsError(f"set_field {pointer!r}: {head!r} is below a value that is not a mapping ({node!r})")
    return {**node, head: _set(node.get(head), rest, value, pointer)}


def api_object(
    scope: ConstructScope,
    id: str,
    *,
    api_version: str,
    kind: str,
    metadata: dict[str, Any],
    null_fields: tuple[str, ...] = (),
    keep_null: tuple[str, ...] = (),
    **body: Any,
) -> Manifest:
    """An object whose top-level fields after ``metadata`` (``spec``, ``data``, ...) are ``body``.

    Fields whose value is ``None`` are left out; empty strings, lists and dicts are kept.
    ``null_fields`` are JSON pointers (``/metadata/creationTimestamp``) rendered as ``null``; below the
    pointers ``keep_null`` (``/spec/source/helm/valuesObject``) every ``None`` is written as ``null``.
    """
    return Manifest(
        scope,
        id,
        api_version=api_version,
        kind=kind,
        metadata=metadata,
        body=body,
        null_fields=null_fields,
        keep_null=keep_null,
    )


class Rendering(Protocol):
    """Anything that renders one Kubernetes object: a :class:`Manifest`, an object a cdk8s construct made."""

    def to_json(self) -> Any: ...


def json_of(obj: Rendering) -> dict[str, Any]:
    """The object as it is written to disk: its JSON plus any declared ``null`` fields (a :class:`Manifest`'s)."""
    data: dict[str, Any] = obj.to_json()
    for pointer in getattr(obj, "null_fields", ()):
        *parents, leaf = pointer.strip("/").split("/")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = None
    return data


def _null_pointers(value: Any, path: str = "") -> Iterator[str]:
    """The JSON pointers of the ``None`` values of mappings in ``value`` (jsii drops them; in lists it keeps them)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        pointer = f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"
        if item is None and isinstance(value, dict):
            yield pointer
        else:
            yield from _null_pointers(item, pointer)


def mirror(manifest: Manifest) -> None:
    """Under a cdk8s construct, make ``manifest``'s ``cdk8s.ApiObject`` (once) render its JSON as it is now.

    Called when the manifest is created and after each change; nothing (not even cdk8s loaded) when it is
    under a builder's scope. The object's JSON is the whole document (a root ``replace`` patch) and its
    ``null`` fields (one ``add`` patch each: ``None`` crosses into Node.js as ``undefined``, which cdk8s's
    YAML writes as ``null``)."""
    parent = cdk8s_node(manifest.scope)
    if parent is None:
        return
    import cdk8s

    data = json_of(manifest)
    if manifest._in_cdk8s is None:
        meta = data["metadata"]
        manifest._in_cdk8s = cdk8s.ApiObject(
            parent,
            manifest.id,
            api_version=data["apiVersion"],
            kind=data["kind"],
            metadata=cdk8s.ApiObjectMetadata(name=meta.get("name"), namespace=meta.get("namespace")),
        )
    patches = [cdk8s.JsonPatch.add(pointer, None) for pointer in _null_pointers(data)]
    manifest._in_cdk8s.add_json_patch(cdk8s.JsonPatch.replace("", data), *patches)
