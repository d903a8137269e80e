"""Findings of ``homelab validate`` and how they are printed (text for people, JSON for tools)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
"""``info``: not a problem, not counted (something that could not be verified, an unused file)."""

#: Checks whose findings an acceptance is never the answer to: a secret in clear is in git already (mark a
#: value that is not secret ``not_sensitive``), and the notes about acceptances and skipped checks themselves.
NOT_ACCEPTABLE = ("plaintext", "stale-acceptance", "skipped", "needs-network")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: where it is, what it is, and how to fix it."""

    entry: str
    """Entry directory (relative to the tree) the problem was found building or checking."""
    check: str
    """Short name of the check, e.g. ``secret-ref``."""
    message: str
    fix: str
    """One line saying what to change."""
    severity: Severity = "error"
    file: str = ""
    """File (relative to the tree) the object comes from, when known."""
    object: str = ""
    """``Kind namespace/name`` of the object concerned."""
    field: str = ""
    """Path of the field concerned, e.g. ``spec.source.path``."""

    @property
    def acceptance(self) -> str:
        """The entry of ``.homelab-validate.yaml`` that accepts this finding on purpose (see
        :mod:`homelab.validate.accept`), its reason left to write; empty where acceptance is not the answer."""
        if not self.object or self.check in NOT_ACCEPTABLE:
            return ""
        return f'- {{check: {self.check}, object: "{self.object}", reason: "..."}}'

    def accept_hint(self) -> str:
        """The line offering :attr:`acceptance` (empty when there is none)."""
        if not self.acceptance:
            return ""
        return f"or, if it is right as it is, accept it in .homelab-validate.yaml: {self.acceptance}"


@dataclass
class Report:
    """All findings of one run, deduplicated, with what was covered."""

    findings: list[Finding] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    objects: int = 0
    accepted: int = 0
    """Findings accepted on purpose (acceptance file or annotation), not shown."""

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def unique(self) -> list[Finding]:
        """Findings sorted by entry directory, each reported once: the same problem of the same object in
        the same file is found once however many clusters deploy it; in another directory or file, it is
        another finding."""
        seen: set[tuple[str, str, str, str, str, str]] = set()
        out = []
        for f in sorted(self.findings, key=lambda f: (f.entry, f.severity, f.check, f.object, f.field, f.message)):
            key = (f.entry, f.file, f.check, f.object, f.field, f.message)
            if key not in seen:
                seen.add(key)
                out.append(f)
        return out

    @property
    def errors(self) -> int:
        return sum(1 for f in self.unique() if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.unique() if f.severity == "warning")

    def exit_code(self, *, strict: bool) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0

    def text(self) -> str:
        lines: list[str] = []
        current = None
        for f in self.unique():
            if f.entry != current:
                current = f.entry
                lines.append(f"{f.entry}/")
            where = ", ".join(p for p in (f.file, f.object, f.field) if p)
            lines.append(f"  {f.severity}: [{f.check}] {where + ': ' if where else ''}{f.message}")
            lines.append(f"    fix: {f.fix}")
            if f.acceptance:
                lines.append(f"    {f.accept_hint()}")
        lines.append(
            f"validate: {len(self.entries)} entry directories, {self.objects} objects: "
            f"{self.errors} errors, {self.warnings} warnings"
            + (f", {n} notes" if (n := sum(f.severity == "info" for f in self.unique())) else "")
            + (f", {self.accepted} accepted on purpose" if self.accepted else "")
        )
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps(
            {
                "entries": self.entries,
                "objects": self.objects,
                "errors": self.errors,
                "warnings": self.warnings,
                "accepted": self.accepted,
                "findings": [{**asdict(f), "acceptance": f.acceptance} for f in self.unique()],
            },
            indent=1,
        )
