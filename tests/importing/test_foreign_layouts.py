"""Hand-kept repositories in shapes other than the engine's (:mod:`tests.importing.foreign`), imported: the new
repository has the engine's layout, each cluster deploys the same objects (the command's proof, following
Applications from the roots in both trees), and the new repository's synth --check and validate are clean."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.importing.foreign import HTTPS, app_of_apps_repo, application, flat_repo
from tests.importing.trees import write

Import = Callable[..., tuple[int, str]]


def _proof(out: str) -> tuple[int, int]:
    found = re.search(r"proof: (\d+)/(\d+) objects of the original identical", out)
    assert found, out
    return int(found[1]), int(found[2])


def _clean(repository: Path) -> None:
    """The new repository's own tests pass (its tree in sync, its snapshot, ``homelab validate --strict``: what
    its ``./dev test`` runs after setting up)."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=repository,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, f"{run.stdout}{run.stderr}"


def _deployed(repository: Path, cluster: str) -> list[dict[str, object]]:
    directory = repository / "dist" / "clusters" / "overlays" / cluster
    return [yaml.safe_load(p.read_text()) for p in sorted(directory.glob("*.yaml")) if p.name != "kustomization.yaml"]


def test_a_plain_root_folder_of_applications_into_flat_kustomizations(tmp_path: Path, imported: Import) -> None:
    status, out = imported(flat_repo(tmp_path / "tree"), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert _proof(out) == (9, 9), out
    for line in (
        "✓ apps/wiki (prod): 2/2 identical",
        "✓ apps/dns (prod): 2/2 identical",
        "✓ clusters/prod (prod): 3/3",
    ):
        assert line in out, out
    new = tmp_path / "new"
    # The engine's layout, the directory names kept; no core app, no AppProject default, no Namespace.
    assert (new / "dist/apps/wiki/base/kustomization.yaml").is_file()
    assert (new / "dist/apps/wiki/overlays/prod/kustomization.yaml").is_file()
    assert not (new / "dist/core-argocd-apps").exists()
    kinds = sorted(str(o["kind"]) for o in _deployed(new, "prod"))
    assert kinds == ["Application", "Application", "Application"], kinds
    dns = (new / "clusters/apps/dns.py").read_text()
    assert 'project=ExistingProject(name="default")' in dns and 'namespace_creation="sync-option"' in dns, dns
    # The repository is named three ways: each Application keeps its spelling (the others kept as written).
    assert "kept as written" in out and "spec.source.repoURL" in out
    _clean(new)


def test_an_app_of_apps_root_per_cluster_and_overlays_named_after_environments(
    tmp_path: Path, imported: Import
) -> None:
    status, out = imported(app_of_apps_repo(tmp_path / "tree"), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert _proof(out) == (9, 9), out
    for line in (
        "✓ wiki (prod): 2/2 identical",
        "✓ wiki (staging): 2/2 identical",
        "✓ argocd/prod (prod): 2/2 identical",
        "✓ clusters/staging (staging): 1/1 identical",
    ):
        assert line in out, out
    new = tmp_path / "new"
    # wiki/overlays/production (the prod cluster's) is wiki/overlays/prod; no cluster is named "production".
    assert sorted(p.name for p in (new / "dist/wiki/overlays").iterdir()) == ["prod", "staging"]
    assert sorted(p.stem for p in (new / "clusters").glob("*.py")) == ["__init__", "prod", "staging"]
    module = (new / "clusters/apps/wiki.py").read_text()
    assert "replace(WIKI_DEPLOYMENT, replicas=3)" in module, module  # the production patch, on prod only
    # The root Application is kept, pointing at the bootstrap directory its Applications are now in.
    root = next(o for o in _deployed(new, "prod") if o["metadata"]["name"] == "root-prod")  # type: ignore[index]
    assert root["spec"]["source"]["path"] == "dist/clusters/overlays/prod"  # type: ignore[index]
    assert "grafana" in (new / "clusters/prod.py").read_text()
    _clean(new)


def test_what_cannot_be_expressed_is_reported_and_fails_the_proof(tmp_path: Path, imported: Import) -> None:
    tree = app_of_apps_repo(tmp_path / "tree")
    # prod deploys a second overlay of wiki: one app has one overlay per cluster.
    write(tree, {"argocd/prod/wiki-canary.yaml": application("wiki-canary", "wiki/overlays/staging", "canary")})
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 1, out
    assert "prod deploys a second directory of app wiki; it is not imported" in out, out
    assert re.search(r"^    [-~] Deployment (wiki|canary)/wiki", out, re.MULTILINE), out  # listed, not dropped
    same, total = _proof(out)
    assert same < total, out


def _config_map(name: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"a": "1"}}


def test_the_proof_counts_an_object_only_the_new_tree_deploys(tmp_path: Path, kubectl: str) -> None:
    from homelab.importing.prove import compare
    from homelab.validate.tree import Tree
    from tests.importing.trees import kustomization

    old = write(
        tmp_path / "old",
        {
            "clusters/prod/x.yaml": application("x", "apps/x", "x"),
            "apps/x/kustomization.yaml": kustomization(["cm.yaml"]),
            "apps/x/cm.yaml": _config_map("x"),
        },
    )
    moved = application("x", "dist/apps/x/overlays/prod", "x")
    files: dict[str, object] = {
        "clusters/overlays/prod/kustomization.yaml": kustomization(["x.yaml"]),
        "clusters/overlays/prod/x.yaml": moved,
        "apps/x/overlays/prod/kustomization.yaml": kustomization(["cm.yaml", "extra.yaml"]),
        "apps/x/overlays/prod/cm.yaml": _config_map("x"),
        "apps/x/overlays/prod/extra.yaml": _config_map("extra"),
        "apps/x/overlays/idle/kustomization.yaml": kustomization(["cm.yaml"]),  # deployed by no cluster
        "apps/x/overlays/idle/cm.yaml": _config_map("idle"),
    }
    new = write(tmp_path / "new", files)
    paths = {"dist/apps/x/overlays/prod": "apps/x"}
    proof = compare(old, Tree(old), {}, new, paths, {}, repos=[HTTPS], prefix="", new_prefix="dist")
    assert not proof.ok
    by_app = {(r.app, r.cluster): r for r in proof.results}
    assert by_app[("apps/x", "prod")].added == ["ConfigMap x/extra"]  # deployed into its Application's namespace
    assert by_app[("apps/x", "prod")].identical == ["ConfigMap x/x"]
    assert by_app[("clusters/prod", "prod")].identical == ["Application argocd/x"]  # its path mapped back
    # Without the map, the moved path is a difference.
    unmapped = compare(old, Tree(old), {}, new, {}, {}, repos=[HTTPS], prefix="", new_prefix="dist")
    assert any(obj == "Application argocd/x" for r in unmapped.results for obj, _ in r.differ)
