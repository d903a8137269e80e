"""``AppOfApps``: the Namespace + AppProject + Application that put one app on a cluster.

The Application points at the app's overlay directory in the GitOps repo; the project admits
exactly the repositories the app uses (``source_repos``, which the engine derives from the
app's own Applications) and only the app's namespace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.argo_application import IN_CLUSTER, IgnoreDifference
from constructs_lib.errors import PropsError
from constructs_lib.namespace import Namespace
from constructs_lib.sync_policy import SyncHook, SyncPolicy, sync_annotations

#: Argo CD's finalizer that deletes an Application's resources with it.
CASCADE_FINALIZER = "resources-finalizer.argocd.argoproj.io"

#: The cluster-scoped kinds most apps create: storage classes and volumes (listed first when derived).
STORAGE_RESOURCES: tuple[tuple[str, str], ...] = (
    ("storage.k8s.io", "StorageClass"),
    ("", "PersistentVolume"),
)


@type_checked
@dataclass(frozen=True, kw_only=True)
class AppOfAppsProps:
    """One app on one cluster."""

    name: str
    """Name of the Application and, unless given, of the namespace and the project."""
    repo_url: str
    """The GitOps repository holding the synthesised tree."""
    path: str
    """The app's overlay directory in that repository, e.g. ``kustomize/immich/overlays/thomelab``."""
    revision: str = "main"
    """Branch, tag or commit of the GitOps repository to deploy."""
    namespace: str | None = None
    """The app's namespace; ``name`` when left out."""
    project: str | None = None
    """The AppProject's name; ``name`` when left out."""
    argocd_namespace: str = "argocd"
    """Where Argo CD runs: the AppProject and the Application live there."""
    server: str = IN_CLUSTER
    """Destination API server; the cluster Argo CD runs in by default."""
    source_repos: tuple[str, ...] = ()
    """Repositories the app's own Applications use, besides ``repo_url`` (always admitted first)."""
    namespace_labels: dict[str, str] = field(default_factory=dict)
    """Labels of the Namespace (e.g. pod-security levels); none by default."""
    cluster_resource_whitelist: tuple[tuple[str, str], ...] = ()
    """(group, kind) pairs the project may create cluster-wide; none by default (the engine derives
    them from the cluster-scoped objects the app contains)."""
    namespace_resource_whitelist: tuple[tuple[str, str], ...] = (("*", "*"),)
    """(group, kind) pairs the project may create in its namespace; everything by default."""
    sync: SyncPolicy = field(default_factory=SyncPolicy)
    """Sync policy of the Application; the seed's conventions by default."""
    extra_destinations: tuple[str, ...] = ()
    """Namespaces besides the app's that the project may deploy to (e.g. Argo CD's, for an app
    whose own Applications live there); none by default."""
    cascade_delete: bool = False
    """Give the project and the Application Argo CD's resources finalizer, so deleting the
    Application deletes what it deployed; off by default."""
    annotations: dict[str, str] = field(default_factory=dict)
    """Annotations of the Application (notifications, image updater, ...); none by default."""
    labels: dict[str, str] = field(default_factory=dict)
    """Labels of the Application; none by default."""
    ignore_differences: tuple[IgnoreDifference, ...] = ()
    """Fields Argo CD does not compare (``spec.ignoreDifferences``); none by default."""
    sync_wave: int | None = None
    """The Application's sync wave (annotation ``argocd.argoproj.io/sync-wave``); none by default."""
    hook: SyncHook | None = None
    """Run the Application as a sync hook (annotations ``argocd.argoproj.io/hook``…); none by default."""
    info: dict[str, str] = field(default_factory=dict)
    """``spec.info`` name/value pairs shown in Argo CD's UI; none by default."""
    revision_history_limit: int | None = None
    """``spec.revisionHistoryLimit``; Argo CD's default when left out."""
    destination_name: str | None = None
    """The destination cluster by its name in Argo CD (``destination.name``, in the project's destinations too)
    instead of ``server``; ``server`` when left out."""
    project_cascade_delete: bool | None = None
    """Give the AppProject the finalizer; ``cascade_delete`` when left out (a group's project: any member's)."""
    shares_project: bool = False
    """Emit the Application only: another app of its group emits the Namespace and the AppProject
    (whose derived fields then cover every member)."""
    namespace_object: bool = True
    """Emit the Namespace; False when something else creates it (the Application's ``CreateNamespace=true``
    sync option) or it exists already."""
    project_object: bool = True
    """Emit the AppProject; False for a project that exists without it (Argo CD's ``default``)."""

    def __post_init__(self) -> None:
        owner = f"AppOfApps {self.name!r}"
        check_dns_label(self.name, what="name", owner=owner)
        check_dns_label(self.app_namespace, what="namespace", owner=owner)
        check_dns_subdomain(self.app_project, what="project", owner=owner)
        if self.namespace_labels and not self.namespace_object:
            raise PropsError(
                f"{owner}: namespace_labels= label the Namespace, which namespace_object=False leaves out; "
                "drop one of them"
            )
        if not self.path or self.path != self.path.strip("/"):
            raise PropsError(
                f"{owner}: path {self.path!r} must be a directory of the GitOps repository, "
                "without leading or trailing '/', e.g. 'kustomize/immich/overlays/thomelab'"
            )

    @property
    def app_namespace(self) -> str:
        return self.namespace or self.name

    @property
    def app_project(self) -> str:
        return self.project or self.name

    @property
    def all_source_repos(self) -> list[str]:
        """``repo_url`` then ``source_repos``, each once, in order."""
        return list(dict.fromkeys((self.repo_url, *self.source_repos)))


