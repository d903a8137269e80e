"""What a recogniser proposes (:class:`Proposal`), and rendering a proposal to check it.

A recogniser reads built objects and proposes a construct call that would render some of them; nothing it
proposes is taken on trust: :func:`rendered` renders the call in a fresh builder scope, and the claim is kept
only when that gives exactly the proposed objects (:func:`renders_exactly`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, is_dataclass
from typing import Any

from constructs_lib._internal.construct import BuilderScope
from constructs_lib._internal.objects import objects_of
from constructs_lib.api_object import _null_pointers, api_object, json_of
from constructs_lib.platform.component import PlatformComponent
from constructs_lib.sealed_config import SealingScope
from constructs_lib.sync_policy import HOOK, HOOK_DELETE_POLICY, SYNC_WAVE, SyncHook
from homelab.engine.data import Rendered
from homelab.engine.hashed import hash_names

Objects = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class SealedEntry:
    """Ciphertexts a cluster's sealed store must hold for a SealedConfig claim (never decrypted)."""

    namespace: str
    name: str
    scope: SealingScope
    encrypted: Mapping[str, str]
    """key -> ciphertext, as in the SealedSecret."""


@dataclass(frozen=True)
class Proposal:
    """A construct call a recogniser believes renders ``objects`` (indexes into the objects it was given)."""

    construct: Callable[..., object]
    props: object
    """Its props instance; for a construct taking keyword arguments (``Namespace``), a dict of them; for
    ``api_object``, the manifest dict."""
    objects: tuple[int, ...]
    id: str
    """The construct id it suggests (made lower-kebab and unique by :func:`~homelab.importing.claims.recognise`)."""
    sealed: tuple[SealedEntry, ...] = ()


#: A recogniser: the objects of one build and the indexes still unclaimed → its proposals, best first.
Recogniser = Callable[[Objects, frozenset[int]], Iterable[Proposal]]


class EntryLookup:
    """A sealed lookup answering from :class:`SealedEntry` values: how a SealedConfig claim is rendered."""

    def __init__(self, entries: Iterable[SealedEntry]) -> None:
        self._entries = {(e.namespace, e.name, e.scope): e.encrypted for e in entries}

    def sealed_values(
        self, *, namespace: str, name: str, sealing_scope: SealingScope, keys: tuple[str, ...]
    ) -> Mapping[str, str]:
        encrypted = self._entries[(namespace, name, sealing_scope)]
        return {key: encrypted[key] for key in keys}


