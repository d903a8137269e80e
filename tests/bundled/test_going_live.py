"""Going live: paths from the repository root, bootstrap, and ``homelab diff`` between revisions and trees."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from constructs import Construct

from constructs_lib.helm_argo_app import HelmArgoApp
from constructs_lib.plain_secret import PlainSecret, PlainSecretProps
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps, SealingScope
from homelab import AppSpec, ClusterPlan, Context, Homelab
from homelab.cli import main
from homelab.engine import writer
from homelab.engine.diff import Side, compare, git_tree
from homelab.engine.pipeline import synthesise
from tests.conftest import ROOT
from tests.engine import minilab

# -- running from anywhere in the repository --------------------------------------------------------


def test_synth_from_a_subdirectory_uses_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "clusters")
    assert main(["synth", "--check"]) == 0
    assert (
        main(
            [
                "validate",
                "--cluster",
                "vps",
                "--allow-kind",
                "Application",
                "--allow-kind",
                "AppProject",
                "--allow-kind",
                "SealedSecret",
                "--allow-kind",
                "Cluster",
                "--allow-kind",
                "VolumeSnapshotClass",
            ]
        )
        == 0
    )
    assert not (ROOT / "clusters" / "dist").exists()


def test_synth_from_outside_the_repository_with_homelab(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--homelab", "clusters:HOMELAB", "synth", "--check"]) == 0
    assert list(tmp_path.iterdir()) == []


def test_an_output_directory_that_is_a_file_or_outside_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    readme = (ROOT / "README.md").read_bytes()
    assert main(["synth", "--dist", str(ROOT / "README.md")]) == 1
    assert "output directory" in (err := capsys.readouterr().err) and "is an existing file" in err
    assert (ROOT / "README.md").read_bytes() == readme
    assert main(["synth", "--dist", str(tmp_path / "dist")]) == 1
    assert "is outside the repository" in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()


def walk(root: Path, start: str, repo: str, kubectl: str) -> set[str]:
    """The directories Argo CD deploys from ``start``, following Applications into ``repo`` from ``root``."""
    todo, seen = [start], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        assert (root / path / "kustomization.yaml").is_file(), f"an Application points at {path}"
        seen.add(path)
        run = subprocess.run([kubectl, "kustomize", str(root / path)], capture_output=True, text=True, check=True)
        for obj in yaml.safe_load_all(run.stdout):
            source = (obj.get("spec") or {}).get("source") or {}
            if obj["kind"] == "Application" and source.get("repoURL") == repo:
                todo.append(source["path"])
    return seen


def test_the_tree_can_be_written_where_a_hand_written_one_was(tmp_path: Path, kubectl: str) -> None:
    """Migration, second way: tree_path "" and --dist kustomize keep every Application path of the old tree."""
    plans = tuple(replace(p, cluster=replace(p.cluster, tree_path="")) for p in minilab.lab(tmp_path).clusters)
    lab = replace(minilab.lab(tmp_path), clusters=plans)
    output = lab.output_dir(tmp_path / "kustomize")
    files = synthesise(lab, tree_in_repo=lab.tree_in_repo(output)).files
    writer.write(output, writer.compare(output, files))
    seen = walk(tmp_path, "kustomize/clusters/overlays/home", minilab.HOME.repo_url, kubectl)
    assert seen == {
        "kustomize/clusters/overlays/home",
        "kustomize/core-argocd-apps/overlays/home",
        "kustomize/wiki/overlays/home",
    }


# -- bootstrap ------------------------------------------------------------------------------------


def test_bootstrap_check_passes_for_thomelab(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bootstrap", "thomelab", "--check"]) == 0
    assert "Argo CD values match the declaration" in capsys.readouterr().out


@pytest.mark.parametrize("cluster", ["minikube", "vps"])
def test_bootstrap_prints_the_steps(cluster: str, capsys: pytest.CaptureFixture[str]) -> None:
    from clusters import HOMELAB

    assert main(["bootstrap", cluster]) == 0
    out = capsys.readouterr().out
    assert f"kubectl apply -k dist/kustomize/clusters/overlays/{cluster}\n" in out
    assert "helm upgrade --install argocd --repo https://argoproj.github.io/argo-helm argo-cd --version 8.x" in out
    argo_cd = out.split(" argo-cd --version ", 1)[1]
    values = yaml.safe_load(argo_cd.split("<<'VALUES'\n", 1)[1].split("\nVALUES", 1)[0])
    assert values["global"]["domain"] == f"{cluster}-argocd.{HOMELAB.plan(cluster).cluster.tailnet}"
    assert (
        f"homelab cert {cluster} sealing.crt" in out
        and f"homelab seal {cluster} tailscale/operator-oauth --stdin client_id" in out
    )


# -- diff between two commits ----------------------------------------------------------------------

SEALED = SealedConfigProps(name="creds", namespace="wiki", keys=("password", "user"))


class Store:
    """Ciphertexts ``<prefix>:<key>``: a new prefix is a reseal."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def sealed_values(
        self, *, namespace: str, name: str, sealing_scope: SealingScope, keys: tuple[str, ...]
    ) -> Mapping[str, str]:
        return {k: f"{self.prefix}:{k}" for k in keys}


