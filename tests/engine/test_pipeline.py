"""The engine's stages pass data: a draft is rendered and laid out but not checked, the derive stage reads
only the objects it is given, and finishing a draft is a whole synthesis."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from constructs import Construct

from constructs_lib.helm_argo_app import HelmArgoApp
from homelab import AppSpec, ClusterPlan, Context, HomelabError
from homelab.engine import derive
from homelab.engine.pipeline import draft, finish, synthesise
from tests.conftest import FakeStore
from tests.engine import minilab


def _fast_storage(scope: Construct, ctx: Context) -> None:
    HelmArgoApp(scope, "wiki", replace(minilab.WIKI, values={"persistence": {"storageClass": "fast"}}))


def test_a_draft_holds_the_objects_of_a_tree_the_checks_refuse() -> None:
    wiki = AppSpec(name="wiki", base=minilab.wiki_base, overlays={"home": _fast_storage})
    lab = minilab.lab(Path("/nonexistent"), clusters=(ClusterPlan(cluster=minilab.HOME, apps=(wiki,)),))
    tree = draft(lab, stores={"home": FakeStore()})
    (plan,) = tree.plans
    (app,) = tree.objects(wiki, plan)
    assert app.data["spec"]["source"]["helm"]["valuesObject"] == {"persistence": {"storageClass": "fast"}}
    assert [d.path for d in tree.directories][-1] == "clusters/overlays/home"
    with pytest.raises(HomelabError, match=r"uses StorageClass 'fast'"):
        finish(tree)


def test_derived_facts_come_from_the_objects_given() -> None:
    tree = draft(minilab.LAB, stores={"home": FakeStore(), "laptop": FakeStore()})
    home = tree.plans[0]
    wiki = tree.objects(minilab.WIKI_APP, home)
    assert derive.source_repos(wiki) == ("https://charts.example",)
    assert derive.application_namespaces(home, [wiki]) == ("wiki",)
    assert derive.application_namespaces(home, []) == ()
    assert derive.destinations(minilab.WIKI_APP, wiki) == ()  # its own namespace only


def test_finishing_a_draft_is_a_synthesis() -> None:
    stores = {"home": FakeStore(), "laptop": FakeStore()}
    assert finish(draft(minilab.LAB, stores=stores)).files == synthesise(minilab.LAB, stores=stores).files
