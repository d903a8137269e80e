"""``App`` and ``Deployment``: what an app is, and which apps a cluster runs.

An app has a cluster-agnostic base and, per cluster, an overlay. Both are *builders*: functions
``build(scope, ctx)`` that add constructs to ``scope``. The overlay builder declares the app as it
must be on that cluster (typically ``dataclasses.replace`` of the base's props); the synthesiser
turns the difference into kustomize patches, so nobody writes a patch by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from constructs import Construct

from constructs_lib.sync_policy import SyncPolicy
from homelab.cluster import Cluster
from homelab.errors import HomelabError

if TYPE_CHECKING:
    from constructs_lib.sealed_config import SealedLookup


@dataclass(frozen=True, kw_only=True)
class Context:
    """What a builder knows about the cluster it builds for."""

    cluster: Cluster
    """The cluster's facts."""
    sealed: SealedLookup
    """The cluster's sealed store: where ``SealedConfig`` finds its ciphertexts."""
    application_namespaces: tuple[str, ...] = ()
    """Namespaces outside Argo CD's own that hold Applications of the enabled apps (derived)."""
    backup_namespaces: tuple[str, ...] = ()
    """Namespaces to back up: enabled apps marked ``backup=True`` plus the deployment's extras (derived)."""


Builder = Callable[[Construct, Context], None]


def module_file(module: str) -> str:
    """``clusters.apps.immich`` → ``clusters/apps/immich.py``: where a module lives, independent of the cwd."""
    loaded = sys.modules.get(module)
    is_package = loaded is not None and Path(getattr(loaded, "__file__", "") or "").name == "__init__.py"
    return module.replace(".", "/") + ("/__init__.py" if is_package else ".py")


def declaring_file() -> str:
    """The file that called the dataclass constructor running this (from its ``__post_init__``)."""
    # frame 0 is this function, 1 __post_init__, 2 the dataclass __init__, 3 the declaring module
    return module_file(sys._getframe(3).f_globals.get("__name__", "<unknown>"))


def source_file(builder: Callable[..., object]) -> str:
    """The file a builder is defined in, for headers and error messages."""
    return module_file(getattr(builder, "__module__", None) or "<unknown>")


@dataclass(frozen=True, kw_only=True)
class App:
    """One app: its tree directory, its namespace and how to build it.

    ``base`` builds the app's ``<directory>/base``; ``overlays[cluster]`` builds everything the app
    is on that cluster (base objects included, changed as needed). A cluster without an overlay
    builder gets the base unchanged. An app with ``deploys`` has no directory of its own: it runs
    another app's overlay, e.g. a second copy at another revision in another namespace.
    """

    name: str
    """Name of the app-of-apps Application (and, unless given, of the directory and namespace)."""
    base: Builder | None = None
    """Builds the cluster-agnostic base; required unless ``deploys`` is set."""
    overlays: Mapping[str, Builder] = field(default_factory=dict)
    """Cluster name → builder of the app on that cluster; the base as it is when a cluster is missing."""
    directory: str | None = None
    """Directory of the tree holding ``base/`` and ``overlays/``; ``name`` when left out."""
    namespace: str | None = None
    """Namespace the app runs in; ``name`` when left out."""
    project: str | None = None
    """Argo CD project of the app; ``name`` when left out."""
    deploys: App | None = None
    """Deploy this other app's overlay instead of a directory of one's own."""
    revision: str | None = None
    """GitOps revision the app follows; the cluster's ``revision`` when left out."""
    namespace_labels: Mapping[str, str] = field(default_factory=dict)
    """Labels of the app's Namespace; none by default."""
    cluster_resources: tuple[tuple[str, str], ...] | None = None
    """(group, kind) pairs its AppProject admits cluster-wide; derived from the cluster-scoped objects
    the app's overlay contains when left out."""
    cascade_delete: bool = False
    """Deleting the Application (or project) deletes what it deployed (Argo CD's resources finalizer)."""
    backup: bool = False
    """Whether the cluster's backups include the app's namespace."""

    def __post_init__(self) -> None:
        if (self.base is None) == (self.deploys is None):
            raise HomelabError(
                f"App {self.name!r}: give exactly one of base= (a builder of its own directory) "
                "or deploys= (another app whose overlay it runs)"
            )
        if self.deploys is not None and self.overlays:
            raise HomelabError(f"App {self.name!r}: an app with deploys= has no overlays of its own; remove overlays=")

    @property
    def dir(self) -> str:
        """Directory of the tree this app deploys (the deployed app's for ``deploys``)."""
        if self.deploys is not None:
            return self.deploys.dir
        return self.directory or self.name

    @property
    def app_namespace(self) -> str:
        return self.namespace or self.name

    @property
    def origin(self) -> str:
        """File the app is declared in (its base builder's, or the deployed app's)."""
        if self.base is not None:
            return source_file(self.base)
        assert self.deploys is not None
        return self.deploys.origin


@dataclass(frozen=True, kw_only=True)
class Deployment:
    """What runs on one cluster: the apps switched on, those kept ready but off, and cluster-wide objects."""

    cluster: Cluster
    """The cluster's facts."""
    apps: tuple[App, ...]
    """Apps enabled on the cluster, in the order the cluster overlay lists them."""
    disabled: tuple[App, ...] = ()
    """Apps whose overlay is generated but not deployed: enabling one is moving it to ``apps``."""
    cluster_objects: Builder | None = None
    """Builds cluster-wide objects of ``clusters/overlays/<cluster>`` (storage classes, volumes)."""
    app_sync: SyncPolicy = field(default_factory=SyncPolicy)
    """Sync policy of the app-of-apps Applications; the seed's conventions by default."""
    extra_backup_namespaces: tuple[str, ...] = ()
    """Namespaces backed up besides those of apps marked ``backup=True`` (e.g. infrastructure)."""
    origin: str = field(default="", compare=False)
    """File the deployment is declared in; found automatically."""

    def __post_init__(self) -> None:
        if not self.origin:
            object.__setattr__(self, "origin", declaring_file())
