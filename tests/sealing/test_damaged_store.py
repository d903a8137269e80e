"""A damaged sealed store is refused by every command that reads it and never rewritten; a killed
seal's temporary file is ignored by git and removed by the next seal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from homelab.engine.pipeline import synthesise
from homelab.errors import HomelabError
from homelab.sealing.store import DamagedStore, SealedStore
from homelab.sealing.store_format import END
from tests.conftest import ROOT
from tests.sealing import seal_lab
from tests.sealing.conftest import SPEC, cli


def seal_probe(monkeypatch: pytest.MonkeyPatch) -> int:
    """What the issue ran on a cut store: ``homelab seal CLUSTER probe/x --stdin K``."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"v\n")))
    return cli("seal", "home", "probe/x", "--stdin", "K")


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


WRONG = [
    (lambda t: edit(t, "cluster: home", "cluster: [home]"), r"it is the store of cluster \['home'\], not of 'home'"),
    (lambda t: edit(t, "cluster: home", "cluster: vps"), r"it is the store of cluster 'vps', not of 'home'"),
    (lambda t: edit(t, "cluster: home\nsecrets:", "- cluster: home\n- secrets:"), "found a list"),
    (lambda t: edit(t, "cluster: home\n", "cluster: home\nversion: 2\n"), "found keys 'cluster', 'version', 'secrets'"),
    (
        lambda t: edit(t, "secrets:\n  - namespace", "secrets: []\nx:\n  - namespace"),
        "found keys 'cluster', 'secrets', 'x'",
    ),
    (lambda t: t.split("secrets:")[0] + f"secrets: 7\n{END}\n", r"'secrets' is a number, not a list"),
    (lambda t: t.split("secrets:")[0] + f"secrets:\n{END}\n", r"'secrets' is empty, not a list"),
    (
        lambda t: edit(t, "  - namespace: wiki", "  - wiki/creds\n  - namespace: wiki"),
        r"secrets\[0\]: expected a mapping",
    ),
    (lambda t: edit(t, "scope: strict", "scope: strictly"), r"\(wiki/creds\): scope 'strictly' is not one of"),
    (lambda t: edit(t, "scope: strict", "scope: strict\n    scpoe: strict"), r"unknown scpoe \(the fields are"),
    (lambda t: edit(t, "    scope: strict\n", ""), r"secrets\[0\] \(wiki/creds\): missing scope"),
    (lambda t: edit(t, "name: creds", "name: Creds"), r"namespace and name must be Kubernetes names"),
    (lambda t: edit(t, "name: creds", "name: 7"), r"namespace and name must be Kubernetes names"),
    (lambda t: edit(t, "certificate: sha256:", "certificate: sha1:"), "certificate is not sha256: and 64 hexadecimal"),
    (lambda t: edit(t, "      user: ", "      us er: "), "encryptedData has a key that is not a Secret key"),
    (lambda t: edit(t, "      user: ", "      user: 12\n      other: "), r"the ciphertext of user is a number, not a"),
    (lambda t: edit(t, "      user: ", "      password: "), r"not valid YAML \(line 11: key 'password' appears twice"),
    (lambda t: t.split("      password:")[0] + f"{END}\n", r"\(wiki/creds\): encryptedData is empty, not a mapping"),
    (lambda t: edit(t, "    name: creds\n", "    name: x\n    name: creds\n"), "key 'name' appears twice"),
    (lambda t: t + "---\ncluster: home\n", "last line is not `# end of sealed store`.*; not valid YAML"),
    (lambda t: t + "# appended\n", r"its last line is not `# end of sealed store`: the file was cut short or appended"),
    (lambda t: t.rpartition(END)[0] + END[:-1] + "\n", r"its last line is not `# end of sealed store`"),
    (lambda t: t[: -len(END) - 1], r"its last line is not `# end of sealed store`"),
    (lambda t: edit(t, "      user: A", "      user: B"), r"sealed for a \d+-bit RSA key, not for the certificate's"),
    (
        lambda t: edit(t, "      user: A", "      user: A!"),
        r"the ciphertext of user is not valid base64 \(a character",
    ),
    (
        lambda t: edit(t, "      user: A", "      user: "),
        r"the ciphertext of user is not valid base64: \d+ characters",
    ),
]


