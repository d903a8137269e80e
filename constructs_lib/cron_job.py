"""``CronJob``: a :class:`~constructs_lib.job.Job` run on a schedule; its props are a Job's plus the schedule's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.job import JobProps


@type_checked
@dataclass(frozen=True, kw_only=True)
class CronJobProps(JobProps):
    """A Job run on a schedule."""

    schedule: str
    """Cron expression, e.g. ``"0 18 * * *"`` (every day at 18:00)."""
    time_zone: str | None = None
    """IANA zone of ``schedule``, e.g. ``Europe/Paris``; the controller's (usually UTC) when left out."""
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] | None = None
    """What to do when a run is due while the last still runs; Kubernetes' ``Allow`` when left out."""
    starting_deadline_seconds: int | None = None
    successful_jobs_history_limit: int | None = None
    """Finished Jobs kept; Kubernetes' default (3) when left out."""
    failed_jobs_history_limit: int | None = None
    """Failed Jobs kept; Kubernetes' default (1) when left out."""
    suspend: bool | None = None

    def __post_init__(self) -> None:
        owner = self.check("CronJob")
        if len(self.schedule.split()) != 5 and not self.schedule.startswith("@"):
            raise PropsError(f"{owner}: schedule {self.schedule!r} must have 5 fields, e.g. '0 18 * * *'")
        for what in ("successful_jobs_history_limit", "failed_jobs_history_limit", "starting_deadline_seconds"):
            value = getattr(self, what)
            if value is not None and value < 0:
                raise PropsError(f"{owner}: {what} must be 0 or more, got {value}")

    def cron_spec(self) -> dict[str, Any]:
        optional = {
            "timeZone": self.time_zone,
            "concurrencyPolicy": self.concurrency_policy,
            "startingDeadlineSeconds": self.starting_deadline_seconds,
            "successfulJobsHistoryLimit": self.successful_jobs_history_limit,
            "failedJobsHistoryLimit": self.failed_jobs_history_limit,
            "suspend": self.suspend,
        }
        spec: dict[str, Any] = {"schedule": self.schedule}
        spec.update({k: v for k, v in optional.items() if v is not None})
        spec["jobTemplate"] = {"spec": self.job_spec()}
        return spec


class CronJob(Construct):
    """The CronJob for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: CronJobProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource: Manifest = api_object(
            self,
            "Resource",
            api_version="batch/v1",
            kind="CronJob",
            metadata=props.metadata(),
            spec=props.cron_spec(),
        )
