"""Accepting a finding on purpose: a reviewed exception, with its reason, instead of a red CI forever.

Two places say so, each with a mandatory reason:

- the acceptance file (``.homelab-validate.yaml`` at the repository root, or ``--accept FILE``)::

      accept:
        - check: ignore-differences
          object: Application thomflix/sonarr     # as validate prints it; * and ? match
          reason: TrueCharts set hostUsers, which the cluster drops; syncing it back is harmless
          # field: spec.ignoreDifferences         # optional, to accept one field only

- an annotation on the object itself, one ``CHECK: reason`` line per accepted check::

      metadata:
        annotations:
          homelab/validate-accept: "ignore-differences: TrueCharts set hostUsers, the cluster drops it"

An acceptance that matches no finding is stale and reported (as a warning), so none outlives its cause.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from homelab.errors import HomelabError
from homelab.validate.findings import Finding
from homelab.validate.tree import describe

FILE_NAME = ".homelab-validate.yaml"
ANNOTATION = "homelab/validate-accept"


@dataclass
class Acceptance:
    check: str
    object: str
    reason: str
    field: str = ""
    where: str = ""
    """Where it was declared, for the stale warning."""
    used: bool = False

    def matches(self, f: Finding) -> bool:
        return (
            fnmatch.fnmatchcase(f.check, self.check)
            and fnmatch.fnmatchcase(f.object, self.object)
            and (not self.field or fnmatch.fnmatchcase(f.field, self.field))
        )


def from_file(path: Path) -> list[Acceptance]:
    """The acceptances of an acceptance file; a clear error for a malformed one."""
    try:
        doc = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise HomelabError(f"{path}: cannot read the acceptance file ({exc})") from None
    entries = doc.get("accept") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise HomelabError(f"{path}: expected `accept:` with a list of {{check, object, reason}} entries")
    out = []
    for i, raw in enumerate(entries):
        where = f"{path.name}: accept[{i}]"
        if not isinstance(raw, dict) or not all(
            isinstance(raw.get(k), str) and raw[k].strip() for k in ("check", "object")
        ):
            raise HomelabError(f"{path}: accept[{i}] needs check and object (as validate prints them)")
        if not isinstance(raw.get("reason"), str) or not raw["reason"].strip():
            raise HomelabError(
                f"{path}: accept[{i}] ({raw['check']}, {raw['object']}) needs a reason: say why it is fine"
            )
        out.append(Acceptance(raw["check"], raw["object"], raw["reason"], str(raw.get("field") or ""), where))
    return out


def from_annotations(objects: list[tuple[dict[str, Any], str]]) -> list[Acceptance]:
    """The acceptances annotated on ``(object, namespace)`` pairs."""
    out = []
    for obj, namespace in objects:
        text = ((obj.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION)
        if not text:
            continue
        name = describe(obj, namespace)
        for line in str(text).splitlines():
            check, sep, reason = line.partition(":")
            if sep and check.strip() and reason.strip():
                out.append(Acceptance(check.strip(), name, reason.strip(), where=f"{name} ({ANNOTATION})"))
    return out


def apply(
    findings: list[Finding], acceptances: list[Acceptance], *, report_stale: bool = True
) -> tuple[list[Finding], int]:
    """The findings no acceptance covers, plus (``report_stale``) a warning per stale acceptance; and how many
    were accepted."""
    kept, accepted = [], 0
    for f in findings:
        match = next((a for a in acceptances if a.matches(f)), None)
        if match is None:
            kept.append(f)
        else:
            match.used = True
            accepted += 1
    for a in acceptances:
        if report_stale and not a.used:
            kept.append(
                Finding(
                    entry=".",
                    check="stale-acceptance",
                    object=a.object,
                    field=a.field,
                    message=f"{a.where} accepts {a.check} for {a.object}, which no longer has that finding",
                    fix="remove the acceptance",
                    severity="warning",
                )
            )
    return kept, accepted
