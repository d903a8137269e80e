"""Arranging an app's objects into builders: what is the same on every cluster in ``base``, what differs in
per-cluster builders, props as module-level constants (:mod:`homelab.importing.constants`).

Each build (the base, each overlay) is recognised on its own (:func:`homelab.importing.claims.recognise`).
An overlay object is matched to the base object it is (:mod:`homelab.importing.matching`: by key, or through
the overlay's ``namespace:``, ``namePrefix:`` and ``nameSuffix:``). An overlay claim equal to its base claim is
the base's call again (one equal to another overlay's, that overlay's call); one that renders a base object (or
another overlay's) changed is declared whole, as ``replace(BASE_PROPS, field=...)`` when both are the same props
class (the engine turns the difference into a kustomize patch). An overlay that keeps every base call unchanged
starts with ``base(scope)``. A generator's object is hashed config where the recognisers declare it so, else the
object it expanded to, with a note.

What a cluster's builder must hold — a ``SealedConfig``, which reads the cluster's sealed store
(``store=ctx.sealed``) — is declared in the overlay of each cluster whose build has it, never in the base
(which knows no cluster): a flat app's SealedSecret is typed too, each cluster's store getting its ciphertexts
as they are (a certificate is needed only to seal new values). Only an app no cluster deploys keeps its
SealedSecrets as raw objects, and the report says so."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from constructs_lib.annotations import NOT_SENSITIVE, not_sensitive
from constructs_lib.api_object import api_object
from homelab.importing.built import Builder, Built, Call
from homelab.importing.claims import Claim, recognise
from homelab.importing.constants import name_calls
from homelab.importing.matching import twins
from homelab.importing.read import Generator, Manifest
from homelab.sealing.missing import seal_command
from homelab.validate.tree import describe

#: Why an imported Secret in clear is marked not sensitive (it is not: it waits to be sealed).
PLAIN_SECRET = "imported in clear by homelab import from a hand-written Secret; seal it (SealedConfig)"


__all__ = ["Arranger"]


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
        held: bool = False,
    ) -> list[Claim]:
        """Recognised claims of one build; what needs a cluster's builder (a SealedConfig) left out of a
        base whose overlays ``held`` it, kept raw where none does; what ``generators`` made and no hashed
        config declares, reported (:func:`_expanded`)."""
        out: list[Claim] = []
        for claim in self.recognise(objects):
            if claim.sealed and cluster is None:
                if held:
                    continue
                for i in claim.objects:
                    built.notes.append(
                        f"{describe(objects[i])} ({where}): kept as a raw SealedSecret: no cluster deploys the "
                        "app, so no sealed store takes its ciphertexts"
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
        for claim in self.claims(base or [], None, built, "base", generators, held=bool(overlays)):
            call = _new_call(claim, _first_key(base or [], claim))
            built.base.append(call)
            base_calls[call.key] = call
        siblings: dict[str, Call] = {}
        """An object only overlays declare → its first overlay's call (the others reuse or replace it)."""
        for cluster, objects in overlays.items():
            claims = self.claims(objects, cluster, built, f"overlay {cluster}", generators)
            keys = [_first_key(objects, claim) for claim in claims]
            matched = twins(keys, list(base_calls))
            calls: list[Call] = []
            for claim, key in zip(claims, keys, strict=True):
                twin = base_calls.get(matched.get(key, ""))
                sibling = siblings.get(key) if twin is None or matched[key] != key else None
                if claim.sealed:
                    built.sealed.setdefault(cluster, []).extend(claim.sealed)
                same = next((c for c in (twin, sibling) if c is not None and _same(c.claim, claim)), None)
                if same is not None:
                    if same is sibling:
                        same.clusters.append(cluster)  # the same props on another cluster: one constant
                    calls.append(same)
                    continue
                call = _new_call(claim, key, twin or sibling, cluster)
                call.clusters.append(cluster)
                if twin is None or matched[key] != key:
                    siblings.setdefault(key, call)
                calls.append(call)
            keeps_base = bool(base_calls) and all(c in calls for c in base_calls.values())
            if keeps_base:
                calls = [c for c in calls if c not in base_calls.values()]
            built.overlays[cluster] = Builder(calls=calls, calls_base=keeps_base)
        name_calls(built)
        return built

    def cluster(self, objects: Sequence[Manifest], cluster: str) -> Built:
        """A cluster's own objects (those of its root that are neither an app nor its Application), declared in
        its ``cluster_objects`` builder, which reads the cluster's sealed store."""
        built = Built()
        for claim in self.claims(objects, cluster, built, "root"):
            built.base.append(_new_call(claim, _first_key(objects, claim), cluster=cluster))
            if claim.sealed:
                built.sealed.setdefault(cluster, []).extend(claim.sealed)
        name_calls(built)
        return built


def _new_call(claim: Claim, key: str, twin: Call | None = None, cluster: str | None = None) -> Call:
    """A call for ``claim`` (a changed copy of ``twin``'s object, under its id) in a builder of ``cluster``
    (None: the base); a raw Secret in clear gets the comment saying how to seal it."""
    call = Call(claim=claim, id=twin.id if twin else claim.id, key=key, sealed=bool(claim.sealed), replaces=twin)
    if isinstance(claim.props, Mapping) and _is_plain_secret(claim.props):
        call.comment = (
            "WARNING: a Secret in clear, imported as it was: it must not stay in git. Seal it:",
            f"  {seal_how(claim.props, cluster)}",
            "then replace this call by a SealedConfig(..., store=ctx.sealed) of the same name and keys.",
        )
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
    """Whether a claim is a Secret in clear left raw (a ``PlainSecret`` already says why it is not sensitive)."""
    return not claim.typed and len(claim.objects) == 1 and objects[claim.objects[0]].get("kind") == "Secret"


def _first_key(objects: Sequence[Manifest], claim: Claim) -> str:
    """What tells a claim's object in other builds: ``Kind namespace/name``, hashed config by its declared name
    (its full name changes with its content)."""
    if not claim.objects:
        return claim.id
    obj = objects[claim.objects[0]]
    if getattr(claim.props, "hashed", False):
        obj = {**obj, "metadata": {**(obj.get("metadata") or {}), "name": getattr(claim.props, "name", "")}}
    return describe(obj)


def _same(a: Claim, b: Claim) -> bool:
    """Whether two claims are the same call (a SealedConfig's ciphertexts are its cluster's store's, not its)."""
    return a.construct is b.construct and a.props == b.props
