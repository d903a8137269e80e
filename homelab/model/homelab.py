"""``Homelab``: the whole declaration — the clusters, what runs on each, and where its files live."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from constructs_lib._internal.runtime_types import type_checked
from homelab.errors import HomelabError
from homelab.model.app_group import AppGroup
from homelab.model.app_spec import AppSpec
from homelab.model.cluster import Cluster
from homelab.model.cluster_plan import ClusterPlan
from homelab.model.origin import UNKNOWN, defining_file
from homelab.sealing.cert import load_certificate
from homelab.sealing.store import SealedStore

CORE_DIRECTORY = "core-argocd-apps"
BOOTSTRAP_DIRECTORY = "clusters"


@type_checked
@dataclass(frozen=True, kw_only=True)
class Homelab:
    """Everything ``homelab synth`` compiles.

    Every app's base is rendered without any cluster's facts, and each cluster's overlay patches
    what differs, so the order of ``clusters`` changes nothing in the tree.
    """

    root: Path
    """The repository root: certificates and sealed stores are found relative to it."""
    clusters: tuple[ClusterPlan, ...]
    """One plan per cluster."""
    core: AppSpec | None = None
    """Infrastructure apps (``core-argocd-apps``): the platform, deployed by the root Application of each
    cluster that runs it (``ClusterPlan.runs_core``). None for a homelab without one: no root Application
    and no ``core-argocd-apps`` directory (each cluster's bootstrap directory holds its apps' Applications)."""
    root_app_name: str = "core-argocd-app"
    """Name of the root Application in ``clusters/overlays/<cluster>`` that deploys ``core``."""
    output: str = "dist"
    """Repository-relative directory ``homelab synth`` writes (and owns); Applications name the tree's
    directories by their path from the repository root, so this is part of every such path."""
    sealed_dir: str = "clusters/sealed"
    """Repository-relative directory of the per-cluster sealed stores."""
    cluster_scoped_kinds: tuple[tuple[str, str], ...] = ()
    """(group, kind) of custom resources without a namespace that :mod:`homelab.kinds` does not
    know; CRDs the tree itself contains are read, so this is rarely needed."""
    declared_in: str | None = field(default=None, compare=False)
    """File the declaration lives in, named in generated headers and messages; when left out, the
    module that holds the Homelab as a global."""

    def __post_init__(self) -> None:
        if not self.clusters:
            raise HomelabError("Homelab needs at least one ClusterPlan in clusters=")
        names = [p.cluster.name for p in self.clusters]
        for plan in self.clusters:
            if names.count(plan.cluster.name) > 1:
                raise HomelabError(
                    f"{plan.origin}: cluster {plan.cluster.name!r} is planned twice; keep one ClusterPlan per cluster"
                )
        tree_paths = {p.cluster.tree_path for p in self.clusters}
        if len(tree_paths) > 1:
            raise HomelabError(
                f"clusters disagree on tree_path ({', '.join(sorted(tree_paths))}); "
                "they share one tree, give them the same tree_path"
            )
        self._check_apps()

    @cached_property
    def origin(self) -> str:
        """The file the declaration lives in (see ``declared_in``)."""
        return self.declared_in or defining_file(self)

    def _check_apps(self) -> None:
        clusters = {p.cluster.name for p in self.clusters}
        by_name: dict[str, AppSpec] = {}
        by_dir: dict[str, AppSpec] = {}
        reserved = {CORE_DIRECTORY, BOOTSTRAP_DIRECTORY}
        for app in self.all_apps:
            other = by_name.setdefault(app.name, app)
            if other is not app:
                raise HomelabError(
                    f"{app.origin}: two apps are named {app.name!r} (the other is in {other.origin}); "
                    "app names must be unique: rename one"
                )
            for cluster in app.overlays:
                if cluster not in clusters:
                    raise HomelabError(
                        f"{app.origin}: AppSpec {app.name!r} has an overlay for cluster {cluster!r}, which does not exist; "
                        f"clusters are: {', '.join(sorted(clusters))}"
                    )
            if app.deploys is None:
                owner = by_dir.setdefault(app.dir, app)
                if owner is not app or (app is not self.core and app.dir in reserved):
                    raise HomelabError(
                        f"{app.origin}: AppSpec {app.name!r} uses directory {app.dir!r}, which "
                        f"{'is reserved' if app.dir in reserved else 'AppSpec ' + repr(owner.name) + ' uses'}; "
                        "give it another directory="
                    )
        for directory, app in by_dir.items():
            outer = next((d for d in (*reserved, *by_dir) if directory.startswith(d + "/")), None)
            if outer is not None:
                holder = (
                    "the reserved directory" if outer in reserved else f"AppSpec {by_dir[outer].name!r}'s directory"
                )
                raise HomelabError(
                    f"{app.origin}: AppSpec {app.name!r} uses directory {directory!r}, inside {holder} {outer!r}; "
                    "give it a directory= beside it, not inside it"
                )
        for plan in self.clusters:
            self._check_core(plan)
            seen: set[str] = set()
            for app in (*plan.apps, *plan.disabled):
                if app is self.core:
                    raise HomelabError(
                        f"{plan.origin}: the core app is deployed by the root Application; do not list it"
                    )
                if app.name in seen:
                    raise HomelabError(
                        f"{plan.origin}: AppSpec {app.name!r} is listed twice on cluster {plan.cluster.name!r}; "
                        "list it once, in apps= (on) or disabled= (off)"
                    )
                seen.add(app.name)
                component = plan.platform.component_of(app.name)
                if component is not None:
                    kind = type(component).__name__
                    raise HomelabError(
                        f"{app.origin}: AppSpec {app.name!r} on cluster {plan.cluster.name!r} would deploy the "
                        f"Application {plan.cluster.argocd_namespace}/{app.name}, which the platform component "
                        f"{kind} (listed in {self.origin_of(plan)}) deploys too; two Applications would fight over "
                        f"it. Drop {kind}(...) from that cluster's platform to run your own, or rename the app"
                    )
            for name in plan.application_settings:
                if name not in seen:
                    raise HomelabError(
                        f"{plan.origin}: application_settings names {name!r}, which is not an app of cluster "
                        f"{plan.cluster.name!r}; apps are: {', '.join(sorted(seen)) or '(none)'}"
                    )
            self._check_shared(plan)

    def _check_core(self, plan: ClusterPlan) -> None:
        """A cluster's platform is rendered by the core app's overlay: it needs the core app to run there."""
        if self.core_of(plan) is not None or not plan.platform.components:
            return
        kinds = ", ".join(type(c).__name__ for c in plan.platform.components)
        why = (
            "the Homelab has no core app (core=None)"
            if self.core is None
            else f"ClusterPlan(runs_core=False) runs no core app on cluster {plan.cluster.name!r}"
        )
        raise HomelabError(
            f"{plan.origin}: cluster {plan.cluster.name!r} lists platform components ({kinds}), which the core "
            f"app's overlay renders, but {why}; give the Homelab a core= app and leave runs_core at True, or "
            "drop the platform= components"
        )

    def _check_shared(self, plan: ClusterPlan) -> None:
        """Two enabled apps that emit one Namespace or one AppProject must be one AppGroup's members (a
        namespace not created as an object, or a project not declared, is no one's)."""
        for what in ("namespace", "project"):
            owners: dict[str, AppSpec] = {}
            for app in plan.apps:
                if not (app.namespace_object if what == "namespace" else app.declares_project):
                    continue
                if plan.settings_of(app).in_cluster_objects:  # the cluster's objects declare its triple
                    continue
                value = app.app_namespace if what == "namespace" else app.app_project
                other = owners.setdefault(value, app)
                if other is app or (app.group is not None and app.group == other.group):
                    continue
                group = (other.group or app.group or AppGroup(name=value)).name
                raise HomelabError(
                    f"{app.origin}: apps {other.name!r} ({other.origin}) and {app.name!r} both use {what} {value!r} "
                    f"on cluster {plan.cluster.name!r}, and each would emit the "
                    f"{'Namespace' if what == 'namespace' else 'AppProject'}. If they belong together, put both in one "
                    f"group: define GROUP = AppGroup(name={group!r}) once and give both AppSpecs group=GROUP "
                    f"(one namespace, one project); otherwise give one of them another {what}="
                )

    def origin_of(self, plan: ClusterPlan) -> str:
        """The file ``plan`` is declared in; the declaration's own when no module holds the plan."""
        return plan.origin if plan.origin != UNKNOWN else self.origin

    @property
    def tree_path(self) -> str:
        """Where the tree lives in the output directory (every cluster's ``tree_path``; they agree)."""
        return self.clusters[0].cluster.tree_path

    def output_dir(self, given: str | os.PathLike[str] | None = None) -> Path:
        """The output directory: ``given`` (relative to the working directory), else :attr:`output`
        (relative to the root). It must lie inside the repository and must not be a file."""
        path = Path(given).resolve() if given else (self.root / self.output).resolve()
        root = self.root.resolve()
        label = str(given) if given else self.output
        if path != root and root not in path.parents:
            raise HomelabError(
                f"output directory {label} ({path}) is outside the repository {root}: Argo CD reads the tree "
                "from the repository, so it must be written there; give a directory inside it"
            )
        if path.exists() and not path.is_dir():
            raise HomelabError(
                f"output directory {label} is an existing file; give a directory (default {self.output})"
            )
        return path

    def tree_in_repo(self, output: Path) -> str:
        """Path of the tree from the repository root, e.g. ``dist/kustomize``: what Applications name."""
        rel = output.resolve().relative_to(self.root.resolve()).as_posix()
        return "/".join(p for p in (rel, self.tree_path) if p and p != ".")

    @property
    def all_apps(self) -> tuple[AppSpec, ...]:
        """The core app (when there is one), then :attr:`apps`."""
        return (self.core, *self.apps) if self.core is not None else self.apps

    def core_of(self, plan: ClusterPlan) -> AppSpec | None:
        """The core app when ``plan``'s cluster runs it (see ``ClusterPlan.runs_core``), else None."""
        return self.core if plan.runs_core else None

    @cached_property
    def apps(self) -> tuple[AppSpec, ...]:
        """Every app of every plan (and every app deployed through ``deploys``), each once, in order."""
        out: dict[int, AppSpec] = {}
        for plan in self.clusters:
            for app in (*plan.apps, *plan.disabled):
                if app.deploys is not None:
                    out.setdefault(id(app.deploys), app.deploys)
                out.setdefault(id(app), app)
        return tuple(out.values())

    def plan(self, cluster: str) -> ClusterPlan:
        """The plan of the cluster named ``cluster``."""
        for plan in self.clusters:
            if plan.cluster.name == cluster:
                return plan
        names = ", ".join(p.cluster.name for p in self.clusters)
        raise HomelabError(f"no cluster named {cluster!r}; clusters are: {names}")

    def store_path(self, cluster: Cluster) -> Path:
        return self.root / self.sealed_dir / f"{cluster.name}.yaml"

    def cert_path(self, cluster: Cluster) -> Path:
        return self.root / (cluster.sealing_cert or f"clusters/certs/{cluster.name}.pem")

    def sealed_store(self, cluster: Cluster) -> SealedStore:
        """The cluster's sealed store, checked against its current certificate."""
        cert_path = self.cert_path(cluster)
        cert = load_certificate(cert_path) if cert_path.exists() else None
        path = self.store_path(cluster)
        return SealedStore.load(
            cluster=cluster.name,
            path=path,
            fingerprint=cert.fingerprint if cert else None,
            label=path.relative_to(self.root).as_posix(),
            rsa_bytes=cert.public_key.key_size // 8 if cert else None,
        )
