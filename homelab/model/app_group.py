"""``AppGroup``: several apps that share one namespace and one Argo CD project.

An operator and the instance it manages (``keycloak-operator`` and ``keycloak-instance``) are two
apps — each its own directory, overlays and Application — that live in one namespace under one
AppProject. Give both ``group=AppGroup(name="keycloak")``: the Namespace and the AppProject are
emitted once per cluster, and the project's derived fields (source repositories, destinations,
cluster-wide kinds) are the union of the enabled members'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked


@type_checked
@dataclass(frozen=True, kw_only=True)
class AppGroup:
    """The namespace and project several apps share; members set neither themselves."""

    name: str
    """Name of the namespace and of the project, unless given."""
    namespace: str | None = None
    """The group's namespace; ``name`` when left out."""
    project: str | None = None
    """The group's Argo CD project; ``name`` when left out."""
    namespace_labels: Mapping[str, str] = field(default_factory=dict)
    """Labels of the Namespace; none by default."""

    def __post_init__(self) -> None:
        check_dns_label(self.group_namespace, what="namespace", owner=f"AppGroup {self.name!r}")
        check_dns_subdomain(self.group_project, what="project", owner=f"AppGroup {self.name!r}")

    @property
    def group_namespace(self) -> str:
        return self.namespace or self.name

    @property
    def group_project(self) -> str:
        return self.project or self.name
