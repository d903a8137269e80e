"""Filesystem steps that survive a kill at any instant, and one writer at a time.

- :func:`atomic_write`: a file is replaced whole (temporary file in the same directory, fsync,
  rename), keeping the file's mode; the temporary files of killed writers are removed first.
- :func:`write_file`, :func:`link_file` and :func:`sync_tree`: a tree is written (unchanged files
  hard-linked from the tree it replaces), then made durable at once — ``syncfs`` on Linux, one
  call for the whole filesystem instead of an ``fsync`` per file and directory; elsewhere each
  file and directory is fsynced.
- :func:`exchange`: two directories swap places in one step (Linux ``renameat2(RENAME_EXCHANGE)``),
  so a reader sees either the old tree or the new one, never none.
- :func:`repository_lock`: ``homelab synth`` and ``homelab seal`` take an exclusive ``fcntl`` lock
  on ``.homelab.lock`` at the repository root; the system releases it when the process ends, even
  by SIGKILL. A second writer waits (``HOMELAB_LOCK_TIMEOUT`` seconds, 60 by default), naming the
  process that holds it (the kernel's word where ``/proc/locks`` tells), then fails.
- :func:`fault_point`: with ``HOMELAB_FAULT_AT=N`` set, the N-th filesystem step kills the process
  with SIGKILL (crash tests); ``HOMELAB_FAULT_COUNT=FILE`` records how many steps a run has;
  ``HOMELAB_NO_EXCHANGE=1`` takes the fallback without an atomic swap.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import glob
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from homelab.errors import HomelabError

LOCK_NAME = ".homelab.lock"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_steps = 0


def fault_point() -> None:
    """Count one filesystem step; die by SIGKILL at step ``$HOMELAB_FAULT_AT`` (crash tests only)."""
    global _steps
    _steps += 1
    count_file = os.environ.get("HOMELAB_FAULT_COUNT")
    if count_file:
        Path(count_file).write_text(str(_steps))
    if os.environ.get("HOMELAB_FAULT_AT") == str(_steps):
        os.kill(os.getpid(), signal.SIGKILL)


def fsync_dir(path: Path) -> None:
    """Make a directory's entries (a rename, a new file) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durable(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a new file and fsync it."""
    fault_point()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666 if mode is None else mode)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    if mode is not None:
        os.chmod(path, mode)


def write_file(path: Path, data: bytes) -> None:
    """Write a new file of a tree that :func:`sync_tree` makes durable."""
    fault_point()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def link_file(source: Path, path: Path) -> None:
    """Give ``path`` the content of ``source`` (an unchanged file of the tree being replaced) by a hard
    link: nothing to write, nothing new to flush."""
    fault_point()
    os.link(source, path)


def _syncfs() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return getattr(libc, "syncfs", None)


def sync_tree(root: Path) -> None:
    """Make every file and directory written under ``root`` durable: ``syncfs`` of its filesystem
    (Linux), else an fsync of each file and directory, deepest first."""
    fault_point()
    syncfs = _syncfs()
    if syncfs is not None:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for directory, _, files in sorted(os.walk(root), key=lambda entry: -entry[0].count(os.sep)):
        for name in files:
            fd = os.open(os.path.join(directory, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(directory))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of ``path`` (``.NAME.tmp-PID``) whose writer is dead (killed mid-write);
    a live writer's is left alone."""
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.tmp-*"):
        pid = tmp.name.rpartition(".tmp-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` whole with ``data``, keeping its mode: a crash leaves the old file or the new one,
    and a temporary file that the next write of ``path`` removes (git ignores it: ``.*.tmp-[0-9]*``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write_durable(tmp, data, mode)
        fault_point()
        os.replace(tmp, path)
        fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return None
    libc = ctypes.CDLL(libc_name, use_errno=True)
    return getattr(libc, "renameat2", None)


def exchange(a: Path, b: Path) -> bool:
    """Swap directories ``a`` and ``b`` atomically; False where the system cannot (then nothing changed)."""
    renameat2 = None if os.environ.get("HOMELAB_NO_EXCHANGE") else _renameat2()
    if renameat2 is None:
        return False
    fault_point()
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # a filesystem or kernel without RENAME_EXCHANGE
    raise OSError(err, os.strerror(err), str(a))


_held: set[tuple[Path, int]] = set()
"""The locks this process holds, by (lock file, thread): taking one again in the same thread is a no-op."""


def _flock_holder(fd: int) -> int | None:
    """The pid holding a ``flock`` on ``fd``'s file, from ``/proc/locks`` (Linux); None where it cannot be told."""
    st = os.fstat(fd)
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) < 6 or fields[1] != "FLOCK":  # "->" marks a waiter, not the holder
            continue
        major, minor, inode = fields[5].split(":")
        if int(inode) == st.st_ino and (int(major, 16), int(minor, 16)) == (os.major(st.st_dev), os.minor(st.st_dev)):
            pid = int(fields[4])
            return pid or None  # 0: a process outside this pid namespace
    return None


def lock_holder(fd: int) -> str:
    """Who holds the lock on ``fd``'s file, read when taking it failed: the record its holder wrote
    (``pid N (command)``) when the kernel confirms that pid holds it, else the pid the kernel names
    (a record is stale until a new holder writes its own, and a killed holder's remains)."""
    record = os.pread(fd, 200, 0).decode(errors="replace").strip()
    pid = _flock_holder(fd)
    if pid is None:
        return record or "another homelab process"
    if record.startswith(f"pid {pid} "):
        return record
    return f"pid {pid}"


@contextlib.contextmanager
def repository_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the repository's writer lock for the duration of ``with`` (re-entrant within one thread)."""
    path = root / LOCK_NAME
    held = (Path(os.path.abspath(path)), threading.get_ident())
    if held in _held:
        yield
        return
    timeout = float(os.environ.get("HOMELAB_LOCK_TIMEOUT", "60"))
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        announced = ""
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = lock_holder(fd)
                if time.monotonic() >= deadline:
                    raise HomelabError(
                        f"{path}: {holder} is writing; gave up after {timeout:g} s. Wait for it to finish, "
                        "or raise HOMELAB_LOCK_TIMEOUT (seconds)"
                    ) from None
                if holder != announced:  # the first wait, and each time another process takes the lock
                    print(f"waiting for {holder} to finish ({path})", flush=True)
                    announced = holder
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} ({command})\n".encode(), 0)
        _held.add(held)
        try:
            yield
        finally:
            _held.discard(held)
            os.ftruncate(fd, 0)  # the record names only a live holder
    finally:
        os.close(fd)  # releases the lock; the system does so too if the process is killed
