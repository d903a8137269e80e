"""Repositories in shapes common in public Argo CD homelabs (:mod:`tests.importing.public`), imported: the exit
status says whether each cluster deploys the same objects, and what import cannot express is listed."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from homelab.sealing.cert import self_signed
from homelab.sealing.crypto import label_for, seal
from tests.importing.foreign import HTTPS, application
from tests.importing.public import appset_repo, argo_features_repo, helm_inflation_repo, two_clusters_repo
from tests.importing.test_foreign_layouts import _deployed, _proof
from tests.importing.trees import kustomization, write

Import = Callable[..., tuple[int, str]]

#: Custom kinds of these repositories, accepted unchecked (validate has no schema for them offline).
CUSTOM_KINDS = ("Certificate", "ServiceMonitor", "SealedSecret", "IngressRoute")


def _clean(repository: Path) -> None:
    """The README's steps pass in the new repository: synth --check, validate (no error), ruff, ruff format."""
    allowed = [arg for kind in CUSTOM_KINDS for arg in ("--allow-kind", kind)]
    for command in (
        [sys.executable, "-m", "homelab", "synth", "--check"],
        [sys.executable, "-m", "homelab", "validate", *allowed],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
    ):
        run = subprocess.run(command, cwd=repository, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, f"{command}: {run.stdout}{run.stderr}"
        assert "stale-acceptance" not in run.stdout, run.stdout


def test_an_applicationset_over_app_directories_is_expanded(tmp_path: Path, imported: Import) -> None:
    status, out = imported(appset_repo(tmp_path / "tree"), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    # Each directory the git generator matches is an app of the cluster, its objects identical.
    # The root is bootstrap/, a generic word: the cluster is named after the repository.
    assert "✓ apps/whoami (homelab): 4/4 identical" in out, out
    assert "✓ apps/homepage (homelab): 3/3 identical" in out, out
    assert "ApplicationSet argocd/apps: differs on purpose: expanded into the Applications it generates" in out
    same, total = _proof(out)
    assert same == total - 1, out  # the ApplicationSet, listed
    new = tmp_path / "new"
    deployed = {(o["kind"], o["metadata"]["name"]) for o in _deployed(new, "homelab")}  # type: ignore[index]
    assert ("Application", "whoami") in deployed and ("Application", "homepage") in deployed, deployed
    assert not any(kind == "ApplicationSet" for kind, _ in deployed), deployed
    assert (new / "dist/apps/whoami/overlays/homelab/kustomization.yaml").is_file()
    # Generated with ``automated: {prune: true}``: derived by the engine, the cluster's app_sync says so.
    plan = (new / "clusters/homelab.py").read_text()
    assert "app_sync=SyncPolicy(self_heal=False" in plan and "whoami.APP," in plan and "disabled" not in plan, plan
    # The Helm umbrella chart of the tree is carried as it is, where its Application (kept) reads it.
    assert "charts/monitoring: a Helm chart of the tree (Argo CD renders it with helm): carried as it is" in out
    assert (new / "charts/monitoring/Chart.yaml").read_text() == (
        tmp_path / "tree/charts/monitoring/Chart.yaml"
    ).read_text()
    _clean(new)


def test_an_applicationset_that_cannot_be_expanded_is_not_proven(tmp_path: Path, imported: Import) -> None:
    tree = appset_repo(tmp_path / "tree")
    appset = yaml.safe_load((tree / "argocd/apps.yaml").read_text())
    git = appset["spec"]["generators"][0]
    appset["spec"]["generators"] = [{"matrix": {"generators": [git, {"clusters": {}}]}}]
    (tree / "argocd/apps.yaml").write_text(yaml.safe_dump(appset))
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 1, out
    assert "note: argocd: ApplicationSet argocd/apps is kept as written: its matrix generator" in out, out
    assert re.search(r"^not proven: argocd: ApplicationSet argocd/apps deploys from this repository", out, re.M), out


def _ciphertext(key: Any) -> str:
    return seal(key.public_key(), b"token", label_for("namespace-wide", "vaultwarden", "vaultwarden"))


def test_a_values_file_of_a_ref_source_is_carried(tmp_path: Path, imported: Import, rsa_key: Any) -> None:
    tree = argo_features_repo(tmp_path / "tree", _ciphertext(rsa_key))
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert "values/grafana.yaml: a values file a ref source reads: carried as it is" in out, out
    new = tmp_path / "new"
    assert (new / "values/grafana.yaml").read_text() == (tree / "values/grafana.yaml").read_text()
    _clean(new)


def test_the_fields_applications_carry_are_settings_and_the_triples_derived(
    tmp_path: Path, imported: Import, rsa_key: Any
) -> None:
    """Before: retry, info, ignoreDifferences and destination.name left the triples as written, the apps listed
    in disabled= although deployed."""
    status, out = imported(argo_features_repo(tmp_path / "tree", _ciphertext(rsa_key)), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert "kept as written" not in out, out
    assert "✓ clusters (home): 3/3 identical" in out, out
    vaultwarden = (tmp_path / "new/clusters/apps/vaultwarden.py").read_text()
    for setting in (
        'retry=SyncRetry(limit=5, backoff=Backoff(duration="5s", factor=2, max_duration="3m"))',
        'ignore_differences=(IgnoreDifference(kind="Deployment", group="apps", json_pointers=("/spec/replicas",)),)',
        'info={"url": "https://vault.example.org"}',
        "cascade_delete=True",
    ):
        assert setting in vaultwarden, vaultwarden
    exporter = (tmp_path / "new/clusters/apps/nas_exporter.py").read_text()
    assert 'application=ApplicationSettings(destination_name="nas")' in exporter, exporter
    plan = (tmp_path / "new/clusters/home.py").read_text()
    assert "nas_exporter.APP," in plan and "vaultwarden.APP," in plan and "disabled" not in plan, plan
    _clean(tmp_path / "new")


def test_an_application_no_setting_gives_is_kept_and_its_app_deployed(
    tmp_path: Path, imported: Import, rsa_key: Any
) -> None:
    """``info`` naming one entry twice is no ``ApplicationSettings(info=...)``: the Application is kept as written
    in the cluster's objects, and the app, which it deploys, is in apps= (not in disabled=)."""
    tree = argo_features_repo(tmp_path / "tree", _ciphertext(rsa_key))
    apps = yaml.safe_load_all((tree / "clusters/overlays/home/apps.yaml").read_text())
    vaultwarden, *rest = list(apps)
    vaultwarden["spec"]["info"] += [{"name": "url", "value": "https://vault.lan"}]
    (tree / "clusters/overlays/home/apps.yaml").write_text(yaml.safe_dump_all([vaultwarden, *rest]))
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert (
        "note: apps/vaultwarden: on home: the Application vaultwarden is kept as "  # no Namespace nor AppProject
        "written in clusters/home.py (the app is in apps= with application_settings={'vaultwarden': "
        "ApplicationSettings(in_cluster_objects=True)}: deployed by this Application)"
    ) in out, out
    plan = (tmp_path / "new/clusters/home.py").read_text()
    assert "vaultwarden.APP," in plan and "disabled" not in plan, plan
    assert 'application_settings={"vaultwarden": ApplicationSettings(in_cluster_objects=True)}' in plan, plan
    kept = yaml.safe_load((tmp_path / "new/dist/clusters/overlays/home/application-vaultwarden.yaml").read_text())
    assert kept["spec"]["source"]["path"] == "dist/apps/vaultwarden/overlays/home"
    assert len(kept["spec"]["info"]) == 2
    _clean(tmp_path / "new")


def test_a_values_file_outside_the_tree_is_listed_and_fails_the_proof(
    tmp_path: Path, imported: Import, rsa_key: Any
) -> None:
    argo_features_repo(tmp_path / "repo", _ciphertext(rsa_key))
    tree = tmp_path / "repo"
    # The tree is a folder of the repository; the values file is beside it, outside.
    (tree / "kustomize").mkdir()
    for part in ("clusters", "apps"):
        (tree / part).rename(tree / "kustomize" / part)
    apps = (tree / "kustomize/clusters/overlays/home/apps.yaml").read_text()
    (tree / "kustomize/clusters/overlays/home/apps.yaml").write_text(
        apps.replace("path: apps/", "path: kustomize/apps/")
    )
    status, out = imported(tree / "kustomize", tmp_path / "new", repo=HTTPS)
    assert status == 1, out
    assert "a values file a ref source reads, outside the tree: not carried; copy it into the new repository" in out


def test_a_kustomization_inflating_a_helm_chart_is_carried(tmp_path: Path, imported: Import) -> None:
    tree = helm_inflation_repo(tmp_path / "tree")
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert (
        "infrastructure/ingress-nginx: what infrastructure/ingress-nginx builds with helmCharts: "
        "(Argo CD builds it with --enable-helm): carried as it is"
    ) in out, out
    new = tmp_path / "new"
    assert not (new / "clusters/apps/ingress_nginx.py").exists()  # not an app: nothing of it re-expressed
    assert 'path="infrastructure/ingress-nginx"' in (new / "clusters/home.py").read_text()
    assert "helmCharts" in (new / "infrastructure/ingress-nginx/kustomization.yaml").read_text()
    _clean(new)


def test_an_app_whose_base_is_empty_passes_ruff(tmp_path: Path, imported: Import) -> None:
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "1"}}
    files: dict[str, object] = {
        "clusters/home/x.yaml": application("x", "apps/x/overlays/home", "x"),
        "apps/x/base/kustomization.yaml": kustomization([]),
        "apps/x/overlays/home/kustomization.yaml": kustomization(["../../base", "cm.yaml"]),
        "apps/x/overlays/home/cm.yaml": config_map,
    }
    status, out = imported(write(tmp_path / "tree", files), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    module = (tmp_path / "new/clusters/apps/x.py").read_text()
    assert '    """The app as every cluster starts from it."""\n\n\n' in module, module  # its docstring, no `pass`
    _clean(tmp_path / "new")


def test_an_overlay_namespace_over_a_base_without_one(tmp_path: Path, imported: Import, rsa_key: Any) -> None:
    """Two clusters, overlays setting ``namespace:`` over a base that names none (``kustomization.yml``), each
    with a SealedSecret of namespace-wide scope: before, the overlay deleted the base's objects by name."""
    pem = tmp_path / "cert.pem"
    pem.write_bytes(self_signed(rsa_key, common_name="sealed-secret"))
    label = label_for("namespace-wide", "paperless", "paperless")
    ciphertexts = {c: seal(rsa_key.public_key(), c.encode(), label) for c in ("prod", "dev")}
    tree = two_clusters_repo(tmp_path / "tree", ciphertexts, infra=False)
    status, out = imported(tree, tmp_path / "new", repo=HTTPS, certs={"prod": pem, "dev": pem})
    assert status == 0, out
    for cluster in ("prod", "dev"):
        assert f"✓ apps/paperless ({cluster}): 4/4 identical" in out, out
        store = (tmp_path / f"new/clusters/sealed/{cluster}.yaml").read_text()
        assert ciphertexts[cluster] in store and "namespace-wide" in store, store
    module = (tmp_path / "new/clusters/apps/paperless.py").read_text()
    assert 'replace(PAPERLESS_DEPLOYMENT, namespace="paperless")' in module, module
    _clean(tmp_path / "new")