def api_object_arguments(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of the ``api_object`` call rendering ``manifest``: ``api_version``, ``kind``,
    ``metadata``, its other top-level fields, and its ``null`` values as ``null_fields`` (or ``keep_null`` for
    a top-level field with a ``null`` inside a list, which ``null_fields`` cannot point at)."""
    body = {k: v for k, v in manifest.items() if k not in ("apiVersion", "kind", "metadata")}
    null_fields: list[str] = []
    keep_null: list[str] = []
    for pointer in _null_pointers(dict(manifest)):
        top = "/" + pointer.split("/")[1]
        if _through_list(manifest, pointer):
            if top not in keep_null:
                keep_null.append(top)
        else:
            null_fields.append(pointer)
    out: dict[str, Any] = {
        "api_version": manifest["apiVersion"],
        "kind": manifest["kind"],
        "metadata": dict(manifest.get("metadata") or {}),
    }
    if null_fields:
        out["null_fields"] = tuple(null_fields)
    if keep_null:
        out["keep_null"] = tuple(keep_null)
    return {**out, **body}


def _through_list(manifest: Mapping[str, Any], pointer: str) -> bool:
    node: Any = manifest
    for part in pointer.split("/")[1:-1]:
        if isinstance(node, list):
            return True
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return isinstance(node, list)


def call(
    scope: BuilderScope, construct: Callable[..., object], props: object, id: str, sealed: Sequence[SealedEntry]
) -> object:
    """Create ``construct`` under ``scope`` as a homelab's builder would: with ``props`` (a props instance), or its
    keyword arguments (a dict; ``api_object``'s from the manifest), a SealedConfig with a lookup of ``sealed``."""
    if isinstance(props, PlatformComponent):  # a component renders as a platform lists it
        props.add_to(scope)
        return None
    if construct is api_object:
        assert isinstance(props, Mapping)
        return api_object(scope, id, **api_object_arguments(props))
    if isinstance(props, Mapping):
        return construct(scope, id, **props)
    assert is_dataclass(props), props
    if sealed:
        return construct(scope, id, props, store=EntryLookup(sealed))
    return construct(scope, id, props)


def rendered(
    construct: Callable[..., object], props: object, sealed: Sequence[SealedEntry] = ()
) -> list[dict[str, Any]]:
    """The objects the call renders, as a homelab writes them (hashed config named by its content)."""
    return rendered_together([(construct, props, "check", sealed)])


def rendered_together(
    calls: Iterable[tuple[Callable[..., object], object, str, Sequence[SealedEntry]]],
) -> list[dict[str, Any]]:
    """The objects the calls (construct, props, id, sealed entries) render together in one directory, as the
    engine writes them: each call in a scope of its own, then hashed config renamed and the references of the
    pods to it rewritten (:func:`homelab.engine.hashed.hash_names`)."""
    out: list[Rendered] = []
    for construct, props, id, sealed in calls:
        scope = BuilderScope("import")
        call(scope, construct, props, id, sealed)
        out += [Rendered(data=json_of(obj), origin="import", construct=obj) for obj in objects_of(scope)]
    hash_names(out)
    return [r.data for r in out]


def canonical(obj: Mapping[str, Any]) -> str:
    """``obj`` as JSON with sorted keys: equal for equal objects, whatever their key order."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


def renders_exactly(proposal: Proposal, objects: Objects) -> bool:
    """Whether the proposal renders exactly its objects (each once, JSON-equal); a call that raises does not."""
    try:
        made = rendered(proposal.construct, proposal.props, proposal.sealed)
    except Exception:  # a proposal the construct refuses is no claim: its objects stay unclaimed
        return False
    return sorted(map(canonical, made)) == sorted(canonical(objects[i]) for i in proposal.objects)


# -- reading objects back into props ------------------------------------------------------------


def metadata(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The object's ``metadata`` (empty when it has none)."""
    return dict(obj.get("metadata") or {})


def of_kind(objects: Objects, free: frozenset[int], api_version: str, kind: str) -> list[int]:
    """Indexes of the unclaimed objects of ``api_version`` (a group alone, ``argoproj.io``, matches any
    version of it) and ``kind``, in order."""
    group_only = "/" not in api_version and "." in api_version

    def matches(version: object) -> bool:
        return version == api_version or (group_only and str(version).startswith(api_version + "/"))

    return [i for i in sorted(free) if objects[i].get("kind") == kind and matches(objects[i].get("apiVersion"))]


def sync_fields(annotations: Mapping[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    """The annotations without Argo CD's sync wave and hook, and those as ``sync_wave=``/``hook=`` props (when
    they read as such; otherwise they stay annotations)."""
    rest = dict(annotations)
    props: dict[str, Any] = {}
    wave = rest.get(SYNC_WAVE)
    if wave is not None and wave.lstrip("-").isdigit() and str(int(wave)) == wave:
        props["sync_wave"] = int(rest.pop(SYNC_WAVE))
    if HOOK in rest:
        phases = tuple(rest[HOOK].split(","))
        policy = tuple(rest[HOOK_DELETE_POLICY].split(",")) if HOOK_DELETE_POLICY in rest else ()
        try:
            props["hook"] = SyncHook(phase=phases[0] if len(phases) == 1 else phases, delete_policy=policy)  # type: ignore[arg-type]
        except Exception:  # not phases Argo CD knows: kept as annotations
            return rest, props
        rest.pop(HOOK)
        rest.pop(HOOK_DELETE_POLICY, None)
    return rest, props


def object_meta(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The :class:`~constructs_lib.object_meta.ObjectMeta` fields of ``obj``: name, namespace, labels,
    annotations, sync wave and hook."""
    meta = metadata(obj)
    annotations, sync = sync_fields(meta.get("annotations") or {})
    out: dict[str, Any] = {"name": meta.get("name", "")}
    if meta.get("namespace"):
        out["namespace"] = meta["namespace"]
    if meta.get("labels"):
        out["labels"] = dict(meta["labels"])
    if annotations:
        out["annotations"] = annotations
    return {**out, **sync}


def name_of(obj: Mapping[str, Any]) -> str:
    return str(metadata(obj).get("name") or "")


def propose(
    construct: Callable[..., object],
    props_of: Callable[[], object],
    indexes: tuple[int, ...],
    id: str,
    sealed: Callable[[], tuple[SealedEntry, ...]] = tuple,
) -> Iterator[Proposal]:
    """The proposal of ``construct`` with ``props_of()`` for the objects ``indexes``; none when reading the
    props fails (the props refuse what the objects hold, or a field is missing): those objects stay unclaimed."""
    try:
        props, entries = props_of(), sealed()
    except Exception:  # whatever the props or the object's shape raise: not this construct
        return
    yield Proposal(construct, props, indexes, id, entries)
