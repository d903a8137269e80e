"""The bundled thomelab sealed store (14 secrets), damaged: refused by every command that reads it and never
rewritten (the language's cases, on stores the seal lab writes, are in tests/sealing/test_damaged_store.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from homelab.engine.pipeline import synthesise
from homelab.sealing.store import DamagedStore
from homelab.sealing.store_format import END
from tests.conftest import ROOT
from tests.sealing import seal_lab
from tests.sealing.conftest import cli
from tests.sealing.test_damaged_store import seal_probe

BUNDLED = ROOT / "clusters" / "sealed" / "thomelab.yaml"


@pytest.fixture
def real_store(root: Path) -> Path:
    """The bundled thomelab store (14 secrets), as the seal lab's, with the certificate it was sealed for."""
    assert cli("cert", "home", str(ROOT / "clusters" / "certs" / "thomelab.pem")) == 0
    path = root / "sealed" / "home.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(BUNDLED.read_text().replace("\ncluster: thomelab\n", "\ncluster: home\n", 1))
    return path


def test_the_bundled_store_ends_with_the_marker_and_reads_whole(real_store: Path) -> None:
    assert BUNDLED.read_text().endswith(f"\n{END}\n")
    assert len(seal_lab.lab().sealed_store(seal_lab.CLUSTER).entries) == 14


def cuts(text: bytes) -> list[int]:
    """Sizes to cut a store at: every 997th byte, every line end (a cut there leaves valid YAML), the marker."""
    ends = [i + 1 for i, byte in enumerate(text) if byte == ord("\n")]
    return sorted({*range(0, len(text), 997), 3000, *ends[:-1], len(text) - len(END) + 3})


def test_a_store_cut_at_any_size_is_refused_and_left_as_it_is(
    real_store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = real_store.read_bytes()
    sizes = cuts(whole)
    assert len(sizes) > 150
    for size in sizes:
        real_store.write_bytes(whole[:size])
        assert seal_probe(monkeypatch) == 1, size
        err = capsys.readouterr().err
        assert "sealed/home.yaml: damaged sealed store: " in err, (size, err)
        assert "restore it with `git checkout -- sealed/home.yaml`" in err
        assert real_store.read_bytes() == whole[:size]
    real_store.write_bytes(whole)
    assert seal_probe(monkeypatch) == 0
    assert len(seal_lab.lab().sealed_store(seal_lab.CLUSTER).entries) == 15


def test_the_issues_cut_names_the_entry_and_the_problem(
    real_store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`truncate -s 3000`: one entry parses, the last ciphertext is cut. Synth refuses it too."""
    whole = real_store.read_bytes()
    real_store.write_bytes(whole[:3000])
    assert seal_probe(monkeypatch) == 1
    assert re.search(
        r"sealed/home.yaml: damaged sealed store: its last line is not `# end of sealed store`: the file was cut "
        r"short or appended to; secrets\[0\] \(argocd/argocd-notifications-secret\): the ciphertext of WEBHOOK_URL "
        r"is not valid base64: \d+ characters, not a multiple of 4 \(cut short\?\)\. Nothing was read from it or "
        r"written to it\. See what changed with `git diff -- sealed/home.yaml`",
        capsys.readouterr().err,
    )
    with pytest.raises(DamagedStore, match=r"secrets\[0\] \(argocd/argocd-notifications-secret\)"):
        synthesise(seal_lab.lab())
    real_store.write_bytes(whole[: whole.index(b"  - namespace: firefly")])  # a cut at an entry's end
    with pytest.raises(DamagedStore, match=r"its last line is not `# end of sealed store`: the file was cut short"):
        synthesise(seal_lab.lab())
    assert cli("seal", "home", "--list") == 1


def test_a_store_from_before_the_marker_is_read_and_gets_it_on_the_next_seal(
    real_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = real_store.read_text().splitlines(keepends=True)
    legacy = "# Sealed store: ciphertexts only, safe to commit. Change it with `python -m homelab seal`.\n"
    real_store.write_text(legacy + "".join(lines[2:-1]))
    assert len(seal_lab.lab().sealed_store(seal_lab.CLUSTER).entries) == 14
    assert seal_probe(monkeypatch) == 0
    text = real_store.read_text()
    assert text.startswith("".join(lines[:2])) and text.endswith(f"\n{END}\n")
    assert len(seal_lab.lab().sealed_store(seal_lab.CLUSTER).entries) == 15
    real_store.write_text(legacy + "".join(lines[2:-1])[:3000])  # without the marker, cut ciphertexts still show
    with pytest.raises(DamagedStore, match="the ciphertext of WEBHOOK_URL is not valid base64"):
        seal_lab.lab().sealed_store(seal_lab.CLUSTER)
