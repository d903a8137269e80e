"""Writing the tree to ``dist/`` without ever losing what a person wrote.

``dist/.homelab-files`` (the ledger) lists every file the synthesiser wrote with its SHA-256.
With it, a synth can tell its own stale files (pruned) from files someone added (kept: the synth
stops and names them) and from generated files edited by hand (kept: the synth stops). The new
tree is written beside ``dist/`` and swapped in atomically (:func:`write`), so a synth that fails
or is killed leaves ``dist/`` whole, old or new, never absent or mixed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from homelab import safe_fs
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


def _entries(dist: Path) -> tuple[list[str], list[str]]:
    """(regular files, anything else: symbolic links, sockets, ...) under ``dist``, by relative path.
    Symbolic links are never followed."""
    files: list[str] = []
    others: list[str] = []
    if not dist.is_dir():
        return files, others
    for directory, subdirectories, names in os.walk(dist):
        for name in [*subdirectories, *names]:
            path = os.path.join(directory, name)
            rel = Path(path).relative_to(dist).as_posix()
            if os.path.islink(path):
                others.append(rel)
            elif name in names:
                (files if os.path.isfile(path) else others).append(rel)
    return sorted(files), sorted(others)


def on_disk(dist: Path, files: Iterable[str] | None = None) -> dict[str, bytes]:
    """Every regular file under ``dist`` (or of ``files``, found by :func:`_entries`) except the ledger, by
    relative path; symbolic links are not followed."""
    return {rel: (dist / rel).read_bytes() for rel in (_entries(dist)[0] if files is None else files) if rel != LEDGER}


def _outside(rel: str) -> str | None:
    """Why ``rel``, a path of the tree, could lead outside the output directory or name no file; else None."""
    if not isinstance(rel, str) or not rel:
        return "is not a non-empty path"
    if "\0" in rel:
        return "contains a NUL character"
    if rel.startswith("/"):
        return "is absolute"
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "has an empty, '.' or '..' segment"
    try:
        encoded = [part.encode() for part in parts]
    except UnicodeEncodeError:
        return "is not valid Unicode (a lone surrogate)"
    if any(len(part) > 255 for part in encoded):
        return "has a segment longer than 255 bytes, more than a file name may have"
    return None


def check_inside(dist: Path, paths: Iterable[str]) -> None:
    """Refuse, before anything is written, any path that could lead outside ``dist`` (absolute, with a
    ``..``, ``.`` or empty segment, a NUL) or that no file can have (too long, also a directory)."""
    paths = list(paths)
    bad = [f"  {rel!r}: {why}" for rel in paths if (why := _outside(rel))]
    directories = {parent for rel in paths for parent in PurePosixPath(rel).parents}
    bad += [
        f"  {rel!r}: is both a file and the directory of another path"
        for rel in paths
        if PurePosixPath(rel) in directories
    ]
    if bad:
        raise HomelabError(
            f"{dist}/: {len(bad)} path(s) would not be files inside it; nothing was written:\n"
            + "\n".join(bad)
            + "\nEvery path of the tree is a directory of an AppSpec (directory=, name=) and an object's file "
            "name: give them names that follow Kubernetes's rules"
        )


def _resolved_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, every symbolic link followed, is ``root`` (resolved) or under it."""
    return path.resolve().is_relative_to(root.resolve())


@dataclass
class Changes:
    """What a synth would do to ``dist/``."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    """Files the synthesiser did not write (not in the ledger): never touched."""
    edited: list[str] = field(default_factory=list)
    """Generated files changed by hand since the last synth: never overwritten."""
    links: list[str] = field(default_factory=list)
    """Symbolic links (and other entries that are not files nor directories) in ``dist``: never followed."""
    result: dict[str, bytes] = field(default_factory=dict)
    """The complete ``dist/`` content after the synth (ledger excluded)."""

    @property
    def clean(self) -> bool:
        return not (self.added or self.changed or self.removed or self.foreign or self.edited or self.links)


def compare(dist: Path, new: dict[str, bytes], owns: Callable[[str], bool] = lambda _: True) -> Changes:
    """Compare ``new`` with ``dist``; ``owns(path)`` limits the synth to part of the tree (``--cluster``)."""
    check_inside(dist, new)
    ledger = read_ledger(dist)
    files, others = _entries(dist)
    current = on_disk(dist, files)
    p = Changes(links=others)
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


def problems(p: Changes, dist: Path) -> str | None:
    """The error to stop with when the synth would lose someone's work, else None."""
    lines = []
    for path in p.foreign:
        lines.append(f"  {dist / path}: not written by homelab; move it out of {dist}/ (the tree is generated)")
    for path in p.edited:
        lines.append(
            f"  {dist / path}: edited by hand since the last synth; put the change into the Python, "
            f"then `git checkout -- {dist / path}`"
        )
    for path in p.links:
        lines.append(
            f"  {dist / path}: a symbolic link or special file, which synth never follows nor writes through; "
            f"remove it (the tree holds only files and directories)"
        )
    if not lines:
        return None
    return f"{dist}/ holds files the synth must not overwrite or delete; nothing was written:\n" + "\n".join(lines)


def _leftovers(dist: Path) -> tuple[list[Path], list[Path]]:
    """The staging (``.<name>.new-*``) and swapped-out (``.<name>.old-*``) directories a killed run left."""
    parent = dist.parent
    if not parent.is_dir():
        return [], []
    new = sorted(p for p in parent.glob(f".{dist.name}.new-*") if p.is_dir() and not p.is_symlink())
    old = sorted(p for p in parent.glob(f".{dist.name}.old-*") if p.is_dir() and not p.is_symlink())
    return new, old


