"""``Context``: what an overlay builder knows about the cluster it builds for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from homelab.model.cluster import Cluster

if TYPE_CHECKING:
    from constructs_lib.sealed_config import SealedLookup


class Context:
    """The cluster's facts, its sealed store, and the facts the engine derives from the whole plan.

    Every overlay builder (apps, the core app, a cluster's own objects) gets the same kind of
    context. Derived facts are computed when first read: ``application_namespaces`` renders the
    cluster's other apps, so an app whose own Applications decide it cannot read it (the engine
    reports the cycle).
    """

    def __init__(
        self,
        *,
        cluster: Cluster,
        sealed: SealedLookup,
        backup_namespaces: tuple[str, ...] = (),
        application_namespaces: Callable[[], tuple[str, ...]] = tuple,
    ) -> None:
        self.cluster = cluster
        """The cluster's facts."""
        self.sealed = sealed
        """The cluster's sealed store: where ``SealedConfig`` finds its ciphertexts."""
        self.backup_namespaces = backup_namespaces
        """Namespaces to back up: enabled apps marked ``backup=True``, then the plan's extras."""
        self._application_namespaces = application_namespaces

    @property
    def application_namespaces(self) -> tuple[str, ...]:
        """Namespaces other than Argo CD's where the cluster's enabled apps keep Applications (derived)."""
        return self._application_namespaces()
