"""Sealing never echoes or drops a secret: malformed arguments, empty values, stdin, hints, orphans, and
eight `homelab seal` processes at once on one secret."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa

from constructs_lib.errors import PropsError
from homelab.sealing.crypto import label_for, unseal
from homelab.sealing.store import SealedStore
from tests.conftest import ROOT
from tests.sealing.conftest import SPEC, cli, entry, everything_written

PLAINTEXT = "hunter2-do-not-print"


def git_diff(root_dir: Path) -> str:
    subprocess.run(["git", "init", "-q", str(root_dir)], check=True, capture_output=True)
    subprocess.run(["git", "-C", str(root_dir), "add", "-A"], check=True, capture_output=True)
    return subprocess.run(["git", "-C", str(root_dir), "diff", "--cached"], capture_output=True, text=True).stdout


@pytest.mark.parametrize(
    "args",
    [
        ["seal", "home", f"ADMIN_PASSWORD={PLAINTEXT}"],  # NAMESPACE/NAME forgotten
        ["seal", f"ADMIN_PASSWORD={PLAINTEXT}"],  # cluster and name forgotten
        ["seal", "home", "wiki/creds", PLAINTEXT],  # not KEY=VALUE
        ["seal", "home", "wiki/creds", f"pass word={PLAINTEXT}"],  # a bad key
    ],
)
def test_malformed_arguments_never_echo_the_value(
    root: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(*args) == 1
    out = capsys.readouterr()
    assert PLAINTEXT not in out.out + out.err, out.err
    assert PLAINTEXT not in everything_written(root) and PLAINTEXT not in git_diff(root)


def test_empty_values_are_refused_unless_allowed(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("seal", "home", "wiki/creds", "user=") == 1
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert cli("seal", "home", "wiki/creds", "--stdin", "user") == 1
    assert not (root / "sealed" / "home.yaml").exists()
    assert cli("seal", "home", "wiki/creds", "user=", "--allow-empty") == 0
    assert set(entry(root)["encryptedData"]) == {"user"}


def test_stdin_at_a_terminal_asks_without_echo(
    root: Path, monkeypatch: pytest.MonkeyPatch, rsa_key: rsa.RSAPrivateKey
) -> None:
    asked = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PLAINTEXT)
    assert cli("seal", "home", "wiki/creds", "--stdin", "password") == 0
    assert asked == ["password (not echoed): "]
    assert unseal(rsa_key, entry(root)["encryptedData"]["password"], b"wiki/creds") == PLAINTEXT.encode()


def test_hints_use_stdin_and_the_scope_the_secret_needs(tmp_path: Path) -> None:
    store = SealedStore(cluster="home", path=tmp_path / "s.yaml", fingerprint="sha256:x")
    with pytest.raises(PropsError) as caught:
        store.sealed_values(namespace="wiki", name="creds", scope="namespace-wide", keys=("user",))
    assert "homelab seal home wiki/creds --stdin user --scope namespace-wide" in str(caught.value)
    assert "=VALUE" not in str(caught.value)


def test_orphaned_entries_are_warned_about_and_listed(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("seal", "home", "wiki/creds", "user=a", "password=b") == 0
    assert cli("seal", "home", "wiki/old-creds", "token=c") == 0
    capsys.readouterr()
    assert cli("synth", "--dist", str(root / "dist")) == 0
    err = capsys.readouterr().err
    assert "warning: sealed/home.yaml: wiki/old-creds is sealed but no SealedConfig uses it" in err
    assert "homelab seal home wiki/old-creds --remove token" in err
    assert cli("seal", "home", "--list") == 0
    out = capsys.readouterr().out
    assert "wiki/creds (strict; password, user): used" in out
    assert "wiki/old-creds (strict; token): ORPHANED" in out


def test_eight_concurrent_seals_of_one_secret_keep_every_key(root: Path, rsa_key: rsa.RSAPrivateKey) -> None:
    env = {**os.environ, "HOMELAB_TEST_ROOT": str(root)}

    def seal(n: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "homelab", "--homelab", SPEC, "seal", "home", "wiki/creds", "--stdin", f"key{n}"],
            input=f"value-{n}\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )

    with ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(seal, range(8)))
    assert [r.returncode for r in runs] == [0] * 8, [r.stderr for r in runs]
    data = yaml.safe_load((root / "sealed" / "home.yaml").read_text())["secrets"][0]["encryptedData"]
    assert sorted(data) == [f"key{n}" for n in range(8)]
    label = label_for("strict", "wiki", "creds")
    assert all(unseal(rsa_key, data[f"key{n}"], label) == f"value-{n}".encode() for n in range(8))
