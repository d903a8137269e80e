"""The cluster and app model: what a declaration may say, and the errors when it says something wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from constructs import Construct

from constructs_lib.api_object import api_object
from constructs_lib.errors import PropsError
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.plain_secret import PlainSecret, PlainSecretProps
from constructs_lib.versions import HelmChart
from homelab import AppSpec, Cluster, ClusterPlan, HomelabError
from homelab.engine.pipeline import synthesise
from tests.engine import minilab


def test_cluster_rejects_bad_names_and_paths() -> None:
    with pytest.raises(HomelabError, match=r"Cluster 'Home': name must be a lower-case DNS label"):
        Cluster(name="Home", repo_url="x")
    with pytest.raises(HomelabError, match=r"Cluster 'home': tree_path '/abs' must be a relative directory"):
        Cluster(name="home", repo_url="x", tree_path="/abs")
    with pytest.raises(HomelabError, match=r"Cluster 'home': tailnet 'example.com' must look like 'tail1234.ts.net'"):
        Cluster(name="home", repo_url="x", tailnet="example.com")


def test_app_needs_a_base_or_deploys() -> None:
    with pytest.raises(HomelabError, match=r"AppSpec 'x': give exactly one of base="):
        AppSpec(name="x")


def test_duplicate_app_names(tmp_path: Path) -> None:
    twin = AppSpec(name="wiki", base=minilab.wiki_base, directory="wiki2")
    plans = (ClusterPlan(cluster=minilab.HOME, apps=(minilab.WIKI_APP, twin)),)
    with pytest.raises(
        HomelabError, match=r"tests/engine/minilab.py: two apps are named 'wiki'.*app names must be unique"
    ):
        minilab.lab(tmp_path, clusters=plans)


def test_app_enabled_on_a_cluster_that_does_not_exist(tmp_path: Path) -> None:
    typo = AppSpec(name="notes", base=minilab.wiki_base, overlays={"hom": minilab.wiki_home})
    plans = (ClusterPlan(cluster=minilab.HOME, apps=(typo,)),)
    with pytest.raises(
        HomelabError,
        match=r"tests/engine/minilab.py: AppSpec 'notes' has an overlay for cluster 'hom', which does not exist; clusters are: home",
    ):
        minilab.lab(tmp_path, clusters=plans)


def test_two_apps_in_one_directory(tmp_path: Path) -> None:
    other = AppSpec(name="notes", directory="wiki", base=minilab.wiki_base)
    plans = (ClusterPlan(cluster=minilab.HOME, apps=(minilab.WIKI_APP, other)),)
    with pytest.raises(HomelabError, match=r"AppSpec 'notes' uses directory 'wiki', which AppSpec 'wiki' uses"):
        minilab.lab(tmp_path, clusters=plans)


def test_unknown_cluster_lookup(tmp_path: Path) -> None:
    with pytest.raises(HomelabError, match=r"no cluster named 'nas'; clusters are: home, laptop"):
        minilab.lab(tmp_path).plan("nas")


def _bad_name(scope: Construct) -> None:
    HelmArgoApp(
        scope,
        "x",
        HelmArgoAppProps(
            name="Bad_Name", destination_namespace="x", chart=HelmChart(repo_url="r", chart="c", version="1")
        ),
    )


def _no_version(scope: Construct) -> None:
    HelmArgoApp(
        scope,
        "x",
        HelmArgoAppProps(name="x", destination_namespace="x", chart=HelmChart(repo_url="r", chart="c", version="")),
    )


def _twice(scope: Construct) -> None:
    HelmArgoApp(scope, "first", minilab.WIKI)
    HelmArgoApp(scope, "second", minilab.WIKI)


@pytest.mark.parametrize(
    ("builder", "message"),
    [
        (
            _bad_name,
            r"tests/engine/test_model.py:\d+: broken/base: HelmArgoApp 'Bad_Name': name 'Bad_Name' is not a valid Kubernetes name",
        ),
        (_no_version, r"tests/engine/test_model.py:\d+: broken/base: HelmChart 'c': version is required"),
        (
            _twice,
            r"tests/engine/test_model.py: broken/base: two objects are Application wiki/wiki-chart "
            r"\(constructs broken/first/Resource and broken/second/Resource\)",
        ),
    ],
)
def test_errors_name_the_file_and_directory(tmp_path: Path, builder: object, message: str) -> None:
    broken = AppSpec(name="broken", base=builder)  # type: ignore[arg-type]
    lab = minilab.lab(tmp_path, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(broken,)),))
    with pytest.raises(HomelabError, match=message):
        synthesise(lab)


def _raw_secret(scope: Construct) -> None:
    api_object(scope, "s", api_version="v1", kind="Secret", metadata={"name": "creds"}, stringData={"password": "x"})


def _declared_secret(scope: Construct) -> None:
    PlainSecret(
        scope,
        "s",
        PlainSecretProps(
            name="flags", namespace="wiki", string_data={"FEATURE": "on"}, why_not_sensitive="feature flags"
        ),
    )


def test_plaintext_secret_is_refused_unless_declared(tmp_path: Path) -> None:
    leaky = AppSpec(name="leaky", base=_raw_secret)
    with pytest.raises(
        HomelabError,
        match=r"leaky/base: Secret /creds \(leaky/s\) field stringData: a Secret with its values in clear; .*Fix: use SealedConfig",
    ):
        synthesise(minilab.lab(tmp_path, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(leaky,)),)))
    flags = AppSpec(name="flags", base=_declared_secret)
    files = synthesise(minilab.lab(tmp_path, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(flags,)),))).files
    assert "homelab/not-sensitive: feature flags" in files["kustomize/flags/base/secret-flags.yaml"].decode()


def test_plain_secret_needs_a_reason() -> None:
    with pytest.raises(PropsError, match=r"PlainSecret 'wiki/flags': why_not_sensitive must say why"):
        PlainSecretProps(name="flags", namespace="wiki", string_data={}, why_not_sensitive=" ")
