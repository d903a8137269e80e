"""Names of the written code: module names from directory names, one constant per distinct props, module
docstrings saying what the app is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from homelab.importing.modules import module_names
from tests.importing.trees import helm_app, kustomization, lab

Import = Callable[..., tuple[int, str]]


def test_module_names_say_where_they_come_from() -> None:
    names = module_names(["base/nextcloud", "nextcloud", "apps/x-y", "core", "2fa", "import", "a-b", "a_b"])
    assert names == {
        "nextcloud": "nextcloud",  # the directory named so keeps the short name
        "base/nextcloud": "base_nextcloud",  # not nextcloud_2
        "apps/x-y": "x_y",
        "core": "app_core",  # clusters.apps' own names, Python keywords and digits are prefixed
        "2fa": "app_2fa",
        "import": "app_import",
        "a-b": "a_b",
        "a_b": "a_b_2",  # only when two paths spell the same name
    }


def test_one_constant_per_distinct_props_and_a_docstring_saying_what_the_app_is(
    tmp_path: Path, imported: Import
) -> None:
    extra = helm_app("wiki-search", "wiki", {"replicas": 1}, chart="search")
    changed = {**extra, "spec": {**extra["spec"], "source": {**extra["spec"]["source"], "targetRevision": "2.0.0"}}}
    files: dict[str, object] = {
        "base/app.yaml": helm_app("wiki", "wiki", {"replicas": 1}),
        "base/kustomization.yaml": kustomization(["app.yaml"]),
    }
    for cluster, search in (("home", extra), ("lab", extra), ("work", changed)):
        files[f"overlays/{cluster}/search.yaml"] = search
        files[f"overlays/{cluster}/kustomization.yaml"] = kustomization(["../../base", "search.yaml"])
    tree = lab(tmp_path / "tree", {"wiki": files}, {"home": ["wiki"], "lab": ["wiki"], "work": ["wiki"]})
    status, out = imported(tree, tmp_path / "new")
    assert status == 0, out
    module = (tmp_path / "new/clusters/apps/wiki.py").read_text()
    assert module.startswith(
        '"""wiki: the Helm charts wiki 1.2.3 of https://charts.example/wiki and search 1.2.3 of '
        'https://charts.example/search.\n\nImported by `homelab import` from wiki/."""'
    )
    assert module.count("WIKI_SEARCH = HelmArgoAppProps(") == 1 and "WIKI_SEARCH_LAB" not in module  # reused
    assert "WIKI_SEARCH_WORK = replace(\n    WIKI_SEARCH,\n    chart=HelmChart(" in module  # another cluster's, changed
