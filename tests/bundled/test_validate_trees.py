"""`homelab validate` on whole trees: the bundled homelab is clean; the reference it was built from shows its real
defects (found with the bundled clusters' repositories and storage classes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusters import HOMELAB
from homelab.validate import ValidateOptions, validate
from tests.conftest import ROOT, SHARED

CRDS = SHARED / "schemas" / "crds"


def options(tree: Path, prefix: str) -> ValidateOptions:
    clusters = [d.cluster for d in HOMELAB.clusters]
    return ValidateOptions(
        tree=tree,
        repos={c.repo_url for c in clusters},
        prefix=prefix,
        crd_schema_dirs=[CRDS] if CRDS.is_dir() else [],
        builtin_storage_classes={c.name: set(c.builtin_storage_classes) for c in clusters},
        allowed_kinds=set()
        if CRDS.is_dir()
        else {"Application", "AppProject", "SealedSecret", "Cluster", "VolumeSnapshotClass"},
    )


def test_bundled_homelab_is_clean() -> None:
    report = validate(options(ROOT / "dist" / "kustomize", "dist/kustomize"))
    assert report.errors == 0, report.text()
    assert len(report.entries) == 21 and report.objects > 140
    # The thomflix charts keep the reference's ignoreDifferences without RespectIgnoreDifferences: warned, not failed.
    assert {f.check for f in report.unique() if f.severity == "warning"} == {"ignore-differences"}


def test_reference_defects(reference: Path) -> None:
    found = sorted(
        (f.check, f.entry, f.object, f.field)
        for f in validate(options(reference, "kustomize")).unique()
        if f.severity == "error"
    )
    assert found == [
        ("build", "clusters/overlays/vps/odoo-lss", "", "resources"),
        ("patch-target", "nextcloud/overlays/thomelab", "", "patches[1].target"),
        (
            "project-destination",
            "immich/overlays/thomelab",
            "Application immich/immich-helm-chart",
            "metadata.namespace",
        ),
        ("project-destination", "immich/overlays/thomelab", "Cluster immich/immich-pg", "metadata.namespace"),
        ("project-destination", "immich/overlays/thomelab", "Ingress immich/ts-immich", "metadata.namespace"),
        ("project-kinds", "immich/overlays/thomelab", "PersistentVolume /nfs-pv-immich", ""),
        ("project-kinds", "immich/overlays/thomelab", "StorageClass /immich-db-sc", ""),
    ]


def test_reference_overlays_commented_out_are_not_deployed(reference: Path) -> None:
    # kasm and trilium: their app-of-apps files are left out of thomelab's kustomization. The vps root not
    # building must not hide them (only what vps's own Application files deploy).
    found = {f.entry for f in validate(options(reference, "kustomize")).unique() if f.check == "not-deployed"}
    assert found == {"kasm/overlays/thomelab", "trillium-next/overlays/thomelab"}


def test_validate_of_the_reference_inside_this_homelab_shows_its_ignore_differences(
    reference: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """This repository accepts thomflix's ignoreDifferences; the reference (no acceptance file of its own) must
    show all seven: validate --tree reads the acceptances of the tree's repository, not of this one."""
    from homelab.cli import main

    schemas = ["--crd-schemas", str(CRDS)] if CRDS.is_dir() else ["--allow-kind", "Cluster"]
    main(["validate", "--tree", str(reference), *schemas, "--allow-kind", "Cluster", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert len([f for f in report["findings"] if f["check"] == "ignore-differences"]) == 7
    assert report["accepted"] == 0
