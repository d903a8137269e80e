"""A Secret in clear: a raw one is imported loudly, one that PlainSecret renders stays that construct."""

from __future__ import annotations

from constructs_lib.plain_secret import PlainSecret, PlainSecretProps
from homelab.importing.arrange import Arranger
from tests.conftest import render_one

RAW = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "token", "namespace": "wiki"},
    "stringData": {"TOKEN": "s3cr3t-value"},
}


def test_a_raw_plain_secret_is_kept_annotated_with_a_warning() -> None:
    built = Arranger().app(None, {"home": [RAW]})
    assert built.typed == 0
    assert any("Secret wiki/token" in w and "plain Secret" in w for w in built.warnings)
    assert "Secret wiki/token" in built.fixes


def test_a_secret_plain_secret_renders_stays_a_plain_secret() -> None:
    props = PlainSecretProps(name="motd", namespace="wiki", string_data={"MOTD": "hello"}, why_not_sensitive="a banner")
    obj = render_one(lambda s: PlainSecret(s, "motd", props))
    built = Arranger().app(None, {"home": [obj]})
    assert (built.typed, built.total) == (1, 1)
    assert built.constructs == {"Secret wiki/motd": "PlainSecret"}
    assert built.warnings == [] and built.fixes == {}
