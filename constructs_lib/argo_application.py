"""Argo CD ``Application``: the object every app construct renders through.

``HelmArgoApp`` and ``GitArgoApp`` are the typed front doors; this module holds what they share:
the destination, the sync policy, ``ignoreDifferences`` and the rendering itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import ConstructScope
from constructs_lib._internal.k8s_json import to_json
from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.annotations import Creates, creates
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.object_meta import metadata_of
from constructs_lib.sync_policy import SyncHook, SyncPolicy, sync_annotations

#: Where an Application's Helm values are; a ``None`` there is written as ``null``.
HELM_VALUES_POINTER = "/spec/source/helm/valuesObject"
#: The same, in an Application of several sources.
HELM_SOURCES_VALUES_POINTER = "/spec/sources/-/helm/valuesObject"

#: The API server as seen from inside the cluster: Argo CD's "this cluster".
IN_CLUSTER = "https://kubernetes.default.svc"


@type_checked
@dataclass(frozen=True, kw_only=True)
class IgnoreDifference:
    """One ``spec.ignoreDifferences`` entry: fields Argo CD must not treat as drift."""

    kind: str
    """Kind of the objects concerned, e.g. ``Deployment``."""
    group: str = ""
    """API group; empty for the core group."""
    json_pointers: tuple[str, ...] = ()
    """JSON pointers of the ignored fields."""
    jq_path_expressions: tuple[str, ...] = ()
    """jq path expressions of the ignored fields."""
    name: str | None = None
    """Only the object of this name; all objects of the kind when left out."""
    namespace: str | None = None
    """Only objects in this namespace; every namespace when left out."""
    managed_fields_managers: tuple[str, ...] = ()
    """Ignore the fields these field managers (e.g. ``kube-controller-manager``) own."""

    def __post_init__(self) -> None:
        if not (self.json_pointers or self.jq_path_expressions or self.managed_fields_managers):
            raise PropsError(
                f"IgnoreDifference {self.kind!r}: give json_pointers=, jq_path_expressions= or "
                "managed_fields_managers=, or nothing is ignored"
            )
        for pointer in self.json_pointers:
            if not pointer.startswith("/"):
                raise PropsError(
                    f"IgnoreDifference {self.kind!r}: JSON pointer {pointer!r} must start with '/', e.g. '/spec/replicas'"
                )

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.group:
            out["group"] = self.group
        out["kind"] = self.kind
        if self.name is not None:
            out["name"] = self.name
        if self.namespace is not None:
            out["namespace"] = self.namespace
        if self.json_pointers:
            out["jsonPointers"] = list(self.json_pointers)
        if self.jq_path_expressions:
            out["jqPathExpressions"] = list(self.jq_path_expressions)
        if self.managed_fields_managers:
            out["managedFieldsManagers"] = list(self.managed_fields_managers)
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class ApplicationCommon:
    """Fields every Argo CD Application has, whatever its source."""

    name: str
    """``metadata.name`` of the Application."""
    owned_by: str | None = None
    """The namespace of the app that owns this Application (the app-of-apps pattern): when given,
    ``namespace``, ``project`` and ``destination_namespace`` default to it."""
    destination_namespace: str = ""
    """Namespace the app's resources are deployed to; ``owned_by`` when left out (then required)."""
    namespace: str = ""
    """Namespace the Application object itself lives in; ``owned_by`` when given, else ``argocd``."""
    project: str = ""
    """Argo CD project the Application belongs to; ``owned_by`` when given, else ``default``."""
    server: str = IN_CLUSTER
    """Destination API server; the cluster Argo CD runs in by default."""
    sync: SyncPolicy | None = field(default_factory=SyncPolicy)
    """Sync policy; the seed's conventions by default, ``None`` for manual sync with no policy."""
    ignore_differences: tuple[IgnoreDifference, ...] = ()
    """Fields Argo CD must not treat as drift; none by default."""
    labels: dict[str, str] = field(default_factory=dict)
    """Labels of the Application object; none by default."""
    annotations: dict[str, str] = field(default_factory=dict)
    """Annotations of the Application object; none by default."""
    sync_wave: int | None = None
    """The Application's sync wave in the Application that deploys it (annotation
    ``argocd.argoproj.io/sync-wave``; lower waves first); none by default."""
    hook: SyncHook | None = None
    """Run the Application as a hook of the sync that deploys it, e.g. ``SyncHook(phase="PostSync")``; none by
    default."""
    info: dict[str, str] = field(default_factory=dict)
    """``spec.info``: name/value pairs Argo CD's UI shows with the app (a URL, an owner), in this order; none
    by default."""
    revision_history_limit: int | None = None
    """How many past syncs Argo CD keeps (``spec.revisionHistoryLimit``, 0 or more); Argo CD's default (10)
    when left out."""
    creates: tuple[Creates, ...] = ()
    """Objects the app's controllers create that the tree does not hold (an operator's ``Service``
    ``keycloak-service`` and ``Secret`` ``keycloak-initial-admin``), in ``destination_namespace`` unless
    they name another: ``creates=(Creates(kind="Service", name="keycloak-service"),)``. Recorded on the
    Application (annotation :data:`~constructs_lib.annotations.CREATES`) so the reference checks count
    them as present; none by default."""

    def check_common(self, kind: str) -> str:
        """Fill the defaults ``owned_by`` implies, validate the shared fields; return the owner label for messages."""
        owner = f"{kind} {self.name!r}"
        defaults = {"namespace": "argocd", "project": "default", "destination_namespace": ""}
        for attr, fallback in defaults.items():
            if not getattr(self, attr):
                object.__setattr__(self, attr, self.owned_by or fallback)
        check_dns_subdomain(self.name, what="name", owner=owner)
        if not self.destination_namespace:
            raise PropsError(
                f"{owner}: destination_namespace is required (or owned_by=, the namespace of the app owning it)"
            )
        if self.owned_by is not None:
            check_dns_label(self.owned_by, what="owned_by", owner=owner)
        check_dns_label(self.namespace, what="namespace", owner=owner)
        check_dns_label(self.destination_namespace, what="destination_namespace", owner=owner)
        if self.revision_history_limit is not None and self.revision_history_limit < 0:
            raise PropsError(f"{owner}: revision_history_limit must be 0 or more, got {self.revision_history_limit}")
        return owner


