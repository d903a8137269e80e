"""Argo CD Applications of one source: a Helm chart (``HelmArgoApp``) or a path of a git repository
(``GitArgoApp``). An Application of several sources, or with fields the props do not name, stays raw."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.annotations import (
    CLUSTER_RESOURCES,
    CREATES,
    PROVIDES_STORAGE_CLASSES,
    Creates,
    created,
    declared_cluster_resources,
)
from constructs_lib.argo_application import IN_CLUSTER, IgnoreDifference
from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart
from homelab.importing.recognise.base import Objects, Proposal, metadata, name_of, of_kind, propose, sync_fields


def sync_policy(spec: Mapping[str, Any]) -> SyncPolicy | None:
    """The ``SyncPolicy`` of an Application's ``spec`` (None when it has no ``syncPolicy``)."""
    if "syncPolicy" not in spec:
        return None
    policy = spec["syncPolicy"] or {}
    automated = policy.get("automated")
    kwargs: dict[str, Any] = {"automated": automated is not None, "options": tuple(policy.get("syncOptions") or ())}
    if isinstance(automated, Mapping):
        kwargs |= {"prune": automated.get("prune", True), "self_heal": automated.get("selfHeal", True)}
    return SyncPolicy(**kwargs)


def ignore_differences(spec: Mapping[str, Any]) -> tuple[IgnoreDifference, ...]:
    return tuple(
        IgnoreDifference(
            kind=entry.get("kind", ""),
            group=entry.get("group", ""),
            json_pointers=tuple(entry.get("jsonPointers") or ()),
            jq_path_expressions=tuple(entry.get("jqPathExpressions") or ()),
            name=entry.get("name"),
            namespace=entry.get("namespace"),
            managed_fields_managers=tuple(entry.get("managedFieldsManagers") or ()),
        )
        for entry in spec.get("ignoreDifferences") or ()
    )


def common_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The ``ApplicationCommon`` fields of an Application (``owned_by`` when its namespace, project and
    destination are one namespace, other than Argo CD's)."""
    meta, spec = metadata(obj), obj.get("spec") or {}
    destination = spec.get("destination") or {}
    annotations, sync = sync_fields(meta.get("annotations") or {})
    namespace, project, target = meta.get("namespace", ""), spec.get("project", ""), destination.get("namespace", "")
    out: dict[str, Any] = {
        "name": name_of(obj),
        "namespace": namespace,
        "project": project,
        "destination_namespace": target,
        "server": destination.get("server", IN_CLUSTER),
        "sync": sync_policy(spec),
        "ignore_differences": ignore_differences(spec),
        "labels": dict(meta.get("labels") or {}),
        **sync,
    }
    if namespace == project == target and namespace not in ("", "argocd"):
        out["owned_by"] = namespace
    if CREATES in annotations:
        out["creates"] = tuple(
            Creates(kind=kind, name=name, namespace="" if ns == target else ns)
            for kind, ns, name in created(annotations)
        )
        del annotations[CREATES]
    out["annotations"] = annotations
    return out


def helm_fields(source: Mapping[str, Any]) -> dict[str, Any]:
    helm = source.get("helm") or {}
    return {"release_name": helm.get("releaseName"), "values": dict(helm.get("valuesObject") or {})}


def helm_app_props(obj: Mapping[str, Any]) -> HelmArgoAppProps:
    """The props of an Application installing a chart of a Helm repository."""
    source = (obj.get("spec") or {})["source"]
    common = common_fields(obj)
    annotations = dict(common.pop("annotations"))
    extra: dict[str, Any] = {}
    if PROVIDES_STORAGE_CLASSES in annotations:
        extra["provides_storage_classes"] = tuple(annotations.pop(PROVIDES_STORAGE_CLASSES).split(","))
    if CLUSTER_RESOURCES in annotations:
        extra["cluster_resources"] = tuple(declared_cluster_resources(annotations))
        del annotations[CLUSTER_RESOURCES]
    chart = HelmChart(repo_url=source["repoURL"], chart=source["chart"], version=str(source["targetRevision"]))
    return HelmArgoAppProps(**common, annotations=annotations, chart=chart, **helm_fields(source), **extra)


def git_app_props(obj: Mapping[str, Any]) -> GitArgoAppProps:
    """The props of an Application deploying a path of a git repository."""
    source = (obj.get("spec") or {})["source"]
    include = (source.get("directory") or {}).get("include")
    return GitArgoAppProps(
        **common_fields(obj),
        repo_url=source["repoURL"],
        path=source["path"],
        revision=str(source.get("targetRevision", "HEAD")),
        directory_include=include,
        **helm_fields(source),
    )


def recognise_applications(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``HelmArgoApp`` or ``GitArgoApp`` per Application of one source."""
    for i in of_kind(objects, free, "argoproj.io", "Application"):
        source = (objects[i].get("spec") or {}).get("source")
        if not isinstance(source, Mapping):
            continue
        obj = objects[i]
        if "chart" in source:
            yield from propose(HelmArgoApp, partial(helm_app_props, obj), (i,), name_of(obj))
        elif "path" in source:
            yield from propose(GitArgoApp, partial(git_app_props, obj), (i,), name_of(obj))
