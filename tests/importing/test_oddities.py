"""Repositories with what real hand-kept ones also contain (:mod:`tests.importing.oddities`), imported: each
re-renders identically, and app directories that are not paths of DNS labels become ones (noted)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from homelab.importing.layout_map import new_directories
from homelab.importing.modules import module_names
from tests.importing.foreign import HTTPS
from tests.importing.oddities import generators_repo, kustomize_repo, names_repo, sealed_repo, yaml_repo
from tests.importing.test_foreign_layouts import _proof
from tests.importing.test_public_shapes import _clean

Import = Callable[..., tuple[int, str]]


def test_directories_that_are_not_dns_labels_become_distinct_ones() -> None:
    found = new_directories(["apps/my_app", "apps/my-app", "apps/Nextcloud", "apps/nextcloud", "apps/2048-game"])
    assert found == {
        "apps/my-app": "apps/my-app",
        "apps/nextcloud": "apps/nextcloud",
        "apps/2048-game": "apps/2048-game",
        "apps/Nextcloud": "apps/nextcloud-2",
        "apps/my_app": "apps/my-app-2",
    }


def test_module_names_differ_by_more_than_case() -> None:
    names = module_names(["apps/Nextcloud", "apps/nextcloud"])
    assert sorted(names.values()) == ["apps_nextcloud", "nextcloud"], names


def test_app_directories_named_as_people_name_them(tmp_path: Path, imported: Import) -> None:
    status, out = imported(names_repo(tmp_path / "tree"), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert _proof(out) == (15, 15), out
    assert "apps/my_app: becomes apps/my-app-2/" in out and "apps/Nextcloud: becomes apps/nextcloud-2/" in out, out
    modules = sorted(p.name for p in (tmp_path / "new/clusters/apps").glob("*.py"))
    assert modules == [
        "__init__.py",
        "app_2048_game.py",
        "apps_my_app.py",
        "apps_nextcloud.py",
        "my_app.py",
        "nextcloud.py",
    ]
    _clean(tmp_path / "new")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("build", "identical"),
    [(yaml_repo, 4), (sealed_repo, 5), (kustomize_repo, 4)],
    ids=["yaml", "sealed", "kustomize"],
)
def test_yaml_sealed_secrets_and_kustomize_features_round_trip(
    tmp_path: Path, imported: Import, build: Callable[[Path], Path], identical: int
) -> None:
    status, out = imported(build(tmp_path / "tree"), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert _proof(out) == (identical, identical), out
    _clean(tmp_path / "new")


@pytest.mark.slow
def test_generators_round_trip_their_plain_secret_listed(tmp_path: Path, imported: Import) -> None:
    status, out = imported(generators_repo(tmp_path / "tree"), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert _proof(out) == (4, 5), out
    assert "Secret gen/gen-secret: differs on purpose" in out, out
