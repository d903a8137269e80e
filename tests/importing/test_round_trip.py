"""A property: random trees in the supported shapes (apps with a Helm Application, overlays adding config and
patching values, clusters deploying some apps and not others) import and re-render identically."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homelab.commands.import_repo import ImportOptions, run
from tests.importing.trees import REPO, helm_app, kustomization, lab

ROOT = Path(__file__).resolve().parents[2]
NAMES = st.sampled_from(["wiki", "notes", "photos", "media", "books"])
VALUES = st.dictionaries(
    st.sampled_from(["replicas", "size", "mode"]), st.integers(0, 9) | st.text("abc", max_size=3), max_size=3
)


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[str, dict[str, object]], dict[str, list[str]]]:
    names = draw(st.lists(NAMES, min_size=1, max_size=3, unique=True))
    clusters = draw(st.lists(st.sampled_from(["home", "lab"]), min_size=1, max_size=2, unique=True))
    apps: dict[str, dict[str, object]] = {}
    for name in names:
        files: dict[str, object] = {
            "base/app.yaml": helm_app(name, name, draw(VALUES)),
            "base/kustomization.yaml": kustomization(["app.yaml"]),
        }
        for cluster in clusters:
            resources = ["../../base"]
            more: dict[str, object] = {}
            if draw(st.booleans()):  # a ConfigMap of its own on this cluster
                files[f"overlays/{cluster}/config.yaml"] = {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": f"{name}-config", "namespace": name},
                    "data": {"cluster": cluster},
                }
                resources.append("config.yaml")
            if draw(st.booleans()):  # a value patched on this cluster
                op = f"- op: add\n  path: /spec/source/helm/valuesObject/{cluster}\n  value: {draw(st.integers(0, 9))}"
                more["patches"] = [{"patch": op, "target": {"kind": "Application", "name": name}}]
            files[f"overlays/{cluster}/kustomization.yaml"] = kustomization(resources, **more)
        apps[name] = files
    deployed = {c: [n for n in names if draw(st.booleans())] for c in clusters}
    return apps, deployed


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees())
def test_random_trees_round_trip(tree: tuple[dict[str, dict[str, object]], dict[str, list[str]]], kubectl: str) -> None:
    apps, deployed = tree
    with tempfile.TemporaryDirectory() as scratch:
        root = lab(Path(scratch, "tree"), apps, deployed)
        status = run(ImportOptions(tree=root, repo=REPO, into=Path(scratch, "new"), homelab_source=str(ROOT)))
        assert status == 0
