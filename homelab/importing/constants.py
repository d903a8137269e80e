"""The names in an imported module: its module-level constants, one per distinct props, and its construct
ids, named as a person would.

A constant is named after its object (``WIKI = HelmArgoAppProps(...)``), with its kind when objects of
several kinds share the name (``PAPERLESS_DEPLOYMENT``, ``PAPERLESS_SERVICE``). A cluster's changed copy of a
base object is named after the base's constant and the clusters that declare it (``BLOG_DEPLOYMENT_HOME``,
``PAPERLESS_SERVICE_DEV_PROD``) and written ``replace(BASE, field=...)`` when both are the same props class.
A call's construct id is its constant's name in lower-kebab (``paperless-deployment``), a changed copy's the
copied call's (the same object). Names a module already means (``APP``, ``CLUSTER``, ``PLAN``) are never taken (an object named ``app`` gives
``APP_CONFIG_MAP``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homelab.importing.matching import split_key

if TYPE_CHECKING:
    from homelab.importing.built import Built, Call

#: Module-level names the written modules use for themselves.
RESERVED = frozenset({"APP", "CLUSTER", "PLAN", "HOMELAB"})


@dataclass(frozen=True)
class Replaced:
    """A constant written ``replace(BASE, field=value, ...)``."""

    base: str
    changes: Mapping[str, Any]


def constant_name(text: str) -> str:
    """``immich-helm-chart`` → ``IMMICH_HELM_CHART``; ``SealedSecret`` → ``SEALED_SECRET`` (a leading digit
    gets a ``_``)."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    name = re.sub(r"[^A-Za-z0-9]+", "_", words).strip("_").upper() or "PROPS"
    return f"_{name}" if name[0].isdigit() else name


def name_calls(built: Built) -> None:
    """Give each call of ``built`` its construct id and, holding props, its constant (see the module), in the
    order they are written: the base's calls, then each cluster's."""
    calls = _calls(built)
    stems = _stems(calls)
    taken = set(RESERVED)
    for call in calls:
        stem = stems[id(call)]
        call.id = stem.lower().replace("_", "-").strip("-")
        if not dataclasses.is_dataclass(call.claim.props) or isinstance(call.claim.props, type):
            continue
        if call.clusters and stem in taken:
            stem = "_".join([stem, *(constant_name(c) for c in call.clusters)])
        name, n = stem, 2
        while name in taken:
            name, n = f"{stem}_{n}", n + 1
        taken.add(name)
        call.constant = name
        built.constants[name] = _value(call)


def _calls(built: Built) -> list[Call]:
    """Each call once, in the order the module writes them."""
    seen: dict[int, Call] = {}
    for call in [*built.base, *(c for b in built.overlays.values() for c in b.calls)]:
        seen.setdefault(id(call), call)
    return list(seen.values())


def _stems(calls: Iterable[Call]) -> dict[int, str]:
    """Call (by id) → its stem: its object's name, with its kind when another kind has the name; a changed
    copy of another call's object takes that call's stem."""
    by_name: dict[str, set[str]] = {}
    for call in calls:
        kind, _, name = split_key(call.key)
        by_name.setdefault(constant_name(name or call.id), set()).add(kind)
    out: dict[int, str] = {}
    for call in calls:
        kind, _, name = split_key(call.key)
        short = constant_name(name or call.id)
        long = short if short.endswith(constant_name(kind)) else f"{short}_{constant_name(kind)}"
        out[id(call)] = long if kind and (len(by_name[short]) > 1 or short in RESERVED) else short
    for call in calls:  # a changed copy (renamed by namePrefix, say) is named after what it copies
        if call.replaces is not None and id(call.replaces) in out:
            out[id(call)] = out[id(call.replaces)]
    return out


def _value(call: Call) -> object:
    """The constant's value: ``Replaced`` when it is a copy of another call's props of the same class."""
    props, twin = call.claim.props, call.replaces
    if twin is None or twin.constant is None or type(twin.claim.props) is not type(props):
        return props
    changes = {
        f.name: getattr(props, f.name)
        for f in dataclasses.fields(props)  # type: ignore[arg-type]
        if f.init and getattr(props, f.name) != getattr(twin.claim.props, f.name)
    }
    return Replaced(twin.constant, changes)
