"""Repositories in shapes the other import tests do not cover (:mod:`tests.importing.unseen`), imported: each
cluster deploys the same objects, the new repository is clean, and validate reads the original as it is."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from homelab.errors import HomelabError
from homelab.validate.roots import find_cluster_roots
from homelab.validate.tree import Tree
from tests.importing.foreign import HTTPS
from tests.importing.test_foreign_layouts import _deployed, _proof
from tests.importing.test_public_shapes import _clean
from tests.importing.trees import kustomization, write
from tests.importing.unseen import (
    apps_in_any_namespace_repo,
    chart_with_manifests_repo,
    kustomize_options_repo,
    oci_helm_repo,
    settings_per_cluster_repo,
    two_clusters_one_root_repo,
)

Import = Callable[..., tuple[int, str]]


def test_per_cluster_application_settings_become_the_plan_s_override(tmp_path: Path, imported: Import) -> None:
    status, out = imported(settings_per_cluster_repo(tmp_path / "tree"), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    same, total = _proof(out)
    assert same == total == 10, out
    # dev's (the first cluster's) settings are the app's own; prod overrides what differs, the options restated.
    whoami = (tmp_path / "new/clusters/apps/whoami.py").read_text()
    assert '"ServerSideApply=true"' in whoami and "IgnoreDifference(" in whoami, whoami
    prod = (tmp_path / "new/clusters/prod.py").read_text()
    assert re.search(
        r'"whoami": ApplicationSettings\(sync=SyncPolicy\(options=\("CreateNamespace=true",\)\), ignore_differences=\(\)\)',
        prod,
    ), prod
    assert "echo" not in prod.split("application_settings={", 1)[1], prod
    _clean(tmp_path / "new")


def _validate_tree(tree: Path, *more: str) -> str:
    """``homelab validate --tree`` on an original tree (not a git checkout): its output, with no error."""
    run = subprocess.run(
        [sys.executable, "-m", "homelab", "validate", "--tree", str(tree), "--repo", HTTPS, *more],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0 and " 0 errors" in run.stdout, run.stdout + run.stderr
    return run.stdout


def test_a_root_folder_of_helm_applications_only_is_a_cluster_root(tmp_path: Path, imported: Import) -> None:
    tree = oci_helm_repo(tmp_path / "tree")
    roots = find_cluster_roots(Tree(tree), [HTTPS])
    assert [(r.cluster, r.directory, r.kind) for r in roots] == [("home", "clusters/home", "folder")]
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert "✓ clusters/home (home): 2/2 identical" in out, out
    # Typed: an OCI chart, its parameters, skipCrds, info and revisionHistoryLimit are props.
    assert "typed: 2/2 objects (100 %)" in out, out
    home = (tmp_path / "new/clusters/home.py").read_text()
    for written in (
        'HelmChart(repo_url="ghcr.io/stefanprodan/charts", chart="podinfo", version="6.7.0")',
        'HelmParameter(name="replicaCount", value="2")',
        "revision_history_limit=3",
        'info={"docs": "https://github.com/stefanprodan/podinfo"}',
        "skip_crds=True",
    ):
        assert written in home, home
    _clean(tmp_path / "new")
    out = _validate_tree(tree)
    assert "cluster-root" not in out, out


def test_a_tree_with_no_cluster_is_refused_with_the_fix(tmp_path: Path, imported: Import) -> None:
    tree = write(
        tmp_path / "tree",
        {
            "web/kustomization.yaml": kustomization(["cm.yaml"]),
            "web/cm.yaml": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"}},
        },
    )
    with pytest.raises(HomelabError, match=r"tree: no cluster found: .* --cluster-root \[NAME=\]PATH"):
        imported(tree, tmp_path / "new", repo=HTTPS)
    assert not (tmp_path / "new").exists()


def test_one_argo_cd_deploying_to_two_clusters(tmp_path: Path, imported: Import) -> None:
    tree = two_clusters_one_root_repo(tmp_path / "tree")
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert _proof(out) == (4, 4), out
    assert "= Application argocd/whoami-edge  ← GitArgoApp" in out, out
    _clean(tmp_path / "new")
    # Not a git checkout: where the tree is in the repository is told by its Applications' paths (its root).
    out = _validate_tree(tree)
    assert "application-path" not in out, out


def test_kustomize_options_of_an_application_and_a_project_s_roles_are_carried(
    tmp_path: Path, imported: Import
) -> None:
    tree = kustomize_options_repo(tmp_path / "tree")
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    same, total = _proof(out)
    assert same == total == 8, out
    deployed = {(o["kind"], o["metadata"]["name"]): o for o in _deployed(tmp_path / "new", "home")}  # type: ignore[index]
    blog = deployed[("Application", "blog")]
    assert blog["spec"]["source"]["kustomize"]["namePrefix"] == "home-", blog  # type: ignore[index]
    assert deployed[("AppProject", "apps")]["spec"]["syncWindows"][0]["kind"] == "deny"  # type: ignore[index]
    _clean(tmp_path / "new")
    assert "0 errors" in _validate_tree(tree)


def test_a_chart_with_manifests_of_the_tree_as_another_source(tmp_path: Path, imported: Import) -> None:
    tree = chart_with_manifests_repo(tmp_path / "tree")
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out  # was a KeyError: 'source'
    assert _proof(out) == (2, 2), out
    assert "Application immich: spec.sources: its several sources → one (spec.source)" in out, out
    _clean(tmp_path / "new")
    # The chart of the Application's first source may create the Service its Ingress routes to.
    out = _validate_tree(tree)
    assert "ingress-backend" not in out, out


def test_applications_in_another_namespace_than_argo_cd_s(tmp_path: Path, imported: Import) -> None:
    tree = apps_in_any_namespace_repo(tmp_path / "tree")
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert _proof(out) == (5, 5), out
    assert "= Application media/jellyfin  ← GitArgoApp" in out, out
    _clean(tmp_path / "new")
    _validate_tree(tree)


def test_a_kustomization_reading_a_file_outside_its_directory_is_imported_whole(
    tmp_path: Path, imported: Import
) -> None:
    # Before: it did not build under kustomize's default restrictor, was "not imported" and the import exited 0.
    tree = kustomize_options_repo(tmp_path / "tree")
    overlay = tree / "apps/notes/overlays/home"
    (tree / "common").mkdir()
    (overlay / "namespace.yaml").rename(tree / "common/notes-namespace.yaml")
    text = (overlay / "kustomization.yaml").read_text()
    (overlay / "kustomization.yaml").write_text(
        text.replace("namespace.yaml", "../../../../common/notes-namespace.yaml")
    )
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert _proof(out) == (8, 8), out
    deployed = {(o["kind"], o["metadata"]["name"]) for o in _deployed(tmp_path / "new", "home")}
    assert ("Application", "notes") in deployed, deployed
    assert (tmp_path / "new/dist/apps/notes/overlays/home").is_dir()
    out = subprocess.run(
        [sys.executable, "-m", "homelab", "validate", "--tree", str(tree), "--repo", HTTPS],
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout
    assert "[load-restrictor]" in out and "--load-restrictor LoadRestrictionsNone" in out, out
