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


def bootstrap_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert cli("bootstrap", "garage") == 0
    return capsys.readouterr().out.splitlines()


def in_order(lines: list[str], *wanted: str) -> list[int]:
    """The index of the first line starting with each of ``wanted``; they must come in that order."""
    found = [next((i for i, line in enumerate(lines) if line.startswith(w)), -1) for w in wanted]
    assert -1 not in found, [w for w, i in zip(wanted, found, strict=True) if i == -1]
    assert found == sorted(found), found
    return found


STEPS = (
    "helm upgrade --install sealed-secrets --repo https://bitnami-labs.github.io/sealed-secrets sealed-secrets "
    "--version 2.17.x --namespace kube-system",
    "kubeseal --fetch-cert --controller-namespace kube-system --controller-name sealed-secrets "
    "> clusters/certs/garage.pem",
    "homelab cert garage clusters/certs/garage.pem",
    "#    (paste, then Ctrl-D), or `homelab seal garage --missing` asks for every missing one in turn.",
    "#    Not sealed yet (3):",
    *COMMANDS,
    "homelab synth && git add -A",
    "helm upgrade --install argocd --repo https://argoproj.github.io/argo-helm argo-cd --version 8.x",
    "kubectl apply -k dist/kustomize/clusters/overlays/garage",
)


def test_bootstrap_before_anything_is_sealed_prints_the_steps(
    certified: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = bootstrap_lines(capsys)
    in_order(lines, *STEPS)
    assert "#    clusters/certs/garage.pem is recorded; fetch it again when the controller's key is new." in lines
    assert not (certified / "dist").exists()


def test_bootstrap_with_no_certificate_says_step_2_writes_it(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = bootstrap_lines(capsys)
    first, fetch, *_ = in_order(lines, *STEPS)
    assert lines[fetch - 2 : fetch] == [
        "#    clusters/certs/garage.pem does not exist yet: this writes it.",
        "mkdir -p clusters/certs",
    ]
    # the way to try things before a controller exists comes before step 1
    assert any(line.startswith("#      openssl req -x509") for line in lines[:first])
    assert "#      homelab cert garage sealing.crt" in lines[:first]
