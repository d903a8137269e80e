"""Arranging an app's objects into builders: what is the same on every cluster in ``base``, what differs in
per-cluster builders, props as module-level constants.

Each build (the base, each overlay) is recognised on its own (:func:`homelab.importing.claims.recognise`).
An overlay claim equal to a base claim is the base's call again (one equal to another overlay's, that
overlay's call); one that renders a base object (or another overlay's) changed is declared whole, as
``replace(BASE_PROPS, field=...)`` when both are the same props class (the engine turns the difference into
a kustomize patch). An overlay that keeps every base call unchanged starts with ``base(scope)``. A
generator's object is hashed config where the recognisers declare it so, else the object it expanded to,
with a note. A ``SealedConfig`` reads the cluster's sealed store (``store=ctx.sealed``), which gets its
ciphertexts as they are (a certificate is needed only to seal new values); in a base (which knows no
cluster) the SealedSecret is kept as a raw object and the report says so."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from constructs_lib.annotations import NOT_SENSITIVE, not_sensitive
from constructs_lib.api_object import api_object
from homelab.importing.claims import Claim, SealedEntry, recognise
from homelab.importing.read import Generator, Manifest
from homelab.sealing.missing import seal_command

#: Why an imported Secret in clear is marked not sensitive (it is not: it waits to be sealed).
PLAIN_SECRET = "imported in clear by homelab import from a hand-written Secret; seal it (SealedConfig)"


@dataclass(frozen=True)
class Replaced:
    """A constant written ``replace(BASE, field=value, ...)``."""

    base: str
    changes: Mapping[str, Any]


@dataclass
class Call:
    """One construct call of a builder."""

    claim: Claim
    id: str
    constant: str | None = None
    """The module-level constant holding its props (props dataclasses only)."""
    sealed: bool = False
    """A SealedConfig reading ``ctx.sealed``."""
    comment: tuple[str, ...] = ()
    """Lines of a comment written above the call (a plain Secret's: how to seal it)."""


@dataclass
class Builder:
    """A builder's body: ``base(scope)`` first when it keeps the base, then its calls."""

    calls: list[Call]
    calls_base: bool = False


@dataclass
class Built:
    """What the objects of one app (or a cluster's own) became."""

    constants: dict[str, object] = field(default_factory=dict)
    base: list[Call] = field(default_factory=list)
    overlays: dict[str, Builder] = field(default_factory=dict)
    sealed: dict[str, list[SealedEntry]] = field(default_factory=dict)
    """Cluster → the entries its store must hold."""
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What must not pass unseen (a plain Secret imported in clear): printed on stderr, counted."""
    plain: set[str] = field(default_factory=set)
    """The plain Secrets warned about (their JSON)."""
    typed: int = 0
    total: int = 0
    constructs: dict[str, str] = field(default_factory=dict)
    """``Kind namespace/name`` → the construct it became."""
    fixes: dict[str, str] = field(default_factory=dict)
    """``Kind namespace/name`` → why it differs from the original on purpose."""


def constant_name(text: str) -> str:
    """``immich-helm-chart`` → ``IMMICH_HELM_CHART`` (a leading digit gets a ``_``)."""
    name = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").upper() or "PROPS"
    return f"_{name}" if name[0].isdigit() else name


def describe(obj: Manifest) -> str:
    meta = obj.get("metadata") or {}
    return f"{obj.get('kind')} {meta.get('namespace') or ''}/{meta.get('name')}"


def _raw(objects: Sequence[Manifest], claim: Claim) -> list[Claim]:
    """The claim's objects as raw objects (``api_object``)."""
    return [
        Claim(api_object, dict(objects[i]), (i,), f"{claim.id}-{n}" if n else claim.id)
        for n, i in enumerate(claim.objects)
    ]


class Arranger:
    """Recognises builds and names their props, one module at a time (constants unique in it)."""

    def __init__(self, recognise_fn: Callable[[Sequence[Manifest]], list[Claim]] = recognise) -> None:
        self.recognise = recognise_fn

    def claims(
        self,
        objects: Sequence[Manifest],
        cluster: str | None,
        built: Built,
        where: str,
        generators: Sequence[Generator] = (),
    ) -> list[Claim]:
        """Recognised claims of one build; sealed ones kept raw where no store can take them; what
        ``generators`` made and no hashed config declares, reported (:func:`_expanded`)."""
        out: list[Claim] = []
        for claim in self.recognise(objects):
            if claim.sealed and cluster is None:
                for i in claim.objects:
                    built.notes.append(
                        f"{describe(objects[i])} ({where}): kept as a raw SealedSecret: a base knows no cluster's store"
                    )
                out += _raw(objects, claim)
            else:
                out.append(claim)
        for claim in out:
            built.total += len(claim.objects)
            built.typed += len(claim.objects) if claim.typed else 0
            for i in claim.objects:
                built.constructs[describe(objects[i])] = getattr(claim.construct, "__name__", str(claim.construct))
        out = [self._plain_secret(objects, c, built, where, cluster) if _is_secret(objects, c) else c for c in out]
        _expanded(objects, out, generators, built)
        return out

    @staticmethod
    def _plain_secret(
        objects: Sequence[Manifest], claim: Claim, built: Built, where: str, cluster: str | None
    ) -> Claim:
        """A Secret in clear, kept as it is but marked not sensitive (synth refuses it otherwise), loudly."""
        obj = objects[claim.objects[0]]
        meta = dict(obj.get("metadata") or {})
        meta["annotations"] = {**(meta.get("annotations") or {}), **not_sensitive({"*": PLAIN_SECRET})}
        if json.dumps(obj, sort_keys=True) not in built.plain:  # once per Secret (a base's is in each overlay)
            built.plain.add(json.dumps(obj, sort_keys=True))
            built.warnings.append(
                f"{describe(obj)} ({where}) is a plain Secret, imported in clear (annotated {NOT_SENSITIVE}, which "
                f"synth requires): seal it — {seal_how(obj, cluster)} — then declare a SealedConfig instead of it"
            )
        built.fixes[describe(obj)] = f"annotated {NOT_SENSITIVE}: a Secret in clear, to be sealed"
        return Claim(api_object, {**obj, "metadata": meta}, claim.objects, claim.id)

    def app(
        self,
        base: Sequence[Manifest] | None,
        overlays: Mapping[str, Sequence[Manifest]],
        generators: Sequence[Generator] = (),
    ) -> Built:
        """An app's builders: ``base`` (None: no base of its own) and each cluster's overlay; ``generators``:
        those its builds run."""
        built = Built()
        base_calls: dict[str, Call] = {}
        base_props: dict[int, Call] = {}
        for claim in self.claims(base or [], None, built, "base", generators):
            call = self._call(claim, built, None, base=None)
            built.base.append(call)
            base_calls[_first_key(base or [], claim)] = call
            base_props[id(claim)] = call
        siblings: dict[str, Call] = {}
        """An object only overlays declare → its first overlay's call (the others reuse or replace it)."""
        for cluster, objects in overlays.items():
            calls: list[Call] = []
            kept: set[str] = set()
            for claim in self.claims(objects, cluster, built, f"overlay {cluster}", generators):
                key = _first_key(objects, claim)
                moved = key not in base_calls  # a base object the overlay puts in a namespace (namespace:)
                twin = base_calls.get(key) or base_calls.get(_namespaceless(key))
                if twin is not None and _same(twin.claim, claim):
                    calls.append(twin)
                    kept.add(key)
                    continue
                sibling = siblings.get(key) if moved and not claim.sealed else None
                if sibling is not None and _same(sibling.claim, claim):
                    calls.append(sibling)  # the same props on another cluster: one constant
                    continue
                call = self._call(claim, built, cluster, base=twin or sibling)
                if claim.sealed:
                    call.sealed = True
                    built.sealed.setdefault(cluster, []).extend(claim.sealed)
                elif moved:
                    siblings.setdefault(key, call)
                calls.append(call)
            keeps_base = bool(base_calls) and kept == set(base_calls)
            if keeps_base:
                calls = [c for c in calls if c not in base_calls.values()]
            built.overlays[cluster] = Builder(calls=calls, calls_base=keeps_base)
        return built

    def _call(self, claim: Claim, built: Built, cluster: str | None, base: Call | None) -> Call:
        """A call for ``claim``, its props a new module constant (``replace`` of ``base``'s where it can)."""
        call = Call(claim=claim, id=claim.id)
        if not dataclasses.is_dataclass(claim.props) or isinstance(claim.props, type):
            if isinstance(claim.props, Mapping) and _is_plain_secret(claim.props):
                call.comment = (
                    "WARNING: a Secret in clear, imported as it was: it must not stay in git. Seal it:",
                    f"  {seal_how(claim.props, cluster)}",
                    "then replace this call by a SealedConfig(..., store=ctx.sealed) of the same name and keys.",
                )
            return call
        name = constant_name(claim.id)
        if name in built.constants and cluster is not None:
            name = constant_name(f"{claim.id}_{cluster}")
        stem, n = name, 2
        while name in built.constants:
            name, n = f"{stem}_{n}", n + 1
        value: object = claim.props
        if base is not None and base.constant and type(base.claim.props) is type(claim.props):
            changes = {
                f.name: getattr(claim.props, f.name)
                for f in dataclasses.fields(claim.props)
                if f.init and getattr(claim.props, f.name) != getattr(base.claim.props, f.name)
            }
            value = Replaced(base.constant, changes)
        built.constants[name] = value
        call.constant = name
        return call


def _expanded(
    objects: Sequence[Manifest], claims: Sequence[Claim], generators: Sequence[Generator], built: Built
) -> None:
    """A note per generator whose object is imported under the name kustomize gave it rather than as hashed
    config (``ConfigMap``/``PlainSecret`` with ``hashed=True``, named by its content again), once per app."""
    for claim in claims:
        for i in claim.objects:
            made = next((g for g in generators if g.hashed and g.made(objects[i])), None)
            if made is None or getattr(claim.props, "hashed", False):
                continue
            construct = getattr(claim.construct, "__name__", str(claim.construct))
            typed = "PlainSecretProps" if made.kind == "Secret" else "ConfigMapProps"
            note = (
                f"{made.field} {made.name} ({made.directory}): imported as the object it expanded to, "
                f"{describe(objects[i])} ({construct}), under the name kustomize gave it: a change of its content "
                f"will not rename it; to have it named by its content, declare it {typed}(name={made.name!r}, "
                "hashed=True)"
            )
            if note not in built.notes:
                built.notes.append(note)


def seal_how(secret: Mapping[str, Any], cluster: str | None) -> str:
    """The exact ``homelab seal`` commands that seal a Secret's keys into ``cluster``'s store (each reading the
    value from standard input); ``CLUSTER`` for a base's, which every cluster of the app gets."""
    meta = secret.get("metadata") or {}
    keys = sorted({*(secret.get("data") or {}), *(secret.get("stringData") or {})})
    ref = f"{meta.get('namespace') or 'NAMESPACE'}/{meta.get('name')}"
    return seal_command(cluster or "CLUSTER", ref, keys, "strict")


def _is_plain_secret(manifest: Mapping[str, Any]) -> bool:
    annotations = (manifest.get("metadata") or {}).get("annotations") or {}
    return (
        manifest.get("kind") == "Secret"
        and annotations.get(NOT_SENSITIVE) == not_sensitive({"*": PLAIN_SECRET})[NOT_SENSITIVE]
    )


def _is_secret(objects: Sequence[Manifest], claim: Claim) -> bool:
    return len(claim.objects) == 1 and objects[claim.objects[0]].get("kind") == "Secret"


def _first_key(objects: Sequence[Manifest], claim: Claim) -> str:
    """What tells a claim's object in other builds: ``Kind namespace/name``, hashed config by its declared name
    (its full name changes with its content)."""
    if not claim.objects:
        return claim.id
    obj = objects[claim.objects[0]]
    if getattr(claim.props, "hashed", False):
        obj = {**obj, "metadata": {**(obj.get("metadata") or {}), "name": getattr(claim.props, "name", "")}}
    return describe(obj)


def _namespaceless(key: str) -> str:
    """``Kind namespace/name`` → ``Kind /name``: the base object an overlay's ``namespace:`` moved."""
    kind, _, rest = key.partition(" ")
    return f"{kind} /{rest.partition('/')[2]}"


def _same(a: Claim, b: Claim) -> bool:
    return a.construct is b.construct and a.props == b.props and a.sealed == b.sealed
