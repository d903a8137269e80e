"""``AppSpec``: one app of the homelab — its directory, its namespace and how to build it.

An app has a cluster-agnostic base and, per cluster, an overlay. Both are *builders*: the base
builder ``base(scope)`` knows no cluster; an overlay builder ``build(scope, ctx)`` declares the
app as it must be on ``ctx.cluster`` (typically ``dataclasses.replace`` of the base's props). The
synthesiser turns the difference into kustomize patches, so nobody writes a patch by hand.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from constructs_lib._internal.construct import BuilderScope
from constructs_lib._internal.k8s_names import (
    DIRECTORY_ALLOWS,
    LABEL_KEY_ALLOWS,
    LABEL_VALUE,
    check_dns_label,
    check_dns_subdomain,
    is_directory,
    is_label_key,
)
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.annotations import Creates
from constructs_lib.application_settings import ApplicationSettings
from homelab.errors import HomelabError
from homelab.model.app_group import AppGroup
from homelab.model.context import Context
from homelab.model.existing_project import ARGOCD_DEFAULT, ExistingProject
from homelab.model.origin import source_file
from homelab.model.remote_resource import RemoteResource

Scope = BuilderScope
"""The type of a builder's ``scope``, the same at run time: this library's constructs go in it, cdk8s
constructs in ``scope.chart`` (:class:`constructs_lib._internal.construct.BuilderScope`). Importing it loads no
cdk8s, so a homelab that uses only this library's constructs never starts Node.js."""

BaseBuilder = Callable[[Scope], None]
"""Builds an app's base: what it is on every cluster that does not change it."""
Builder = Callable[[Scope, Context], None]
"""Builds an app (or a cluster's own objects) as it is on the cluster ``ctx.cluster``."""

NamespaceCreation = Literal["object", "sync-option", "none"]
"""How an app's namespace comes to exist: ``"object"``, a Namespace object beside its Application;
``"sync-option"``, Argo CD creates it when syncing the Application (its ``CreateNamespace=true`` sync
option), no object; ``"none"``, nothing of the app creates it (it exists already, e.g. ``kube-system``, or
another app creates it)."""


