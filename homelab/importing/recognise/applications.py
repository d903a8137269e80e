"""Argo CD Applications: a Helm chart (``HelmArgoApp``; its values as data, as a YAML string or as values files,
those of a git repository as the second source: ``ValuesRepo``) or a path of a git repository
(``GitArgoApp``). Other sources, or fields the props do not name, leave the Application raw."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.annotations import (
    CHART_NAMESPACES,
    CLUSTER_RESOURCES,
    CREATES,
    PROVIDES_STORAGE_CLASSES,
    Creates,
    created,
    declared_cluster_resources,
    declared_namespaces,
)
from constructs_lib.argo_application import IN_CLUSTER, HelmParameter, IgnoreDifference
from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps, ValuesRepo
from constructs_lib.sync_policy import Backoff, ManagedNamespaceMetadata, SyncPolicy, SyncRetry
from constructs_lib.versions import HelmChart
from homelab.importing.recognise.base import Objects, Proposal, metadata, name_of, of_kind, propose, sync_fields


def sync_policy(spec: Mapping[str, Any]) -> SyncPolicy | None:
    """The ``SyncPolicy`` of an Application's ``spec`` (None when it has no ``syncPolicy``)."""
    if "syncPolicy" not in spec:
        return None
    return policy_of(spec["syncPolicy"] or {})


def policy_of(policy: Mapping[str, Any]) -> SyncPolicy:
    """The ``SyncPolicy`` of a ``syncPolicy`` mapping (what it cannot say, the rendering check finds; a value
    it refuses raises its ``PropsError``)."""
    automated = policy.get("automated")
    kwargs: dict[str, Any] = {
        "automated": isinstance(automated, Mapping),
        "options": tuple(str(o) for o in policy.get("syncOptions") or ()),
    }
    if isinstance(automated, Mapping):
        kwargs |= {
            "prune": automated.get("prune", False),
            "self_heal": automated.get("selfHeal", False),
            "allow_empty": automated.get("allowEmpty", False),
        }
    retry = policy.get("retry")
    if isinstance(retry, Mapping):
        backoff = retry.get("backoff")
        kwargs["retry"] = SyncRetry(
            limit=retry.get("limit"),
            backoff=Backoff(
                duration=_text(backoff.get("duration")),
                factor=backoff.get("factor"),
                max_duration=_text(backoff.get("maxDuration")),
            )
            if isinstance(backoff, Mapping)
            else None,
        )
    managed = policy.get("managedNamespaceMetadata")
    if isinstance(managed, Mapping):
        kwargs["managed_namespace_metadata"] = ManagedNamespaceMetadata(
            labels=dict(managed.get("labels") or {}), annotations=dict(managed.get("annotations") or {})
        )
    return SyncPolicy(**kwargs)


def _text(value: object) -> str | None:
    """A duration as Argo CD reads it: a string, or a number of seconds."""
    return None if value is None else str(value)


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


def info_of(spec: Mapping[str, Any]) -> dict[str, str] | None:
    """``spec.info`` as name → value (in order); None when its names are not distinct (a mapping cannot say it)."""
    info = [e for e in spec.get("info") or () if isinstance(e, Mapping)]
    if len({e.get("name") for e in info}) != len(info):
        return None
    return {str(e.get("name")): str(e.get("value", "")) for e in info}


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
        "info": info_of(spec) or {},
        "revision_history_limit": spec.get("revisionHistoryLimit"),
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


def chart_source(spec: Mapping[str, Any]) -> tuple[Mapping[str, Any], ValuesRepo | None]:
    """The chart's source of an Application's ``spec``, and the git repository of its values files when it
    has two sources (the chart's, then ``ref``'s: a ``ValuesRepo``); else a ``ValueError``."""
    if "source" in spec:
        return spec["source"], None
    chart, values = spec["sources"]
    if set(values) - {"repoURL", "targetRevision", "ref"}:
        raise ValueError("the second source is more than a ref of values files")
    repo = ValuesRepo(repo_url=values["repoURL"], revision=str(values.get("targetRevision", "HEAD")), ref=values["ref"])
    return chart, repo


def value_files(helm: Mapping[str, Any], repo: ValuesRepo | None) -> tuple[str, ...]:
    """``helm.valueFiles``, each without the ``$<ref>/`` of ``repo`` (which every one must start with)."""
    files = tuple(str(f) for f in helm.get("valueFiles") or ())
    if repo is None:
        return files
    prefix = f"${repo.ref}/"
    if not all(f.startswith(prefix) for f in files):
        raise ValueError(f"a values file outside {prefix}")
    return tuple(f[len(prefix) :] for f in files)


def helm_app_props(obj: Mapping[str, Any]) -> HelmArgoAppProps:
    """The props of an Application installing a chart of a Helm repository (with values files of a git
    repository as its second source, or not)."""
    source, repo = chart_source(obj.get("spec") or {})
    helm = source.get("helm") or {}
    common = common_fields(obj)
    annotations = dict(common.pop("annotations"))
    extra: dict[str, Any] = {}
    if PROVIDES_STORAGE_CLASSES in annotations:
        extra["provides_storage_classes"] = tuple(annotations.pop(PROVIDES_STORAGE_CLASSES).split(","))
    if CLUSTER_RESOURCES in annotations:
        extra["cluster_resources"] = tuple(declared_cluster_resources(annotations))
        del annotations[CLUSTER_RESOURCES]
    if CHART_NAMESPACES in annotations:
        extra["namespaces"] = tuple(declared_namespaces(annotations))
        del annotations[CHART_NAMESPACES]
    if "values" in helm:
        extra["values_yaml"] = helm["values"]
    extra["parameters"] = tuple(
        HelmParameter(
            name=str(p.get("name", "")), value=str(p.get("value", "")), force_string=bool(p.get("forceString"))
        )
        for p in helm.get("parameters") or ()
    )
    extra["skip_crds"] = bool(helm.get("skipCrds"))
    chart = HelmChart(repo_url=source["repoURL"], chart=source["chart"], version=str(source["targetRevision"]))
    return HelmArgoAppProps(
        **common,
        annotations=annotations,
        chart=chart,
        **helm_fields(source),
        value_files=value_files(helm, repo),
        values_from=repo,
        **extra,
    )


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
    """A ``HelmArgoApp`` per Application of a chart (its values files in a second source or not), a
    ``GitArgoApp`` per Application of a git path."""
    for i in of_kind(objects, free, "argoproj.io", "Application"):
        obj = objects[i]
        spec = obj.get("spec") or {}
        sources = spec.get("sources") or [spec.get("source")]
        first = sources[0] if isinstance(sources, list) else None
        if not isinstance(first, Mapping):
            continue
        if "chart" in first:
            yield from propose(HelmArgoApp, partial(helm_app_props, obj), (i,), name_of(obj))
        elif "path" in first and "source" in spec:
            yield from propose(GitArgoApp, partial(git_app_props, obj), (i,), name_of(obj))
