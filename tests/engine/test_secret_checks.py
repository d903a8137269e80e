"""Plaintext anywhere and secret keys: synth refuses a value that looks like a secret outside a Secret
(unless marked not sensitive, with a reason), and a reference to a key the Secret does not have."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from constructs import Construct

from constructs_lib._internal.plaintext import plaintext_findings
from constructs_lib.annotations import not_sensitive
from constructs_lib.api_object import api_object
from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps
from constructs_lib.errors import PropsError
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.versions import HelmChart
from homelab import AppSpec, ClusterPlan, Context, Homelab, HomelabError
from homelab.engine.pipeline import synthesise
from homelab.validate import ValidateOptions, validate
from tests.conftest import FakeStore
from tests.engine import minilab


def synth(build: Any) -> dict[str, bytes]:
    app = AppSpec(name="app", base=lambda scope: None, overlays={"home": build})
    lab = Homelab(
        root=Path("/nonexistent"), core=minilab.CORE, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(app,)),)
    )
    return synthesise(lab, stores={"home": FakeStore()}).files


def helm(values: dict[str, Any], annotations: dict[str, str] | None = None) -> Any:
    def build(scope: Construct, ctx: Context) -> None:
        props = HelmArgoAppProps(
            owned_by="app",
            name="chart",
            chart=HelmChart(repo_url="https://c.example", chart="c", version="1"),
            values=values,
        )
        HelmArgoApp(
            scope,
            "chart",
            props if annotations is None else HelmArgoAppProps(**{**props.__dict__, "annotations": annotations}),
        )

    return build


def config_map(data: dict[str, str], annotations: dict[str, str] | None = None) -> Any:
    def build(scope: Construct, ctx: Context) -> None:
        meta: dict[str, Any] = {
            "name": "cfg",
            "namespace": "app",
            **({"annotations": annotations} if annotations else {}),
        }
        api_object(scope, "cfg", api_version="v1", kind="ConfigMap", metadata=meta, data=data)

    return build


def pod_env(env: list[dict[str, Any]], secret: SealedConfigProps | None = None, volumes: Any = None) -> Any:
    def build(scope: Construct, ctx: Context) -> None:
        if secret is not None:
            SealedConfig(scope, "secret", secret, store=ctx.sealed)
        spec: dict[str, Any] = {"containers": [{"name": "c", "image": "i:1", "env": env}]}
        if volumes:
            spec["volumes"] = volumes
        api_object(scope, "pod", api_version="v1", kind="Pod", metadata={"name": "p", "namespace": "app"}, spec=spec)

    return build


GITHUB = "ghp_" + "a1B2c3D4" * 5
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"

# -- plaintext anywhere ---------------------------------------------------------------------------

CASES = [
    ("helm password", helm({"auth": {"adminPassword": "hunter2"}}), "spec.source.helm.valuesObject.auth.adminPassword"),
    ("configmap password", config_map({"ADMIN_PASSWORD": "hunter2"}), "data.ADMIN_PASSWORD"),
    ("configmap github token", config_map({"NOTES": f"use {GITHUB}"}), "data.NOTES"),
    ("slack token", config_map({"HOOK": "xoxb-1234567890-abcdef"}), "data.HOOK"),
    ("aws key", config_map({"ID": "AKIAABCDEFGHIJKLMNOP"}), "data.ID"),
    ("pem key", helm({"tls": {"key": PEM}}), "spec.source.helm.valuesObject.tls.key"),
    ("env literal", pod_env([{"name": "DB_PASSWORD", "value": "hunter2"}]), "spec.containers[0].env[0].value"),
    ("api key", helm({"apiKey": "k-123"}), "spec.source.helm.valuesObject.apiKey"),
]


@pytest.mark.parametrize(("label", "build", "field"), CASES, ids=[c[0] for c in CASES])
def test_plaintext_outside_secrets_is_refused(label: str, build: Any, field: str) -> None:
    with pytest.raises(HomelabError, match=rf"field {re.escape(field)}: .*committed in clear") as caught:
        synth(build)
    for plaintext in ("hunter2", GITHUB, "xoxb-1234567890", "AKIAABCDEFGHIJKLMNOP", "MIIB", "k-123"):
        assert plaintext not in str(caught.value)


@pytest.mark.parametrize(("label", "build", "field"), CASES[:3], ids=[c[0] for c in CASES[:3]])
def test_a_value_marked_not_sensitive_passes(label: str, build: Any, field: str) -> None:
    marked = {
        "helm password": helm({"auth": {"adminPassword": "demo"}}, not_sensitive({field: "a public demo instance"})),
        "configmap password": config_map({"ADMIN_PASSWORD": "demo"}, not_sensitive({field: "documented default"})),
        "configmap github token": config_map({"NOTES": f"use {GITHUB}"}, not_sensitive({field: "a revoked example"})),
    }[label]
    assert synth(marked)


def test_references_and_names_are_not_secrets() -> None:
    manifest = {
        "kind": "ConfigMap",
        "data": {
            "existingSecretPassword": "x",
            "passwordSecretKey": "password",
            "tlsSecret": "wiki-tls",
            "WEBHOOK_PASSWORD": "$WEBHOOK_PASSWORD",
            "token": "{{ .Values.token }}",
        },
    }
    assert plaintext_findings(manifest) == []
    with pytest.raises(PropsError, match=r"^not_sensitive: field 'data.x' needs a reason$"):
        not_sensitive({"data.x": " "})


def test_validate_reports_plaintext_in_a_hand_written_tree(tmp_path: Path) -> None:
    from tests.validate import crd_schemas, minitree

    tree = minitree.write(
        tmp_path,
        {
            "wiki/overlays/home/chart.yaml": minitree.FILES["wiki/overlays/home/chart.yaml"].replace(
                "auth: {existingSecret: wiki-config}", "auth: {existingSecret: wiki-config, adminPassword: hunter2}"
            )
        },
    )
    report = validate(
        ValidateOptions(
            tree=tree,
            repos={minitree.REPO},
            crd_schema_dirs=[crd_schemas.write(tmp_path / "s")],
            builtin_storage_classes={"home": {"longhorn"}},
        )
    )
    (finding,) = [f for f in report.unique() if f.check == "plaintext-value"]
    assert finding.field == "spec.source.helm.valuesObject.auth.adminPassword"
    assert "hunter2" not in report.text()


# -- secret keys --------------------------------------------------------------------------------

SECRET = SealedConfigProps(name="creds", namespace="app", keys=("user", "password"))
DB = CnpgDatabaseProps(name="db", namespace="app")


def test_env_secret_key_ref_must_name_a_declared_key() -> None:
    bad = pod_env([{"name": "P", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "passwd"}}}], SECRET)
    with pytest.raises(
        HomelabError,
        match=r"spec.containers\[0\].env\[0\].valueFrom.secretKeyRef.key: Secret app/creds has no key 'passwd'; its keys \(SealedSecret app/creds\) are: password, user",
    ):
        synth(bad)
    assert synth(pod_env([{"name": "P", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}}], SECRET))


def test_secret_volume_items_must_name_declared_keys() -> None:
    volumes = [{"name": "v", "secret": {"secretName": "creds", "items": [{"key": "token", "path": "t"}]}}]
    with pytest.raises(
        HomelabError, match=r"spec.volumes\[0\].secret.items\[0\].key: Secret app/creds has no key 'token'"
    ):
        synth(pod_env([], SECRET, volumes))


def test_cnpg_generated_keys() -> None:
    def build(key: str) -> Any:
        def inner(scope: Construct, ctx: Context) -> None:
            CnpgDatabase(scope, "db", DB)
            env = [{"name": "P", "valueFrom": {"secretKeyRef": {"name": DB.app_secret, "key": key}}}]
            api_object(
                scope,
                "pod",
                api_version="v1",
                kind="Pod",
                metadata={"name": "p", "namespace": "app"},
                spec={"containers": [{"name": "c", "image": "i:1", "env": env}]},
            )

        return inner

    with pytest.raises(
        HomelabError,
        match=r"Secret app/db-app has no key 'passwd'; its keys \(CloudNativePG cluster app/db\) are: dbname, .*password",
    ):
        synth(build("passwd"))
    assert synth(build("jdbc-uri"))


def test_helm_values_existing_secret_keys() -> None:
    def build(key: str) -> Any:
        def inner(scope: Construct, ctx: Context) -> None:
            SealedConfig(scope, "secret", SECRET, store=ctx.sealed)
            helm({"auth": {"existingSecret": "creds", "existingSecretPasswordKey": key}})(scope, ctx)

        return inner

    with pytest.raises(
        HomelabError, match=r"valuesObject.auth.existingSecretPasswordKey: Secret app/creds has no key 'pass'"
    ):
        synth(build("pass"))
    assert synth(build("password"))
