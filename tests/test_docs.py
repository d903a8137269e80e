"""The construct reference: up to date with the code, and every example in it runs."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from constructs_lib._internal.construct import BuilderScope
from constructs_lib._internal.objects import objects_of
from constructs_lib.api_object import json_of
from docs import examples
from tests.conftest import ROOT, FakeStore

EXAMPLES = [f for name, f in vars(examples).items() if name.startswith("example_") and inspect.isfunction(f)]


def test_the_reference_is_up_to_date() -> None:
    run = subprocess.run(
        [sys.executable, "scripts/construct_docs.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda f: f.__name__)
def test_each_example_renders(example: examples.Any, tmp_path: Path) -> None:
    if "outdir" in inspect.signature(example).parameters:  # a cdk8s program of its own: read what it wrote
        example(str(tmp_path))
        (written,) = tmp_path.glob("*.yaml")
        kinds = [doc["kind"] for doc in yaml.safe_load_all(written.read_text()) if doc]
        assert kinds == ["Application", "Cluster", "ServiceAccount"]
        return
    scope = BuilderScope("example")  # as a homelab builder gets it
    if "sealed" in inspect.signature(example).parameters:
        example(scope, FakeStore())
    else:
        example(scope)
    objects = [json_of(o) for o in objects_of(scope)]
    assert objects and all(o["kind"] and o["metadata"].get("name") for o in objects)


def test_every_construct_is_in_the_reference() -> None:
    text = (ROOT / "docs" / "constructs.md").read_text()
    for module in sorted((ROOT / "constructs_lib").rglob("*.py")):
        source = module.read_text()
        for line in source.splitlines():
            if line.startswith("class ") and line.endswith(("(Construct):", "(Component):", "(ChartComponent):")):
                assert f"### `{line.split()[1].split('(')[0]}`" in text, f"{module.name}: {line}"
