"""Synth is a pure function of the declaration: whatever a builder reads — a data file, an environment
variable, data held by the object a bound method or factory carries, a module it imports by name — an
edit of it is written by the next ``homelab synth``, and ``synth --check`` then finds nothing to do.
(A render cache keyed by what a builder seemed to depend on kept the old tree in each of these cases.)
And a synth that started before an edit never writes over the tree of one that started after it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT


def homelab(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m homelab ARGS`` run from ``repo`` as a user runs it; the library is this checkout's."""
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    run = subprocess.run(
        [sys.executable, "-m", "homelab", *args], cwd=repo, env=environ, capture_output=True, text=True, timeout=120
    )
    assert run.returncode in (0, 1), run.stderr
    return run


def synth_writes_the_edit(repo: Path, edit: Callable[[], None], expect: str, *, spec: str, env: dict[str, str]) -> None:
    """After ``edit``, synth rewrites the tree (a file now holds ``expect``) and ``synth --check`` is clean."""
    dist = repo / "dist"
    before = {p: p.read_bytes() for p in dist.rglob("*.yaml")}
    edit()
    run = homelab(repo, "--homelab", spec, "synth", env=env)
    assert run.returncode == 0 and "unchanged" not in run.stdout, run.stdout + run.stderr
    changed = [p for p in dist.rglob("*.yaml") if before.get(p) != p.read_bytes()]
    assert changed and any(expect in p.read_text() for p in changed), run.stdout
    check = homelab(repo, "--homelab", spec, "synth", "--check", env=env)
    assert check.returncode == 0, check.stdout + check.stderr


# A homelab of one app, whose base builder is lab/apps.py's, chosen by $LAB_CASE; the data is lab/data.py's,
# a module lab/apps.py does not import.
INIT = """
import os
from pathlib import Path

from homelab import AppSpec, Cluster, ClusterPlan, Homelab
from lab import apps
from lab.data import SIZE

BUILDERS = {
    "environment": apps.from_environment,
    "data file": apps.from_file,
    "bound method": apps.Settings(SIZE).build,
    "factory": apps.factory(apps.Settings(SIZE)),
    "import_module": apps.by_name,
    "gated": apps.gated(SIZE),
}
HOME = Cluster(name="home", repo_url="https://git.example/lab")
APP = AppSpec(name="wiki", base=BUILDERS[os.environ["LAB_CASE"]])
CORE = AppSpec(name="core-argocd-apps", base=lambda scope: None)
HOMELAB = Homelab(root=Path(__file__).resolve().parent.parent, core=CORE, clusters=(ClusterPlan(cluster=HOME, apps=(APP,)),))
"""
APPS = '''
import importlib
import os
import time
from pathlib import Path

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.versions import HelmChart


def wiki(scope, size):
    chart = HelmChart(repo_url="https://charts.example", chart="wiki", version="1.x")
    HelmArgoApp(scope, "wiki", HelmArgoAppProps(name="wiki", owned_by="wiki", chart=chart, values={"size": size}))


def from_environment(scope):
    wiki(scope, os.environ["LAB_SIZE"])


def from_file(scope):
    wiki(scope, (Path(__file__).parent / "size.txt").read_text().strip())


def by_name(scope):
    wiki(scope, importlib.import_module("lab.sizes").SIZE)


class Settings:
    """Its repr tells nothing of the data it holds."""

    def __init__(self, size):
        self.size = size

    def __repr__(self):
        return "Settings()"

    def build(self, scope):
        wiki(scope, self.size)


def factory(settings):
    return lambda scope: wiki(scope, settings.size)


def gated(size):
    """When $LAB_GATE names a file: say so in GATE.entered, then wait until GATE exists."""

    def build(scope):
        gate = os.environ.get("LAB_GATE")
        if gate:
            Path(gate + ".entered").touch()
            while not Path(gate).exists():
                time.sleep(0.02)
        wiki(scope, size)

    return build
'''


def write_lab(root: Path) -> Path:
    """The one-app homelab of :data:`INIT` in repository ``root``; its package directory."""
    lab = root / "lab"
    lab.mkdir()
    (lab / "__init__.py").write_text(INIT)
    (lab / "apps.py").write_text(APPS)
    (lab / "data.py").write_text('SIZE = "1Gi"\n')
    (lab / "sizes.py").write_text('SIZE = "1Gi"\n')
    (lab / "size.txt").write_text("1Gi\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return lab


@pytest.mark.parametrize("case", ["environment", "data file", "bound method", "factory", "import_module"])
def test_an_edit_of_what_a_builder_reads_is_written(tmp_path: Path, case: str) -> None:
    """An environment variable; a data file; data in a module the builder's own does not import, carried by a bound
    method's object or a factory's closure whose repr hides it; a module imported by name."""
    lab = write_lab(tmp_path)
    env = {"LAB_CASE": case, "LAB_SIZE": "1Gi"}
    first = homelab(tmp_path, "--homelab", "lab:HOMELAB", "synth", env=env)
    assert first.returncode == 0 and "1Gi" in (tmp_path / "dist/kustomize/wiki/base/application-wiki.yaml").read_text()

    def edit() -> None:
        if case == "environment":
            env["LAB_SIZE"] = "20Gi"
        elif case == "data file":
            (lab / "size.txt").write_text("20Gi\n")
        else:
            (lab / ("sizes.py" if case == "import_module" else "data.py")).write_text('SIZE = "20Gi"\n')

    synth_writes_the_edit(tmp_path, edit, "20Gi", spec="lab:HOMELAB", env=env)


def test_a_synth_started_before_an_edit_never_writes_over_a_newer_tree(tmp_path: Path) -> None:
    """Synth A is held inside a builder; the data is edited; synth B, started after the edit, waits for A's
    lock (naming A) instead of rendering beside it; A finishes, then B: B's tree, the newer, is what remains."""
    lab, gate = write_lab(tmp_path), tmp_path / "gate"
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", "LAB_CASE": "gated"}
    command = [sys.executable, "-m", "homelab", "--homelab", "lab:HOMELAB", "synth"]
    first = subprocess.Popen(command, cwd=tmp_path, env={**environ, "LAB_GATE": str(gate)}, stdout=subprocess.PIPE)
    second = None
    try:
        for _ in range(1500):  # A is inside its builder: it has read the data as it was
            if Path(f"{gate}.entered").exists() or first.poll() is not None:
                break
            time.sleep(0.02)
        assert first.poll() is None, "synth A ended before its builder was reached"
        (lab / "data.py").write_text('SIZE = "20Gi"\n')
        second = subprocess.Popen(command, cwd=tmp_path, env=environ, stdout=subprocess.PIPE, text=True)
        assert second.stdout is not None
        said = second.stdout.readline()  # its first word: that it waits (or, were it not to wait, its result)
        gate.touch()
        assert first.wait(timeout=60) == 0 and second.wait(timeout=60) == 0
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
    assert "size: 20Gi" in (tmp_path / "dist/kustomize/wiki/base/application-wiki.yaml").read_text()
    assert said.startswith(f"waiting for pid {first.pid} (homelab synth) to finish"), said
    check = homelab(tmp_path, "--homelab", "lab:HOMELAB", "synth", "--check", env={"LAB_CASE": "gated"})
    assert check.returncode == 0, check.stdout
