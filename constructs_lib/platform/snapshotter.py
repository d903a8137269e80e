"""``ExternalSnapshotter``: the VolumeSnapshot CRDs and their controller, which Longhorn and Velero use."""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.platform.component import Component, Groups, PlatformFacts


@type_checked
@dataclass(frozen=True, kw_only=True)
class ExternalSnapshotterProps:
    """The external snapshotter: two Applications, ``external-snapshotter-crd`` and
    ``external-snapshotter-controller``, from the Kubernetes CSI repository, in ``kube-system``."""

    repo_url: str = "https://github.com/kubernetes-csi/external-snapshotter"
    """The repository of its manifests."""
    revision: str = "v8.x"
    """Tag of ``repo_url`` followed by both Applications; the v8 series by default."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        ExternalSnapshotter(scope, "external-snapshotter", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Applications the component deploys."""
        return tuple(name for name, _ in ExternalSnapshotter.PARTS)


class ExternalSnapshotter(Component):
    """The CRDs' Application, then the controller's."""

    PARTS = (
        ("external-snapshotter-crd", "client/config/crd"),
        ("external-snapshotter-controller", "deploy/kubernetes/snapshot-controller"),
    )

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: ExternalSnapshotterProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or ExternalSnapshotterProps()
        super().__init__(scope, id, facts=facts, groups=groups)

    def render(self) -> None:
        for name, path in self.PARTS:
            GitArgoApp(
                self,
                name,
                GitArgoAppProps(
                    name=name,
                    repo_url=self.props.repo_url,
                    revision=self.props.revision,
                    path=path,
                    destination_namespace="kube-system",
                ),
            )
