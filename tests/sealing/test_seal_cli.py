"""`homelab seal`, `homelab seal import` and `homelab cert`, and the synth-time safety checks."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from homelab import HomelabError
from homelab.engine.pipeline import synthesise
from homelab.sealing.crypto import label_for, seal, unseal
from homelab.sealing.store import SealedStore
from tests.conftest import make_cert
from tests.sealing import seal_lab
from tests.sealing.conftest import SECRET, cli, entry, everything_written, store


def test_seal_key_values_and_decrypt(
    root: Path, rsa_key: rsa.RSAPrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("seal", "home", "wiki/creds", "user=admin", f"password={SECRET}") == 0
    e = entry(root)
    assert e["scope"] == "strict" and e["certificate"].startswith("sha256:")
    assert unseal(rsa_key, e["encryptedData"]["password"], b"wiki/creds") == SECRET.encode()
    out = capsys.readouterr()
    assert "wiki/creds: sealed password, user in sealed/home.yaml" in out.out
    assert SECRET not in out.out + out.err
    assert SECRET not in everything_written(root)


def test_reseal_one_key_keeps_the_others_byte_identical(root: Path) -> None:
    cli("seal", "home", "wiki/creds", "user=admin", "password=one")
    before = entry(root)["encryptedData"]
    cli("seal", "home", "wiki/creds", "password=two")
    after = entry(root)["encryptedData"]
    assert after["user"] == before["user"] and after["password"] != before["password"]


def test_from_env_file_from_file_and_stdin(
    root: Path, rsa_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = root / "creds.env"
    env.write_text(f"# comment\nexport user='admin'\npassword=\"{SECRET}\"\n")
    binary = root / "key.bin"
    binary.write_bytes(bytes(range(256)))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"from stdin\n")))
    assert (
        cli(
            "seal",
            "home",
            "wiki/creds",
            "--from-env-file",
            str(env),
            "--from-file",
            f"blob={binary}",
            "--stdin",
            "token",
        )
        == 0
    )
    data = entry(root)["encryptedData"]
    label = label_for("strict", "wiki", "creds")
    assert unseal(rsa_key, data["user"], label) == b"admin"
    assert unseal(rsa_key, data["password"], label) == SECRET.encode()
    assert unseal(rsa_key, data["blob"], label) == bytes(range(256))
    assert unseal(rsa_key, data["token"], label) == b"from stdin"  # exactly one trailing newline dropped


def test_scope_and_remove(root: Path, rsa_key: rsa.RSAPrivateKey, capsys: pytest.CaptureFixture[str]) -> None:
    cli("seal", "home", "wiki/creds", "user=a", "password=b")
    assert cli("seal", "home", "wiki/creds", "--scope", "namespace-wide", "user=a") == 1
    assert (
        "its scope changes from strict to namespace-wide, so every key must be resealed; also give values for: password"
        in capsys.readouterr().err
    )
    assert cli("seal", "home", "wiki/creds", "--scope", "namespace-wide", "user=a", "password=b") == 0
    e = entry(root)
    assert e["scope"] == "namespace-wide" and unseal(rsa_key, e["encryptedData"]["user"], b"wiki") == b"a"
    assert cli("seal", "home", "wiki/creds", "--remove", "user") == 0
    assert list(entry(root)["encryptedData"]) == ["password"]
    assert cli("seal", "home", "wiki/creds", "--remove", "nope") == 1
    assert "--remove: no such key in wiki/creds (keys: password; the argument is not shown" in capsys.readouterr().err
    assert cli("seal", "home", "wiki/creds", "--remove", "password") == 0
    assert store(root)["secrets"] == []


def test_malformed_arguments_never_echo_the_value(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("seal", "home", "wiki/creds", SECRET) == 1
    err = capsys.readouterr().err
    assert "value argument 1 is not KEY=VALUE (not shown: it may be a secret)" in err and SECRET not in err
    env = root / "bad.env"
    env.write_text(f"{SECRET}\n")
    assert cli("seal", "home", "wiki/creds", "--from-env-file", str(env)) == 1
    err = capsys.readouterr().err
    assert "expected KEY=VALUE (the line is not shown" in err and SECRET not in err
    assert cli("seal", "home", "creds", "a=b") == 1
    assert "name the secret as NAMESPACE/NAME" in capsys.readouterr().err


def test_plaintext_never_reaches_git(root: Path) -> None:
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    cli("seal", "home", "wiki/creds", "user=admin", "password=first")
    subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-qm", "store"], check=True)
    cli("seal", "home", "wiki/creds", f"password={SECRET}")
    diff = subprocess.run(["git", "-C", str(root), "diff"], capture_output=True, text=True, check=True).stdout
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert SECRET not in diff
    assert [line.split(":")[0].strip("+- ") for line in changed] == ["password", "password"]


def test_expired_and_non_rsa_certificates_are_refused(
    root: Path, rsa_key: rsa.RSAPrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    expired = root / "expired.pem"
    expired.write_bytes(make_cert(rsa_key, days=1, not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
    assert cli("cert", "home", str(expired)) == 1
    assert "the certificate expired on 2020-01-02" in capsys.readouterr().err
    ec_cert = root / "ec.pem"
    ec_cert.write_bytes(make_cert(ec.generate_private_key(ec.SECP256R1())))
    assert cli("cert", "home", str(ec_cert)) == 1
    assert "not RSA; the sealed-secrets controller only seals with RSA keys" in capsys.readouterr().err
    garbage = root / "garbage.pem"
    garbage.write_text("hello")
    assert cli("cert", "home", str(garbage)) == 1
    assert "not a PEM X.509 certificate" in capsys.readouterr().err


def test_new_certificate_lists_secrets_to_reseal(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli("seal", "home", "wiki/creds", "user=a", "password=b")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (root / "new.pem").write_bytes(make_cert(other))
    capsys.readouterr()
    assert cli("cert", "home", str(root / "new.pem")) == 0
    assert "reseal wiki/creds: it was sealed with the previous certificate" in capsys.readouterr().out
    with pytest.raises(
        HomelabError,
        match=r"wiki/creds was sealed with certificate sha256:.*reseal every key: homelab seal home wiki/creds --stdin user; homelab seal home wiki/creds --stdin password",
    ):
        synthesise(seal_lab.lab())


def test_synth_uses_the_store(root: Path) -> None:
    cli("seal", "home", "wiki/creds", "user=a", "password=b")
    files = synthesise(seal_lab.lab()).files
    sealed = yaml.safe_load(files["kustomize/wiki/overlays/home/sealedsecret-creds.yaml"])
    assert sealed["spec"]["encryptedData"] == entry(root)["encryptedData"]


def test_synth_names_the_missing_seal_command(root: Path) -> None:
    with pytest.raises(
        HomelabError,
        match=r"2 sealed value\(s\) missing; nothing was written.*\n  cluster home \(sealed/home.yaml\):\n"
        r"    tests/sealing/seal_lab.py:\d+: wiki/creds password: homelab seal home wiki/creds --stdin password\n"
        r"    tests/sealing/seal_lab.py:\d+: wiki/creds user: homelab seal home wiki/creds --stdin user$",
    ):
        synthesise(seal_lab.lab())
    cli("seal", "home", "wiki/creds", "user=a")
    with pytest.raises(
        HomelabError,
        match=r"1 sealed value\(s\) missing.*\n.*\n.*wiki/creds password: homelab seal home wiki/creds --stdin password$",
    ):
        synthesise(seal_lab.lab())


def test_synth_refuses_a_scope_mismatch_and_extra_keys(root: Path) -> None:
    cli("seal", "home", "wiki/creds", "--scope", "cluster-wide", "user=a", "password=b")
    with pytest.raises(HomelabError, match=r"wiki/creds was sealed with scope 'cluster-wide' but is declared 'strict'"):
        synthesise(seal_lab.lab())
    cli("seal", "home", "wiki/creds", "--scope", "strict", "user=a", "password=b", "extra=c")
    with pytest.raises(HomelabError, match=r"sealed keys the construct does not declare: extra.*--remove extra"):
        synthesise(seal_lab.lab())


def test_import_sealed_secret_manifests(
    root: Path, rsa_key: rsa.RSAPrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = root / "tree" / "wiki" / "overlays" / "home"
    tree.mkdir(parents=True)
    user, password, other = (seal(rsa_key.public_key(), value, b"wiki") for value in (b"u", b"p", b"o"))
    (tree / "s.yaml").write_text(
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: creds\n  namespace: wiki\n"
        "  annotations:\n    sealedsecrets.bitnami.com/namespace-wide: 'true'\n"
        f"spec:\n  encryptedData:\n    user: {user}\n    password: {password}\n---\nkind: ConfigMap\n"
    )
    assert cli("seal", "import", str(root / "tree")) == 0
    assert "imported home: wiki/creds (password, user)" in capsys.readouterr().out
    assert entry(root) | {"certificate": "x"} == {
        "namespace": "wiki",
        "name": "creds",
        "scope": "namespace-wide",
        "certificate": "x",
        "encryptedData": {"password": password, "user": user},
    }
    (tree / "s.yaml").write_text((tree / "s.yaml").read_text().replace(user, other))
    assert cli("seal", "import", str(root / "tree")) == 1
    assert "already in sealed/home.yaml with other values; pass --replace" in capsys.readouterr().err
    assert cli("seal", "import", "--replace", str(root / "tree")) == 0


def test_import_needs_a_cluster(root: Path, rsa_key: rsa.RSAPrivateKey, capsys: pytest.CaptureFixture[str]) -> None:
    loose = root / "loose.yaml"
    value = seal(rsa_key.public_key(), b"v", b"b/a")
    loose.write_text(
        f"kind: SealedSecret\nmetadata: {{name: a, namespace: b}}\nspec: {{encryptedData: {{k: {value}}}}}\n"
    )
    assert cli("seal", "import", str(loose)) == 1
    assert "cannot tell which cluster it is sealed for" in capsys.readouterr().err
    assert cli("seal", "import", "--cluster", "home", str(loose)) == 0


def test_store_rejects_a_broken_file(root: Path) -> None:
    (root / "sealed").mkdir(exist_ok=True)
    (root / "sealed" / "home.yaml").write_text("cluster: home\nsecrets:\n  - name: x\n")
    with pytest.raises(
        HomelabError,
        match=r"sealed/home.yaml: damaged sealed store: secrets\[0\]: missing namespace, scope, certificate, encryptedData",
    ):
        SealedStore.load(cluster="home", path=root / "sealed" / "home.yaml", fingerprint=None, label="sealed/home.yaml")


def test_renamed_secret_points_at_the_old_entry(root: Path) -> None:
    cli("seal", "home", "wiki/old-creds", "user=a", "password=b")
    with pytest.raises(
        HomelabError,
        match=r"no sealed values for wiki/creds .*sealed for wiki/old-creds: a strict secret cannot be renamed",
    ):
        synthesise(seal_lab.lab())
