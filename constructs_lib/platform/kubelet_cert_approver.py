"""``KubeletCertApprover``: approves the kubelets' serving certificates (metrics-server trusts them)."""

from __future__ import annotations

from dataclasses import dataclass

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.platform.component import Component, Groups, PlatformFacts


@type_checked
@dataclass(frozen=True, kw_only=True)
class KubeletCertApproverProps:
    """The kubelet serving-certificate approver, the Application ``kubelet-serving-certificate-approver``,
    from its repository's standalone manifest."""

    repo_url: str = "https://github.com/alex1989hu/kubelet-serving-cert-approver"
    """The repository of its manifests."""
    revision: str = "main"
    """Branch or tag of ``repo_url`` followed; its main branch by default."""

    def add_to(
        self, scope: ConstructScope, *, facts: PlatformFacts | None = None, groups: Groups | None = None
    ) -> None:
        """Render the component under ``scope``."""
        KubeletCertApprover(scope, "kubelet-cert-approver", self, facts=facts, groups=groups)

    def application_names(self) -> tuple[str, ...]:
        """The Application the component deploys."""
        return (KubeletCertApprover.APP,)


class KubeletCertApprover(Component):
    """The approver's Application."""

    APP = "kubelet-serving-certificate-approver"

    def __init__(
        self,
        scope: ConstructScope,
        id: str,
        props: KubeletCertApproverProps | None = None,
        *,
        facts: PlatformFacts | None = None,
        groups: Groups | None = None,
    ) -> None:
        self.props = props or KubeletCertApproverProps()
        super().__init__(scope, id, facts=facts, groups=groups)

    def render(self) -> None:
        GitArgoApp(
            self,
            self.APP,
            GitArgoAppProps(
                name=self.APP,
                repo_url=self.props.repo_url,
                revision=self.props.revision,
                path="deploy",
                directory_include="standalone-install.yaml",
                destination_namespace="kubelet-serving-cert-approver",
            ),
        )
