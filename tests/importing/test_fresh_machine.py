"""The README's "Bring your existing homelab" on a fresh machine: ``homelab import`` of a hand-kept tree, then
in the new repository step 4, ``./dev test`` (a fresh .venv installing the language the repository names,
an empty cache, offline); and the schemas of the tree's custom resources, kept in the new repository for that."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from homelab.sealing.crypto import label_for, seal
from homelab.validate.schema_cache import DEFAULT_LOCATION, cached_schema
from tests.fresh_machine import fresh_env, run_steps
from tests.importing.foreign import HTTPS
from tests.importing.public import two_clusters_repo

#: A schema of traefik's IngressRoute (the tree's one custom resource the library has no schema of).
INGRESS_ROUTE = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["routes"],
            "properties": {
                "entryPoints": {"type": "array", "items": {"type": "string"}},
                "routes": {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
                "tls": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            },
        }
    },
}
KEPT = "crd-schemas/traefik.io/ingressroute_v1alpha1.json"


def _tree(root: Path, key: Any) -> Path:
    """Two clusters whose roots are plain folders, a SealedSecret per cluster, a traefik IngressRoute."""
    label = label_for("namespace-wide", "paperless", "paperless")
    return two_clusters_repo(root, {c: seal(key.public_key(), c.encode(), label) for c in ("prod", "dev")})


def _cache_with_ingress_route(cache: Path) -> Path:
    """An XDG cache where ``homelab validate`` once fetched IngressRoute's schema (as on a machine online)."""
    path = cached_schema(DEFAULT_LOCATION, cache / "homelab" / "schemas", "traefik.io/v1alpha1", "IngressRoute")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(INGRESS_ROUTE))
    return cache


@pytest.mark.slow
def test_on_a_fresh_machine_the_imported_repository_passes_its_tests(tmp_path: Path, rsa_key: Any) -> None:
    """Imported with the README's command (the language from where this one was installed, ``homelab init``'s
    default), on a machine that fetched IngressRoute's schema once; then ``./dev test`` offline, cache empty."""
    repo = tmp_path / "homelab-py"
    command = [sys.executable, "-m", "homelab", "import", str(_tree(tmp_path / "tree", rsa_key)), "--repo", HTTPS]
    env = os.environ | {"XDG_CACHE_HOME": str(_cache_with_ingress_route(tmp_path / "cache"))}
    imported = subprocess.run([*command, "--into", str(repo)], env=env, capture_output=True, text=True, timeout=600)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert f"next: cd {repo} && ./dev test" in imported.stdout
    assert json.loads((repo / KEPT).read_text()) == INGRESS_ROUTE
    assert (repo / "clusters/sealed/prod.yaml").is_file() and (repo / "clusters/sealed/dev.yaml").is_file()
    run_steps(repo, fresh_env(tmp_path), [["./dev", "test", "-q"]])


def test_a_custom_resource_without_a_schema_at_hand_is_reported(
    tmp_path: Path, imported: Callable[..., tuple[int, str]], rsa_key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline with nothing cached, nothing is kept and the report says what validate will miss."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(
        "homelab.importing.schemas.DEFAULT_LOCATION", f"file://{tmp_path}/none/{{group}}/{{kind}}_{{version}}.json"
    )
    status, out = imported(_tree(tmp_path / "tree", rsa_key), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert "note: IngressRoute (traefik.io/v1alpha1): no schema at hand (offline?)" in out, out
    assert not (tmp_path / "new" / "crd-schemas").exists()


def test_a_custom_resource_s_schema_in_the_cache_is_kept(
    tmp_path: Path, imported: Callable[..., tuple[int, str]], rsa_key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_with_ingress_route(tmp_path / "cache")))
    status, out = imported(_tree(tmp_path / "tree", rsa_key), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert "note: crd-schemas/: the schemas of 1 custom resource kind(s), for validate offline" in out, out
    assert sorted(
        p.relative_to(tmp_path / "new").as_posix() for p in (tmp_path / "new/crd-schemas").rglob("*.json")
    ) == [KEPT]
