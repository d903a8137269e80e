"""``homelab diff --format markdown``: a :class:`~homelab.engine.diff.Report` as a pull request's comment.

Per cluster: a heading with its counts, a table of the apps changed, a table of the sealed values whose
ciphertext changed (by secret and key: values are never known here), and each app's objects with their
field paths in a code block, collapsed in ``<details>`` when long. The code blocks hold the text format's
lines (:meth:`Change.lines`), so Secret values are masked by the one code that masks them there. Names
outside code blocks are escaped (:func:`escape`): a ``|``, a backtick or a ``<`` breaks no table or HTML.
The whole stays under ``max_chars`` (a GitHub comment holds 65536): what does not fit is cut, object by
object, with a note saying how many objects are not shown and where the rest is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from homelab.engine.diff import Change, ClusterDiff, Report, counted

MAX_CHARS = 60_000
"""The default size cap: GitHub's 65536 less room for what the workflow adds (its marker, the map's link)."""
COLLAPSE_AFTER = 12
"""An app's objects are shown open up to this many lines, collapsed in ``<details>`` beyond."""
TRUNCATED = (
    "_Cut here: {hidden} of the {total} objects that differ are not shown (a GitHub comment holds at most 65536 "
    "characters). The whole diff is in the workflow run's log (`homelab diff`), and what the change touches "
    "in the map attached to the run (artifact `homelab-map`)._"
)

MARKUP = set("&<>|`*_[]#@!~\\{}$^")
"""What GitHub's markdown could read as syntax (HTML, tables, code, emphasis, links, headings, mentions,
strikethrough, escapes, math) rather than as a name's characters."""


def escape(text: str) -> str:
    """``text`` shown literally in markdown, a table cell or HTML: each character of :data:`MARKUP` as a
    numeric character reference, which GitHub shows as the character and never reads as syntax; line
    breaks as spaces."""
    return "".join(f"&#{ord(c)};" if c in MARKUP else c for c in " ".join(text.splitlines()))


def code_block(lines: list[str]) -> str:
    """``lines`` in a fenced code block whose fence no backtick run in them can close."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence, *lines, fence])


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def apps_table(cluster: ClusterDiff) -> str:
    """The apps with a change on ``cluster``: whether the app is added, removed or changed, and its objects."""
    rows = [
        (app, status, counted([c for c in cluster.changes if c.app == app])) for app, status in cluster.apps.items()
    ]
    return _table(("app", "app is", "objects"), rows)


def sealed_table(cluster: ClusterDiff) -> str | None:
    """The sealed values of ``cluster`` whose ciphertext changed, by secret and key; None without any."""
    rows = [(c.app, c.object, key, verb) for c in cluster.changes for key, verb in c.sealed_values()]
    if not rows:
        return None
    intro = "Sealed values whose ciphertext changed (a reseal; the values are never shown):\n\n"
    return intro + _table(("app", "secret", "key", "change"), rows)


def objects_block(app: str, entry: str, changes: list[Change], of: int | None = None) -> str:
    """``changes`` of one app directory with their field paths; ``of`` the group's size when only some are shown."""
    lines = [line for change in changes for entry_line in change.lines() for line in entry_line.splitlines()]
    shown = f"{len(changes)} of {of} objects shown" if of is not None else counted(changes)
    label = f"{escape(app)} ({escape(entry)}): {escape(shown)}"
    if len(lines) <= COLLAPSE_AFTER:
        return f"{label}\n\n{code_block(lines)}"
    return f"<details><summary>{label}</summary>\n\n{code_block(lines)}\n\n</details>"


def total(report: Report) -> str:
    """One line: how many objects differ on how many clusters, apps touched, sealed values changed."""
    if not report.differences:
        return f"**No differences** on {_count(len(report.clusters), 'cluster')}."
    changes = [c for cluster in report.clusters for c in cluster.changes]
    touched = sum(1 for cluster in report.clusters if cluster.changes)
    apps = sum(len(cluster.apps) for cluster in report.clusters)
    sealed = sum(len(c.sealed_values()) for c in changes)
    return (
        f"**Total:** {_count(report.differences, 'object')} differ ({counted(changes)}) on {touched} of "
        f"{_count(len(report.clusters), 'cluster')}; {_count(apps, 'app')} with a change; "
        f"{_count(sealed, 'sealed value')} changed."
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass
class _Page:
    """Blocks of markdown added while they fit in ``room`` characters (blocks are joined by a blank line)."""

    room: int
    blocks: list[str] = field(default_factory=list)

    def fits(self, block: str) -> bool:
        return _size([block]) <= self.room

    def add(self, block: str) -> None:
        self.blocks.append(block)
        self.room -= _size([block])


def _size(blocks: list[str]) -> int:
    return sum(len(block) + 2 for block in blocks)


def _add_objects(page: _Page, app: str, entry: str, changes: list[Change]) -> int:
    """Add the block of ``changes``, or of as many of the first ones as fit, to ``page``; return how many."""
    if page.fits(block := objects_block(app, entry, changes)):
        page.add(block)
        return len(changes)
    fitting, too_many = 0, len(changes)  # the block of the first `fitting` fits, of `too_many` does not
    while too_many - fitting > 1:
        middle = (fitting + too_many) // 2
        if page.fits(objects_block(app, entry, changes[:middle], of=len(changes))):
            fitting = middle
        else:
            too_many = middle
    if fitting:
        page.add(objects_block(app, entry, changes[:fitting], of=len(changes)))
    return fitting


def _summary(cluster: ClusterDiff) -> list[str]:
    """The cluster's heading, and the tables of its apps and sealed values when it has changes."""
    if not cluster.changes:
        return [f"#### {escape(cluster.summary())}"]
    return [f"#### {escape(cluster.summary())}", apps_table(cluster), *filter(None, [sealed_table(cluster)])]


def markdown(report: Report, *, max_chars: int = MAX_CHARS) -> str:
    """``report`` as markdown of at most ``max_chars`` characters: the title, total and notes, then per
    cluster its summary and its objects. Every summary is given room before any object: objects are
    cut first, in order, then (a diff of very many clusters) the summaries that do not fit."""
    head = [f"### homelab diff: {escape(report.old)} → {escape(report.new)}", total(report)]
    head += [f"> note: {escape(note)}" for note in report.notes]
    summaries = [_summary(cluster) for cluster in report.clusters]
    note = TRUNCATED.format(hidden=report.differences, total=report.differences)
    limit = max_chars - _size([note])
    room = limit - _size(head) - sum(_size(s) for s in summaries)
    objects: list[list[str]] = []
    hidden = 0
    for cluster in report.clusters:
        page = _Page(room)
        for (app, entry), changes in cluster.by_entry().items():
            hidden += len(changes) - (_add_objects(page, app, entry, changes) if not hidden else 0)
        room = page.room
        objects.append(page.blocks)
    page = _Page(limit)
    for block in [*head, *(b for s, o in zip(summaries, objects, strict=True) for b in (*s, *o))]:
        if not page.fits(block):
            break  # only when the summaries alone do not fit, and then no object is shown
        page.add(block)
    if hidden:
        page.blocks.append(TRUNCATED.format(hidden=hidden, total=report.differences))
    return "\n\n".join(page.blocks) + "\n"
