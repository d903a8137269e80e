"""``ExistingProject``: an Argo CD project an app's Application names but the homelab does not declare.

Apps are in a project of their own by default, whose AppProject the engine derives (it admits exactly the
repositories, namespaces and cluster-wide kinds the app uses). Many hand-kept homelabs put every
Application in Argo CD's built-in ``default`` project instead, or in a project kept by hand:
``AppSpec(project=DEFAULT_PROJECT)`` (or ``ExistingProject(name="infra")``) says so, and no AppProject is
emitted for it. ``AppSpec(project="default")`` is refused: it would emit an AppProject named ``default``
that replaces Argo CD's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib._internal.k8s_names import check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked

#: The name of the project Argo CD creates itself, which admits everything.
ARGOCD_DEFAULT = "default"


@type_checked
@dataclass(frozen=True, kw_only=True)
class ExistingProject:
    """A project that exists without this homelab declaring it: its apps' Applications name it, and no
    AppProject is derived or emitted for it (what it admits is up to whoever keeps it)."""

    name: str
    """The project's name, e.g. ``"default"`` (Argo CD's own)."""

    def __post_init__(self) -> None:
        check_dns_subdomain(self.name, what="name", owner="ExistingProject")


DEFAULT_PROJECT = ExistingProject(name=ARGOCD_DEFAULT)
"""Argo CD's built-in ``default`` project."""
