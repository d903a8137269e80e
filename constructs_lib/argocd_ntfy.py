"""Argo CD notifications to an ntfy topic: the ``notifications`` values of the argo-cd chart.

Argo CD's notification catalog has one trigger and one template per event; written by hand they
are ~130 lines of near-identical YAML. Here each event is one :class:`NtfyEvent` row and the
webhook, triggers, templates and subscriptions are generated from the table, through a YAML
emitter (never string formatting), so any text is quoted as YAML needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from constructs_lib._internal import yaml_io
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.errors import PropsError

APP_LINK = "{{.context.argocdUrl}}/applications/{{.app.metadata.name}}"


@type_checked
@dataclass(frozen=True, kw_only=True)
class NtfyEvent:
    """One notification: when Argo CD sends it (the trigger) and what it says (the template)."""

    trigger: str
    """Trigger name without ``on-``, e.g. ``sync-failed``; the template is ``app-<trigger>``."""
    template: str
    """Template name without ``app-``, e.g. ``sync-failed``."""
    description: str
    """What the trigger means, shown in Argo CD."""
    when: str
    """Argo CD expression that fires the trigger."""
    title: str
    """Title of the ntfy message."""
    message: str
    """Body of the ntfy message (Go template)."""
    priority: int
    """ntfy priority, 1 (min) to 5 (max)."""
    tag: str
    """ntfy tag (emoji short code)."""
    once_per: str | None = None
    """Send at most once per value of this expression; every time the condition holds when left out."""


#: Argo CD's catalog events, as the reference homelab words them.
CATALOG: tuple[NtfyEvent, ...] = (
    NtfyEvent(
        trigger="deployed",
        template="deployed",
        description="Application is synced and healthy. Triggered once per commit.",
        once_per="app.status.sync.revision",
        when="app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'",
        title="App deployed",
        message="Application {{.app.metadata.name}} is now running new version of deployments manifests",
        priority=3,
        tag="+1",
    ),
    NtfyEvent(
        trigger="health-degraded",
        template="health-degraded",
        description="Application has degraded",
        when="app.status.health.status == 'Degraded'",
        title="Degraded app",
        message="Application {{.app.metadata.name}} has degraded",
        priority=1,
        tag="rotating_light",
    ),
    NtfyEvent(
        trigger="sync-failed",
        template="sync-failed",
        description="Application syncing has failed",
        when="app.status.operationState.phase in ['Error', 'Failed']",
        title="Failed sync",
        message=(
            "The sync operation of application {{.app.metadata.name}} has failed at "
            "{{.app.status.operationState.finishedAt}} with the following error: "
            "{{.app.status.operationState.message}}"
        ),
        priority=2,
        tag="triangular_flag_on_post",
    ),
    NtfyEvent(
        trigger="sync-running",
        template="sync-running",
        description="Application is being synced",
        when="app.status.operationState.phase in ['Running']",
        title="Sync starting",
        message="The sync operation of application {{.app.metadata.name}} has started at {{.app.status.operationState.startedAt}}",
        priority=3,
        tag="warning",
    ),
    NtfyEvent(
        trigger="sync-status-unknown",
        template="sync-status-unknown",
        description="Application status is 'Unknown'",
        when="app.status.sync.status == 'Unknown'",
        title="Unknown sync status",
        message="Application {{.app.metadata.name}} sync is 'Unknown'",
        priority=2,
        tag="warning",
    ),
    NtfyEvent(
        trigger="sync-succeeded",
        template="sync-succeeded",
        description="Application syncing has succeeded",
        when="app.status.operationState.phase in ['Succeeded']",
        title="App synced",
        message="Application {{.app.metadata.name}} has been successfully synced at {{.app.status.operationState.finishedAt}}",
        priority=3,
        tag="+1",
    ),
)

_WEBHOOK = {
    "url": "$WEBHOOK_URL",
    "headers": [{"name": "Content-Type", "value": "application/json"}],
    "basicAuth": {"username": "$WEBHOOK_USER", "password": "$WEBHOOK_PASSWORD"},
}


@type_checked
@dataclass(frozen=True, kw_only=True)
class NtfyNotifications:
    """Notifications of every event in ``events`` to ntfy ``topic``, through a webhook.

    The webhook's URL and basic-auth credentials come from the existing secret
    ``argocd-notifications-secret`` (keys ``WEBHOOK_URL``, ``WEBHOOK_USER``, ``WEBHOOK_PASSWORD``),
    so the chart is told not to create one.
    """

    topic: str
    """The ntfy topic messages are posted to."""
    subscribed: tuple[str, ...] = ("sync-succeeded", "sync-failed", "health-degraded")
    """Triggers (without ``on-``) every Application is subscribed to."""
    default_triggers: tuple[str, ...] = ("sync-status-unknown",)
    """Triggers (without ``on-``) used when an Application subscribes without naming one."""
    events: tuple[NtfyEvent, ...] = field(default=CATALOG)
    """The events defined; Argo CD's catalog by default."""

    def __post_init__(self) -> None:
        known = {e.trigger for e in self.events}
        for name in (*self.subscribed, *self.default_triggers):
            if name not in known:
                raise PropsError(
                    f"NtfyNotifications: trigger {name!r} is not among the events ({', '.join(sorted(known))})"
                )
        for e in self.events:
            if not 1 <= e.priority <= 5:
                raise PropsError(f"NtfyNotifications: event {e.trigger!r}: priority must be 1..5, got {e.priority}")

    def _trigger(self, e: NtfyEvent) -> str:
        """The trigger's YAML, as Argo CD's catalog writes it (sequences not indented under their key)."""
        trigger: dict[str, Any] = {"description": e.description}
        if e.once_per:
            trigger["oncePer"] = e.once_per
        trigger |= {"send": [f"app-{e.template}"], "when": e.when}
        return yaml.safe_dump([trigger], sort_keys=False, width=float("inf"), allow_unicode=True)

    def _template(self, e: NtfyEvent) -> str:
        body = {
            "topic": self.topic,
            "message": e.message,
            "title": e.title,
            "priority": e.priority,
            "tag": e.tag,
            "click": APP_LINK,
        }
        body_text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
        return yaml_io.dump({"webhook": {"ntfy": {"method": "POST", "body": body_text}}})

    def values(self) -> dict[str, Any]:
        """The argo-cd chart's ``notifications`` values."""
        triggers = {f"trigger.on-{e.trigger}": self._trigger(e) for e in self.events}
        triggers["defaultTriggers"] = "".join(f"- on-{name}\n" for name in self.default_triggers)
        return {
            "secret": {"create": False},
            "notifiers": {"service.webhook.ntfy": yaml_io.dump(_WEBHOOK)},
            "subscriptions": [{"recipients": ["ntfy"], "triggers": [f"on-{name}" for name in self.subscribed]}],
            "triggers": triggers,
            "templates": {f"template.app-{e.template}": self._template(e) for e in self.events},
        }
