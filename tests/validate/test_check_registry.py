"""The GitOps checks are a registry: each has a unique id and a description, check() runs every one of
them and reports what it finds, own_references() runs the ones marked ``undeployed``."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from homelab.kinds import DEFAULT as SCOPES
from homelab.validate import gitops
from homelab.validate.checks import CHECKS, Check
from homelab.validate.content import ClusterContent, Placed, Source
from homelab.validate.findings import Finding
from homelab.validate.index import Index
from homelab.validate.rendered import RenderedTree

ROOT = "clusters/overlays/home"
CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "wiki"}}


def reporting_its_id(check: Check) -> Check:
    """``check`` replaced by a function that reports one finding named after the check."""

    def found(target: Any, tree: Source, idx: Index) -> list[Finding]:
        entry = target.entry if isinstance(target, Placed) else target[0].entry
        return [Finding(entry=entry, check=check.id, message="ran", fix="-")]

    if check.on_content is not None:
        return dataclasses.replace(check, on_content=found)
    return dataclasses.replace(check, on_object=found)


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitops, "CHECKS", tuple(reporting_its_id(c) for c in CHECKS))


def test_every_check_has_a_unique_id_a_description_and_one_function() -> None:
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids)), f"ids repeated: {sorted(i for i in ids if ids.count(i) > 1)}"
    for c in CHECKS:
        assert c.id and c.id == c.id.strip().lower() and " " not in c.id
        assert c.description.strip() and "\n" not in c.description
        assert (c.on_content is None) != (c.on_object is None), c.id


def test_a_check_with_no_function_or_two_is_refused() -> None:
    with pytest.raises(TypeError, match="check x: give on_content or on_object, one of them"):
        Check("x", "nothing to run")
    with pytest.raises(TypeError, match="check y: give on_content or on_object"):
        Check("y", "both", on_content=CHECKS[0].on_content, on_object=CHECKS[-1].on_object)


@pytest.mark.usefixtures("spied")
def test_check_runs_every_registered_check_and_keeps_its_findings() -> None:
    tree = RenderedTree({ROOT: [(CONFIGMAP, "cm.py")]})
    content = ClusterContent(name="home", starts=[ROOT], placed=[Placed(obj=CONFIGMAP, entry=ROOT, namespace="wiki")])
    found = gitops.check(content, tree, argocd_ns="argocd", builtin_storage_classes=set(), scopes=SCOPES)
    assert {f.check for f in found} - {"skipped"} == {c.id for c in CHECKS}
    without = gitops.check(
        content, tree, argocd_ns="argocd", builtin_storage_classes=set(), scopes=SCOPES, plaintext=False
    )
    assert {f.check for f in without} - {"skipped"} == {c.id for c in CHECKS} - {"plaintext"}


@pytest.mark.usefixtures("spied")
def test_own_references_runs_the_checks_that_apply_to_an_undeployed_directory() -> None:
    found = gitops.own_references(RenderedTree({}), "wiki/base", [CONFIGMAP], SCOPES)
    assert {f.check for f in found} == {c.id for c in CHECKS if c.undeployed}
    assert {"secret-ref", "secret-key", "ingress-backend", "service-selector", "configmap-ref", "plaintext"} <= {
        c.id for c in CHECKS if c.undeployed
    }
    severities = {f.check: f.severity for f in found}
    assert severities.pop("plaintext") == "error"  # a secret in clear is in git already
    assert set(severities.values()) == {"warning"}  # references: the directory may be completed first


def test_a_finding_about_no_file_or_object_prints_no_empty_place() -> None:
    """Before: ``info: [chart-render] : charts were not rendered ...``, the place left empty before its colon."""
    from homelab.validate.findings import Report

    note = Finding(
        entry=".", check="chart-render", message="charts were not rendered", fix="install helm", severity="info"
    )
    placed = Finding(
        entry="e", check="secret-ref", message="uses Secret 'x'", fix="seal it", file="f.yaml", field="spec"
    )
    lines = Report(findings=[note, placed]).text().splitlines()
    assert "  info: [chart-render] charts were not rendered" in lines
    assert "  error: [secret-ref] f.yaml, spec: uses Secret 'x'" in lines
