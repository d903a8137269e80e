"""HelmArgoApp, GitArgoApp and SyncPolicy: defaults, overrides and error messages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from constructs_lib.argo_application import HelmParameter, IgnoreDifference
from constructs_lib.errors import PropsError
from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps, ValuesRepo
from constructs_lib.helm_values import merge_values
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.versions import HelmChart
from tests.conftest import render_one

CHART = HelmArgoAppProps(
    name="immich",
    destination_namespace="immich",
    chart=HelmChart(repo_url="https://charts.example", chart="immich", version="1.x"),
)


def test_helm_app_defaults() -> None:
    m = render_one(lambda s: HelmArgoApp(s, "a", CHART))
    assert m["apiVersion"] == "argoproj.io/v1alpha1" and m["kind"] == "Application"
    assert m["metadata"] == {"name": "immich", "namespace": "argocd"}
    assert m["spec"] == {
        "project": "default",
        "source": {"repoURL": "https://charts.example", "targetRevision": "1.x", "chart": "immich"},
        "destination": {"server": "https://kubernetes.default.svc", "namespace": "immich"},
        "syncPolicy": {
            "automated": {"prune": True, "selfHeal": True},
            "syncOptions": ["ApplyOutOfSyncOnly=true", "ServerSideApply=true", "CreateNamespace=true"],
        },
    }


def test_helm_app_overrides() -> None:
    props = replace(
        CHART,
        namespace="immich",
        project="immich",
        release_name="immich",
        values={"a": {"b": 1}},
        labels={"tier": "media"},
        sync=SyncPolicy(options=()),
        ignore_differences=(IgnoreDifference(group="apps", kind="Deployment", json_pointers=("/spec/x",)),),
    )
    m = render_one(lambda s: HelmArgoApp(s, "a", props))
    assert m["metadata"] == {"name": "immich", "namespace": "immich", "labels": {"tier": "media"}}
    assert m["spec"]["project"] == "immich"
    assert m["spec"]["source"]["helm"] == {"releaseName": "immich", "valuesObject": {"a": {"b": 1}}}
    assert m["spec"]["syncPolicy"] == {"automated": {"prune": True, "selfHeal": True}}
    assert m["spec"]["ignoreDifferences"] == [{"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/x"]}]


def test_helm_app_with_values_files_of_a_git_repository() -> None:
    props = replace(
        CHART,
        value_files=("apps/immich/values.yaml", "apps/immich/values-home.yaml"),
        values_from=ValuesRepo(repo_url="https://github.com/o/homelab", revision="main"),
        values={"a": None},
    )
    m = render_one(lambda s: HelmArgoApp(s, "a", props))
    assert "source" not in m["spec"]
    assert m["spec"]["sources"] == [
        {
            "repoURL": "https://charts.example",
            "targetRevision": "1.x",
            "chart": "immich",
            "helm": {
                "valueFiles": ["$values/apps/immich/values.yaml", "$values/apps/immich/values-home.yaml"],
                "valuesObject": {"a": None},  # a null unsets the chart's default, in either shape
            },
        },
        {"repoURL": "https://github.com/o/homelab", "targetRevision": "main", "ref": "values"},
    ]


def test_helm_app_with_values_as_a_string_and_chart_values_files() -> None:
    text = "# the chart's defaults, but:\nreplicas: 2\n"
    m = render_one(lambda s: HelmArgoApp(s, "a", replace(CHART, values_yaml=text, value_files=("values-small.yaml",))))
    assert m["spec"]["source"]["helm"] == {"valueFiles": ["values-small.yaml"], "values": text}


def test_helm_app_values_refusals() -> None:
    repo = ValuesRepo(repo_url="https://github.com/o/homelab")
    with pytest.raises(PropsError, match=r"HelmArgoApp 'immich': values= and values_yaml= both give Helm values"):
        replace(CHART, values={"a": 1}, values_yaml="a: 1\n")
    with pytest.raises(
        PropsError, match=r"value_files entry '\$values/x.yaml' must be a relative path.*prefix is written"
    ):
        replace(CHART, value_files=("$values/x.yaml",), values_from=repo)
    with pytest.raises(PropsError, match=r"value_files entry '/x.yaml' must be a relative path"):
        replace(CHART, value_files=("/x.yaml",))
    with pytest.raises(
        PropsError, match=r"values_from='https://github.com/o/homelab' gives no values without value_files="
    ):
        replace(CHART, values_from=repo)
    with pytest.raises(PropsError, match=r"ValuesRepo 'https://g': ref '\$values' must be letters, digits"):
        ValuesRepo(repo_url="https://g", ref="$values")
    with pytest.raises(PropsError, match=r"ValuesRepo: repo_url is required"):
        ValuesRepo(repo_url="")


def test_helm_app_without_sync_policy() -> None:
    m = render_one(lambda s: HelmArgoApp(s, "a", replace(CHART, sync=None)))
    assert "syncPolicy" not in m["spec"]


def test_helm_chart_requires_a_version() -> None:
    with pytest.raises(PropsError, match=r"HelmChart 'immich': version is required: .*version='1.x'"):
        replace(CHART.chart, version="")


def test_helm_chart_requires_a_chart_name_and_the_app_a_helm_chart() -> None:
    with pytest.raises(PropsError, match=r"HelmChart ' ': chart must be the chart's name"):
        replace(CHART.chart, chart=" ")
    with pytest.raises(
        PropsError,
        match=r"HelmArgoAppProps.chart: expected HelmChart, got str 'immich'; write HelmChart\(repo_url=..., chart=..., version=...\)",
    ):
        replace(CHART, chart="immich")  # type: ignore[arg-type]


def test_image_values() -> None:
    from constructs_lib.versions import Image

    image = Image(name="ghcr.io/x/y", tag="v1", digest="sha256:" + "a" * 64)
    assert image.ref == "ghcr.io/x/y:v1@sha256:" + "a" * 64
    assert image.values() == {"repository": "ghcr.io/x/y", "tag": "v1", "digest": "sha256:" + "a" * 64}
    with pytest.raises(PropsError, match=r"Image 'y:1': name is the repository without tag"):
        Image(name="y:1", tag="1")
    with pytest.raises(PropsError, match=r"digest 'abc' must look like 'sha256:'"):
        Image(name="y", tag="1", digest="abc")


def test_helm_app_rejects_invalid_names() -> None:
    with pytest.raises(PropsError, match=r"HelmArgoApp 'Immich': name 'Immich' is not a valid Kubernetes name"):
        replace(CHART, name="Immich")
    with pytest.raises(PropsError, match=r"destination_namespace 'my_ns' is not a valid Kubernetes name"):
        replace(CHART, destination_namespace="my_ns")


def test_sync_policy_rejects_malformed_options() -> None:
    with pytest.raises(PropsError, match=r"sync option 'ServerSideApply' must have the form Name=value"):
        SyncPolicy(options=("ServerSideApply",))


def test_sync_policy_manual() -> None:
    assert SyncPolicy(automated=False, options=("PruneLast=true",)).render() == {"syncOptions": ["PruneLast=true"]}


def test_sync_policy_leaves_out_what_is_off() -> None:
    """As Argo CD reads it and people write it: ``automated: {}``, ``automated: {prune: true}``."""
    assert SyncPolicy(prune=False, self_heal=False, options=()).render() == {"automated": {}}
    assert SyncPolicy(self_heal=False, options=()).render() == {"automated": {"prune": True}}
    assert SyncPolicy(options=()).render() == {"automated": {"prune": True, "selfHeal": True}}


def test_git_app() -> None:
    props = GitArgoAppProps(
        name="approver",
        destination_namespace="kube-system",
        repo_url="https://github.com/x/y",
        revision="main",
        path="deploy",
        directory_include="standalone.yaml",
    )
    m = render_one(lambda s: GitArgoApp(s, "a", props))
    assert m["spec"]["source"] == {
        "repoURL": "https://github.com/x/y",
        "targetRevision": "main",
        "path": "deploy",
        "directory": {"include": "standalone.yaml"},
    }


def test_git_app_helm_values_and_default_revision() -> None:
    props = GitArgoAppProps(
        name="kasm", destination_namespace="kasm", repo_url="https://g/k", path="chart", values={"x": 1}
    )
    source = render_one(lambda s: GitArgoApp(s, "a", props))["spec"]["source"]
    assert source["targetRevision"] == "HEAD"
    assert source["helm"] == {"valuesObject": {"x": 1}}


def test_git_app_rejects_absolute_paths() -> None:
    with pytest.raises(PropsError, match=r"path '/deploy' must be a directory inside the repository"):
        GitArgoAppProps(name="a", destination_namespace="b", repo_url="https://g", path="/deploy")


def test_merge_values_is_deep_and_pure() -> None:
    base = {"a": {"b": 1, "c": [1]}, "d": 1}
    merged = merge_values(base, {"a": {"c": [2], "e": 3}}, {"d": 2})
    assert merged == {"a": {"b": 1, "c": [2], "e": 3}, "d": 2}
    assert base == {"a": {"b": 1, "c": [1]}, "d": 1}


def test_helm_app_parameters_skip_crds_info_and_history() -> None:
    props = replace(
        CHART,
        parameters=(
            HelmParameter(name="image.tag", value="1.2"),
            HelmParameter(name="x", value="1", force_string=True),
        ),
        skip_crds=True,
        info={"url": "https://immich.example.org"},
        revision_history_limit=3,
    )
    spec = render_one(lambda s: HelmArgoApp(s, "a", props))["spec"]
    assert spec["source"]["helm"] == {
        "parameters": [{"name": "image.tag", "value": "1.2"}, {"name": "x", "value": "1", "forceString": True}],
        "skipCrds": True,
    }
    assert spec["info"] == [{"name": "url", "value": "https://immich.example.org"}]
    assert spec["revisionHistoryLimit"] == 3
    with pytest.raises(PropsError, match=r"HelmParameter \(value '1.2'\): name is required, e.g. name='image.tag'"):
        HelmParameter(name="", value="1.2")
    with pytest.raises(PropsError, match=r"HelmArgoApp 'immich': revision_history_limit must be 0 or more, got -1"):
        replace(CHART, revision_history_limit=-1)
