"""Schemas out of the box, the kubeconform way: fetched from a schema location on first use, kept in a
cache, read from there afterwards; offline with an empty cache, one clear finding instead of one per object.
The location here is a local HTTP server on 127.0.0.1 serving the tests' own CRD schemas."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from homelab.validate import Finding, ValidateOptions, validate
from tests.validate import crd_schemas, minitree


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """(location template, paths requested) of a schema server on 127.0.0.1."""
    root = crd_schemas.write(tmp_path / "served")
    requested: list[str] = []

    class Recording(Quiet):
        def do_GET(self) -> None:
            requested.append(self.path)
            super().do_GET()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Recording, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/{{group}}/{{kind}}_{{version}}.json", requested
    finally:
        httpd.shutdown()
        httpd.server_close()


def run(tree: Path, location: str, cache: Path) -> list[Finding]:
    options = ValidateOptions(
        tree=tree,
        repos={minitree.REPO},
        builtin_storage_classes={"home": {"longhorn"}},
        schema_locations=[location],
        schema_cache=cache,
    )
    return validate(options).unique()


def test_fetched_once_then_read_from_the_cache(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    location, requested = server
    tree, cache = minitree.write(tmp_path), tmp_path / "cache"
    assert run(tree, location, cache) == []
    assert sorted(requested) == [
        "/argoproj.io/application_v1alpha1.json",
        "/argoproj.io/appproject_v1alpha1.json",
        "/bitnami.com/sealedsecret_v1alpha1.json",
        "/postgresql.cnpg.io/cluster_v1.json",
    ]
    assert len(list(cache.rglob("*.json"))) == 4
    requested.clear()
    assert run(tree, location, cache) == [] and requested == []  # served from the cache


def test_offline_the_library_kinds_are_checked_against_its_packaged_schemas(tmp_path: Path) -> None:
    unreachable = "http://127.0.0.1:9/{group}/{kind}_{version}.json"  # the discard port: refused at once
    tree = minitree.write(tmp_path)
    assert run(tree, unreachable, tmp_path / "empty-cache") == []
    # The packaged schema is really read: a field the Application CRD does not have is refused.
    chart = tree / "wiki/overlays/home/chart.yaml"
    chart.write_text(chart.read_text().replace("  project: wiki", "  project: wiki\n  projekt: wiki"))
    (f,) = run(tree, unreachable, tmp_path / "empty-cache")
    assert f.check == "schema" and "projekt" in f.message


def test_offline_with_an_empty_cache_is_one_clear_finding(tmp_path: Path) -> None:
    unreachable = "http://127.0.0.1:9/{group}/{kind}_{version}.json"  # the discard port: refused at once
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n"
    kustomization = minitree.FILES["wiki/base/kustomization.yaml"] + "  - widget.yaml\n"
    tree = minitree.write(tmp_path, {"wiki/base/kustomization.yaml": kustomization, "wiki/base/widget.yaml": widget})
    findings = run(tree, unreachable, tmp_path / "empty-cache")
    (f,) = [f for f in findings if f.check == "schema"]
    assert f.message.startswith("no schema for 1 kind(s) (Widget): ")  # the library's own kinds are packaged
    assert "could not be reached (offline?)" in f.message and "--schema-location file:///" in f.fix


def test_a_file_location(tmp_path: Path) -> None:
    root = crd_schemas.write(tmp_path / "schemas")
    assert run(minitree.write(tmp_path), f"file://{root}/{{group}}/{{kind}}_{{version}}.json", tmp_path / "c") == []


def test_the_repository_s_own_schemas_are_read_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``crd-schemas/`` at the repository's root (where ``homelab import`` keeps the tree's custom resources'
    schemas): read before any other location, so offline too; here one without ``instances`` refuses it."""
    import json
    import subprocess

    from homelab.cli import main

    tree = minitree.write(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    unreachable = "http://127.0.0.1:9/{group}/{kind}_{version}.json"
    command = ["validate", "--tree", str(tree), "--repo", minitree.REPO, "--schema-location", unreachable]
    assert main(command) == 0, capsys.readouterr().out
    assert "instances" not in capsys.readouterr().out
    schema = json.loads(json.dumps(crd_schemas.SCHEMAS["postgresql.cnpg.io/cluster_v1.json"]))
    del schema["properties"]["spec"]["properties"]["instances"]
    own = tmp_path / "crd-schemas" / "postgresql.cnpg.io" / "cluster_v1.json"
    own.parent.mkdir(parents=True)
    own.write_text(json.dumps(schema))
    assert main(command) == 1
    assert re.search(r"\[schema\].*instances", capsys.readouterr().out)
