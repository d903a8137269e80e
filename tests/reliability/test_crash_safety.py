"""Nothing lost: ``homelab synth`` killed (SIGKILL) before each of its filesystem steps leaves ``dist/``
whole — the old tree or the new one, byte for byte — and the next run finishes the job, leaving
nothing behind. Concurrent runs of ``synth`` and ``seal`` wait for each other instead of losing work.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT

SPEC = "tests.reliability.crash_lab:lab"


def homelab(root: Path, *args: str, version: str = "new", **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "HOMELAB_TEST_ROOT": str(root), "CRASH_LAB_VERSION": version, **env}
    return subprocess.run(
        [sys.executable, "-m", "homelab", "--homelab", SPEC, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environ,
        timeout=120,
    )


def tree(dist: Path) -> dict[str, bytes] | None:
    if not dist.exists():
        return None
    return {p.relative_to(dist).as_posix(): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name not in ("dist", ".homelab.lock"))


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes], int]:
    """The old and the new tree, and how many filesystem steps a synth from old to new takes."""
    root = tmp_path_factory.mktemp("trees")
    assert homelab(root, "synth", version="old").returncode == 0
    old = tree(root / "dist")
    count = root / "steps"
    run = homelab(root, "synth", HOMELAB_FAULT_COUNT=str(count))
    assert run.returncode == 0, run.stderr
    new = tree(root / "dist")
    assert old and new and old != new
    return old, new, int(count.read_text())


def trial(tmp: Path, old: dict[str, bytes], new: dict[str, bytes], step: int, **env: str) -> str | None:
    """Kill a synth from old to new at ``step``; None when every guarantee held, else what broke."""
    root = tmp / f"trial-{step}-{len(env)}"
    root.mkdir()
    for rel, data in old.items():
        (root / "dist" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "dist" / rel).write_bytes(data)
    killed = homelab(root, "synth", HOMELAB_FAULT_AT=str(step), **env)
    if killed.returncode != -signal.SIGKILL:
        return f"step {step}: not killed (exit {killed.returncode}: {killed.stderr.strip()[-200:]})"
    after_kill = tree(root / "dist")
    if after_kill not in (old, new) and not (env and after_kill is None):
        return f"step {step}: dist/ is neither the old nor the new tree after the kill"
    again = homelab(root, "synth", **env)
    if again.returncode != 0 or tree(root / "dist") != new:
        return f"step {step}: the next synth did not finish the job ({again.stderr.strip()[-200:]})"
    if leftovers(root):
        return f"step {step}: left behind {leftovers(root)}"
    shutil.rmtree(root)
    return None


def test_synth_killed_at_every_step_leaves_the_old_or_the_new_tree(tmp_path: Path, trees: tuple) -> None:
    old, new, steps = trees
    assert steps >= 50, f"only {steps} filesystem steps: the lab is too small to test 50 kill points"
    with ThreadPoolExecutor(2) as pool:
        failures = [f for f in pool.map(lambda s: trial(tmp_path, old, new, s), range(1, steps + 1)) if f]
    print(f"crash trials: {steps}, failures: {len(failures)}")
    assert failures == []


def test_without_an_atomic_swap_a_killed_synth_is_recovered(tmp_path: Path, trees: tuple) -> None:
    """Where RENAME_EXCHANGE is missing, the fallback's two renames may leave dist/ absent for an
    instant; the next run puts it back (or finishes) and says so."""
    old, new, steps = trees
    tail = range(max(1, steps - 8), steps + 1)  # the swap is among the last steps
    failures = [f for s in tail if (f := trial(tmp_path, old, new, s, HOMELAB_NO_EXCHANGE="1"))]
    assert failures == []


def test_dist_mode_is_kept(tmp_path: Path, trees: tuple) -> None:
    _, new, _ = trees
    assert homelab(tmp_path, "synth", version="old").returncode == 0
    os.chmod(tmp_path / "dist", 0o750)
    assert homelab(tmp_path, "synth").returncode == 0
    assert (tmp_path / "dist").stat().st_mode & 0o777 == 0o750
    assert tree(tmp_path / "dist") == new


def test_leftovers_of_a_killed_run_are_recovered_and_reported(tmp_path: Path, trees: tuple) -> None:
    _, new, _ = trees
    assert homelab(tmp_path, "synth", version="old").returncode == 0
    (tmp_path / ".dist.new-abc123" / "kustomize").mkdir(parents=True)
    (tmp_path / ".dist.old-def456").mkdir()
    run = homelab(tmp_path, "synth")
    assert run.returncode == 0
    assert "recovered: removed .dist.new-abc123 (left by a synth that was killed)" in run.stdout
    assert leftovers(tmp_path) == [] and tree(tmp_path / "dist") == new


def test_four_concurrent_synths_end_with_the_new_tree(tmp_path: Path, trees: tuple) -> None:
    _, new, _ = trees
    assert homelab(tmp_path, "synth", version="old").returncode == 0
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: homelab(tmp_path, "synth"), range(4)))
    assert [r.returncode for r in runs] == [0, 0, 0, 0], [r.stderr for r in runs]
    assert tree(tmp_path / "dist") == new and leftovers(tmp_path) == []
    assert sum("unchanged" in r.stdout for r in runs) == 3  # the others found the work done


def test_a_writer_that_waits_too_long_names_the_holder(tmp_path: Path) -> None:
    import fcntl

    lock = tmp_path / ".homelab.lock"
    with open(lock, "w") as held:
        held.write(f"pid {os.getpid()} (homelab seal)\n")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX)
        run = homelab(tmp_path, "synth", HOMELAB_LOCK_TIMEOUT="0.3")
    assert run.returncode == 1
    assert f"pid {os.getpid()} (homelab seal) is writing; gave up after 0.3 s" in run.stderr
    assert not (tmp_path / "dist").exists()


def test_the_waiting_message_names_the_real_holder_not_a_stale_record(tmp_path: Path) -> None:
    """A killed holder's record stays in the lock file, and a new holder writes its own only after taking
    the lock: the holder named is the one the kernel says holds it (and a clean release clears the record)."""
    import fcntl

    assert homelab(tmp_path, "synth").returncode == 0
    lock = tmp_path / ".homelab.lock"
    assert lock.read_text() == "", "a finished synth left its record: the next waiter would name it"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock.write_text(f"pid {gone.stdout.strip()} (homelab synth)\n")  # as a killed synth leaves it
    with open(lock) as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # the real holder, which has not written its record (yet)
        run = homelab(tmp_path, "synth", HOMELAB_LOCK_TIMEOUT="0.3")
    assert run.returncode == 1
    assert f"waiting for pid {os.getpid()} to finish" in run.stdout, run.stdout
    assert f"pid {os.getpid()} is writing; gave up after 0.3 s" in run.stderr, run.stderr
    assert gone.stdout.strip() not in run.stdout + run.stderr
