"""Claims: which construct call renders which of a build's objects, every object covered exactly once.

:func:`recognise` asks each recogniser (:mod:`homelab.importing.recognise`) in turn for proposals over the
objects not yet claimed, keeps those whose rendering gives exactly their objects (the library's constructs
rendered in a builder scope, compared as JSON), and covers what is left with ``api_object`` (the object as
it is: typed raw data, never dropped).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from constructs_lib._internal.construct import BuilderScope
from constructs_lib.api_object import api_object
from homelab.importing.hashed import hashed_base, hashed_renames, identity, unhashed
from homelab.importing.recognise import RECOGNISERS
from homelab.importing.recognise.base import (
    Proposal,
    Recogniser,
    SealedEntry,
    call,
    canonical,
    name_of,
    rendered_together,
    renders_exactly,
)

__all__ = ["Claim", "SealedEntry", "recognise"]


@dataclass(frozen=True)
class Claim:
    """Objects of one build that one construct call renders exactly (verified by rendering it)."""

    construct: Callable[..., object]
    """E.g. ``HelmArgoApp``, or ``api_object`` for the fallback."""
    props: object
    """Its props instance; for a construct taking keyword arguments (``Namespace``) a dict of them; for
    ``api_object`` the manifest dict (:func:`~homelab.importing.recognise.base.api_object_arguments` gives the
    call's arguments)."""
    objects: tuple[int, ...]
    """Indexes into the list given to :func:`recognise`."""
    id: str
    """Construct id suggestion, lower-kebab, unique within the call."""
    sealed: tuple[SealedEntry, ...] = ()
    """What the cluster's sealed store must hold for it (a ``SealedConfig``'s ciphertexts)."""

    @property
    def typed(self) -> bool:
        """Whether a typed construct renders the objects (False for the ``api_object`` fallback)."""
        return self.construct is not api_object

    def render(self, scope: BuilderScope) -> object:
        """Create the construct under ``scope`` (a SealedConfig answered from :attr:`sealed`)."""
        return call(scope, self.construct, self.props, self.id, self.sealed)


def recognise(objects: Sequence[Mapping[str, Any]], recognisers: Sequence[Recogniser] = RECOGNISERS) -> list[Claim]:
    """Claims covering every object exactly once: a typed construct where one renders the objects
    exactly (checked by rendering it in a BuilderScope and comparing JSON), else api_object.

    Claims come in the order of their first object. With hashed config (a ConfigMap or Secret named
    ``<name>-<hash of its content>``, :mod:`homelab.importing.hashed`), it is claimed with ``hashed=True``
    under its declared name, and the pods referencing it are claimed naming that name too (an ``api_object``'s
    manifest as well), as the engine rewrites them; the claims are kept only when no other object of the kind
    has the declared name and rendering them all together gives the build, else the config is claimed under
    its full name, unhashed."""
    if not any(hashed_base(obj) is not None for obj in objects):
        return _claims(objects, recognisers)
    renames = hashed_renames(objects)
    claims = _claims(unhashed(objects, renames), recognisers)
    hashed = [c for c in claims if getattr(c.props, "hashed", False)]
    if all(identity(objects[c.objects[0]]) in renames for c in hashed) and _renders_build(claims, objects):
        return claims
    return [_unhashed_claim(claim, objects) for claim in _claims(objects, recognisers)]


def _claims(objects: Sequence[Mapping[str, Any]], recognisers: Sequence[Recogniser]) -> list[Claim]:
    free = set(range(len(objects)))
    kept: list[Proposal] = []
    for recogniser in recognisers:
        for proposal in recogniser(objects, frozenset(free)):
            wanted = set(proposal.objects)
            if (
                wanted
                and wanted <= free
                and len(wanted) == len(proposal.objects)
                and renders_exactly(proposal, objects)
            ):
                kept.append(proposal)
                free -= wanted
    kept += [Proposal(api_object, dict(objects[i]), (i,), _fallback_id(objects[i])) for i in sorted(free)]
    kept.sort(key=lambda p: min(p.objects))
    taken: set[str] = set()
    return [Claim(p.construct, p.props, p.objects, _unique_id(p, objects, taken), p.sealed) for p in kept]


def _kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text).lower()).strip("-")


def _fallback_id(manifest: Mapping[str, Any]) -> str:
    return str((manifest.get("metadata") or {}).get("name") or manifest.get("kind") or "object")


def _unique_id(proposal: Proposal, objects: Sequence[Mapping[str, Any]], taken: set[str]) -> str:
    """The proposal's id, lower-kebab; if taken, followed by the kind of its first object, then a number."""
    base = _kebab(proposal.id) or "object"
    kind = _kebab(str(objects[proposal.objects[0]].get("kind", "")))
    longer = f"{base}-{kind}" if kind and not base.endswith(kind) else base
    candidates = [base, longer, *(f"{longer}-{n}" for n in range(2, len(taken) + 3))]
    found = next(c for c in candidates if c not in taken)
    taken.add(found)
    return found


def _renders_build(claims: Sequence[Claim], objects: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the claims rendered together in one directory (hashed config renamed, references rewritten)
    give exactly ``objects``."""
    try:
        made = rendered_together((c.construct, c.props, c.id, c.sealed) for c in claims)
    except Exception:  # claims that cannot be rendered side by side do not render the build
        return False
    return sorted(map(canonical, made)) == sorted(canonical(obj) for obj in objects)


def _unhashed_claim(claim: Claim, objects: Sequence[Mapping[str, Any]]) -> Claim:
    """``claim`` with hashed config declared unhashed under its full name (what renders it alone, exactly)."""
    if not getattr(claim.props, "hashed", False):
        return claim
    props = dataclasses.replace(claim.props, hashed=False, name=name_of(objects[claim.objects[0]]))  # type: ignore[type-var]
    return dataclasses.replace(claim, props=props)
