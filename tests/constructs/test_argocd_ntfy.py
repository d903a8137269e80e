"""NtfyNotifications: Argo CD triggers and templates generated from one table."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import yaml

from constructs_lib.argocd_ntfy import CATALOG, NtfyNotifications
from constructs_lib.errors import PropsError


def test_values_shape() -> None:
    values = NtfyNotifications(topic="lab").values()
    assert values["secret"] == {"create": False}
    assert values["subscriptions"] == [
        {"recipients": ["ntfy"], "triggers": ["on-sync-succeeded", "on-sync-failed", "on-health-degraded"]}
    ]
    assert set(values["triggers"]) == {f"trigger.on-{e.trigger}" for e in CATALOG} | {"defaultTriggers"}
    assert values["triggers"]["defaultTriggers"] == "- on-sync-status-unknown\n"


def test_triggers_and_templates_are_valid_yaml_and_json() -> None:
    values = NtfyNotifications(topic="lab").values()
    deployed = yaml.safe_load(values["triggers"]["trigger.on-deployed"])
    assert deployed == [
        {
            "description": "Application is synced and healthy. Triggered once per commit.",
            "oncePer": "app.status.sync.revision",
            "send": ["app-deployed"],
            "when": "app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'",
        }
    ]
    template = yaml.safe_load(values["templates"]["template.app-sync-failed"])
    body = json.loads(template["webhook"]["ntfy"]["body"])
    assert body["topic"] == "lab" and body["priority"] == 2 and body["title"] == "Failed sync"


def test_unknown_trigger() -> None:
    with pytest.raises(PropsError, match=r"NtfyNotifications: trigger 'deploy' is not among the events"):
        NtfyNotifications(topic="lab", subscribed=("deploy",))


def test_any_text_stays_valid_yaml() -> None:
    # The trigger text used to be built with f-strings: a description with ": " or a leading "*" broke it.
    odd = replace(
        CATALOG[0], description="Synced: healthy # really", when="*app.status == 'x': y", message='say "hi"\n- no'
    )
    values = NtfyNotifications(topic="a: b", events=(odd,), subscribed=("deployed",), default_triggers=()).values()
    (trigger,) = yaml.safe_load(values["triggers"]["trigger.on-deployed"])
    assert trigger["description"] == "Synced: healthy # really" and trigger["when"] == "*app.status == 'x': y"
    body = json.loads(yaml.safe_load(values["templates"]["template.app-deployed"])["webhook"]["ntfy"]["body"])
    assert body["topic"] == "a: b" and body["message"] == 'say "hi"\n- no'