def _positional_count(function: Callable[..., object]) -> int:
    """How many positional arguments ``function`` requires (``*args`` takes one as well as any)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return 1  # a builtin or extension: trust the type checker
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return 1
    required = [
        p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    return len(required)


@type_checked
@dataclass(frozen=True, kw_only=True)
class AppSpec:
    """One app: its tree directory, its namespace and how to build it.

    ``base`` builds the app's ``<directory>/base``; ``overlays[cluster]`` builds everything the app
    is on that cluster (base objects included, changed as needed). A cluster without an overlay
    builder gets the base unchanged. An app with ``deploys`` has no directory of its own: it runs
    another app's overlay, e.g. a second copy at another revision in another namespace.
    """

    name: str
    """Name of the app-of-apps Application (and, unless given, of the directory and namespace)."""
    base: BaseBuilder | None = None
    """Builds the cluster-agnostic base; required unless ``deploys`` is set."""
    overlays: Mapping[str, Builder] = field(default_factory=dict)
    """Cluster name → builder of the app on that cluster; the base as it is when a cluster is missing."""
    directory: str | None = None
    """Directory of the tree holding ``base/`` and ``overlays/``, a relative path of DNS labels (``wiki``,
    ``media/jellyfin``), not inside another app's; ``name`` when left out."""
    namespace: str | None = None
    """Namespace the app runs in; its group's, else ``name``, when left out."""
    project: str | ExistingProject | None = None
    """Argo CD project of the app; its group's, else ``name``, when left out. A name is a project the homelab
    declares (its AppProject derived from the apps in it); an :class:`ExistingProject` (``DEFAULT_PROJECT``,
    Argo CD's ``default``) is one it only names: no AppProject is emitted for it."""
    namespace_creation: NamespaceCreation = "object"
    """How the app's namespace comes to exist (:data:`NamespaceCreation`): a Namespace object by default;
    ``"sync-option"`` when its Application's sync options create it (``CreateNamespace=true``, which they
    must then have), ``"none"`` when it exists already. Only an ``"object"`` namespace takes ``namespace_labels``."""
    group: AppGroup | None = None
    """The group whose namespace and project the app shares with other apps (see :mod:`homelab.model.app_group`);
    a member sets neither ``namespace``, ``project`` nor ``namespace_labels`` itself."""
    deploys: AppSpec | None = None
    """Deploy this other app's overlay instead of a directory of one's own."""
    revision: str | None = None
    """GitOps revision the app follows; the cluster's ``revision`` when left out."""
    namespace_labels: Mapping[str, str] = field(default_factory=dict)
    """Labels of the app's Namespace; none by default."""
    cluster_resources: tuple[tuple[str, str], ...] = ()
    """(group, kind) pairs its AppProject admits cluster-wide besides those derived (the cluster-scoped
    objects the app's overlay contains, the kinds its charts and remote resources declare), listed after
    them; naming derived ones too orders them as written here. None by default."""
    source_repos: tuple[str, ...] = ()
    """Repositories its AppProject admits besides those its Applications pull from (derived), listed after
    them; naming derived ones too orders them as written here. None by default."""
    cascade_delete: bool = False
    """Deleting the Application (or project) deletes what it deployed (Argo CD's resources finalizer)."""
    backup: bool = False
    """Whether the cluster's backups include the app's namespace."""
    application: ApplicationSettings = field(default_factory=ApplicationSettings)
    """The app's own settings of its app-of-apps Application (sync policy, annotations,
    ignoreDifferences); what it leaves out comes from the cluster (``ClusterPlan.app_sync``), and
    ``ClusterPlan.application_settings`` overrides it on one cluster."""
    remote_resources: tuple[RemoteResource, ...] = ()
    """Remote kustomize resources (pinned URLs) the app's base includes; see :mod:`homelab.model.remote_resource`."""
    creates: tuple[Creates, ...] = ()
    """Objects the app's controllers create that its tree does not hold (an operator installed from
    ``remote_resources`` creating its ``Service`` and ``Secret``), in the app's namespace unless they name
    another; recorded on its app-of-apps Application so the reference checks count them as present. An
    Application the app deploys declares its own with ``HelmArgoAppProps(creates=...)``."""

    def __post_init__(self) -> None:
        self._check_names()
        if (self.base is None) == (self.deploys is None):
            raise HomelabError(
                f"AppSpec {self.name!r}: give exactly one of base= (a builder of its own directory) "
                "or deploys= (another app whose overlay it runs)"
            )
        if self.base is not None and _positional_count(self.base) != 1:
            raise HomelabError(
                f"{source_file(self.base)}: AppSpec {self.name!r}: the base builder "
                f"{getattr(self.base, '__name__', self.base)!r} must take one argument, (scope): a base knows no "
                "cluster; what needs ctx belongs in an overlay builder (overlays={'<cluster>': build})"
            )
        if self.group is not None and (
            self.namespace or self.project or self.namespace_labels or self.namespace_creation != "object"
        ):
            raise HomelabError(
                f"AppSpec {self.name!r}: it is in AppGroup {self.group.name!r}, which sets its namespace, project "
                "and namespace labels; remove namespace=/project=/namespace_labels=/namespace_creation= (or set "
                "them on the group)"
            )
        if self.namespace_labels and self.namespace_creation != "object":
            raise HomelabError(
                f"AppSpec {self.name!r}: namespace_labels= label the Namespace object, but "
                f"namespace_creation={self.namespace_creation!r} emits none; use namespace_creation='object' "
                "(the default) to label it, or drop namespace_labels="
            )
        if self.deploys is not None and self.remote_resources:
            raise HomelabError(
                f"AppSpec {self.name!r}: an app with deploys= runs another app's directory; declare "
                "remote_resources= on that app"
            )
        if self.deploys is not None and self.overlays:
            raise HomelabError(
                f"AppSpec {self.name!r}: an app with deploys= has no overlays of its own; remove overlays="
            )

    def _check_names(self) -> None:
        """The name, directory, namespace, project and namespace labels follow Kubernetes's rules: the
        directory is a path inside the tree, never outside it."""
        owner = f"AppSpec {self.name!r}"
        check_dns_label(self.name, what="name", owner=owner)
        if self.namespace is not None:
            check_dns_label(self.namespace, what="namespace", owner=owner)
        if self.project == ARGOCD_DEFAULT:
            raise HomelabError(
                f"{owner}: project='default' would emit an AppProject named 'default', replacing the one Argo CD "
                "keeps itself; to put the app in Argo CD's default project, write project=DEFAULT_PROJECT "
                "(from homelab import DEFAULT_PROJECT), which emits no AppProject"
            )
        if isinstance(self.project, str):
            check_dns_subdomain(self.project, what="project", owner=owner)
        if self.directory is not None and not is_directory(self.directory):
            raise HomelabError(
                f"{owner}: directory {self.directory!r} is not a directory of the tree: use {DIRECTORY_ALLOWS}. "
                f"Fix: AppSpec(name={self.name!r}, directory={self.name!r}, ...), or leave directory= out "
                "(the app's name)"
            )
        for key, value in self.namespace_labels.items():
            if not is_label_key(key):
                raise HomelabError(
                    f"{owner}: namespace_labels key {key!r} is not a valid label key: use {LABEL_KEY_ALLOWS}"
                )
            if not LABEL_VALUE.fits(value):
                raise HomelabError(
                    f"{owner}: namespace_labels[{key!r}] {value!r} is not a valid label value: use {LABEL_VALUE.allows}"
                )

    @property
    def dir(self) -> str:
        """Directory of the tree this app deploys (the deployed app's for ``deploys``)."""
        if self.deploys is not None:
            return self.deploys.dir
        return self.directory or self.name

    @property
    def app_namespace(self) -> str:
        """The namespace the app runs in (see ``namespace``)."""
        if self.group is not None:
            return self.group.group_namespace
        return self.namespace or self.name

    @property
    def app_project(self) -> str:
        """The name of the Argo CD project of the app (see ``project``)."""
        if self.group is not None:
            return self.group.group_project
        if isinstance(self.project, ExistingProject):
            return self.project.name
        return self.project or self.name

    @property
    def declares_project(self) -> bool:
        """Whether the homelab emits the app's AppProject (not for an :class:`ExistingProject`)."""
        return not isinstance(self.project, ExistingProject)

    @property
    def namespace_object(self) -> bool:
        """Whether the homelab emits the app's Namespace (``namespace_creation="object"``)."""
        return self.namespace_creation == "object"

    @property
    def app_namespace_labels(self) -> Mapping[str, str]:
        """Labels of the app's Namespace: its group's, else its own."""
        return self.group.namespace_labels if self.group is not None else self.namespace_labels

    @property
    def origin(self) -> str:
        """File the app is declared in (its base builder's, or the deployed app's)."""
        if self.base is not None:
            return source_file(self.base)
        assert self.deploys is not None
        return self.deploys.origin

    def builder_for(self, cluster: str) -> Builder:
        """The overlay builder of ``cluster``: its own, else the base unchanged."""
        if cluster in self.overlays:
            return self.overlays[cluster]
        base = self.base
        assert base is not None

        def unchanged(scope: Scope, ctx: Context) -> None:
            base(scope)

        unchanged.__module__ = base.__module__
        return unchanged
