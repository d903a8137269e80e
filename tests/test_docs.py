"""The construct reference: up to date with the code, and every example in it runs."""

from __future__ import annotations

import inspect
import subprocess
import sys

import cdk8s
import pytest

from constructs_lib.api_object import manifest_of
from constructs_lib.construct import objects_of
from docs import examples
from tests.conftest import ROOT, FakeStore

EXAMPLES = [f for name, f in vars(examples).items() if name.startswith("example_") and inspect.isfunction(f)]


def test_the_reference_is_up_to_date() -> None:
    run = subprocess.run(
        [sys.executable, "scripts/construct_docs.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda f: f.__name__)
def test_each_example_renders(example: examples.Any) -> None:
    chart = cdk8s.Chart(cdk8s.App(), "example")
    if "sealed" in inspect.signature(example).parameters:
        example(chart, FakeStore())
    else:
        example(chart)
    objects = [manifest_of(o) for o in objects_of(chart)]
    assert objects and all(o["kind"] and o["metadata"].get("name") for o in objects)


def test_every_construct_is_in_the_reference() -> None:
    text = (ROOT / "docs" / "constructs.md").read_text()
    for module in sorted((ROOT / "constructs_lib").rglob("*.py")):
        source = module.read_text()
        for line in source.splitlines():
            if line.startswith("class ") and line.endswith(("(Construct):", "(Component):", "(ChartComponent):")):
                assert f"### `{line.split()[1].split('(')[0]}`" in text, f"{module.name}: {line}"
