"""``Job``: a pod run to completion, once (:mod:`constructs_lib.cron_job` runs one on a schedule)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.object_meta import ObjectMeta
from constructs_lib.pod import PodSpec, pod_json

if TYPE_CHECKING:
    from cdk8s_plus_33 import k8s  # only for types


@type_checked
@dataclass(frozen=True, kw_only=True)
class JobProps(ObjectMeta):
    """A run-to-completion Job."""

    pod: PodSpec | k8s.PodSpec
    """What runs: a :class:`PodSpec`, or a typed ``k8s.PodSpec``."""
    backoff_limit: int | None = None
    """Retries before the Job fails; Kubernetes' default (6) when left out."""
    ttl_seconds_after_finished: int | None = None
    """Delete the finished Job after this many seconds; kept when left out."""

    def __post_init__(self) -> None:
        self.check("Job")

    def job_spec(self) -> dict[str, Any]:
        spec: dict[str, Any] = {}
        if self.ttl_seconds_after_finished is not None:
            spec["ttlSecondsAfterFinished"] = self.ttl_seconds_after_finished
        if self.backoff_limit is not None:
            spec["backoffLimit"] = self.backoff_limit
        spec["template"] = {"spec": pod_json(self.pod)}
        return spec


class Job(Construct):
    """The Job for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: JobProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource: Manifest = api_object(
            self, "Resource", api_version="batch/v1", kind="Job", metadata=props.metadata(), spec=props.job_spec()
        )
