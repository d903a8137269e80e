"""``HelmArgoApp``: an Argo CD Application that installs a Helm chart from a chart repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cdk8s
from constructs import Construct

from constructs_lib.argo_application import ApplicationCommon, helm_block, render_application
from constructs_lib.errors import PropsError


@dataclass(frozen=True, kw_only=True)
class HelmArgoAppProps(ApplicationCommon):
    """A Helm chart deployed by Argo CD.

    Per-cluster changes are ``dataclasses.replace(BASE, values=merge_values(BASE.values, {...}))``.
    """

    repo_url: str
    """Chart repository: an ``https://`` index or an OCI registry path (``registry-1.docker.io/bitnamicharts``)."""
    chart: str
    """Chart name in that repository."""
    version: str
    """Chart version or range (``1.10.x``); required, so an upgrade is always a reviewed change."""
    release_name: str | None = None
    """Helm release name; Argo CD uses the Application's name when left out."""
    values: dict[str, Any] = field(default_factory=dict)
    """Helm values, emitted as ``helm.valuesObject``; no ``helm`` block when empty and no release name."""

    def __post_init__(self) -> None:
        owner = self.check_common("HelmArgoApp")
        if not self.repo_url:
            raise PropsError(f"{owner}: repo_url is required: the chart repository URL or OCI path")
        if not self.chart or not self.chart.strip():
            raise PropsError(f"{owner}: chart is required: the chart's name in {self.repo_url}")
        if not self.version or not str(self.version).strip():
            raise PropsError(
                f"{owner}: version is required for chart {self.chart!r}: pin it or give a range, "
                "e.g. version='1.2.3' or version='1.x'"
            )


class HelmArgoApp(Construct):
    """The Application for ``props``; its object is the child ``Resource``."""

    def __init__(self, scope: Construct, id: str, props: HelmArgoAppProps) -> None:
        super().__init__(scope, id)
        self.props = props
        source: dict[str, Any] = {
            "repoURL": props.repo_url,
            "targetRevision": props.version,
            "chart": props.chart.strip(),
        }
        helm = helm_block(props.release_name, props.values)
        if helm is not None:
            source["helm"] = helm
        self.resource: cdk8s.ApiObject = render_application(self, "Resource", props, source)
