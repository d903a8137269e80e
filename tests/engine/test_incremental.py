"""Incremental synth: after any sequence of the edits a user makes, the cached synth writes exactly what
a full synth (``--no-cache``) writes, byte for byte; and it reuses what an edit did not touch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts.scale_lab import EDITS, edit, write_lab
from tests.conftest import ROOT

APPS = 4


def synth(root: Path, out: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HOMELAB_NO_CACHE"}  # CI turns the cache off; not here
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(ROOT))  # an edit is read, never a stale .pyc
    run = subprocess.run(
        [sys.executable, "-m", "homelab", "--homelab", "lab:HOMELAB", "synth", "--dist", out, *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, APPS - 1)), min_size=1, max_size=4))
def test_incremental_synth_equals_a_full_synth(tmp_path_factory: object, edits: list[tuple[str, int]]) -> None:
    root = Path(tmp_path_factory.mktemp("lab"))  # type: ignore[attr-defined]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write_lab(root, APPS)
    synth(root, "dist")  # fills the cache
    assert (root / ".homelab-cache" / "synth-v1.pickle").is_file()
    for step, (kind, app) in enumerate(edits):
        edit(root, kind, app, step)
        synth(root, "dist")
        full = root.with_name(root.name + "-full")  # the same repository, synthesised from scratch
        shutil.rmtree(full, ignore_errors=True)
        shutil.copytree(root, full, ignore=shutil.ignore_patterns(".homelab-cache", "dist"))
        synth(full, "dist", "--no-cache")
        assert tree(root / "dist") == tree(full / "dist"), (kind, app)


def test_an_edit_renders_only_what_it_touches(tmp_path: Path) -> None:
    """One app's edit: its own runs are rendered again, every other app's come from the cache."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_lab(tmp_path, APPS)
    synth(tmp_path, "dist")
    edit(tmp_path, "replicas", 1, 0)
    code = (
        "import sys; from homelab.cli import load_homelab; from homelab.synth import Synthesiser;"
        "from homelab.render_cache import RenderCache; lab = load_homelab('lab:HOMELAB');"
        "s = Synthesiser(lab, cache=RenderCache(lab.root)); s.files(); print(s.cache.hits, s.cache.misses)"
    )
    env = {k: v for k, v in os.environ.items() if k != "HOMELAB_NO_CACHE"}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=f"{tmp_path}:{ROOT}")
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    hits, misses = map(int, run.stdout.split())
    assert misses == 1 + 3  # app001's base and its three overlays
    assert hits == (APPS - 1) * 4 + 4  # the other apps, and the core app (base and three unchanged overlays)


def _factory(size: str) -> object:
    def build(scope: object) -> None:
        print(size)

    return build


def test_a_builder_made_by_a_factory_changes_with_the_data_it_captured(tmp_path: Path) -> None:
    """A builder made in one module from another module's data: the data is part of its fingerprint, so
    editing it where it lives (a module the builder's own does not import) is seen."""
    from functools import partial

    from homelab.render_cache import RenderCache

    cache = RenderCache(ROOT, enabled=True)
    cache.path = tmp_path / "unused.pickle"
    small, same, big = _factory("1Gi"), _factory("1Gi"), _factory("2Gi")
    assert cache.fingerprint(small, "x") == cache.fingerprint(same, "x") != cache.fingerprint(big, "x")
    assert cache.fingerprint(partial(_factory, "1Gi"), "x") != cache.fingerprint(partial(_factory, "2Gi"), "x")
    assert cache.fingerprint(print, "x") is None  # a builtin: nothing to tell by, never reused
