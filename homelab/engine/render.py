"""The render stage: run each builder in a fresh chart and keep what it produced.

A :class:`Renderer` is one synthesis's memo: every base and overlay is rendered once, and the run's
sealed stores, builder contexts and cdk8s Apps live in it. Overlays are rendered when first asked
for, so ``ctx.application_namespaces`` (derived from the other apps' objects) renders them on demand;
an overlay that asks for its own objects while they are being rendered is a cycle, reported as such.
Each directory's hashed ConfigMaps and Secrets are named after their content here (:mod:`~homelab.engine.hashed`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from constructs_lib._internal.construct import BuilderScope, add_scope_fix
from constructs_lib._internal.objects import objects_of
from constructs_lib.api_object import json_of
from homelab import user_errors
from homelab.engine import derive
from homelab.engine.checks import check_names
from homelab.engine.data import Rendered
from homelab.engine.hashed import hash_names
from homelab.errors import HomelabError
from homelab.model.context import Context
from homelab.model.origin import source_file
from homelab.sealing.store import SealedStore

if TYPE_CHECKING:
    import cdk8s

    from constructs_lib.sealed_config import SealedLookup
    from homelab.model.app_spec import AppSpec, Builder, Scope
    from homelab.model.cluster_plan import ClusterPlan
    from homelab.model.homelab import Homelab


def _chart_id(name: str) -> str:
    return name.replace("/", ".")


class Renderer:
    """Renders the builders of one synthesis of ``lab``, each once; ``stores`` replaces sealed stores by cluster."""

    def __init__(self, lab: Homelab, stores: Mapping[str, SealedLookup]) -> None:
        self.lab = lab
        self.stores: dict[str, SealedLookup] = dict(stores)
        """The sealed store of each cluster rendered so far (opened when its first overlay renders)."""
        self.overlays: dict[tuple[str, str], list[Rendered]] = {}
        """What each overlay builder gave, by (app directory, cluster)."""
        self._bases: dict[str, list[Rendered]] = {}
        self._rendering: set[tuple[str, str]] = set()
        self._contexts: dict[str, Context] = {}
        self._apps: dict[str, cdk8s.App] = {}

    def context(self, plan: ClusterPlan) -> Context:
        """The context every overlay builder of ``plan``'s cluster gets."""
        name = plan.cluster.name
        if name not in self._contexts:
            if name not in self.stores:
                store = self.lab.sealed_store(plan.cluster)
                if isinstance(store, SealedStore):
                    store.collect_missing()  # every value not sealed yet is listed at once, after the checks
                self.stores[name] = store
            self._contexts[name] = Context(
                cluster=plan.cluster,
                sealed=self.stores[name],
                backup_namespaces=derive.backup_namespaces(plan),
                application_namespaces=lambda: derive.application_namespaces(
                    plan, (self.overlay(app, plan) for app in plan.apps)
                ),
            )
        return self._contexts[name]

    def _app(self, cluster: str) -> cdk8s.App:
        """The cdk8s App of ``cluster``'s charts (bases: ``""``), created when a chart first needs it."""
        if cluster not in self._apps:
            import cdk8s  # a builder asked for scope.chart

            self._apps[cluster] = cdk8s.App()
        return self._apps[cluster]

    def run(
        self, path: str, build: Callable[[Scope], object], origin: str, *, chart: str, cluster: str = ""
    ) -> list[Rendered]:
        """Run ``build`` in a fresh chart for directory ``path``; errors name file and directory.

        The chart is ``chart`` of the cdk8s App of ``cluster`` (bases: ``""``): an app's base and its
        overlays get the same construct paths, so what constructs derive from their path (cdk8s-plus's
        ``cdk8s.io/metadata.addr`` selector label) is the same in both."""
        chart_scope = BuilderScope(_chart_id(chart), app=lambda: self._app(cluster))
        try:
            build(chart_scope)
            objects = objects_of(chart_scope)
        except HomelabError as exc:  # PropsError too; told at the user's line where the trace has one
            raise HomelabError(f"{user_errors.user_line(exc) or origin}: {path}: {exc}") from None
        except TypeError as exc:
            add_scope_fix(exc)  # a cdk8s construct given the builder's scope: say to pass scope.chart
            raise
        rendered = [Rendered(data=json_of(node), origin=origin, construct=node) for node in objects]
        hash_names(rendered)
        check_names(rendered, path)
        return rendered

    def run_for(self, path: str, builder: Builder, plan: ClusterPlan, *, chart: str) -> list[Rendered]:
        """Run an overlay builder for ``plan``'s cluster, with the cluster's context."""
        ctx = self.context(plan)
        return self.run(
            path, lambda scope: builder(scope, ctx), source_file(builder), chart=chart, cluster=plan.cluster.name
        )

    def base(self, app: AppSpec) -> list[Rendered]:
        """What ``app``'s base builder declares."""
        if app.dir not in self._bases:
            base = app.base
            assert base is not None
            self._bases[app.dir] = self.run(f"{app.dir}/base", base, source_file(base), chart=app.dir)
        return self._bases[app.dir]

    def overlay(self, app: AppSpec, plan: ClusterPlan) -> list[Rendered]:
        """What ``app`` (or the app it deploys) is on ``plan``'s cluster."""
        target = app.deploys or app
        key = (target.dir, plan.cluster.name)
        if key in self._rendering:
            raise HomelabError(
                f"{target.origin}: the builder of {target.dir}/overlays/{plan.cluster.name} reads a fact the engine "
                "derives from the apps' own objects (ctx.application_namespaces), its own included; "
                "only the core app's and the cluster's builders may read it"
            )
        if key not in self.overlays:
            self._rendering.add(key)
            try:
                builder = target.builder_for(plan.cluster.name)
                path = f"{target.dir}/overlays/{plan.cluster.name}"
                self.overlays[key] = self.run_for(path, builder, plan, chart=target.dir)
            finally:
                self._rendering.discard(key)
        return self.overlays[key]
