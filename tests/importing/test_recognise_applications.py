"""Applications come back as ``HelmArgoApp``/``GitArgoApp`` with the props they were rendered from."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_lib.annotations import Creates
from constructs_lib.argo_application import HelmParameter, IgnoreDifference
from constructs_lib.git_argo_app import GitArgoApp, GitArgoAppProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps, ValuesRepo
from constructs_lib.sync_policy import Backoff, SyncHook, SyncOptions, SyncPolicy, SyncRetry
from constructs_lib.versions import HelmChart
from homelab.importing.claims import recognise
from tests.importing.recognising import near_miss, only_claim, recognised

names = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=10,
)
syncs = st.one_of(
    st.none(),
    st.builds(SyncPolicy, prune=st.booleans(), self_heal=st.booleans()),
    st.just(SyncPolicy(automated=False)),  # prune and self_heal are not written then: left at their defaults
    st.just(SyncPolicy(options=("PruneLast=true",))),
)
helm_apps = st.builds(
    HelmArgoAppProps,
    name=names,
    owned_by=names,
    chart=st.builds(HelmChart, repo_url=st.just("https://charts.example.org"), chart=names, version=st.just("1.x")),
    release_name=st.one_of(st.none(), names),
    values=st.dictionaries(st.text(min_size=1, max_size=6), values, max_size=3),
    sync=syncs,
    sync_wave=st.one_of(st.none(), st.integers(-5, 5)),
    labels=st.dictionaries(names, names, max_size=2),
    provides_storage_classes=st.lists(names, max_size=2, unique=True).map(tuple),
    ignore_differences=st.lists(
        st.builds(IgnoreDifference, kind=st.just("Secret"), json_pointers=st.just(("/data",))), max_size=2
    ).map(tuple),
)


@settings(max_examples=25, deadline=None)
@given(helm_apps)
def test_a_helm_application_is_its_props(props: HelmArgoAppProps) -> None:
    claim = only_claim(lambda s: HelmArgoApp(s, "app", props))
    assert claim.construct is HelmArgoApp
    assert claim.props == props
    assert claim.id == re.sub("-+", "-", props.name)  # the id suggestion, lower-kebab


def test_a_git_application_and_what_it_says_besides() -> None:
    props = GitArgoAppProps(
        name="approver",
        namespace="argocd",
        project="default",
        destination_namespace="approver",
        repo_url="https://github.com/o/r",
        path="deploy",
        revision="main",
        directory_include="standalone.yaml",
        hook=SyncHook(phase="PostSync", delete_policy=("HookSucceeded",)),
        creates=(Creates(kind="Secret", name="token"), Creates(kind="Service", name="x", namespace="other")),
        sync=SyncPolicy(options=SyncOptions(add=("PruneLast=true",))),
    )
    claim = only_claim(lambda s: GitArgoApp(s, "approver", props))
    assert claim.construct is GitArgoApp
    assert props.sync is not None
    assert claim.props == replace(props, sync=SyncPolicy(options=props.sync.option_list))  # the options as written


def test_a_field_no_prop_names_leaves_the_application_raw() -> None:
    props = HelmArgoAppProps(name="web", owned_by="web", chart=HelmChart(repo_url="https://c", chart="c", version="1"))
    objects, _ = recognised(lambda s: HelmArgoApp(s, "web", props))
    near_miss(objects, 0, ("spec", "source", "helm", "fileParameters"), [{"name": "config", "path": "files/a.conf"}])
    near_miss(objects, 0, ("spec", "source", "helm", "ignoreMissingValueFiles"), True)


def test_helm_parameters_skip_crds_info_and_history_are_typed() -> None:
    props = HelmArgoAppProps(
        name="web",
        owned_by="web",
        chart=HelmChart(repo_url="ghcr.io/o/charts", chart="c", version="1"),
        parameters=(HelmParameter(name="replicas", value="2", force_string=True),),
        skip_crds=True,
        info={"docs": "https://example.org"},
        revision_history_limit=3,
    )
    claim = only_claim(lambda s: HelmArgoApp(s, "web", props))
    assert claim.construct is HelmArgoApp and claim.props == props


def test_a_sync_retry_is_typed() -> None:
    retry = SyncRetry(limit=5, backoff=Backoff(duration="5s", factor=2, max_duration="3m"))
    props = HelmArgoAppProps(
        name="web",
        owned_by="web",
        chart=HelmChart(repo_url="https://c", chart="c", version="1"),
        sync=SyncPolicy(options=("CreateNamespace=true",), allow_empty=True, retry=retry),
    )
    claim = only_claim(lambda s: HelmArgoApp(s, "web", props))
    assert claim.construct is HelmArgoApp and claim.props == props


VALUES_REPO = ValuesRepo(repo_url="https://github.com/o/homelab", revision="main")


@settings(max_examples=25, deadline=None)
@given(
    helm_apps,
    st.sampled_from([None, VALUES_REPO, ValuesRepo(repo_url="git@github.com:o/r.git", ref="cfg")]),
    st.lists(st.sampled_from(["apps/immich/values.yaml", "values-prod.yaml", "common.yaml"]), max_size=2),
    st.sampled_from([None, "replicas: 2\n# kept as written\n", ""]),
)
def test_values_files_of_a_git_repository_and_a_values_string_are_typed(
    props: HelmArgoAppProps, repo: ValuesRepo | None, files: list[str], text: str | None
) -> None:
    props = replace(
        props,
        values={} if text is not None else props.values,
        value_files=tuple(files) or (("values.yaml",) if repo else ()),
        values_from=repo,
        values_yaml=text,
    )
    claim = only_claim(lambda s: HelmArgoApp(s, "app", props))
    assert (claim.construct, claim.props) == (HelmArgoApp, props)


def test_the_common_multi_source_shape_reads_as_values_from() -> None:
    chart = {"repoURL": "https://immich-app.github.io/immich-charts", "chart": "immich", "targetRevision": "0.9.3"}
    helm = {"valueFiles": ["$values/apps/immich/values.yaml"], "values": "image:\n  tag: v1.119.0\n"}
    application = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "immich", "namespace": "argocd"},
        "spec": {
            "project": "default",
            "sources": [
                {**chart, "helm": helm},
                {"repoURL": "https://github.com/o/homelab", "targetRevision": "main", "ref": "values"},
            ],
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "immich"},
        },
    }
    (claim,) = recognise([application])
    assert claim.props == HelmArgoAppProps(
        name="immich",
        destination_namespace="immich",
        chart=HelmChart(repo_url=chart["repoURL"], chart="immich", version="0.9.3"),
        value_files=("apps/immich/values.yaml",),
        values_from=VALUES_REPO,
        values_yaml="image:\n  tag: v1.119.0\n",
        sync=None,
    )


def test_other_sources_leave_the_application_raw() -> None:
    props = HelmArgoAppProps(
        name="web",
        owned_by="web",
        chart=HelmChart(repo_url="https://c", chart="c", version="1"),
        value_files=("web/values.yaml",),
        values_from=VALUES_REPO,
    )
    objects, _ = recognised(lambda s: HelmArgoApp(s, "web", props))
    chart, values = objects[0]["spec"]["sources"]
    near_miss(objects, 0, ("spec", "sources"), [values, chart])  # the values repository first
    near_miss(objects, 0, ("spec", "sources"), [chart, {**values, "path": "web"}])  # a path deployed too
    near_miss(objects, 0, ("spec", "sources"), [chart, values, {"repoURL": "https://g", "path": "p"}])
    outside = {**chart, "helm": {"valueFiles": ["$values/web/values.yaml", "$other/x.yaml"]}}
    near_miss(objects, 0, ("spec", "sources"), [outside, values])
    plain = HelmArgoAppProps(name="web", owned_by="web", chart=HelmChart(repo_url="https://c", chart="c", version="1"))
    objects, _ = recognised(lambda s: HelmArgoApp(s, "web", plain))
    source = objects[0]["spec"].pop("source")
    near_miss(objects, 0, ("spec", "sources"), [source, {"repoURL": "https://g", "path": "p"}])
