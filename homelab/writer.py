"""Writing the tree to ``dist/`` without ever losing what a person wrote.

``dist/.homelab-files`` (the ledger) lists every file the synthesiser wrote with its SHA-256.
With it, a synth can tell its own stale files (pruned) from files someone added (kept: the synth
stops and names them) and from generated files edited by hand (kept: the synth stops). The new
tree is written beside ``dist/`` and swapped in with two renames, so a synth that fails leaves
the previous ``dist/`` exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from homelab.errors import HomelabError

LEDGER = ".homelab-files"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_ledger(dist: Path) -> dict[str, str]:
    """``{path: sha256}`` of the files the last synth wrote; empty when there is no ledger."""
    ledger = dist / LEDGER
    if not ledger.exists():
        return {}
    out: dict[str, str] = {}
    for n, line in enumerate(ledger.read_text().splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        digest, sep, path = line.partition("  ")
        if not sep or len(digest) != 64:
            raise HomelabError(f"{ledger}:{n}: malformed line; restore the file from git or delete it and re-run")
        out[path] = digest
    return out


def ledger_text(files: dict[str, bytes]) -> bytes:
    lines = ["# Files written by `python -m homelab synth`, with their SHA-256. Do not edit."]
    lines += [f"{_digest(files[p])}  {p}" for p in sorted(files)]
    return ("\n".join(lines) + "\n").encode()


def on_disk(dist: Path) -> dict[str, bytes]:
    """Every file under ``dist`` except the ledger, by relative path."""
    if not dist.exists():
        return {}
    out = {}
    for path in sorted(dist.rglob("*")):
        if path.is_file() or path.is_symlink():
            rel = path.relative_to(dist).as_posix()
            if rel != LEDGER:
                out[rel] = path.read_bytes()
    return out


@dataclass
class Plan:
    """What a synth would do to ``dist/``."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    """Files the synthesiser did not write (not in the ledger): never touched."""
    edited: list[str] = field(default_factory=list)
    """Generated files changed by hand since the last synth: never overwritten."""
    result: dict[str, bytes] = field(default_factory=dict)
    """The complete ``dist/`` content after the synth (ledger excluded)."""

    @property
    def clean(self) -> bool:
        return not (self.added or self.changed or self.removed or self.foreign or self.edited)


def plan(dist: Path, new: dict[str, bytes], owns: Callable[[str], bool] = lambda _: True) -> Plan:
    """Compare ``new`` with ``dist``; ``owns(path)`` limits the synth to part of the tree (``--cluster``)."""
    ledger = read_ledger(dist)
    current = on_disk(dist)
    p = Plan()
    for path, data in current.items():
        if path not in ledger:
            if new.get(path) != data:  # an identical file is simply adopted
                p.foreign.append(path)
        elif _digest(data) != ledger[path] and new.get(path) != data and (path in new or owns(path)):
            p.edited.append(path)
    result = {path: data for path, data in current.items() if path in ledger and not owns(path)}
    result.update(new)
    for path, data in result.items():
        if path not in current:
            p.added.append(path)
        elif current[path] != data:
            p.changed.append(path)
    p.removed = sorted(path for path in ledger if path in current and path not in result)
    p.result = result
    return p


def problems(p: Plan, dist: Path) -> str | None:
    """The error to stop with when the synth would lose someone's work, else None."""
    lines = []
    for path in p.foreign:
        lines.append(f"  {dist / path}: not written by homelab; move it out of {dist}/ (the tree is generated)")
    for path in p.edited:
        lines.append(
            f"  {dist / path}: edited by hand since the last synth; put the change into the Python, "
            f"then `git checkout -- {dist / path}`"
        )
    if not lines:
        return None
    return f"{dist}/ holds files the synth must not overwrite or delete; nothing was written:\n" + "\n".join(lines)


def write(dist: Path, p: Plan) -> None:
    """Replace ``dist`` with ``p.result`` (plus the ledger); all or nothing."""
    error = problems(p, dist)
    if error:
        raise HomelabError(error)
    dist = dist.resolve()
    dist.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dist.name}.new-", dir=dist.parent))
    try:
        for rel, data in p.result.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / LEDGER).write_bytes(ledger_text(p.result))
        if dist.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dist.name}.old-", dir=dist.parent))
            old.rmdir()
            os.rename(dist, old)
            try:
                os.rename(staging, dist)
            except OSError:
                os.rename(old, dist)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, dist)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