def recover(dist: Path) -> list[str]:
    """Finish or roll back what a killed synth left beside ``dist``; return what was done, for the user.

    ``dist`` is always whole (the swap is atomic): a staging directory is either a tree that was
    never swapped in or the old tree swapped out, and goes. Only the fallback without an atomic
    swap can leave ``dist`` absent with the old tree beside it: that tree is put back.
    """
    dist = dist.resolve()
    new, old = _leftovers(dist)
    done = []
    if not dist.exists() and old:
        safe_fs.fault_point()
        os.rename(old[-1], dist)
        done.append(f"restored {dist.name}/ from {old[-1].name} (a synth was killed between its two renames)")
        old = old[:-1]
    for leftover in [*new, *old]:
        safe_fs.fault_point()
        _remove(leftover)
        done.append(f"removed {leftover.name} (left by a synth that was killed)")
    return done


def _remove(tree: Path) -> None:
    """Remove ``tree``, read-only directories in it included (an old tree swapped out of a read-only dist/)."""
    for directory, _, _ in os.walk(tree):  # top-down: each directory made writable before its entries go
        os.chmod(directory, stat.S_IRWXU)
    shutil.rmtree(tree)


def _read_only(dist: Path) -> list[Path]:
    """The directories of ``dist`` (itself included) that may not be written: the swap could not delete the
    old tree. Judged by the owner's write bit (as root too, who could write anyway) and by the system."""
    if not dist.is_dir():
        return []
    directories = [dist, *sorted(p for p in dist.rglob("*") if p.is_dir() and not p.is_symlink())]
    return [d for d in directories if not d.stat().st_mode & stat.S_IWUSR or not os.access(d, os.W_OK)]


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def write(dist: Path, p: Changes) -> list[str]:
    """Replace ``dist`` with ``p.result`` (plus the ledger), all or nothing; return recovery notes.

    The new tree is written beside ``dist`` — files that do not change hard-linked from it, the
    others written — made durable (:func:`safe_fs.sync_tree`), given ``dist``'s mode, then swapped
    with it in one atomic step: at every instant ``dist`` is the whole old tree
    or the whole new one. Leftovers of a killed run are dealt with first (:func:`recover`).
    """
    check_inside(dist, p.result)
    error = problems(p, dist)
    if error:
        raise HomelabError(error)
    locked = _read_only(dist)
    if locked:
        named = ", ".join(str(d) for d in locked[:3]) + (f" and {len(locked) - 3} more" if len(locked) > 3 else "")
        raise HomelabError(
            f"{dist}/ is read-only ({named}): synth writes the new tree beside it, swaps it in and deletes the old "
            f"one. Make it writable (chmod -R u+w {dist}) and run synth again; nothing was written"
        )
    shown, dist = dist, dist.resolve()
    try:
        dist.parent.mkdir(parents=True, exist_ok=True)
        notes = recover(dist)
        mode = dist.stat().st_mode & 0o7777 if dist.exists() else _default_mode()
        safe_fs.fault_point()
        staging = Path(tempfile.mkdtemp(prefix=f".{dist.name}.new-", dir=dist.parent))
    except OSError as exc:
        if not (isinstance(exc, PermissionError) or exc.errno == errno.EROFS):
            raise
        raise HomelabError(
            f"{exc.filename}: {exc.strerror}: synth writes the new tree beside {shown}/ in {dist.parent} and swaps "
            f"it in. Make {dist.parent} writable (chmod u+w), or give --dist a writable directory inside the "
            f"repository; {shown}/ was left as it was"
        ) from None
    try:
        directories = {staging}
        fresh = set(p.added) | set(p.changed)
        for rel in sorted(p.result):
            target = staging / rel
            if target.parent not in directories:
                safe_fs.fault_point()
                target.parent.mkdir(parents=True, exist_ok=True)
                if not _resolved_inside(target.parent, staging):  # proven before a byte is written there
                    raise HomelabError(f"{dist}/{rel}: its directory leads outside {dist}/; nothing was written")
                directories.update({target.parent, *target.parent.parents})
            previous = dist / rel
            if (
                rel in fresh
                or previous.is_symlink()
                or not previous.is_file()
                or not _resolved_inside(previous.parent, dist)
            ):
                safe_fs.write_file(target, p.result[rel])
            else:
                safe_fs.link_file(previous, target)  # unchanged: the old tree's own file, linked
        safe_fs.write_file(staging / LEDGER, ledger_text(p.result))
        os.chmod(staging, mode)
        safe_fs.sync_tree(staging)  # all of it durable before it becomes dist
        if not dist.exists():
            safe_fs.fault_point()
            os.rename(staging, dist)
        elif safe_fs.exchange(staging, dist):
            pass  # staging now holds the old tree, removed below
        else:  # no atomic swap here: two renames, which recover() completes after a crash
            old = staging.with_name(staging.name.replace(".new-", ".old-"))
            safe_fs.fault_point()
            os.rename(dist, old)
            safe_fs.fault_point()
            os.rename(staging, dist)
            staging = old
        safe_fs.fsync_dir(dist.parent)
    finally:
        if staging.exists():
            safe_fs.fault_point()
            shutil.rmtree(staging, ignore_errors=True)
    return notes
