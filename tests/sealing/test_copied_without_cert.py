"""Ciphertexts copied into a sealed store before the cluster's certificate is recorded (`homelab import`,
`homelab seal import`): valid as they are, refused only for sealing new values, adopted by `homelab cert`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa

from homelab import HomelabError
from homelab.engine.pipeline import synthesise
from homelab.sealing.crypto import label_for, seal, unseal
from homelab.sealing.store import SealedStore
from homelab.sealing.store_format import UNKNOWN_CERTIFICATE, copied_entry
from tests.conftest import make_cert
from tests.sealing import seal_lab
from tests.sealing.conftest import cli, entry


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seal lab's repository with no certificate recorded."""
    monkeypatch.setenv("HOMELAB_TEST_ROOT", str(tmp_path))
    return tmp_path


def _sealed_secret(path: Path, key: rsa.RSAPrivateKey) -> dict[str, str]:
    """A SealedSecret manifest of wiki/creds under ``path`` (an ``overlays/home`` directory); its ciphertexts."""
    label = label_for("strict", "wiki", "creds")
    data = {k: seal(key.public_key(), v, label) for k, v in (("user", b"admin"), ("password", b"s3cret"))}
    path.mkdir(parents=True)
    manifest = {
        "apiVersion": "bitnami.com/v1alpha1",
        "kind": "SealedSecret",
        "metadata": {"name": "creds", "namespace": "wiki"},
        "spec": {"encryptedData": data},
    }
    (path / "creds.yaml").write_text(yaml.safe_dump(manifest))
    return data


def test_seal_import_without_a_certificate_copies_and_synth_renders_them(
    bare: Path, rsa_key: rsa.RSAPrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _sealed_secret(bare / "tree/wiki/overlays/home", rsa_key)
    assert cli("seal", "import", str(bare / "tree")) == 0
    assert "(no certificate recorded: copied as they are)" in capsys.readouterr().out
    assert entry(bare) == {
        "namespace": "wiki",
        "name": "creds",
        "scope": "strict",
        "certificate": UNKNOWN_CERTIFICATE,
        "encryptedData": data,
    }
    files = synthesise(seal_lab.lab()).files
    rendered = yaml.safe_load(files["kustomize/wiki/overlays/home/sealedsecret-creds.yaml"])
    assert rendered["spec"]["encryptedData"] == data  # as they were, never decrypted nor resealed


def test_sealing_a_new_value_needs_the_certificate(
    bare: Path, rsa_key: rsa.RSAPrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    _sealed_secret(bare / "tree/wiki/overlays/home", rsa_key)
    cli("seal", "import", str(bare / "tree"))
    capsys.readouterr()
    assert cli("seal", "home", "wiki/creds", "password=new") == 1
    err = capsys.readouterr().err
    assert (
        "cluster 'home' has no certificate at certs/home.pem (the 1 secret(s) sealed/home.yaml holds were copied "
        "with no certificate, as they were sealed: they stay valid; sealing a new value needs the certificate); "
        "fetch it from the cluster with `kubeseal --fetch-cert > certs/home.pem` and record it with "
        "`python -m homelab cert home certs/home.pem`"
    ) in err


def test_recording_the_certificate_adopts_the_copied_ciphertexts(
    bare: Path, rsa_key: rsa.RSAPrivateKey, rsa_cert: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _sealed_secret(bare / "tree/wiki/overlays/home", rsa_key)
    cli("seal", "import", str(bare / "tree"))
    (bare / "cert.pem").write_bytes(rsa_cert)
    capsys.readouterr()
    assert cli("cert", "home", str(bare / "cert.pem")) == 0
    out = capsys.readouterr().out
    assert "wiki/creds: copied with no certificate known, its ciphertexts fit this one: recorded as sealed" in out
    assert "reseal" not in out
    assert entry(bare)["certificate"].startswith("sha256:")
    assert cli("seal", "home", "wiki/creds", "password=new") == 0  # one key, the other kept as it was
    after = entry(bare)["encryptedData"]
    assert after["user"] == data["user"]
    assert unseal(rsa_key, after["password"], label_for("strict", "wiki", "creds")) == b"new"


def test_a_certificate_the_ciphertexts_do_not_fit_is_not_adopted(
    bare: Path, rsa_key: rsa.RSAPrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    _sealed_secret(bare / "tree/wiki/overlays/home", rsa_key)
    cli("seal", "import", str(bare / "tree"))
    other = rsa.generate_private_key(public_exponent=65537, key_size=rsa_key.key_size + 1024)
    (bare / "other.pem").write_bytes(make_cert(other))
    capsys.readouterr()
    assert cli("cert", "home", str(bare / "other.pem")) == 0
    assert "reseal wiki/creds: its ciphertexts do not fit this certificate's key" in capsys.readouterr().out
    assert entry(bare)["certificate"] == UNKNOWN_CERTIFICATE
    assert cli("seal", "home", "wiki/creds", "password=new") == 1
    assert "the certificate it was sealed with is not recorded" in capsys.readouterr().err


def test_a_store_of_copied_entries_round_trips(tmp_path: Path, rsa_key: rsa.RSAPrivateKey) -> None:
    cipher = seal(rsa_key.public_key(), b"v", label_for("strict", "ns", "a"))
    store = SealedStore(cluster="home", path=tmp_path / "home.yaml", fingerprint=None)
    store.entries["ns/a"] = copied_entry("ns", "a", "strict", {"k": cipher}, None)
    store.save()
    loaded = SealedStore.load(cluster="home", path=tmp_path / "home.yaml", fingerprint=None)
    assert loaded.copied() == ["ns/a"]
    assert loaded.sealed_values(namespace="ns", name="a", sealing_scope="strict", keys=("k",)) == {"k": cipher}
    with pytest.raises(ValueError, match=r"the ciphertext of k is"):
        copied_entry("ns", "a", "strict", {"k": "bm90IHNlYWxlZA=="}, None)
    with pytest.raises(HomelabError, match=r"certificate is not sha256: and 64 hexadecimal digits \(or unknown\)"):
        (tmp_path / "home.yaml").write_text((tmp_path / "home.yaml").read_text().replace("unknown", "unknow"))
        SealedStore.load(cluster="home", path=tmp_path / "home.yaml", fingerprint=None)
