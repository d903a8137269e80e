"""The sealing tests' repository: a temporary one with the seal lab's certificate recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from homelab.cli import main

SPEC = "tests.sealing.seal_lab:lab"
SECRET = "correct-horse-battery-staple"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rsa_cert: bytes) -> Path:
    monkeypatch.setenv("HOMELAB_TEST_ROOT", str(tmp_path))
    (tmp_path / "cert.pem").write_bytes(rsa_cert)
    assert cli("cert", "home", str(tmp_path / "cert.pem")) == 0
    return tmp_path


def cli(*args: str) -> int:
    return main(["--homelab", SPEC, *args])


def store(root: Path) -> dict:
    return yaml.safe_load((root / "sealed" / "home.yaml").read_text())


def entry(root: Path, ref: str = "wiki/creds") -> dict:
    (found,) = [e for e in store(root)["secrets"] if f"{e['namespace']}/{e['name']}" == ref]
    return found


def everything_written(root: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in root.rglob("*") if p.is_file())
