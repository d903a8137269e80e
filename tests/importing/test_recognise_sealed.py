"""SealedSecrets come back as ``SealedConfig`` with their ciphertexts, untouched, as a ``SealedEntry``."""

from __future__ import annotations

import pytest

from constructs_lib.sealed_config import SealedConfig, SealedConfigProps, SealingScope
from homelab.importing.claims import SealedEntry
from tests.conftest import FakeStore
from tests.importing.recognising import near_miss, only_claim, recognised


@pytest.mark.parametrize("scope", ["strict", "namespace-wide", "cluster-wide"])
@pytest.mark.parametrize("kubeseal_style", [True, False])
def test_a_sealed_secret_is_a_sealed_config_and_its_ciphertexts(scope: SealingScope, kubeseal_style: bool) -> None:
    props = SealedConfigProps(
        name="db",
        namespace="wiki",
        keys=("username", "password"),
        sealing_scope=scope,
        labels={"app": "wiki"},
        annotations={"note": "x"},
        type="kubernetes.io/basic-auth",
        immutable=True,
        kubeseal_style=kubeseal_style,
    )
    claim = only_claim(lambda s: SealedConfig(s, "db", props, store=FakeStore()))
    assert claim.construct is SealedConfig
    assert claim.props == SealedConfigProps(**{**props.__dict__, "keys": ("password", "username")})
    assert claim.sealed == (
        SealedEntry(
            namespace="wiki",
            name="db",
            scope=scope,
            encrypted={"password": "sealed:password", "username": "sealed:username"},
        ),
    )


def test_a_field_no_prop_names_leaves_the_sealed_secret_raw() -> None:
    props = SealedConfigProps(name="db", namespace="wiki", keys=("password",))
    objects, _ = recognised(lambda s: SealedConfig(s, "db", props, store=FakeStore()))
    claims = near_miss(objects, 0, ("spec", "template", "data"), {"plain": "value"})
    assert claims[0].sealed == ()
