"""A new cluster's first day: synth lists every missing sealed value at once, bootstrap prints the
steps before anything is sealed, and ``homelab seal CLUSTER --missing`` seals them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from homelab.cli import main
from homelab.engine.pipeline import synthesise
from homelab.errors import HomelabError
from homelab.sealing.missing import PLACEHOLDER
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
        synthesise(first_day_lab.lab())
    assert cli("synth") == 1
    assert "3 sealed value(s) missing" in capsys.readouterr().err
    assert not (certified / "dist").exists()  # the placeholders never reach a file
    assert not any(PLACEHOLDER.encode() in p.read_bytes() for p in certified.rglob("*") if p.is_file())


def test_synth_says_a_certificate_is_missing_too(root: Path) -> None:
    with pytest.raises(
        HomelabError,
        match=r"cluster garage \(clusters/sealed/garage.yaml\):\n    \(no sealing certificate yet: "
        r"`homelab bootstrap garage` says how to fetch it with `kubeseal --fetch-cert` and record it with "
        r"`homelab cert garage FILE`\)\n(    .*\n){2}    .*--scope namespace-wide$",
    ):
        synthesise(first_day_lab.lab())


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


class Terminal:
    """Standard input at a terminal (the values come from the patched getpass)."""

    def isatty(self) -> bool:
        return True


def test_seal_missing_asks_for_each_value_then_synth_passes(
    certified: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return VALUES[prompt.split()[1]]

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", ask)
    assert cli("seal", "garage", "--missing") == 0
    assert prompts == [
        "miniflux/miniflux-admin password (not echoed): ",
        "miniflux/miniflux-admin username (not echoed): ",
        "uptime/notify webhook (not echoed): ",
    ]
    assert cli("synth") == 0
    assert cli("seal", "garage", "--missing") == 0  # nothing left to ask
    out = capsys.readouterr()
    assert "every sealed value the declaration needs is sealed" in out.out
    store = (certified / "clusters" / "sealed" / "garage.yaml").read_text()
    assert "namespace-wide" in store and store.count("encryptedData") == 2
    written = b"".join(p.read_bytes() for p in certified.rglob("*") if p.is_file())
    for value in VALUES.values():
        assert value not in out.out + out.err and value.encode() not in written


def test_seal_missing_writes_nothing_when_interrupted(certified: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["pw-Hk27-secret"])

    def ask(prompt: str) -> str:
        for answer in answers:
            return answer
        raise KeyboardInterrupt  # Ctrl-C at the second question

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", ask)
    with pytest.raises(KeyboardInterrupt):
        cli("seal", "garage", "--missing")
    assert not (certified / "clusters" / "sealed").exists()


def test_seal_missing_is_refused_without_a_terminal(certified: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("seal", "garage", "--missing") == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "error: --missing asks for each value at a terminal, without echo, and standard input is not one; "
        "seal each value with its own command instead (it reads the value from standard input):\n"
    )
    assert all(f"  {command}\n" in err for command in COMMANDS)
    with pytest.raises(HomelabError, match=r"give the cluster alone, homelab seal CLUSTER --missing"):
        main(["--traceback", "--homelab", SPEC, "seal", "garage", "miniflux/miniflux-admin", "--missing"])


def test_seal_missing_needs_the_certificate_first(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("seal", "garage", "--missing") == 1
    assert "cluster 'garage' has no certificate at clusters/certs/garage.pem" in capsys.readouterr().err