def _finalizers(cascade: bool) -> dict[str, Any]:
    """The metadata that makes deleting the object delete what it deployed (when ``cascade``)."""
    return {"finalizers": [CASCADE_FINALIZER]} if cascade else {}


def _cluster(props: AppOfAppsProps) -> dict[str, str]:
    """The destination cluster: by name when ``destination_name`` is given, else by its API server."""
    return {"name": props.destination_name} if props.destination_name else {"server": props.server}


def _whitelist(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"group": group, "kind": kind} for group, kind in pairs]


class AppOfApps(Construct):
    """Namespace (child ``Namespace``), AppProject (``Project``) and Application (``Resource``);
    the Application only when ``shares_project`` (``namespace`` and ``project`` are then ``None``), without the
    Namespace when not ``namespace_object`` and without the AppProject when not ``project_object``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)`` (also on ``.project``).
    """

    def __init__(self, scope: ConstructScope, id: str, props: AppOfAppsProps) -> None:
        super().__init__(scope, id)
        self.props = props
        ns = props.app_namespace
        self.namespace: Namespace | None = None
        self.project: Manifest | None = None
        if not props.shares_project:
            cascade = props.cascade_delete if props.project_cascade_delete is None else props.project_cascade_delete
            self._namespace_and_project(props, _finalizers(cascade))
        spec: dict[str, Any] = {
            "destination": {**_cluster(props), "namespace": ns},
            "project": props.app_project,
            "source": {"repoURL": props.repo_url, "targetRevision": props.revision, "path": props.path},
            "syncPolicy": props.sync.render(),
        }
        if props.ignore_differences:
            spec["ignoreDifferences"] = [d.render() for d in props.ignore_differences]
        if props.info:
            spec["info"] = [{"name": name, "value": value} for name, value in props.info.items()]
        if props.revision_history_limit is not None:
            spec["revisionHistoryLimit"] = props.revision_history_limit
        self.resource: Manifest = api_object(
            self,
            "Resource",
            api_version="argoproj.io/v1alpha1",
            kind="Application",
            metadata={
                "name": props.name,
                "namespace": props.argocd_namespace,
                "annotations": {**props.annotations, **sync_annotations(props.sync_wave, props.hook)},
                "labels": dict(props.labels),
                **_finalizers(props.cascade_delete),
            },
            spec=spec,
        )

    def _namespace_and_project(self, props: AppOfAppsProps, finalizers: dict[str, Any]) -> None:
        ns = props.app_namespace
        if props.namespace_object:
            self.namespace = Namespace(self, "Namespace", name=ns, labels=props.namespace_labels)
        if not props.project_object:
            return
        project_spec: dict[str, Any] = {
            "sourceRepos": props.all_source_repos,
            "sourceNamespaces": [ns],
            "destinations": [
                {"namespace": n, **_cluster(props)} for n in dict.fromkeys((ns, *props.extra_destinations))
            ],
        }
        if props.cluster_resource_whitelist:
            project_spec["clusterResourceWhitelist"] = _whitelist(props.cluster_resource_whitelist)
        if props.namespace_resource_whitelist:
            project_spec["namespaceResourceWhitelist"] = _whitelist(props.namespace_resource_whitelist)
        self.project = api_object(
            self,
            "Project",
            api_version="argoproj.io/v1alpha1",
            kind="AppProject",
            metadata={"name": props.app_project, "namespace": props.argocd_namespace, **finalizers},
            spec=project_spec,
        )
