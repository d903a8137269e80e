"""synth runs validate's GitOps cross-reference checks on the tree it is about to write: errors stop it
before anything is written, warnings are printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from constructs import Construct

from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.helm_argo_app import HelmArgoApp
from homelab import AppSpec, ClusterPlan, Context, Homelab, HomelabError
from homelab.engine.pipeline import Synthesis, synthesise
from tests.conftest import FakeStore
from tests.engine import minilab


def synthesis(**changes: Any) -> Synthesis:
    def overlay(scope: Construct, ctx: Context) -> None:
        HelmArgoApp(scope, "wiki", minilab.WIKI.__class__(**{**minilab.WIKI.__dict__, **changes}))

    app = AppSpec(name="wiki", base=minilab.wiki_base, overlays={"home": overlay})
    lab = Homelab(
        root=Path("/nonexistent"), core=minilab.CORE, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(app,)),)
    )
    return synthesise(lab, stores={"home": FakeStore()})


def test_a_storage_class_nobody_provides_stops_synth() -> None:
    with pytest.raises(
        HomelabError,
        match=r"the tree would not deploy as declared; nothing was written:\n.*"
        r"Application wiki/wiki-chart spec.source.helm.valuesObject.persistence.storageClass: "
        r"\[storage-class\] uses StorageClass 'fast'.*Fix: use one of: .*define StorageClass fast.*"
        r"Cluster\(builtin_storage_classes=.*HelmArgoAppProps\(provides_storage_classes=.*\n"
        r"    or, if it is right as it is, accept it in .homelab-validate.yaml: "
        r'- \{check: storage-class, object: "Application wiki/wiki-chart", reason: "..."\}',
    ):
        synthesis(values={"persistence": {"storageClass": "fast"}})


def test_a_missing_secret_stops_synth() -> None:
    with pytest.raises(HomelabError, match=r"uses Secret 'wiki-creds', which nothing creates in namespace wiki"):
        synthesis(values={"auth": {"existingSecret": "wiki-creds"}})


def test_warnings_are_kept_for_the_caller() -> None:
    s = synthesis(ignore_differences=(IgnoreDifference(kind="Deployment", json_pointers=("/spec/replicas",)),))
    assert len(s.warnings) == 1 and "RespectIgnoreDifferences=true" in s.warnings[0]