@pytest.mark.parametrize(("damage", "problem"), WRONG)
def test_a_store_edited_into_the_wrong_shape_is_refused_and_left_as_it_is(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, damage: object, problem: str
) -> None:
    assert cli("seal", "home", "wiki/creds", "user=a", "password=b") == 0
    path = root / "sealed" / "home.yaml"
    damaged = damage(path.read_text())  # type: ignore[operator]
    path.write_text(damaged)
    capsys.readouterr()
    assert seal_probe(monkeypatch) == 1
    err = capsys.readouterr().err
    assert "error: sealed/home.yaml: damaged sealed store: " in err
    with pytest.raises(DamagedStore, match=problem):
        seal_lab.lab().sealed_store(seal_lab.CLUSTER)
    with pytest.raises(DamagedStore):
        synthesise(seal_lab.lab())
    assert path.read_text() == damaged


def test_a_duplicate_secret_is_named_by_both_entries(root: Path) -> None:
    assert cli("seal", "home", "wiki/creds", "user=a", "password=b") == 0
    path = root / "sealed" / "home.yaml"
    text = path.read_text()
    entry = text[text.index("  - namespace") : text.rindex(END)]
    path.write_text(text.rpartition(END)[0] + entry + END + "\n")
    with pytest.raises(DamagedStore, match=r"secrets\[0\] and secrets\[1\] are both wiki/creds"):
        SealedStore.load(cluster="home", path=path, fingerprint=None, label="sealed/home.yaml")


def test_a_cert_change_reads_the_store_before_writing_anything(root: Path, rsa_cert: bytes) -> None:
    assert cli("seal", "home", "wiki/creds", "user=a") == 0
    store, cert = root / "sealed" / "home.yaml", root / "certs" / "home.pem"
    store.write_text(store.read_text()[:-30])
    before = cert.read_bytes()
    (root / "new.pem").write_bytes(rsa_cert)
    assert cli("cert", "home", str(root / "new.pem")) == 1
    assert cert.read_bytes() == before


# -- Temporary files ---------------------------------------------------------------------------------------


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_killed_seal_leaves_a_temporary_file_git_ignores_and_the_next_seal_removes(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("seal", "home", "wiki/creds", "user=a") == 0
    store = root / "sealed" / "home.yaml"
    before = store.read_bytes()
    killed = subprocess.run(  # killed after writing the temporary file, before renaming it over the store
        [sys.executable, "-m", "homelab", "--homelab", SPEC, "seal", "home", "wiki/creds", "--stdin", "password"],
        input=b"b\n",
        env={**os.environ, "HOMELAB_TEST_ROOT": str(root), "HOMELAB_FAULT_AT": "2"},
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr
    (left,) = store.parent.glob(".home.yaml.tmp-*")
    assert store.read_bytes() == before
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", f"clusters/sealed/{left.name}"])
    assert ignored.returncode == 0
    live = store.parent / f".home.yaml.tmp-{os.getppid()}"  # a writer still running: not touched
    live.write_text("in progress")
    stale = store.parent / f".home.yaml.tmp-{dead_pid()}"
    stale.write_text("killed")
    assert seal_probe(monkeypatch) == 0
    assert sorted(p.name for p in store.parent.iterdir()) == sorted(["home.yaml", live.name])


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_a_deleted_store_git_tracks_is_refused_not_recreated(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`rm sealed/home.yaml` then a seal: before, a one-entry store silently replaced the deleted one."""
    assert cli("seal", "home", "wiki/creds", "user=a", "password=b") == 0
    store = root / "sealed" / "home.yaml"
    git(root, "init", "-q")
    git(root, "add", "sealed/home.yaml")
    store.unlink()
    assert seal_probe(monkeypatch) == 1
    err = capsys.readouterr().err
    assert "sealed/home.yaml: the sealed store is missing, but git tracks it" in err
    assert "Nothing was written. Restore it with `git checkout -- sealed/home.yaml`" in err
    assert not store.exists()
    with pytest.raises(HomelabError, match=r"sealed/home.yaml: the sealed store is missing, but git tracks it"):
        seal_lab.lab().sealed_store(seal_lab.CLUSTER)
    git(root, "checkout", "--", "sealed/home.yaml")
    assert seal_probe(monkeypatch) == 0
    assert len(seal_lab.lab().sealed_store(seal_lab.CLUSTER).entries) == 2


def test_a_missing_store_git_does_not_track_is_a_new_one(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(root, "init", "-q")  # a repository that never had the store; outside one, the other tests seal into none
    assert not (root / "sealed" / "home.yaml").exists()
    assert seal_probe(monkeypatch) == 0
    assert len(seal_lab.lab().sealed_store(seal_lab.CLUSTER).entries) == 1
