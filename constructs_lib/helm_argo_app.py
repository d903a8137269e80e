"""``HelmArgoApp``: an Argo CD Application that installs a Helm chart from a chart repository, its values given
as Python data, as a YAML string, or as values files of the chart or of a git repository (``ValuesRepo``:
Argo CD's multi-source Application)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_label
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.annotations import PROVIDES_STORAGE_CLASSES, chart_namespaces, cluster_resources
from constructs_lib.api_object import Manifest
from constructs_lib.argo_application import ApplicationCommon, HelmParameter, helm_block, render_application
from constructs_lib.errors import PropsError
from constructs_lib.versions import HelmChart

#: A ``ref`` of a source: what ``$<ref>/`` in a values file's path names.
_REF = re.compile(r"^[A-Za-z0-9_-]+$")


@type_checked
@dataclass(frozen=True, kw_only=True)
class ValuesRepo:
    """The git repository (usually the GitOps repository itself) that an Application's Helm values files
    are read from: Argo CD's second source, with ``ref``."""

    repo_url: str
    """The git repository."""
    revision: str = "HEAD"
    """Branch, tag or commit (``targetRevision``); the default branch's head when left out."""
    ref: str = "values"
    """The name the values files' paths start with (``$values/...``); ``values`` by default."""

    def __post_init__(self) -> None:
        if not self.repo_url:
            raise PropsError("ValuesRepo: repo_url is required: the git repository holding the values files")
        if not _REF.match(self.ref):
            raise PropsError(
                f"ValuesRepo {self.repo_url!r}: ref {self.ref!r} must be letters, digits, '-' or '_', e.g. 'values'"
            )

    def source(self) -> dict[str, Any]:
        """Its ``sources`` entry."""
        return {"repoURL": self.repo_url, "targetRevision": self.revision, "ref": self.ref}


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
    value_files: tuple[str, ...] = ()
    """Helm values files (``helm.valueFiles``), applied in order before ``values``: paths in ``values_from``'s
    repository when it is given (written ``$values/<path>``), else paths in the chart; none by default."""
    values_from: ValuesRepo | None = None
    """The git repository holding ``value_files``, e.g. ``ValuesRepo(repo_url=REPO, revision="main")``: the
    Application then has two sources (``spec.sources``: the chart, then this repository as ``ref: values``);
    one source (``spec.source``) when left out."""
    values_yaml: str | None = None
    """Helm values as a YAML string (``helm.values``), kept as written with its comments; for values as
    Python data use ``values`` (not both). None by default."""
    parameters: tuple[HelmParameter, ...] = ()
    """Values set one by one over the others (``helm.parameters``, as ``helm --set``), e.g.
    ``(HelmParameter(name="image.tag", value="1.2.3"),)``; prefer ``values``; none by default."""
    skip_crds: bool = False
    """Do not install the chart's CRDs (``helm.skipCrds``: they are installed by other means); off by default."""
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
        if self.values and self.values_yaml is not None:
            raise PropsError(
                f"{owner}: values= and values_yaml= both give Helm values (Argo CD would ignore the string); "
                "keep one: values={...} as Python data, or values_yaml='...' as written"
            )
        for path in self.value_files:
            if not path or path.startswith(("$", "/")):
                raise PropsError(
                    f"{owner}: value_files entry {path!r} must be a relative path (in values_from's repository, "
                    "or in the chart), e.g. 'immich/values.yaml'; the '$values/' prefix is written for you"
                )
        if self.values_from is not None and not self.value_files:
            raise PropsError(
                f"{owner}: values_from={self.values_from.repo_url!r} gives no values without value_files=, "
                "e.g. value_files=('apps/immich/values.yaml',); or drop values_from"
            )

    @property
    def value_file_paths(self) -> tuple[str, ...]:
        """``helm.valueFiles`` as written: each path after ``$<ref>/`` with ``values_from``."""
        prefix = f"${self.values_from.ref}/" if self.values_from is not None else ""
        return tuple(prefix + path for path in self.value_files)


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
        helm = helm_block(
            props.release_name,
            props.values,
            props.value_file_paths,
            props.values_yaml,
            props.parameters,
            props.skip_crds,
        )
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
        more = (props.values_from.source(),) if props.values_from is not None else ()
        self.resource: Manifest = render_application(self, "Resource", props, source, more)