def render_application(
    scope: ConstructScope,
    id: str,
    common: ApplicationCommon,
    source: dict[str, Any],
    more_sources: tuple[dict[str, Any], ...] = (),
) -> Manifest:
    """Add the Application for ``common`` with ``source`` under ``scope``; with ``more_sources``, an
    Application of several sources (``spec.sources``: ``source`` first)."""
    annotations = {**common.annotations, **sync_annotations(common.sync_wave, common.hook)}
    if common.creates:
        annotations = {**annotations, **creates(common.creates, common.destination_namespace)}
    metadata = metadata_of(common.name, common.namespace, common.labels, annotations)
    spec: dict[str, Any] = {
        "project": common.project,
        **({"sources": [source, *more_sources]} if more_sources else {"source": source}),
        "destination": {"server": common.server, "namespace": common.destination_namespace},
    }
    if common.sync is not None:
        spec["syncPolicy"] = common.sync.render()
    if common.ignore_differences:
        spec["ignoreDifferences"] = [d.render() for d in common.ignore_differences]
    if common.info:
        spec["info"] = [{"name": name, "value": value} for name, value in common.info.items()]
    if common.revision_history_limit is not None:
        spec["revisionHistoryLimit"] = common.revision_history_limit
    return api_object(
        scope,
        id,
        api_version="argoproj.io/v1alpha1",
        kind="Application",
        metadata=metadata,
        spec=spec,
        keep_null=(HELM_VALUES_POINTER, HELM_SOURCES_VALUES_POINTER),  # a null Helm value unsets the chart's default
    )


@type_checked
@dataclass(frozen=True, kw_only=True)
class HelmParameter:
    """One ``helm.parameters`` entry: a value set as with ``helm --set name=value``, over the values."""

    name: str
    """The value's path, e.g. ``image.tag``."""
    value: str
    """The value, as a string (Helm reads numbers and booleans in it)."""
    force_string: bool = False
    """Keep the value a string (``--set-string``); off by default."""

    def __post_init__(self) -> None:
        if not self.name:
            raise PropsError(f"HelmParameter (value {self.value!r}): name is required, e.g. name='image.tag'")

    def render(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, **({"forceString": True} if self.force_string else {})}


def helm_block(
    release_name: str | None,
    values: dict[str, Any],
    value_files: tuple[str, ...] = (),
    values_yaml: str | None = None,
    parameters: tuple[HelmParameter, ...] = (),
    skip_crds: bool = False,
) -> dict[str, Any] | None:
    """The ``source.helm`` mapping, or None when there is nothing to say."""
    helm: dict[str, Any] = {}
    if release_name:
        helm["releaseName"] = release_name
    if parameters:
        helm["parameters"] = [p.render() for p in parameters]
    if skip_crds:
        helm["skipCrds"] = True
    if value_files:
        helm["valueFiles"] = list(value_files)
    if values_yaml is not None:
        helm["values"] = values_yaml
    if values:
        helm["valuesObject"] = to_json(values)  # typed Kubernetes pieces in the values become their JSON
    return helm or None
