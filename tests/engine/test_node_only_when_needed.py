"""Node.js is started only for cdk8s constructs: commands that need none, and the synthesis of a homelab
built from this library's constructs alone, never load jsii (measured: loading it is most of a bare
cdk8s start, ~0.4 s)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROBE = """
import sys
from homelab.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print("LOADED:" + ",".join(m for m in ("jsii", "cdk8s", "constructs", "cdk8s_plus_33") if m in sys.modules))
"""


def loaded(*args: str) -> list[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)
    line = next(x for x in run.stdout.splitlines() if x.startswith("LOADED:"))
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("synth", "--check"),
        ("seal", "thomelab", "--list"),
        ("validate", "--tree", "dist/kustomize", "--repo", "https://example.org/lab.git", "--cluster", "thomelab"),
        ("diff", "HEAD", "HEAD"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_commands_that_need_no_cdk8s_do_not_start_node(args: tuple[str, ...]) -> None:
    assert loaded(*args) == []


def test_a_homelab_with_cdk8s_constructs_starts_node_and_synthesises() -> None:
    assert {"jsii", "cdk8s"} <= set(
        loaded("--homelab", "tests.language.mistakes.misspelt_in_builder:LAB", "synth", "--check")
    )


READ_A_CHART = """
import sys
import cdk8s
from cdk8s_plus_33 import k8s
from constructs_lib._internal.objects import objects_of

chart = cdk8s.Chart(cdk8s.App(), "c")
for i in range(20):
    k8s.KubeConfigMap(chart, f"m{i}", metadata=k8s.ObjectMeta(name=f"m{i}"), data={"k": str(i)})
if sys.argv[1] == "read":
    names = [o.to_json()["metadata"]["name"] for o in objects_of(chart)]
    assert names == [f"m{i}" for i in range(20)], names
"""


def _calls_into_node(*args: str) -> int:
    """Calls into Node.js of :data:`READ_A_CHART`, from jsii's own request log (``JSII_DEBUG``, its documented
    switch: one ``> {...}`` line per request), counted after the process ended (the log is Node's stderr)."""
    run = subprocess.run(
        [sys.executable, "-c", READ_A_CHART, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "JSII_DEBUG": "1"},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return sum(line.startswith("> {") for line in run.stderr.splitlines())


def test_a_chart_of_cdk8s_objects_is_read_in_a_few_calls() -> None:
    """The objects of a chart of cdk8s constructs are read with one call for the whole chart (plus its nodes
    and their validations), not one or more per object."""
    calls = _calls_into_node("read") - _calls_into_node("build only")
    assert 1 <= calls <= 4, calls  # the chart's node, its nodes, their validations, its JSON