def versioned_lab(root: Path, version: str, flag: str) -> Homelab:
    def overlay(scope: Construct, ctx: Context) -> None:
        HelmArgoApp(scope, "wiki", replace(minilab.WIKI, chart=replace(minilab.WIKI.chart, version=version)))
        SealedConfig(scope, "creds", SEALED, store=ctx.sealed)
        PlainSecret(
            scope,
            "flags",
            PlainSecretProps(name="flags", namespace="wiki", string_data={"FLAG": flag}, why_not_sensitive="a test"),
        )

    wiki = AppSpec(name="wiki", base=minilab.wiki_base, overlays={"home": overlay, "laptop": overlay})
    plans = (ClusterPlan(cluster=minilab.HOME, apps=(wiki,)), ClusterPlan(cluster=minilab.LAPTOP, apps=(wiki,)))
    return Homelab(root=root, core=minilab.CORE, clusters=plans)


def commit(root: Path, lab: Homelab, prefix: str, message: str) -> None:
    files = synthesise(lab, stores={"home": Store(prefix), "laptop": Store(prefix)}).files
    writer.write(root / "dist", writer.compare(root / "dist", files))
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "commit", "-qm", message], check=True)


@pytest.fixture
def two_commits(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.email", "t@example.org"], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.name", "test"], check=True)
    commit(tmp_path, versioned_lab(tmp_path, "1.x", "hunter2-before"), "s1", "first")
    commit(tmp_path, versioned_lab(tmp_path, "2.x", "hunter2-after"), "s2", "bump, reseal, new flag")
    return tmp_path


def test_diff_of_two_commits(two_commits: Path) -> None:
    work = two_commits / "work"
    old = Side(git_tree(two_commits, "HEAD~1", "dist/kustomize", work / "a"), "HEAD~1")
    new = Side(git_tree(two_commits, "HEAD", "dist/kustomize", work / "b"), "HEAD")
    report = compare(old, new)
    for cluster in report.clusters:
        changes = {c.object: c.fields for c in cluster.changes}
        assert set(changes) == {"Application wiki/wiki-chart", "SealedSecret wiki/creds", "Secret wiki/flags"}
        assert changes["Application wiki/wiki-chart"] == [("spec.source.targetRevision", '"1.x" → "2.x"')]
        assert changes["SealedSecret wiki/creds"] == [
            ("spec.encryptedData", "resealed: password"),
            ("spec.encryptedData", "resealed: user"),
        ]
        assert changes["Secret wiki/flags"] == [("stringData.FLAG", "changed (14 bytes → 13 bytes), value not shown")]
    for text in (report.text(), report.json()):
        assert "hunter2" not in text and "s1:password" not in text and "s2:password" not in text
    assert json.loads(report.json())["differences"] == 6
    unchanged = compare(old, Side(git_tree(two_commits, "HEAD~1", "dist/kustomize", work / "c"), "again"))
    assert unchanged.differences == 0


def test_diff_command_exit_codes(
    two_commits: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOMELAB_TEST_ROOT", str(two_commits))
    spec = ["--homelab", "tests.engine.minilab:lab_from_env"]
    assert main([*spec, "diff", "HEAD~1", "HEAD", "--cluster", "home"]) == 1
    out = capsys.readouterr().out
    assert "cluster home: 3 changed" in out and "resealed: password" in out and "hunter2" not in out
    assert main([*spec, "diff", "HEAD", "HEAD"]) == 0
    assert main([*spec, "diff", "no-such-rev", "HEAD"]) == 2
    assert "cannot read dist/kustomize/ at 'no-such-rev'" in capsys.readouterr().err


def test_diff_of_the_reference_shows_its_listed_deviations(reference: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The migration check: the reference tree against the synthesised one. Changed objects are exactly
    the listed deviations; what is added lies in directories the reference does not have."""
    args = [
        "diff",
        "--tree",
        str(reference),
        "--repo-path",
        "kustomize=dist/kustomize",
        "--sealed",
        "keys",
        "--format",
        "json",
    ]
    assert main(args) == 1
    report = json.loads(capsys.readouterr().out)
    listed = {
        line.split(":", 1)[0]
        for line in (ROOT / "tests/reference_deviations.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    changes = [c for cluster in report["clusters"].values() for c in cluster]
    assert {c["object"] for c in changes if c["status"] == "changed"} == listed
    assert not [c for c in changes if c["status"] == "removed"]
    added_in = {c["entry"] for c in changes if c["status"] == "added"}
    assert all(not (reference / entry / "kustomization.yaml").exists() for entry in added_in), added_in
    assert "Secret" not in {c["object"].split()[0] for c in changes}
