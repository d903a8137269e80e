"""The map's tests: the map lab's repository, the bundled homelab's page, a two-commit repository and its
map since the first commit, and reading the data a page embeds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from homelab.cli import main
from tests.conftest import ROOT

SPEC = "tests.map.map_lab:lab"
SEALED_PLAINTEXT = "sealed-plaintext-never-in-the-map"
"""The value sealed as ``wiki/creds`` ``password`` in the map lab's store."""

_DATA = re.compile(r'<script type="application/json" id="map-data">(.*?)</script>', re.S)


def cli(*args: str) -> int:
    return main(["--homelab", SPEC, *args])


def data_of(page: str) -> dict[str, Any]:
    """The map model a page embeds."""
    found = _DATA.search(page)
    assert found, "the page embeds no map data"
    model: dict[str, Any] = json.loads(found.group(1))
    return model


def entries(model: dict[str, Any], cluster: str) -> dict[str, dict[str, Any]]:
    """The apps of ``cluster`` in ``model``, by name."""
    (found,) = [c for c in model["clusters"] if c["name"] == cluster]
    return {a["name"]: a for g in found["groups"] for a in g["apps"]}


@pytest.fixture
def map_lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rsa_cert: bytes) -> Path:
    """The map lab's root, its certificate recorded and ``wiki/creds`` sealed."""
    monkeypatch.setenv("HOMELAB_TEST_ROOT", str(tmp_path))
    (tmp_path / "cert.pem").write_bytes(rsa_cert)
    assert cli("cert", "home", str(tmp_path / "cert.pem")) == 0
    assert cli("seal", "home", "wiki/creds", "user=bob", f"password={SEALED_PLAINTEXT}") == 0
    return tmp_path


@pytest.fixture(scope="session")
def bundled_page() -> str:
    """The bundled homelab's map page, as ``homelab map`` writes it."""
    sys.path.insert(0, str(ROOT))
    from scripts.map_screenshot import bundled_page

    return bundled_page()


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


CHANGED_APP = "app001"


@pytest.fixture(scope="session")
def since_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The map, since its first commit, of a two-commit repository holding a generated homelab of three apps
    (``scripts/scale_lab.py``) whose second commit grows :data:`CHANGED_APP`'s database."""
    sys.path.insert(0, str(ROOT))
    from scripts.scale_lab import write_lab

    root = tmp_path_factory.mktemp("since")
    _git(root, "init", "-q")
    write_lab(root, 3)
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "first")
    app = root / "lab" / "apps" / f"{CHANGED_APP}.py"
    app.write_text(app.read_text().replace('storage_size="2Gi"', 'storage_size="9Gi"'))
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "grow app001's database")
    out = root / "map.html"
    command = [sys.executable, "-m", "homelab", "--homelab", "lab:HOMELAB", "map", "--since", "HEAD~1"]
    command += ["--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return out.read_text(encoding="utf-8")
