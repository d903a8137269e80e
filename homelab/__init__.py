"""homelab: a typed language for a Kubernetes GitOps homelab, compiled to a kustomize tree.

Public names: :class:`Cluster` (a cluster's facts), :class:`AppSpec` (one app), :class:`AppGroup`
(apps sharing a namespace and project), :class:`ExistingProject` and :data:`DEFAULT_PROJECT` (a project an
app names but the homelab does not declare), :class:`RemoteResource` (a pinned remote kustomize resource),
:class:`ClusterPlan` (what runs on one cluster), :class:`Context` (what an overlay builder
knows), :class:`Homelab` (the whole declaration). The CLI is ``python -m homelab``.

Names are imported on first use, and nothing here loads cdk8s: ``python -m homelab --help``,
``seal``, ``validate`` and the synthesis of a homelab that uses only this library's constructs never
start Node.js. A builder's scope is a :data:`Scope` (the same type to mypy and at run time), a Python
object; cdk8s constructs go in ``scope.chart``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from homelab.errors import HomelabError
    from homelab.model.app_group import AppGroup
    from homelab.model.app_spec import AppSpec, BaseBuilder, Builder, Scope
    from homelab.model.cluster import Cluster
    from homelab.model.cluster_plan import ClusterPlan
    from homelab.model.context import Context
    from homelab.model.existing_project import DEFAULT_PROJECT, ExistingProject
    from homelab.model.homelab import Homelab
    from homelab.model.remote_resource import RemoteResource

_WHERE = {
    "AppGroup": "homelab.model.app_group",
    "RemoteResource": "homelab.model.remote_resource",
    "AppSpec": "homelab.model.app_spec",
    "BaseBuilder": "homelab.model.app_spec",
    "Builder": "homelab.model.app_spec",
    "Scope": "homelab.model.app_spec",
    "Cluster": "homelab.model.cluster",
    "ClusterPlan": "homelab.model.cluster_plan",
    "Context": "homelab.model.context",
    "DEFAULT_PROJECT": "homelab.model.existing_project",
    "ExistingProject": "homelab.model.existing_project",
    "HomelabError": "homelab.errors",
    "Homelab": "homelab.model.homelab",
}

__all__ = [
    "DEFAULT_PROJECT",
    "AppGroup",
    "AppSpec",
    "BaseBuilder",
    "Builder",
    "Cluster",
    "ClusterPlan",
    "Context",
    "ExistingProject",
    "Homelab",
    "HomelabError",
    "RemoteResource",
    "Scope",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'homelab' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
