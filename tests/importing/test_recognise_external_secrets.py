"""ExternalSecrets come back as ``ExternalSecret`` with the props they were rendered from (keys, whole secrets,
policies, template); what the props cannot say leaves the object raw."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

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
from homelab.importing.claims import recognise
from tests.importing.recognising import near_miss, only_claim, recognised

names = st.from_regex(r"[a-z][a-z0-9-]{0,8}[a-z0-9]", fullmatch=True)
maybe_names = st.one_of(st.none(), names)
rewrites = st.lists(
    st.one_of(
        st.builds(RewriteRegexp, source=st.just("^app_"), target=st.sampled_from(["", "APP_"])),
        st.builds(RewriteTransform, template=st.just("{{ .value | upper }}")),
    ),
    max_size=2,
).map(tuple)
data_from = st.one_of(
    st.builds(ExtractFrom, remote_key=names, property=maybe_names, version=maybe_names, rewrite=rewrites),
    st.builds(
        FindFrom,
        name_regexp=st.just("^wiki-"),
        tags=st.dictionaries(names, names, max_size=2),
        path=st.one_of(st.none(), st.just("homelab/")),
        rewrite=rewrites,
    ),
)
templates = st.one_of(
    st.none(),
    st.builds(
        SecretTemplate,
        type=st.sampled_from([None, "kubernetes.io/dockerconfigjson"]),
        labels=st.dictionaries(names, names, max_size=1),
        annotations=st.dictionaries(st.just("a.example/x"), names, max_size=1),
        data=st.dictionaries(st.sampled_from(["config.yml", "url"]), st.just("{{ .password }}"), max_size=2),
    ),
)


@st.composite
def external_secrets(draw: st.DrawFn) -> ExternalSecretProps:
    fields: dict[str, Any] = {
        "name": draw(names),
        "namespace": draw(maybe_names),
        "store": draw(
            st.builds(SecretStoreRef, name=names, kind=st.sampled_from(["SecretStore", "ClusterSecretStore"]))
        ),
        "data": tuple(
            draw(
                st.lists(
                    st.builds(
                        ExternalSecretData,
                        secret_key=names,
                        remote_key=names,
                        property=maybe_names,
                        version=maybe_names,
                    ),
                    max_size=3,
                    unique_by=lambda d: d.secret_key,
                )
            )
        ),
        "data_from": tuple(draw(st.lists(data_from, max_size=2))),
        "target": draw(maybe_names),
        "creation_policy": draw(st.sampled_from([None, "Owner", "Orphan", "Merge", "None"])),
        "deletion_policy": draw(st.sampled_from([None, "Retain", "Delete", "Merge"])),
        "template": draw(templates),
        "refresh_interval": draw(st.sampled_from([None, "1h", "15m", "0"])),
        "api_version": draw(st.sampled_from(["external-secrets.io/v1", "external-secrets.io/v1beta1"])),
    }
    try:
        return ExternalSecretProps(**fields)
    except PropsError:  # policies the operator refuses together, or no key at all
        assume(False)
        raise


@settings(max_examples=40, deadline=None)
@given(external_secrets())
def test_an_external_secret_is_its_props(props: ExternalSecretProps) -> None:
    claim = only_claim(lambda s: ExternalSecret(s, "secret", props))
    assert claim.construct is ExternalSecret
    # a target equal to the name is read back as no target: the same Secret, written the same way
    assert claim.props == (props if props.target != props.name else replace(props, target=None))


def test_what_an_external_secret_cannot_say_leaves_it_raw() -> None:
    props = ExternalSecretProps(
        name="db",
        store=SecretStoreRef(name="vault", kind="ClusterSecretStore"),
        data=(ExternalSecretData(secret_key="password", remote_key="app/db", property="password"),),
    )
    objects, _ = recognised(lambda s: ExternalSecret(s, "db", props))
    near_miss(objects, 0, ("spec", "dataFrom"), [{"sourceRef": {"generatorRef": {"kind": "Password", "name": "pw"}}}])
    near_miss(objects, 0, ("spec", "target", "template", "engineVersion"), "v2")
    near_miss(
        objects,
        0,
        ("spec", "data"),
        [{"secretKey": "password", "remoteRef": {"key": "app/db", "decodingStrategy": "Base64"}}],
    )
    near_miss(objects, 0, ("spec", "data"), [])  # no key: the props refuse it, the object stays as it is
    objects[0]["spec"]["target"]["deletionPolicy"] = "Delete"  # typed alone...
    (claim,) = recognise(objects)
    assert claim.props == replace(props, deletion_policy="Delete")
    near_miss(objects, 0, ("spec", "target", "creationPolicy"), "None")  # ...not with this: the props refuse both
