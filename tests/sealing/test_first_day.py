"""A new cluster's first day: synth lists every missing sealed value at once, bootstrap prints the
steps before anything is sealed, and ``homelab seal CLUSTER --missing`` seals them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from homelab.cli import main
from homelab.errors import HomelabError
from homelab.sealing.store import PLACEHOLDER
from homelab.synth import Synthesiser
from tests.sealing import first_day_lab

SPEC = "tests.sealing.first_day_lab:lab"
VALUES = {"username": "admin-Zq81", "password": "pw-Hk27-secret", "webhook": "https://hooks.example/Tx93"}
COMMANDS = (
    "homelab seal garage miniflux/miniflux-admin --stdin password",
    "homelab seal garage miniflux/miniflux-admin --stdin username",
    "homelab seal garage uptime/notify --stdin webhook --scope namespace-wide",
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOMELAB_TEST_ROOT", str(tmp_path))
    return tmp_path


@pytest.fixture
def certified(root: Path, rsa_cert: bytes) -> Path:
    """The repository once `kubeseal --fetch-cert > clusters/certs/garage.pem` has run (nothing sealed)."""
    (root / "clusters" / "certs").mkdir(parents=True)
    (root / "clusters" / "certs" / "garage.pem").write_bytes(rsa_cert)
    return root


def cli(*args: str) -> int:
    return main(["--homelab", SPEC, *args])


def test_synth_lists_every_missing_value_at_once_and_writes_nothing(
    certified: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = r"\n".join(rf"    tests/sealing/first_day_lab.py:\d+: {c.split()[3]} {c.split()[5]}: {c}" for c in COMMANDS)
    with pytest.raises(
        HomelabError,
        match=r"^3 sealed value\(s\) missing; nothing was written\. .*`homelab seal CLUSTER --missing`.*\n"
        rf"  cluster garage \(clusters/sealed/garage.yaml\):\n{lines}$",
    ):
        Synthesiser(first_day_lab.lab()).files()
    assert cli("synth") == 1
    assert "3 sealed value(s) missing" in capsys.readouterr().err
    assert not (certified / "dist").exists()  # the placeholders never reach a file
    assert not any(PLACEHOLDER in p.read_text() for p in certified.rglob("*") if p.is_file())


def test_synth_says_a_certificate_is_missing_too(root: Path) -> None:
    with pytest.raises(
        HomelabError,
        match=r"cluster garage \(clusters/sealed/garage.yaml\):\n    \(no sealing certificate yet: "
        r"`homelab bootstrap garage` says how to fetch it with `kubeseal --fetch-cert` and record it with "
        r"`homelab cert garage FILE`\)\n(    .*\n){2}    .*--scope namespace-wide$",
    ):
        Synthesiser(first_day_lab.lab()).files()
