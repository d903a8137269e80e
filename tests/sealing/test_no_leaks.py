"""Sealing never echoes or drops a secret: malformed arguments (every misuse, against stdout, stderr, the
files and git; a property over values made of the separators misuses split at), empty values, stdin,
hints, orphans, and eight `homelab seal` processes at once on one secret."""

from __future__ import annotations

import io
import os
import string
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
        store.sealed_values(namespace="wiki", name="creds", sealing_scope="namespace-wide", keys=("user",))
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


# -- Every misuse, against stdout, stderr, the files and git ------------------------------------------------

VALUE = "Hq7unter2: Zv9=Wk3 'x\"y"
"""A value with the separators a misuse splits at; no message, file or diff may hold any of its parts."""
PARTS = ("Hq7unter2", "Zv9", "Wk3")


@pytest.fixture
def committed(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seal lab with one secret sealed, committed to git (the lock file ignored, as in the project)."""
    assert cli("seal", "home", "wiki/creds", "user=a", "password=b") == 0
    (root / ".gitignore").write_text("/.homelab.lock\n")
    git = ["git", "-C", str(root), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "sealed"], check=True)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``homelab ARGS`` in this process: its exit code and everything it printed (argparse exits)."""
    try:
        code = cli(*args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}


def env_file(tmp_path_factory: pytest.TempPathFactory, text: str) -> str:
    """An env file outside the repository (the user's own, never part of what is written)."""
    path = tmp_path_factory.mktemp("env") / "creds.env"
    path.write_text(text)
    return str(path)


MISUSES: list[tuple[list[str], str]] = [
    (["seal", "home", "wiki/creds", "--stdin", f"PASSWORD={VALUE}"], "the --stdin argument is not a valid Secret key"),
    (["seal", "home", "wiki/creds", "--remove", f"PASSWORD={VALUE}"], "--remove argument 1 is not a valid Secret key"),
    (["seal", "home", "wiki/creds", "--remove", "Hq7unter2"], "--remove: no such key in wiki/creds (keys: "),
    (["seal", "home", "wiki/creds", "--remove", "user", "--remove", "Hq7unter2"], "--remove argument 2: no such key"),
    (["seal", "home", "wiki/creds", f"PASSWORD: {VALUE}"], "the part before '=' of value argument 1 is not a valid"),
    (["seal", "home", "wiki/creds", "--from-file", f"password={VALUE}"], "--from-file argument 1 (KEY=PATH): no file"),
    (["seal", "home", "wiki/creds", "--from-file", "Hq7unter2"], "--from-file argument 1 is not KEY=PATH"),
    (["seal", "home", "wiki/creds", "--from-env-file", f"PASSWORD={VALUE}"], "--from-env-file argument 1: no file"),
    (["seal", "home", "wiki/creds", f"--password={VALUE}"], "unknown option --password=…"),  # a space: positional
    (["seal", "home", "wiki/creds", "--password=Hq7unter2"], "unrecognized arguments: --password=…"),
    (["seal", "home", "wiki/creds", f"--list={VALUE}"], "argument --list: ignored explicit argument '…'"),
    (["seal", "home", "wiki/creds", f"--scope={VALUE}"], "argument --scope: invalid choice: '…' (choose from"),
    (["seal", "home", "wiki/creds", f"--sc={VALUE}"], "argument --scope: invalid choice: '…'"),
    (["seal", "home", "wiki/creds", "--scope", VALUE], "argument --scope: invalid choice: '…'"),
    (["seal", "home", "wiki/creds", f"--s={VALUE}"], "ambiguous option: --s=… could match --stdin, --scope"),
    (["seal", "home", "wiki/creds", f"-h{VALUE}"], "argument -h/--help: ignored explicit argument '…'"),
    (["seal", "home", "wiki/creds", f"-p{VALUE}"], "unknown option -p…"),
    (["seal", "home", "wiki/creds", "-pHq7unter2"], "unrecognized arguments: -p…"),
    (["seal", "home", "wiki/creds", "user=a", "Hq7unter2"], "value argument 2 is not KEY=VALUE (not shown"),
    (["seal", VALUE, "wiki/creds", "--stdin", "user"], "the CLUSTER argument looks like KEY=VALUE"),
    (["seal", "Hq7unter2", "wiki/creds", "--stdin", "user"], "the CLUSTER argument names no cluster of this homelab"),
    (["seal", "Hq7unter2", "--list"], "the CLUSTER argument names no cluster"),
    (["seal", "home", "Hq7unter2", "--stdin", "user"], "the NAMESPACE/NAME argument is not a secret's namespace"),
    (["seal", "home", "wiki/Hq7unter2", "--stdin", "user"], "the NAMESPACE/NAME argument is not"),
    (["seal", "home", f"wiki/{VALUE}", "--stdin", "user"], "the NAMESPACE/NAME argument looks like KEY=VALUE"),
    (["seal", "import", f"PASSWORD={VALUE}"], "PATH argument 1: no such file or directory (not shown"),
    (["seal", "import", "--cluster", "Hq7unter2", "sealed/home.yaml"], "--cluster names no cluster"),
    (["cert", "Hq7unter2", "certs/home.pem"], "the CLUSTER argument names no cluster"),
    (["cert", "home", f"cert={VALUE}"], "the PEM argument: no file at the path given"),
    (["synth", f"--cluster={VALUE}", "--bogus=Wk3"], "unrecognized arguments: --bogus=…"),
    (["Hq7unter2"], "}: invalid choice: '…' (choose from 'synth'"),
]


@pytest.mark.parametrize(("args", "message"), MISUSES)
def test_no_misuse_repeats_a_value(
    committed: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(committed)  # relative paths in MISUSES name the lab's files
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"typed value\n")))
    before = files(committed)
    code, printed = run(capsys, *args)
    assert code in (1, 2) and message in printed, printed
    assert not [part for part in PARTS if part in printed], printed
    after = files(committed)
    assert {k: v for k, v in after.items() if k != ".homelab.lock"} == {
        k: v for k, v in before.items() if k != ".homelab.lock"
    }
    assert not [part for part in PARTS if part.encode() in after.get(".homelab.lock", b"")]
    git = ["git", "-C", str(committed)]
    assert subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout == ""
    assert subprocess.run([*git, "diff"], capture_output=True, text=True, check=True).stdout == ""


