"""The platform components (:mod:`constructs_lib.platform`): a component whose Applications its props reproduce
(rendered without a cluster's facts: its Applications alone) is claimed as the component, its props read
from the Application: the chart and values of a Helm one, the repository and revision of a git one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

import constructs_lib.platform as platform
from constructs_lib._internal.construct import BuilderScope
from constructs_lib.platform.component import PlatformComponent
from constructs_lib.versions import HelmChart
from homelab.importing.recognise.base import Objects, Proposal, name_of, of_kind, propose, rendered


def component_props_classes() -> list[type]:
    """The props classes of the platform's components, in the order the package lists them."""
    found = [getattr(platform, name) for name in platform.__all__]
    return [c for c in found if isinstance(c, type) and dataclasses.is_dataclass(c) and hasattr(c, "add_to")]


def component_of(props: PlatformComponent) -> type:
    """The construct ``props.add_to`` creates (``CertManager`` for ``CertManagerProps``)."""
    scope = BuilderScope("component")
    props.add_to(scope)
    (made,) = scope._homelab_children.values()  # type: ignore[attr-defined]
    return type(made)


def props_from(cls: type, application: Mapping[str, Any]) -> PlatformComponent:
    """``cls``'s props with the chart and values (or repository and revision) of ``application``."""
    source = application["spec"]["source"]
    fields = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    if "chart" in fields and "chart" in source:
        kwargs["chart"] = HelmChart(repo_url=source["repoURL"], chart=source["chart"], version=source["targetRevision"])
        kwargs["values"] = dict((source.get("helm") or {}).get("valuesObject") or {})
    elif "repo_url" in fields and "path" in source:
        kwargs |= {"repo_url": source["repoURL"], "revision": source["targetRevision"]}
    else:
        raise ValueError(f"{cls.__name__} is not read from this Application")
    props: PlatformComponent = cls(**kwargs)
    return props


def recognise_platform(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A platform component per set of Applications (in Argo CD's namespace) that its props render."""
    applications = {name_of(objects[i]): i for i in of_kind(objects, free, "argoproj.io", "Application")}
    for cls in component_props_classes():
        try:
            names = cls().application_names()
        except Exception:  # props with no defaults for every field: not read back here
            continue
        if not names or not all(n in applications for n in names):
            continue
        props_of = partial(props_from, cls, objects[applications[names[0]]])
        try:
            props = props_of()
            construct, made = component_of(props), rendered(construct_of_props, props)
        except Exception:  # the Application holds what these props refuse
            continue
        indexes = tuple(i for obj in made for i in sorted(free) if identity(objects[i]) == identity(obj))
        yield from propose(construct, props_of, indexes, names[0])


def construct_of_props(scope: BuilderScope, id: str, props: PlatformComponent) -> None:
    """Render a component from its props, as a platform does (for :func:`rendered`)."""
    props.add_to(scope)


def identity(obj: Mapping[str, Any]) -> tuple[object, ...]:
    meta = obj.get("metadata") or {}
    return obj.get("apiVersion"), obj.get("kind"), meta.get("namespace"), meta.get("name")
