"""ExternalSecrets beyond a list of keys: creation and deletion policies, a template, ``dataFrom``. Only an
ExternalSecret that creates its Secret counts as its creator; its keys are known where they can be (its data
entries, its template's) and unknown where the store decides them — the same for any tree ``validate`` reads."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from constructs_lib._internal.secret_keys import external_secret_target, known_keys
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.errors import PropsError
from constructs_lib.external_secret import (
    ExternalSecret,
    ExternalSecretData,
    ExternalSecretProps,
    ExtractFrom,
    FindFrom,
    RewriteRegexp,
    RewriteTransform,
    SecretStoreRef,
    SecretTemplate,
)
from constructs_lib.pod import Container, PodSpec, env_secret
from constructs_lib.versions import Image
from homelab import AppSpec, HomelabError, Scope
from homelab.engine.pipeline import Synthesis, synthesise
from homelab.validate.index import created_by
from tests.conftest import FakeStore
from tests.patterns.all_patterns_lab import LAB

STORE = SecretStoreRef(name="vault", kind="ClusterSecretStore")
PASSWORD = ExternalSecretData(secret_key="password", remote_key="app/db", property="password")
SECRET = ExternalSecretProps(name="app-db", namespace="wiki", store=STORE, data=(PASSWORD,))


def synth_reading(secret: ExternalSecretProps, key: str = "password") -> Synthesis:
    """The lab with one app: ``secret`` and a Deployment reading ``key`` of its target."""

    def base(scope: Scope) -> None:
        ExternalSecret(scope, "secret", secret)
        container = Container(
            name="app", image=Image(name="ghcr.io/example/app", tag="1.0"), env=(env_secret("V", "app-db", key),)
        )
        Deployment(
            scope,
            "app",
            DeploymentProps(name="app", namespace="wiki", selector={"app": "a"}, pod=PodSpec(containers=(container,))),
        )

    plan = replace(LAB.clusters[0], apps=(AppSpec(name="wiki", base=base),))
    return synthesise(replace(LAB, clusters=(plan,)), stores={"home": FakeStore()})


def rendered(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "es"}, "spec": spec}


def test_the_policies_template_and_data_from_are_rendered() -> None:
    props = replace(
        SECRET,
        data_from=(
            ExtractFrom(
                remote_key="app/all", version="2", rewrite=(RewriteTransform(template="{{ .value | upper }}"),)
            ),
            FindFrom(
                path="app/",
                name_regexp="^smtp-",
                tags={"env": "home"},
                rewrite=(RewriteRegexp(source="-", target="_"),),
            ),
        ),
        creation_policy="Orphan",
        deletion_policy="Retain",
        template=SecretTemplate(type="kubernetes.io/basic-auth", annotations={"a": "b"}),
    )
    spec = props.spec()
    assert spec["target"] == {
        "name": "app-db",
        "creationPolicy": "Orphan",
        "deletionPolicy": "Retain",
        "template": {"type": "kubernetes.io/basic-auth", "metadata": {"annotations": {"a": "b"}}},
    }
    assert spec["dataFrom"] == [
        {
            "extract": {"key": "app/all", "version": "2"},
            "rewrite": [{"transform": {"template": "{{ .value | upper }}"}}],
        },
        {
            "find": {"path": "app/", "name": {"regexp": "^smtp-"}, "tags": {"env": "home"}},
            "rewrite": [{"regexp": {"source": "-", "target": "_"}}],
        },
    ]
    assert "creationPolicy" not in SECRET.spec()["target"]  # the operator's defaults are not written


@pytest.mark.parametrize(
    ("spec", "policy", "keys"),
    [
        ({"data": [{"secretKey": "a"}]}, "Owner", {"a"}),
        ({"data": [{"secretKey": "a"}], "dataFrom": [{"extract": {"key": "k"}}]}, "Owner", None),
        ({"data": [{"secretKey": "a"}], "target": {"template": {"data": {"b": "{{ .a }}"}}}}, "Owner", {"b"}),
        (  # a template replacing the keys makes them known even when the store decides the fetched ones
            {"dataFrom": [{"find": {"tags": {"x": "y"}}}], "target": {"template": {"data": {"b": "{{ .a }}"}}}},
            "Owner",
            {"b"},
        ),
        (
            {"data": [{"secretKey": "a"}], "target": {"template": {"data": {"b": ""}, "mergePolicy": "Merge"}}},
            "Owner",
            {"a", "b"},
        ),
        ({"data": [{"secretKey": "a"}], "target": {"template": {"templateFrom": [{"configMap": {}}]}}}, "Owner", None),
        ({"data": [{"secretKey": "a"}], "target": {"template": {"type": "kubernetes.io/tls"}}}, "Owner", {"a"}),
        ({"data": [{"secretKey": "a"}], "target": {"creationPolicy": "Merge"}}, "Merge", {"a"}),
    ],
)
def test_the_keys_an_external_secret_writes(spec: dict[str, Any], policy: str, keys: set[str] | None) -> None:
    target = external_secret_target(rendered(spec))
    assert (target.name, target.policy, target.keys) == ("es", policy, None if keys is None else frozenset(keys))


def test_only_an_external_secret_that_creates_its_secret_is_its_creator() -> None:
    for policy, creates in (("Owner", True), ("Orphan", True), ("Merge", False), ("None", False)):
        obj = rendered({"target": {"name": "t", "creationPolicy": policy}, "data": [{"secretKey": "a"}]})
        assert (("Secret", "ns", "t") in created_by(obj, "ns")) is creates, policy
        assert (("ns", "t") in known_keys([(obj, "ns")])) is creates, policy


def test_a_merge_adds_its_keys_to_the_secret_or_makes_them_unknown() -> None:
    secret = ({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t"}, "data": {"a": "eA=="}}, "ns")
    merge = rendered({"target": {"name": "t", "creationPolicy": "Merge"}, "data": [{"secretKey": "b"}]})
    assert known_keys([(merge, "ns"), secret])[("ns", "t")] == ({"a", "b"}, "Secret ns/t and ExternalSecret ns/es")
    unknown = rendered({"target": {"name": "t", "creationPolicy": "Merge"}, "dataFrom": [{"extract": {"key": "k"}}]})
    assert known_keys([secret, (unknown, "ns")]) == {}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: FindFrom(), r"FindFrom: give name_regexp= or tags= \(a find of everything fetches the whole store\)"),
        (
            lambda: SecretTemplate(data={"a b": "x"}),
            r"SecretTemplate: data key 'a b' is not a Secret key \(letters, digits, '-', '_', '.'\), e.g. 'config.yml'",
        ),
        (
            lambda: SecretTemplate(merge_policy="Merge"),
            r"SecretTemplate: merge_policy= decides how data= joins the fetched keys: give data=",
        ),
        (
            lambda: replace(SECRET, creation_policy="Merge", deletion_policy="Delete"),
            r"ExternalSecret 'app-db': deletion_policy='Delete' deletes a Secret it does not create "
            r"\(creation_policy='Merge'\); use creation_policy='Owner', or deletion_policy='Merge'/'Retain'",
        ),
        (
            lambda: replace(SECRET, creation_policy="None", deletion_policy="Merge"),
            r"ExternalSecret 'app-db': deletion_policy='Merge' removes keys from a Secret that creation_policy='None' "
            r"never writes",
        ),
        (
            lambda: replace(SECRET, creation_policy="None", template=SecretTemplate(type="Opaque")),
            r"ExternalSecret 'app-db': creation_policy='None' writes no Secret, so template= shapes nothing",
        ),
        (
            lambda: replace(SECRET, creation_policy="Always"),
            r"ExternalSecretProps.creation_policy: expected Literal\['Owner', 'Orphan', 'Merge', 'None'\] \| None, got str 'Always'",
        ),
    ],
)
def test_a_wrong_external_secret_is_refused(make: Any, message: str) -> None:
    with pytest.raises(PropsError, match=message):
        make()


def test_a_secret_an_external_secret_only_merges_into_is_refused() -> None:
    with pytest.raises(
        HomelabError,
        match=r"tests/patterns/test_external_secret_policies.py: ExternalSecret wiki/app-db spec.target.name: "
        r"\[secret-ref\] uses Secret 'app-db', which nothing creates in namespace wiki",
    ):
        synth_reading(replace(SECRET, creation_policy="Merge"))


def test_a_secret_an_external_secret_writes_nothing_to_is_refused() -> None:
    with pytest.raises(
        HomelabError,
        match=r"Deployment wiki/app spec.template.spec.containers\[0\].env\[0\].valueFrom.secretKeyRef.name: "
        r"\[secret-ref\] uses Secret 'app-db', which nothing creates in namespace wiki",
    ):
        synth_reading(replace(SECRET, creation_policy="None"))


def test_a_key_the_template_replaces_is_refused_and_a_key_the_store_decides_is_not() -> None:
    templated = replace(SECRET, template=SecretTemplate(data={"DATABASE_URL": "postgres://app:{{ .password }}@db/app"}))
    with pytest.raises(
        HomelabError,
        match=r"valueFrom.secretKeyRef.key: Secret wiki/app-db has no key 'password'; its keys "
        r"\(ExternalSecret wiki/app-db\) are: DATABASE_URL",
    ):
        synth_reading(templated)
    assert synth_reading(templated, "DATABASE_URL").warnings == []
    assert synth_reading(replace(templated, template=replace(templated.template, merge_policy="Merge"))).warnings == []  # type: ignore[arg-type]
    extracted = replace(SECRET, data=(), data_from=(ExtractFrom(remote_key="app/db"),))
    assert synth_reading(extracted, "anything").warnings == []
