"""The library's constructs in a plain cdk8s program (cdk8s.App + cdk8s.Chart, no homelab) and beside cdk8s
constructs in a homelab builder: the same objects, each once, and a cdk8s construct told what scope to take."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import homelab
from constructs_lib._internal.construct import BuilderScope
from constructs_lib._internal.objects import objects_of
from constructs_lib.api_object import json_of
from tests.conftest import ROOT
from tests.constructs import cdk8s_program


def in_a_homelab() -> list[dict[str, Any]]:
    """What the program's constructs render in a homelab builder's scope."""
    scope = BuilderScope("wiki")
    cdk8s_program.build(scope)
    return [json_of(o) for o in objects_of(scope)]


def test_a_plain_cdk8s_program_synthesises_what_a_homelab_renders_with_no_system_node(tmp_path: Path) -> None:
    program = tmp_path / "program.py"
    shutil.copy(Path(cdk8s_program.__file__), program)  # outside the repository: nothing of the tests is imported
    path = os.pathsep.join(d for d in os.environ["PATH"].split(os.pathsep) if d and not (Path(d) / "node").exists())
    assert shutil.which("node", path=path) is None
    env = {k: v for k, v in os.environ.items() if k not in ("JSII_NODE", "PYTHONPATH")} | {"PATH": path}
    run = subprocess.run(
        [sys.executable, str(program), str(tmp_path / "out")], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    (written,) = (tmp_path / "out").glob("*.yaml")
    objects = [doc for doc in yaml.safe_load_all(written.read_text()) if doc]
    expected = in_a_homelab()
    assert [o["kind"] for o in expected] == ["Application", "Cluster", "Ingress", "SealedSecret"]
    assert objects == expected
    assert expected[3]["metadata"]["creationTimestamp"] is None  # kubeseal's nulls reach the YAML
    assert expected[0]["spec"]["source"]["helm"]["valuesObject"]["resources"] is None
    assert expected[1]["spec"]["instances"] == 2  # set after creation


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    return [without_nulls(v) for v in value] if isinstance(value, list) else value


def test_in_a_cdk8s_chart_the_objects_are_in_its_json_and_tree_at_their_paths() -> None:
    import cdk8s

    chart = cdk8s.Chart(cdk8s.App(), "wiki")
    cdk8s_program.build(chart)
    # read back through jsii, a mapping's null is dropped (in app.synth()'s YAML it is there: above)
    assert chart.to_json() == [without_nulls(o) for o in in_a_homelab()]
    paths = [n.node.path for n in chart.node.find_all() if isinstance(n, cdk8s.ApiObject)]
    assert paths == ["wiki/wiki/Resource", "wiki/db/Resource", "wiki/ingress/Resource", "wiki/oidc/Resource"]


def test_in_a_builder_the_chart_holds_cdk8s_constructs_and_no_object_is_read_twice() -> None:
    from cdk8s_plus_33 import k8s

    from constructs_lib.namespace import Namespace

    scope = BuilderScope("lab")
    Namespace(scope, "ns", name="wiki")
    Namespace(scope.chart, "ns", name="wiki-db")  # a library construct in the chart: mirrored there, read once
    k8s.KubeServiceAccount(scope.chart, "sa", metadata=k8s.ObjectMeta(name="backup", namespace="wiki"))
    names = [json_of(o)["metadata"]["name"] for o in objects_of(scope)]
    assert names == ["wiki", "wiki-db", "backup"]


def test_a_builders_scope_is_what_its_type_says_and_starts_nothing() -> None:
    scope = homelab.Scope("lab")
    assert type(scope) is BuilderScope and not scope.has_chart
    assert not hasattr(scope, "node")  # not a cdk8s construct, to mypy nor at run time


def test_a_cdk8s_construct_given_the_builders_scope_is_told_to_take_scope_chart() -> None:
    from cdk8s_plus_33 import k8s

    from homelab import AppSpec
    from homelab.engine.pipeline import synthesise
    from homelab.user_errors import describe
    from tests.engine import minilab

    def base(scope: homelab.Scope) -> None:
        k8s.KubeConfigMap(scope, "c")  # type: ignore[arg-type]

    lab = minilab.LAB
    plan = homelab.ClusterPlan(cluster=minilab.HOME, apps=(AppSpec(name="cm", base=base),))
    with pytest.raises(TypeError, match=r"argument scope must be constructs\.Construct") as caught:
        synthesise(homelab.Homelab(root=ROOT, core=lab.core, clusters=(plan,)))
    assert "`scope.chart` (k8s.KubeDeployment(scope.chart, ...))" in describe(caught.value)
