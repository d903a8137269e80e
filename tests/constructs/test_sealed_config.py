"""SealedConfig: the SealedSecret manifest kubeseal writes, with ciphertexts from the store."""

from __future__ import annotations

import pytest

from constructs_lib.errors import PropsError
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from tests.conftest import FakeStore, render_one


def test_strict_kubeseal_manifest(fake_store: FakeStore) -> None:
    props = SealedConfigProps(name="creds", namespace="velero", keys=("cloud", "a"), type="Opaque")
    m = render_one(lambda s: SealedConfig(s, "c", props, store=fake_store))
    assert m == {
        "apiVersion": "bitnami.com/v1alpha1",
        "kind": "SealedSecret",
        "metadata": {"creationTimestamp": None, "name": "creds", "namespace": "velero"},
        "spec": {
            "encryptedData": {"a": "sealed:a", "cloud": "sealed:cloud"},
            "template": {
                "metadata": {"creationTimestamp": None, "name": "creds", "namespace": "velero"},
                "type": "Opaque",
            },
        },
    }
    assert fake_store.asked == [("velero", "creds", "strict", ("cloud", "a"))]


def test_wider_scopes_are_annotated(fake_store: FakeStore) -> None:
    for scope, annotation in (
        ("namespace-wide", "sealedsecrets.bitnami.com/namespace-wide"),
        ("cluster-wide", "sealedsecrets.bitnami.com/cluster-wide"),
    ):
        props = SealedConfigProps(name="c", namespace="n", keys=("k",), sealing_scope=scope, labels={"a": "b"})  # type: ignore[arg-type]
        m = render_one(lambda s, p=props: SealedConfig(s, "c", p, store=fake_store))
        assert m["metadata"]["annotations"] == {annotation: "true"}
        assert m["spec"]["template"]["metadata"]["annotations"] == {annotation: "true"}
        assert m["spec"]["template"]["metadata"]["labels"] == {"a": "b"}


def test_hand_written_style(fake_store: FakeStore) -> None:
    props = SealedConfigProps(name="c", namespace="n", keys=("k",), kubeseal_style=False, immutable=True)
    m = render_one(lambda s: SealedConfig(s, "c", props, store=fake_store))
    assert "creationTimestamp" not in m["metadata"]
    assert m["spec"]["template"] == {"metadata": {"name": "c", "namespace": "n"}, "immutable": True}


def test_errors() -> None:
    with pytest.raises(PropsError, match=r"SealedConfig 'n/c': keys must list at least one key"):
        SealedConfigProps(name="c", namespace="n", keys=())
    with pytest.raises(PropsError, match=r"key 'a b' is not a valid Secret key"):
        SealedConfigProps(name="c", namespace="n", keys=("a b",))
    with pytest.raises(
        PropsError,
        match=r"SealedConfigProps.sealing_scope: expected one of 'strict', 'namespace-wide', 'cluster-wide' \(SealingScope\), got str 'global'$",
    ):
        SealedConfigProps(name="c", namespace="n", keys=("k",), sealing_scope="global")  # type: ignore[arg-type]
