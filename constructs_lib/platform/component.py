"""What every platform component shares: the cluster facts it derives from, and how it renders.

A component renders its Argo CD Applications (and the cluster-wide objects that go with them)
from its props alone — the same on every cluster, a shared ``base/``. Given a cluster's
:class:`PlatformFacts` (a homelab overlay builder passes its ``ctx``), it also renders what is
the cluster's own: values derived from the cluster and the apps, its namespaces and its sealed
configs. The construct library defines these protocols; the homelab's ``Context`` satisfies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Protocol, runtime_checkable

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib.errors import PropsError
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.namespace import PRIVILEGED, Namespace
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps, SealedLookup
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart

#: Charts whose upgrades must not prune before the new resources exist, and that need no namespace created.
PRUNE_LAST = SyncPolicy(options=("PruneLast=true", "ApplyOutOfSyncOnly=true"))


class ClusterFacts(Protocol):
    """The facts of the cluster a component reads (``homelab.Cluster`` has them)."""

    @property
    def name(self) -> str: ...
    @property
    def tailnet(self) -> str | None: ...
    @property
    def ingress_class(self) -> str: ...


class PlatformFacts(Protocol):
    """What a component derives from the cluster and its apps (``homelab.Context`` has it)."""

    @property
    def cluster(self) -> ClusterFacts: ...
    @property
    def sealed(self) -> SealedLookup: ...
    @property
    def backup_namespaces(self) -> tuple[str, ...]: ...
    @property
    def application_namespaces(self) -> tuple[str, ...]: ...


class Groups:
    """Where a :class:`~constructs_lib.platform.platform.Platform` gathers its components' namespaces and
    sealed configs, so that a cluster's own objects are listed by kind rather than by component."""

    def __init__(self, scope: ConstructScope) -> None:
        self.apps = Construct(scope, "apps")
        self.namespaces = Construct(scope, "namespaces")
        self.sealed = Construct(scope, "sealed")


@runtime_checkable
class PlatformComponent(Protocol):
    """A component as a cluster lists it: its props, which know their construct (checked at run time by
    its two methods, so a value that is not a component's props is refused where it is listed)."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope`` (see :class:`Component`)."""

    def application_names(self) -> tuple[str, ...]:
        """Names of the Argo CD Applications the component deploys (in Argo CD's namespace)."""


class Component(Construct):
    """Base of the platform's constructs: :meth:`render` the Applications, then, with ``facts``, the
    privileged namespaces and sealed configs (under ``groups`` when a Platform gathers them)."""

    def __init__(
        self, scope: ConstructScope, id: str, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        super().__init__(scope, id)
        self.facts = facts
        self.render()
        if facts is None:
            return
        for ns in self.privileged_namespaces():
            Namespace(groups.namespaces if groups else self, f"ns-{ns}", name=ns, labels=PRIVILEGED)
        for props in self.sealed_configs():
            SealedConfig(
                groups.sealed if groups else self, f"{props.namespace}-{props.name}", props, store=facts.sealed
            )

    def render(self) -> None:
        """Add the component's Applications and cluster-wide objects (``self.facts`` is set or None)."""
        raise NotImplementedError

    def privileged_namespaces(self) -> tuple[str, ...]:
        """Namespaces the component creates with the privileged Pod Security level (on a cluster only)."""
        return ()

    def sealed_configs(self) -> tuple[SealedConfigProps, ...]:
        """Sealed configs the component's charts read (on a cluster only)."""
        return ()


class ChartProps(Protocol):
    """The props of a component that is one Helm chart."""

    @property
    def chart(self) -> HelmChart: ...
    @property
    def values(self) -> Mapping[str, Any]: ...


class ChartComponent(Component):
    """A component that is one Helm chart: an Application named :attr:`APP` in :attr:`NAMESPACE`."""

    APP: ClassVar[str]
    NAMESPACE: ClassVar[str]
    SYNC: ClassVar[SyncPolicy | None] = SyncPolicy()
    PROPS: ClassVar[type | None] = None
    """The props class whose defaults are used when none are given (set by :class:`OneChartProps`)."""

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: ChartProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        if props is None:
            if self.PROPS is None:
                raise PropsError(f"{type(self).__name__} {id!r}: give its props")
            props = self.PROPS()
        self.chart_props: ChartProps = props
        super().__init__(scope, id, facts=facts, groups=groups)

    def render(self) -> None:
        HelmArgoApp(self, self.APP, self.app_props(dict(self.chart_props.values)))

    def app_props(self, values: dict[str, Any]) -> HelmArgoAppProps:
        """The Application's props with ``values``."""
        return HelmArgoAppProps(
            name=self.APP,
            chart=self.chart_props.chart,
            values=values,
            destination_namespace=self.NAMESPACE,
            sync=self.SYNC,
        )


class OneChartProps:
    """What the props of a one-chart component share: the component they render (:attr:`COMPONENT`, whose id
    is its Application's name) and the one Application it deploys. Each sets ``COMPONENT``."""

    COMPONENT: ClassVar[type[ChartComponent]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """The component renders with these props' defaults when it is given none."""
        super().__init_subclass__(**kwargs)
        cls.COMPONENT.PROPS = cls

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        self.COMPONENT(scope, self.COMPONENT.APP, self, facts=facts, groups=groups)  # type: ignore[arg-type]

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (self.COMPONENT.APP,)
