"""The data the engine's stages pass to each other: rendered objects, directories, the draft tree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from homelab.engine import kustomize

if TYPE_CHECKING:
    from constructs_lib._internal.objects import CdkObject
    from constructs_lib.api_object import Manifest
    from constructs_lib.sealed_config import SealedLookup
    from homelab.kinds import KindScopes
    from homelab.model.app_spec import AppSpec
    from homelab.model.cluster_plan import ClusterPlan
    from homelab.model.homelab import Homelab


@dataclass
class Rendered:
    """One object a builder produced, with where it came from."""

    data: dict[str, Any]
    """The object as it is written (its JSON, declared nulls included)."""
    origin: str
    construct: Manifest | CdkObject

    @property
    def path(self) -> str:
        """The construct path, for messages (computed only when a message needs it)."""
        return self.construct.path

    @property
    def key(self) -> kustomize.ObjectKey:
        return kustomize.object_key(self.data)


@dataclass
class Directory:
    """One kustomize directory of the tree, before it is turned into text."""

    path: str
    origin: str
    objects: list[Rendered]
    base: list[Rendered] | None = None
    """For an overlay: the base's objects, which are patched rather than repeated."""
    notes: list[str] = field(default_factory=list)
    """Comment lines for the kustomization (e.g. apps kept off on this cluster)."""
    remote: list[str] = field(default_factory=list)
    """Remote resources (pinned URLs) the kustomization lists after its own files."""


@dataclass(frozen=True)
class Draft:
    """The tree as rendered and laid out, before any check of the whole: what the later stages read."""

    lab: Homelab
    plans: tuple[ClusterPlan, ...]
    tree_in_repo: str
    """The tree's path from the repository root (``dist/kustomize`` by default)."""
    scopes: KindScopes
    directories: list[Directory]
    overlays: Mapping[tuple[str, str], list[Rendered]]
    """What each app's overlay builder gave, by (app directory, cluster)."""
    stores: Mapping[str, SealedLookup]
    """The sealed store each rendered cluster's builders read."""

    def objects(self, app: AppSpec, plan: ClusterPlan) -> list[Rendered]:
        """What ``app`` (or the app it deploys) is on ``plan``'s cluster."""
        return overlay_of(self.overlays, app, plan)


def overlay_of(overlays: Mapping[tuple[str, str], list[Rendered]], app: AppSpec, plan: ClusterPlan) -> list[Rendered]:
    """What ``app`` (or the app it deploys) is on ``plan``'s cluster, among rendered ``overlays``."""
    return overlays[((app.deploys or app).dir, plan.cluster.name)]
