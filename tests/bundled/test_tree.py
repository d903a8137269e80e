"""The bundled homelab: snapshots per cluster, the tree builds, links resolve, and it renders the reference."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clusters import HOMELAB
from homelab.engine import writer
from tests.conftest import ROOT, SHARED

TREE = "kustomize"
CLUSTERS = [d.cluster.name for d in HOMELAB.clusters]


def decode(files: dict[str, bytes], keep: object) -> dict[str, str]:
    return {p: d.decode() for p, d in sorted(files.items()) if keep(p)}  # type: ignore[operator]


def test_dist_is_in_sync(bundled_files: dict[str, bytes]) -> None:
    plan = writer.compare(ROOT / "dist", bundled_files)
    assert plan.clean, f"dist/ is out of sync; run `python -m homelab synth`: {plan}"


def entry_directories(files: dict[str, bytes]) -> list[str]:
    dirs = {str(Path(p).parent) for p in files if p.endswith("/kustomization.yaml")}
    return sorted(d for d in dirs if "/overlays/" in d)


def build(kubectl: str, directory: Path) -> list[dict]:
    run = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"{directory}: {run.stderr}"
    return [d for d in yaml.safe_load_all(run.stdout) if d]


@pytest.fixture(scope="module")
def built(kubectl: str, bundled_files: dict[str, bytes]) -> dict[str, list[dict]]:
    """Every overlay directory of dist/, built with kubectl kustomize."""
    return {d: build(kubectl, ROOT / "dist" / d) for d in entry_directories(bundled_files)}


def test_every_overlay_builds(built: dict[str, list[dict]]) -> None:
    """Each cluster's bootstrap and core overlays and the overlay of every app it runs build, with objects."""
    expected = set()
    for plan in HOMELAB.clusters:
        name = plan.cluster.name
        expected |= {f"{TREE}/clusters/overlays/{name}", f"{TREE}/{HOMELAB.core.dir}/overlays/{name}"}
        expected |= {f"{TREE}/{(app.deploys or app).dir}/overlays/{name}" for app in plan.apps}
    assert expected <= set(built), sorted(expected - set(built))
    for directory in expected:
        assert built[directory], f"{directory} built no objects"


def argo_cd_walk(kubectl: str, cluster: str) -> dict[str, list[dict]]:
    """What Argo CD deploys on ``cluster``, found as it finds it: the bootstrap directory applied by
    hand, then every Application into the repository, its path read from the repository root (the
    committed checkout), recursively. Directory (from the root) → its built objects."""
    repo = HOMELAB.plan(cluster).cluster.repo_url
    todo, seen = [f"dist/{TREE}/clusters/overlays/{cluster}"], {}
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        assert (ROOT / path / "kustomization.yaml").is_file(), f"{cluster}: an Application points at {path}"
        seen[path] = build(kubectl, ROOT / path)
        todo += [
            o["spec"]["source"]["path"]
            for o in seen[path]
            if o["kind"] == "Application" and o["spec"].get("source", {}).get("repoURL") == repo
        ]
    return seen


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_every_application_path_exists_from_the_repository_root(kubectl: str, cluster: str) -> None:
    walked = argo_cd_walk(kubectl, cluster)
    expected = {f"dist/{TREE}/clusters/overlays/{cluster}", f"dist/{TREE}/core-argocd-apps/overlays/{cluster}"}
    expected |= {f"dist/{TREE}/{app.dir}/overlays/{cluster}" for app in HOMELAB.plan(cluster).apps}
    assert set(walked) == expected


def test_no_plaintext_secrets(built: dict[str, list[dict]]) -> None:
    for objects in built.values():
        assert not [o for o in objects if o["kind"] == "Secret"]


def test_matches_the_reference(reference: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "compare_tree.py"),
            "--ref",
            str(reference),
            "--gen",
            str(ROOT / "dist" / TREE),
            "--deviations",
            str(ROOT / "tests" / "reference_deviations.txt"),
            "--repo-path",
            f"kustomize=dist/{TREE}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    listed = [
        line for line in (ROOT / "tests/reference_deviations.txt").read_text().splitlines() if line and line[0] != "#"
    ]
    fidelity = re.search(
        r"fidelity: (\d+)/(\d+) reference objects identical, (\d+) differ with a listed reason, (\d+) unexplained",
        run.stdout,
    )
    assert fidelity, run.stdout
    identical, total, explained, unexplained = map(int, fidelity.groups())
    # Every listed deviation is used, nothing else differs: the rest of the reference is identical.
    assert (explained, unexplained, identical) == (len(listed), 0, total - len(listed))


def test_vps_odoo_is_what_the_reference_meant(reference: Path, kubectl: str, tmp_path: Path) -> None:
    """The reference's vps odoo, with its broken ``../../../base/odoo`` corrected, renders our objects."""
    fixed = tmp_path / "kustomize"
    shutil.copytree(reference, fixed)
    kustomization = fixed / "clusters/overlays/vps/odoo-lss/kustomization.yaml"
    kustomization.chmod(0o644)
    kustomization.write_text(kustomization.read_text().replace("../../../base/odoo", "../../../../base/odoo"))
    theirs = {(o["kind"], o["metadata"]["name"]): o for o in build(kubectl, fixed / "clusters/overlays/vps/odoo-lss")}
    ours = {(o["kind"], o["metadata"]["name"]): o for o in build(kubectl, ROOT / "dist" / TREE / "odoo/overlays/vps")}
    assert sorted(theirs) == [
        ("Application", "odoo"),
        ("Cluster", "odoo-db"),
        ("Ingress", "ts-odoo"),
        ("PersistentVolumeClaim", "odoo-data"),
    ]
    assert ours == theirs


def test_vps_root_application_deploys_odoo(built: dict[str, list[dict]]) -> None:
    objects = {(o["kind"], o["metadata"]["name"]): o for o in built[f"{TREE}/clusters/overlays/vps"]}
    app = objects[("Application", "odoo-lss-v2")]
    assert app["spec"]["project"] == "lss-v2" and app["spec"]["destination"]["namespace"] == "odoo-v2"
    assert app["spec"]["source"]["path"] == f"dist/{TREE}/odoo/overlays/vps"
    project = objects[("AppProject", "lss-v2")]
    assert [d["namespace"] for d in project["spec"]["destinations"]] == ["odoo-v2", "argocd"]
    assert project["spec"]["sourceRepos"] == [
        "https://github.com/roukydesbois/homelab.git",
        "registry-1.docker.io/bitnamicharts",
    ]
    assert ("Namespace", "odoo-v2") in objects
