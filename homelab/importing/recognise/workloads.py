"""Workloads: ``Deployment``, ``Job``, ``CronJob`` and ``Service``, their pods typed
(:mod:`homelab.importing.recognise.pods`); what they read is :mod:`homelab.importing.recognise.config`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from constructs_lib.cron_job import CronJob, CronJobProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.job import Job, JobProps
from constructs_lib.service import Service, ServicePort, ServiceProps
from homelab.importing.recognise.base import Objects, Proposal, name_of, object_meta, of_kind, propose
from homelab.importing.recognise.pods import pod_spec_of


def deployment_props(obj: Mapping[str, Any]) -> DeploymentProps:
    spec = obj["spec"]
    template_meta = spec["template"].get("metadata") or {}
    selector = dict(spec["selector"]["matchLabels"])
    labels = dict(template_meta.get("labels") or {})
    strategy = spec.get("strategy")
    return DeploymentProps(
        **object_meta(obj),
        selector=selector,
        pod=pod_spec_of(spec["template"]["spec"]),
        replicas=spec.get("replicas"),
        pod_labels=None if labels == selector else labels,
        pod_annotations=dict(template_meta.get("annotations") or {}),
        strategy=strategy["type"] if strategy is not None else None,
    )


def job_fields(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "pod": pod_spec_of(spec["template"]["spec"]),
        "backoff_limit": spec.get("backoffLimit"),
        "ttl_seconds_after_finished": spec.get("ttlSecondsAfterFinished"),
    }


def job_props(obj: Mapping[str, Any]) -> JobProps:
    return JobProps(**object_meta(obj), **job_fields(obj["spec"]))


def cron_job_props(obj: Mapping[str, Any]) -> CronJobProps:
    spec = obj["spec"]
    return CronJobProps(
        **object_meta(obj),
        **job_fields(spec["jobTemplate"]["spec"]),
        schedule=spec["schedule"],
        time_zone=spec.get("timeZone"),
        concurrency_policy=spec.get("concurrencyPolicy"),
        starting_deadline_seconds=spec.get("startingDeadlineSeconds"),
        successful_jobs_history_limit=spec.get("successfulJobsHistoryLimit"),
        failed_jobs_history_limit=spec.get("failedJobsHistoryLimit"),
        suspend=spec.get("suspend"),
    )


def service_props(obj: Mapping[str, Any]) -> ServiceProps:
    spec = obj["spec"]
    return ServiceProps(
        **object_meta(obj),
        selector=dict(spec.get("selector") or {}),
        ports=tuple(
            ServicePort(port=p["port"], target_port=p.get("targetPort"), name=p.get("name"), protocol=p.get("protocol"))
            for p in spec["ports"]
        ),
        type=spec.get("type"),
        cluster_ip=spec.get("clusterIP"),
        external_traffic_policy=spec.get("externalTrafficPolicy"),
        external_ips=tuple(spec.get("externalIPs") or ()),
    )


#: kind → (apiVersion, construct, props reader), in the order they are tried.
WORKLOADS = (
    ("apps/v1", "Deployment", Deployment, deployment_props),
    ("batch/v1", "Job", Job, job_props),
    ("batch/v1", "CronJob", CronJob, cron_job_props),
    ("v1", "Service", Service, service_props),
)


def recognise_workloads(objects: Objects, free: frozenset[int]) -> Iterator[Proposal]:
    """A ``Deployment``, ``Job``, ``CronJob`` or ``Service`` per object of that kind."""
    for api_version, kind, construct, props_of in WORKLOADS:
        for i in of_kind(objects, free, api_version, kind):
            yield from propose(construct, partial(props_of, objects[i]), (i,), name_of(objects[i]))
