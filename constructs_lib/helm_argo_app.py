"""``HelmArgoApp``: an Argo CD Application that installs a Helm chart from a chart repository."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_label
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.annotations import PROVIDES_STORAGE_CLASSES, chart_namespaces, cluster_resources
from constructs_lib.api_object import Manifest
from constructs_lib.argo_application import ApplicationCommon, helm_block, render_application
from constructs_lib.versions import HelmChart


@type_checked
@dataclass(frozen=True, kw_only=True)
class HelmArgoAppProps(ApplicationCommon):
    """A Helm chart deployed by Argo CD.

    Per-cluster changes are ``dataclasses.replace(BASE, values=merge_values(BASE.values, {...}))``.
    """

    chart: HelmChart
    """The chart, its repository and version, written as a ``HelmChart(...)`` literal so Renovate keeps it
    current (see :mod:`constructs_lib.versions`)."""
    release_name: str | None = None
    """Helm release name; Argo CD uses the Application's name when left out."""
    values: dict[str, Any] = field(default_factory=dict)
    """Helm values, emitted as ``helm.valuesObject``; no ``helm`` block when empty and no release name.
    A ``None`` value is written as ``null``, which unsets the chart's default."""
    provides_storage_classes: tuple[str, ...] = ()
    """StorageClasses the chart creates (Longhorn's ``longhorn``): recorded on the Application (annotation
    :data:`~constructs_lib.annotations.PROVIDES_STORAGE_CLASSES`) so validation knows they exist; none by default."""
    cluster_resources: tuple[tuple[str, str], ...] = ()
    """(group, kind) of the cluster-scoped objects the chart installs (its CRDs, ClusterRoles, webhooks:
    ``(("apiextensions.k8s.io", "CustomResourceDefinition"), ("rbac.authorization.k8s.io", "ClusterRole"))``),
    which the tree does not hold: recorded on the Application (annotation
    :data:`~constructs_lib.annotations.CLUSTER_RESOURCES`) and added to what the app's derived AppProject
    admits cluster-wide; none by default."""
    namespaces: tuple[str, ...] = ()
    """Namespaces besides the Application's destination that the chart writes into (an operator's webhook in
    ``cert-manager``, a monitoring rule in ``monitoring``): recorded on the Application (annotation
    :data:`~constructs_lib.annotations.CHART_NAMESPACES`) and added to the destinations the app's derived
    AppProject admits; none by default."""

    def __post_init__(self) -> None:
        owner = self.check_common("HelmArgoApp")
        for namespace in self.namespaces:
            check_dns_label(namespace, what="namespaces", owner=owner)


#: Annotation of an Application listing the StorageClasses its chart creates (comma-separated).


class HelmArgoApp(Construct):
    """The Application for ``props``; its object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: HelmArgoAppProps) -> None:
        super().__init__(scope, id)
        self.props = props
        source: dict[str, Any] = {
            "repoURL": props.chart.repo_url,
            "targetRevision": props.chart.version,
            "chart": props.chart.chart,
        }
        helm = helm_block(props.release_name, props.values)
        if helm is not None:
            source["helm"] = helm
        annotations = dict(props.annotations)
        if props.provides_storage_classes:
            annotations[PROVIDES_STORAGE_CLASSES] = ",".join(props.provides_storage_classes)
        if props.cluster_resources:
            annotations |= cluster_resources(props.cluster_resources)
        if props.namespaces:
            annotations |= chart_namespaces(props.namespaces)
        if annotations != props.annotations:
            props = replace(props, annotations=annotations)
        self.resource: Manifest = render_application(self, "Resource", props, source)