@pytest.mark.parametrize(
    "line",
    [f"PASSWORD: {VALUE}", f"PASSWORD: {VALUE}=", f"export PASS WORD={VALUE}", f"{VALUE}", f"'PASSWORD'={VALUE}"],
)
def test_no_bad_env_file_line_repeats_a_value(
    committed: Path, capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory, line: str
) -> None:
    before = files(committed)
    path = env_file(tmp_path_factory, f"user=admin\n{line}\n")
    code, printed = run(capsys, "seal", "home", "wiki/creds", "--from-env-file", path)
    assert code == 1 and f"{path}:2: " in printed, printed
    assert "not a valid Secret key" in printed or "expected KEY=VALUE (the line is not shown" in printed
    assert not [part for part in PARTS if part in printed], printed
    assert files(committed) == before


_SEGMENT = st.text(alphabet=string.ascii_letters + string.digits, min_size=2, max_size=8).map(lambda s: "Xq" + s)
_SEPARATOR = st.sampled_from(["=", ":", " ", "\n", "\t", ": ", "'", '"', "=="])


@st.composite
def values(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A value made of distinctive segments joined by the separators misuses split at; and its segments."""
    segments = draw(st.lists(_SEGMENT, min_size=1, max_size=4))
    text = segments[0]
    for segment in segments[1:]:
        text += draw(_SEPARATOR) + segment
    return draw(st.sampled_from(["", "=", ": "])) + text + draw(st.sampled_from(["", "=", "\n"])), segments


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=values(), template=st.integers(0, 8))
def test_property_no_part_of_a_value_is_ever_printed_or_written(
    committed: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path_factory: pytest.TempPathFactory,
    value: tuple[str, list[str]],
    template: int,
) -> None:
    text, segments = value
    args = [
        ["seal", "home", "wiki/creds", "--stdin", f"KEY={text}"],
        ["seal", "home", "wiki/creds", "--remove", f"KEY={text}"],
        ["seal", "home", "wiki/creds", f"KEY: {text}=x"],
        ["seal", "home", "wiki/creds", "--from-file", f"key={text}"],
        ["seal", "home", "wiki/creds", f"--password={text}"],
        ["seal", "home", "wiki/creds", f"--scope={text}"],
        ["seal", text, "wiki/creds", "--stdin", "user"],
        ["seal", "home", text, "--stdin", "user"],
        ["seal", "home", "wiki/creds", "--from-env-file", env_file(tmp_path_factory, f"PASS: {text}=\n")],
    ][template]
    before = files(committed)
    code, printed = run(capsys, *args)
    assert code in (1, 2)
    assert not [s for s in segments if s in printed], printed
    assert files(committed) == before
