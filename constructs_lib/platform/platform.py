"""``Platform``: the components a cluster runs — Argo CD, sealed-secrets, storage, backups, operators."""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.errors import PropsError
from constructs_lib.platform.component import Groups, PlatformComponent, PlatformFacts
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps


@type_checked
@dataclass(frozen=True, kw_only=True)
class PlatformProps:
    """The platform of a cluster: the components it runs, in the order they are listed.

    A component left out renders nothing; a cluster's differences are ``dataclasses.replace(...)`` of a
    component's props (or other props) in its own list.
    """

    components: tuple[PlatformComponent, ...] = ()
    """Props of the components (``ArgoCdProps()``, ``SealedSecretsProps()``, ``LonghornProps(...)``, ...);
    none by default."""
    sealed: tuple[SealedConfigProps, ...] = ()
    """On a cluster: further sealed configs the components' values read (a notifications webhook, ...),
    after the components' own; none by default."""

    def __post_init__(self) -> None:
        seen: dict[str, PlatformComponent] = {}
        for component in self.components:  # each a component's props: checked by its type
            for name in component.application_names():
                if name in seen:
                    raise PropsError(
                        f"PlatformProps: {type(seen[name]).__name__} and {type(component).__name__} both deploy the "
                        f"Application {name!r}; list one of them"
                    )
                seen[name] = component

    def component_of(self, application: str) -> PlatformComponent | None:
        """The component deploying the Application named ``application``, if any."""
        return next((c for c in self.components if application in c.application_names()), None)


class Platform(Construct):
    """Every component of ``props``: first all their Applications, then (with ``facts``, on a cluster) all
    their namespaces, then all their sealed configs and ``props.sealed``."""

    def __init__(
        self, scope: ConstructScope, id: str, props: PlatformProps, *, facts: PlatformFacts | None = None
    ) -> None:
        super().__init__(scope, id)
        self.props = props
        groups = Groups(self)
        for component in props.components:
            component.add_to(groups.apps, facts=facts, groups=groups)
        if facts is not None:
            for sealed in props.sealed:
                SealedConfig(groups.sealed, f"{sealed.namespace}-{sealed.name}", sealed, store=facts.sealed)
