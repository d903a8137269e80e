"""The Namespace + AppProject + Application of an app on a cluster: derived, with the AppSpec settings that
give the same fields (the order of declared entries included), kept as written only where none does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from homelab.engine.derive import with_declared
from homelab.importing.clusters import declared_order
from tests.importing.trees import REPO, helm_app, kustomization, root_app, triple, write

Import = Callable[..., tuple[int, str]]

PV = {
    "apiVersion": "v1",
    "kind": "PersistentVolume",
    "metadata": {"name": "wiki-data"},
    "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/srv/wiki"}},
}
STORAGE_CLASS = {
    "apiVersion": "storage.k8s.io/v1",
    "kind": "StorageClass",
    "metadata": {"name": "wiki-sc"},
    "provisioner": "driver.longhorn.io",
}
WHITELIST = [
    {"group": "storage.k8s.io", "kind": "StorageClass"},
    {"group": "", "kind": "PersistentVolumeClaim"},
    {"group": "", "kind": "PersistentVolume"},
]


def _tree(root: Path, project: dict[str, object], second: list[dict[str, object]] | None = None) -> Path:
    """One app ``wiki`` (a Helm Application, a StorageClass and a PersistentVolume in its overlay) whose
    AppProject's spec is updated with ``project``; ``second``: more objects of the root."""
    objects = triple("wiki", "wiki", "home", ["https://charts.example/wiki"])
    objects[1]["spec"].update(project)  # type: ignore[attr-defined]
    files: dict[str, object] = {
        "core-argocd-apps/base/kustomization.yaml": kustomization(["app.yaml"]),
        "core-argocd-apps/base/app.yaml": helm_app("sealed-secrets", "argocd", {}, chart="sealed-secrets"),
        "core-argocd-apps/overlays/home/kustomization.yaml": kustomization(["../../base"]),
        "wiki/base/app.yaml": helm_app("wiki", "wiki", {"replicas": 1}),
        "wiki/base/kustomization.yaml": kustomization(["app.yaml"]),
        "wiki/overlays/home/storage.yaml": [STORAGE_CLASS, PV],
        "wiki/overlays/home/kustomization.yaml": kustomization(["../../base", "storage.yaml"]),
        "clusters/overlays/home/root.yaml": [root_app("home"), *objects, *(second or [])],
        "clusters/overlays/home/kustomization.yaml": kustomization(["root.yaml"]),
    }
    return write(root, files)


@given(
    derived=st.lists(st.sampled_from("abcdefg"), unique=True, max_size=5),
    declared=st.lists(st.sampled_from("cdefghij"), unique=True, max_size=5),
)
def test_the_shortest_declaration_gives_the_order(derived: list[str], declared: list[str]) -> None:
    wanted = with_declared(derived, tuple(declared))
    found = declared_order(wanted, derived)
    assert found is not None and with_declared(derived, found) == wanted
    assert len(found) <= len(declared)


def test_no_declaration_removes_a_derived_entry() -> None:
    assert declared_order(["a"], ["a", "b"]) is None
    assert declared_order(["a", "b"], ["a", "b"]) == ()  # the derivation alone
    assert declared_order(["b", "a"], ["a", "b"]) == ("a",)  # naming a derived entry moves it last
    assert with_declared(["a", "b"], ("c",)) == ("a", "b", "c")  # declared entries after the derived ones


def test_a_project_in_another_order_is_derived_with_settings(tmp_path: Path, imported: Import) -> None:
    project = {"clusterResourceWhitelist": WHITELIST, "sourceRepos": [REPO, "tccr.io/x", "https://charts.example/wiki"]}
    status, out = imported(_tree(tmp_path / "tree", project), tmp_path / "new")
    assert status == 0, out
    assert "✓ clusters (home): 4/4 identical" in out and "kept as written" not in out
    module = (tmp_path / "new/clusters/apps/wiki.py").read_text()
    assert 'source_repos=("tccr.io/x", "https://charts.example/wiki")' in module
    assert 'cluster_resources=(("", "PersistentVolumeClaim"), ("", "PersistentVolume"))' in module
    plan = (tmp_path / "new/clusters/home.py").read_text()
    assert "apps=(wiki.APP,)" in plan and "disabled" not in plan and "AppOfApps" not in plan


def test_what_no_setting_gives_is_kept_as_written_with_the_field(tmp_path: Path, imported: Import) -> None:
    second = triple("wiki-next", "wiki", "home", ["https://charts.example/wiki"])
    second[2]["spec"]["source"]["targetRevision"] = "next"  # type: ignore[index]
    tree = _tree(tmp_path / "tree", {"clusterResourceWhitelist": WHITELIST}, second)
    status, out = imported(tree, tmp_path / "new")
    assert status == 0, out
    assert (
        "note: wiki: on home: the Namespace, AppProject and Application of wiki-next are kept as written in "
        "clusters/home.py (no AppSpec for it): no AppSpec setting gives the same fields, the derivation would "
        "change AppProject wiki-next: spec.destinations[+]: (absent)"
    ) in out
    assert "AppProject wiki-next: spec.clusterResourceWhitelist: (absent) →" in out
    plan = (tmp_path / "new/clusters/home.py").read_text()
    assert "apps=(wiki.APP,)" in plan and "wiki.WIKI_NEXT" not in plan and "disabled" not in plan
    assert 'AppOfApps(scope, "wiki-next", WIKI_NEXT)' in plan
    assert "WIKI_NEXT" not in (tmp_path / "new/clusters/apps/wiki.py").read_text()
    kept = yaml.safe_load(
        (tmp_path / "new/dist/kustomize/clusters/overlays/home/application-wiki-next.yaml").read_text()
    )
    assert kept["spec"]["source"]["path"] == "dist/kustomize/wiki/overlays/home"  # the new layout's overlay
