"""Sync settings that compose (options added to and removed from the defaults below, typed sync waves and
hooks), ExternalSecrets counted as the creators of their Secrets, and SOPS-encrypted objects carried as they
are: the secrets lab synthesises with no acceptance file, and each refused case says why and the fix."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_lib._internal.plaintext import plaintext_findings
from constructs_lib._internal.secret_keys import known_keys
from constructs_lib.api_object import api_object
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.config_map import ConfigMapProps
from constructs_lib.errors import PropsError
from constructs_lib.external_secret import ExternalSecret, ExternalSecretData, ExternalSecretProps, SecretStoreRef
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.sync_policy import (
    DEFAULT_SYNC_OPTIONS,
    HOOK,
    HOOK_DELETE_POLICY,
    SYNC_WAVE,
    SyncHook,
    SyncOptions,
    SyncPolicy,
    set_sync,
    sync_annotations,
)
from constructs_lib.versions import HelmChart
from homelab import AppSpec, ClusterPlan, HomelabError, Scope
from homelab.engine.pipeline import Synthesis, synthesise
from homelab.validate import accept
from homelab.validate.index import created_by
from homelab.validate.schemas import Schemas
from tests.conftest import FakeStore
from tests.patterns import secrets_lab as lab


def synth(*apps: AppSpec, plan: ClusterPlan | None = None) -> Synthesis:
    plan = replace(plan or lab.LAB.clusters[0], apps=apps or (lab.WIKI, lab.BACKUP))
    return synthesise(replace(lab.LAB, clusters=(plan,)), stores={"home": FakeStore()})


def text_of(s: Synthesis, suffix: str) -> str:
    return next(text.decode() for path, text in s.files.items() if str(path).endswith(suffix))


# -- sync options ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (SyncOptions(), DEFAULT_SYNC_OPTIONS),
        (SyncOptions(add=("PruneLast=true",)), (*DEFAULT_SYNC_OPTIONS, "PruneLast=true")),
        (SyncOptions(remove=("ServerSideApply",)), ("ApplyOutOfSyncOnly=true", "CreateNamespace=true")),
        (SyncOptions(remove=("Replace",)), DEFAULT_SYNC_OPTIONS),  # not there: nothing to remove
        (SyncOptions(add=("CreateNamespace=true",)), DEFAULT_SYNC_OPTIONS),  # already there: once, in its place
        (
            SyncOptions(add=("ServerSideApply=false", "B=1", "A=1")),  # a new value in place; added in given order
            ("ApplyOutOfSyncOnly=true", "ServerSideApply=false", "CreateNamespace=true", "B=1", "A=1"),
        ),
        (
            SyncOptions(add=("RespectIgnoreDifferences=true",), remove=("ApplyOutOfSyncOnly", "CreateNamespace")),
            ("ServerSideApply=true", "RespectIgnoreDifferences=true"),
        ),
    ],
)
def test_sync_options_compose_with_the_defaults(options: SyncOptions, expected: tuple[str, ...]) -> None:
    assert options.applied_to(DEFAULT_SYNC_OPTIONS) == expected
    assert SyncPolicy(options=options).render()["syncOptions"] == list(expected)


NAMES = st.sampled_from(["A", "B", "C", "D", "E"])
OPTION = st.builds(lambda n, v: f"{n}={v}", NAMES, st.sampled_from(["true", "false"]))


@given(
    defaults=st.lists(OPTION, unique_by=lambda o: o.partition("=")[0]),
    add=st.lists(OPTION, unique_by=lambda o: o.partition("=")[0]),
    remove=st.lists(NAMES, unique=True),
)
def test_composed_options_are_a_set_by_name_in_a_stable_order(
    defaults: list[str], add: list[str], remove: list[str]
) -> None:
    remove = [n for n in remove if n not in {o.partition("=")[0] for o in add}]
    out = SyncOptions(add=tuple(add), remove=tuple(remove)).applied_to(tuple(defaults))
    names = [o.partition("=")[0] for o in out]
    assert len(names) == len(set(names))
    assert set(out) >= set(add) and not set(names) & set(remove)
    kept = [o.partition("=")[0] for o in defaults if o.partition("=")[0] not in remove]
    added = [o.partition("=")[0] for o in add if o.partition("=")[0] not in kept]
    assert names == kept + added  # the defaults' order, then the added ones in the order given


def test_an_app_s_options_compose_with_its_cluster_s_and_a_cluster_override_with_the_app_s() -> None:
    cluster = SyncPolicy(options=("A=1", "B=1"))
    app = replace(lab.WIKI, application=ApplicationSettings(sync=SyncPolicy(options=SyncOptions(add=("C=1",)))))
    plan = ClusterPlan(
        cluster=lab.HOME,
        apps=(app,),
        app_sync=cluster,
        application_settings={"wiki": ApplicationSettings(sync=SyncPolicy(options=SyncOptions(remove=("A",))))},
    )
    assert plan.settings_of(app).sync == SyncPolicy(options=("B=1", "C=1"))
    assert replace(plan, application_settings={}).settings_of(app).sync == SyncPolicy(options=("A=1", "B=1", "C=1"))
    # a tuple still replaces, and () still writes no syncOptions
    replacing = replace(app, application=ApplicationSettings(sync=SyncPolicy(options=())))
    assert "syncOptions" not in replace(plan, application_settings={}).settings_of(replacing).sync.render()  # type: ignore[union-attr]


def test_the_lab_s_application_composes_its_options_and_has_its_sync_wave() -> None:
    s = synth()
    assert s.warnings == []
    application = text_of(s, "clusters/overlays/home/application-wiki.yaml")
    assert 'argocd.argoproj.io/sync-wave: "2"' in application
    assert "- ApplyOutOfSyncOnly=true\n      - CreateNamespace=true\n      - PruneLast=true\n" in application
    assert "ServerSideApply" not in application


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: SyncOptions(remove=("ServerSideApply=true",)),
            r"SyncOptions.remove: 'ServerSideApply=true' is not an option name; name it without its value, "
            r"e.g. remove=\('ServerSideApply',\)",
        ),
        (
            lambda: SyncOptions(add=("PruneLast",)),
            r"SyncOptions.add: sync option 'PruneLast' must have the form Name=value, e.g. 'ServerSideApply=true'",
        ),
        (
            lambda: SyncOptions(add=("PruneLast=true", "PruneLast=false")),
            r"SyncOptions: option 'PruneLast' is added twice; keep one 'Name=value'",
        ),
        (
            lambda: SyncOptions(add=("PruneLast=true",), remove=("PruneLast",)),
            r"SyncOptions: option 'PruneLast' is both added and removed; keep one",
        ),
        (
            lambda: SyncPolicy(options=("CreateNamespace",)),
            r"SyncPolicy: sync option 'CreateNamespace' must have the form Name=value",
        ),
        (lambda: SyncHook(phase="Post"), r"SyncHook.phase: expected one of 'PreSync', 'Sync', 'PostSync'"),
        (lambda: SyncHook(phase=()), r"SyncHook: phase=\(\) names no phase; e.g. SyncHook\(phase='PostSync'\)"),
        (
            lambda: SyncHook(phase="PostSync", delete_policy=("HookSucceeded", "HookSucceeded")),
            r"SyncHook.delete_policy: \('HookSucceeded', 'HookSucceeded'\) names one twice; name each once",
        ),
        (lambda: sync_annotations(sync_wave="1"), r"sync_wave: '1' is not an integer; write e.g. sync_wave=-1"),  # type: ignore[arg-type]
        (lambda: ConfigMapProps(name="c", data={}, sync_wave="1"), r"sync_wave"),  # type: ignore[arg-type]
    ],
)
def test_a_wrong_sync_setting_is_refused(make: Any, message: str) -> None:
    with pytest.raises(PropsError, match=message):
        make()


# -- sync waves and hooks -------------------------------------------------------------------------


def test_sync_waves_and_hooks_are_typed_on_objects_and_applications() -> None:
    s = synth()
    assert 'argocd.argoproj.io/sync-wave: "-1"' in text_of(s, "wiki/base/configmap-wiki-settings.yaml")
    job = text_of(s, "wiki/base/job-wiki-migrate.yaml")
    assert "argocd.argoproj.io/hook: PostSync\n" in job
    assert "argocd.argoproj.io/hook-delete-policy: HookSucceeded,BeforeHookCreation\n" in job
    assert sync_annotations() == {}
    assert sync_annotations(0, SyncHook(phase=("PreSync", "Sync"))) == {SYNC_WAVE: "0", HOOK: "PreSync,Sync"}

    def base(scope: Scope) -> None:
        chart = HelmChart(repo_url="https://charts.example", chart="db", version="1.0.0")
        HelmArgoApp(scope, "db", HelmArgoAppProps(owned_by="wiki", name="db", chart=chart, sync_wave=-2))
        raw = api_object(
            scope, "cm", api_version="v1", kind="ConfigMap", metadata={"name": "raw", "namespace": "wiki"}, data={}
        )
        set_sync(raw, sync_wave=5, hook=SyncHook(phase="SyncFail", delete_policy=("HookFailed",)))

    s = synth(replace(lab.WIKI, base=base))
    assert 'argocd.argoproj.io/sync-wave: "-2"' in text_of(s, "wiki/base/application-db.yaml")
    raw = text_of(s, "wiki/base/configmap-raw.yaml")
    assert f'{SYNC_WAVE}: "5"' in raw and f"{HOOK}: SyncFail" in raw and f"{HOOK_DELETE_POLICY}: HookFailed" in raw


# -- ExternalSecrets ------------------------------------------------------------------------------


def test_an_external_secret_creates_its_target_secret_with_its_keys() -> None:
    s = synth()
    assert not (lab.LAB.root / accept.FILE_NAME).exists()
    assert "kind: ExternalSecret" in text_of(s, "wiki/base/externalsecret-wiki-db.yaml")
    rendered = {
        "apiVersion": "external-secrets.io/v1",
        "kind": "ExternalSecret",
        "metadata": {"name": "db"},
        "spec": {"target": {"name": "db-creds"}, "data": [{"secretKey": "password", "remoteRef": {"key": "k"}}]},
    }
    assert ("Secret", "wiki", "db-creds") in created_by(rendered, "wiki")
    assert known_keys([(rendered, "wiki")]) == {("wiki", "db-creds"): ({"password"}, "ExternalSecret wiki/db")}
    unnamed = {**rendered, "spec": {"data": []}}  # the target is the ExternalSecret's name by default
    assert ("Secret", "wiki", "db") in created_by(unnamed, "wiki")
    nothing = {**rendered, "spec": {"target": {"name": "x", "creationPolicy": "None"}}}
    assert ("Secret", "wiki", "x") not in created_by(nothing, "wiki")
    extracted = {**rendered, "spec": {"dataFrom": [{"extract": {"key": "k"}}]}}  # keys unknown: not judged
    assert known_keys([(extracted, "wiki")]) == {}


def wiki_with(secret: ExternalSecretProps) -> AppSpec:
    return replace(lab.WIKI, base=lambda scope: lab.wiki(scope, secret))


def test_a_secret_no_external_secret_creates_is_refused() -> None:
    with pytest.raises(
        HomelabError,
        match=r"tests/patterns/test_sync_and_secrets.py: Deployment wiki/wiki spec.template.spec.containers\[0\].env\[0\]"
        r".valueFrom.secretKeyRef.name: \[secret-ref\] uses Secret 'wiki-db', which nothing creates in namespace "
        r"wiki \(no Secret, SealedSecret, ExternalSecret, .*Fix: correct the name; did you mean wiki-dbs\?; ",
    ):
        synth(wiki_with(replace(lab.DB_SECRET, target="wiki-dbs")))


def test_a_key_the_external_secret_does_not_fill_is_refused() -> None:
    with pytest.raises(
        HomelabError,
        match=r"valueFrom.secretKeyRef.key: Secret wiki/wiki-db has no key 'password'; its keys "
        r"\(ExternalSecret wiki/wiki-db\) are: username",
    ):
        synth(wiki_with(replace(lab.DB_SECRET, data=lab.DB_SECRET.data[:1])))


def test_an_external_secret_renders_its_store_target_and_keys() -> None:
    props = ExternalSecretProps(
        name="db",
        namespace="wiki",
        store=SecretStoreRef(name="vault"),
        data=(ExternalSecretData(secret_key="password", remote_key="wiki/db", property="pw", version="3"),),
        target="db-creds",
        api_version="external-secrets.io/v1beta1",
    )
    assert (props.target_name, props.keys) == ("db-creds", ("password",))
    s = synth(replace(lab.WIKI, base=lambda scope: ExternalSecret(scope, "db", props)))
    assert text_of(s, "wiki/base/externalsecret-db.yaml").endswith(
        "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: db\n  namespace: wiki\n"
        "spec:\n  secretStoreRef:\n    name: vault\n    kind: SecretStore\n  target:\n    name: db-creds\n"
        "  data:\n    - secretKey: password\n      remoteRef:\n        key: wiki/db\n        property: pw\n"
        '        version: "3"\n'
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"data": ()},
            r"ExternalSecret 'wiki-db': data=\(\) and data_from=\(\) give the Secret no key; add "
            r"data=\(ExternalSecretData\(secret_key='password'.* or data_from=\(ExtractFrom\(remote_key='app/db'\),\)",
        ),
        (
            {"data": (ExternalSecretData(secret_key="a b", remote_key="k"),)},
            r"ExternalSecret 'wiki-db': secret_key 'a b' is not a Secret key \(letters, digits, '-', '_', '.'\)",
        ),
        (
            {"data": (ExternalSecretData(secret_key="a", remote_key="k"),) * 2},
            r"ExternalSecret 'wiki-db': secret_key 'a' is given twice; each key of the Secret once",
        ),
        (
            {"refresh_interval": "hourly"},
            r"ExternalSecret 'wiki-db': refresh_interval 'hourly' is not a duration; write e.g. '1h' or '15m'",
        ),
        ({"target": "Wiki_DB"}, r"ExternalSecret 'wiki-db'.*target"),
    ],
)
def test_a_wrong_external_secret_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(PropsError, match=message):
        replace(lab.DB_SECRET, **changes)


# -- SOPS -----------------------------------------------------------------------------------------

SOPS_SECRET = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t", "namespace": "b"}, **lab.SOPS_SECRET}


def test_a_sops_encrypted_secret_passes_and_a_value_left_in_clear_beside_it_is_found() -> None:
    assert plaintext_findings(SOPS_SECRET) == []
    leaky = {**SOPS_SECRET, "stringData": {"token": "hunter2"}, "data": {**lab.SOPS_SECRET["data"], "user": "YWRtaW4="}}  # type: ignore[dict-item]
    assert [path for path, _ in plaintext_findings(leaky)] == ["data.user", "stringData.token"]
    # without SOPS's block an ENC[...] is only text: the Secret is in clear as a whole
    assert plaintext_findings({k: v for k, v in SOPS_SECRET.items() if k != "sops"}) == [
        ("data", "a Secret with its values in clear")
    ]


def test_in_any_other_sops_encrypted_object_only_the_encrypted_values_pass() -> None:
    enc = lab.SOPS_SECRET["data"]["password"]  # type: ignore[index]
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "sops": lab.SOPS_SECRET["sops"]}
    assert plaintext_findings({**config, "data": {"password": enc}}) == []
    assert [p for p, _ in plaintext_findings({**config, "data": {"password": enc, "apiToken": "s3cr3t-v4lue"}})] == [
        "data.apiToken"
    ]
    not_enc = "ENC[AES256_GCM,data:abc]"  # not SOPS's shape: judged like any value
    assert [p for p, _ in plaintext_findings({**config, "data": {"password": not_enc}})] == ["data.password"]


def test_synth_refuses_a_key_of_a_sops_secret_left_in_clear_naming_sops() -> None:
    def base(scope: Scope) -> None:
        body = {**lab.SOPS_SECRET, "stringData": {"token": "hunter2"}}
        api_object(scope, "t", api_version="v1", kind="Secret", metadata={"name": "t", "namespace": "backup"}, **body)

    with pytest.raises(
        HomelabError,
        match=r"tests/patterns/test_sync_and_secrets.py: backup/base: Secret backup/t \(backup/t\) field "
        r"stringData.token: a value in clear in a SOPS-encrypted Secret \(SOPS left this key unencrypted\); it would "
        r"be committed in clear. Fix: encrypt the file again with sops so that this key is encrypted too",
    ):
        synth(lab.WIKI, replace(lab.BACKUP, base=base))


def test_the_sops_block_is_not_judged_by_the_secret_schema() -> None:
    assert Schemas().errors(SOPS_SECRET) == []
    assert Schemas().errors({**SOPS_SECRET, "spoons": 1})  # another unknown field still is
