"""``Homelab``: the whole declaration — the clusters, what runs on each, and where its files live."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from homelab.app import App, Deployment, declaring_file
from homelab.cluster import Cluster
from homelab.errors import HomelabError
from homelab.sealing.cert import load_certificate
from homelab.sealing.store import SealedStore

CORE_DIRECTORY = "core-argocd-apps"
BOOTSTRAP_DIRECTORY = "clusters"


@dataclass(frozen=True, kw_only=True)
class Homelab:
    """Everything ``homelab synth`` compiles.

    The first deployment's cluster is the *primary* one: bases are rendered with its facts, and
    every cluster's overlay patches what differs (as the hand-written tree did with its bases).
    """

    root: Path
    """The repository root: certificates and sealed stores are found relative to it."""
    deployments: tuple[Deployment, ...]
    """One per cluster; the first is the primary cluster."""
    core: App
    """Infrastructure apps (``core-argocd-apps``), deployed by each cluster's root Application."""
    root_app_name: str = "core-argocd-app"
    """Name of the root Application in ``clusters/base`` that deploys ``core``."""
    sealed_dir: str = "clusters/sealed"
    """Repository-relative directory of the per-cluster sealed stores."""
    origin: str = field(default="", compare=False)
    """File the declaration lives in, named in generated headers and messages; found automatically."""

    def __post_init__(self) -> None:
        if not self.origin:
            object.__setattr__(self, "origin", declaring_file())
        if not self.deployments:
            raise HomelabError(f"{self.origin}: Homelab needs at least one Deployment")
        names = [d.cluster.name for d in self.deployments]
        for name in names:
            if names.count(name) > 1:
                raise HomelabError(
                    f"{self.origin}: cluster {name!r} is deployed twice; keep one Deployment per cluster"
                )
        tree_paths = {d.cluster.tree_path for d in self.deployments}
        if len(tree_paths) > 1:
            raise HomelabError(
                f"{self.origin}: clusters disagree on tree_path ({', '.join(sorted(tree_paths))}); "
                "they share one tree, give them the same tree_path"
            )
        self._check_apps()

    def _check_apps(self) -> None:
        clusters = {d.cluster.name for d in self.deployments}
        by_name: dict[str, App] = {}
        by_dir: dict[str, App] = {}
        reserved = {CORE_DIRECTORY, BOOTSTRAP_DIRECTORY}
        for app in (self.core, *self.apps):
            other = by_name.setdefault(app.name, app)
            if other is not app:
                raise HomelabError(
                    f"{app.origin}: two apps are named {app.name!r} (the other is in {other.origin}); "
                    "app names must be unique: rename one"
                )
            for cluster in app.overlays:
                if cluster not in clusters:
                    raise HomelabError(
                        f"{app.origin}: App {app.name!r} has an overlay for cluster {cluster!r}, which does not exist; "
                        f"clusters are: {', '.join(sorted(clusters))}"
                    )
            if app.deploys is None:
                owner = by_dir.setdefault(app.dir, app)
                if owner is not app or (app is not self.core and app.dir in reserved):
                    raise HomelabError(
                        f"{app.origin}: App {app.name!r} uses directory {app.dir!r}, which "
                        f"{'is reserved' if app.dir in reserved else 'App ' + repr(owner.name) + ' uses'}; "
                        "give it another directory="
                    )
        for d in self.deployments:
            seen: set[str] = set()
            for app in (*d.apps, *d.disabled):
                if app is self.core:
                    raise HomelabError(
                        f"{self.origin}: the core app is deployed by the root Application; do not list it"
                    )
                if app.name in seen:
                    raise HomelabError(f"{self.origin}: App {app.name!r} is listed twice on cluster {d.cluster.name!r}")
                seen.add(app.name)

    @property
    def primary(self) -> Deployment:
        return self.deployments[0]

    @property
    def tree_path(self) -> str:
        return self.primary.cluster.tree_path

    @cached_property
    def apps(self) -> tuple[App, ...]:
        """Every app of every deployment (and every app deployed through ``deploys``), each once, in order."""
        out: dict[int, App] = {}
        for d in self.deployments:
            for app in (*d.apps, *d.disabled):
                if app.deploys is not None:
                    out.setdefault(id(app.deploys), app.deploys)
                out.setdefault(id(app), app)
        return tuple(out.values())

    def deployment(self, cluster: str) -> Deployment:
        for d in self.deployments:
            if d.cluster.name == cluster:
                return d
        names = ", ".join(d.cluster.name for d in self.deployments)
        raise HomelabError(f"no cluster named {cluster!r}; clusters are: {names}")

    def store_path(self, cluster: Cluster) -> Path:
        return self.root / self.sealed_dir / f"{cluster.name}.yaml"

    def cert_path(self, cluster: Cluster) -> Path:
        return self.root / (cluster.sealing_cert or f"clusters/certs/{cluster.name}.pem")

    def sealed_store(self, cluster: Cluster) -> SealedStore:
        """The cluster's sealed store, checked against its current certificate."""
        cert_path = self.cert_path(cluster)
        fingerprint = load_certificate(cert_path).fingerprint if cert_path.exists() else None
        path = self.store_path(cluster)
        return SealedStore.load(
            cluster=cluster.name, path=path, fingerprint=fingerprint, label=path.relative_to(self.root).as_posix()
        )
