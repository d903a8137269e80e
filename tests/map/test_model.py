"""The map's model and page: every app of every cluster, what an app's objects say, no secret value anywhere,
the data embedded safely, ``--since`` marking what changed, and ``--out`` never replacing a user's file."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from homelab.declaration import load_homelab
from homelab.engine.pipeline import draft
from homelab.errors import HomelabError
from homelab.map.html import embedded_json, page
from homelab.map.model import build_map
from homelab.map.since import compare
from tests.conftest import ROOT
from tests.map.conftest import CHANGED_APP, SEALED_PLAINTEXT, cli, data_of, entries
from tests.map.map_lab import PLAIN_VALUE


def test_every_app_and_component_of_every_bundled_cluster_is_on_the_map(
    bundled_page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    lab = load_homelab()
    model = data_of(bundled_page)
    assert [c["name"] for c in model["clusters"]] == [p.cluster.name for p in lab.clusters]
    for plan in lab.clusters:
        drawn = entries(model, plan.cluster.name)
        expected = {a.name: True for a in plan.apps} | {a.name: False for a in plan.disabled}
        assert {name: e["enabled"] for name, e in drawn.items()} == expected
        for app in plan.apps:
            assert drawn[app.name]["namespace"] == app.app_namespace
            assert drawn[app.name]["project"] == app.app_project
            assert drawn[app.name]["source"] == app.origin
        (cluster,) = [c for c in model["clusters"] if c["name"] == plan.cluster.name]
        deployed = {name for component in plan.platform.components for name in component.application_names()}
        charted = {c["application"] for entry in cluster["platform"] for c in entry["charts"]}
        assert deployed <= charted


def test_an_app_shows_its_addresses_databases_volumes_secrets_and_links(map_lab: Path) -> None:
    out = map_lab / "map.html"
    assert cli("map", "--out", str(out)) == 0
    apps = entries(data_of(out.read_text()), "home")
    wiki, blog = apps["wiki"], apps["blog"]
    assert blog["enabled"] is False and wiki["enabled"] is True
    assert blog["sync"].startswith("off") and wiki["sync"].startswith("automated")
    assert wiki["dist"] == "dist/kustomize/wiki/overlays/home" and wiki["source"] == "tests/map/map_lab.py"
    assert [a["url"] for a in wiki["addresses"]] == ["https://wiki.tail0000.ts.net"]
    (db,) = wiki["databases"]
    assert (db["name"], db["instances"], db["size"], db["storage_class"]) == ("wiki-pg", 2, "3Gi", "fast")
    assert [(v["name"], v["size"]) for v in wiki["volumes"]] == [("wiki-data", "5Gi")]
    secrets = {s["name"]: (s["kind"], s["keys"]) for s in wiki["secrets"]}
    assert secrets == {"creds": ("SealedSecret", ["password", "user"]), "settings": ("Secret", ["token"])}
    links = {(link["from"], link["to"], link.get("via")) for link in wiki["links"]}
    assert ("Ingress wiki", "Service wiki", None) in links
    assert ("Service wiki", "Deployment wiki", None) in links
    assert ("Deployment wiki", "Secret wiki-pg-app", "database wiki-pg") in links
    assert ("Deployment wiki", "Secret creds", "SealedSecret creds") in links
    assert ("Cluster wiki-pg", "StorageClass fast", None) in links


def test_no_secret_value_is_anywhere_in_the_page(map_lab: Path) -> None:
    out = map_lab / "map.html"
    assert cli("map", "--out", str(out)) == 0
    text = out.read_text()
    store = yaml.safe_load((map_lab / "sealed" / "home.yaml").read_text())
    ciphertexts = [c for s in store["secrets"] for c in s["encryptedData"].values()]
    assert ciphertexts and SEALED_PLAINTEXT not in text and PLAIN_VALUE not in text
    assert not [c for c in ciphertexts if c[:40] in text]
    assert "password" in text and "token" in text  # the keys are shown


def test_the_embedded_data_cannot_end_the_script_and_reads_back_the_same() -> None:
    model = {"title": "</script><script>alert(1)</script><!-- & \u2028", "clusters": []}
    text = embedded_json(model)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == model
    assert data_of(page(model)) == model
    assert "</script><script>alert" not in page(model)


def test_since_marks_the_changed_app_and_its_changed_object(since_page: str) -> None:
    model = data_of(since_page)
    assert model["since"] == "HEAD~1"
    for cluster in model["clusters"]:
        apps = entries(model, cluster["name"])
        assert apps[CHANGED_APP]["status"] == "changed"
        assert [o["id"] for o in apps[CHANGED_APP]["objects"] if o.get("status")] == [
            f"Cluster {CHANGED_APP}/{CHANGED_APP}-pg"
        ]
        assert [d["size"] for d in apps[CHANGED_APP]["databases"] if d.get("status") == "changed"] == ["9Gi"]
        assert not [name for name, a in apps.items() if a.get("status") and name != CHANGED_APP]
        assert cluster["status"] == "changed" and "1 changed" in cluster["changes"]
    assert "digest" not in since_page


def test_since_marks_added_and_removed_apps_and_clusters(map_lab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from homelab.map.model import build_map
    from tests.map import map_lab as module

    monkeypatch.chdir(map_lab)
    key = b"k" * 32
    old = build_map(draft(module.lab()), key=key)
    gone = json.loads(json.dumps(old["clusters"][0]))
    gone["name"] = "old-cluster"
    old["clusters"].append(gone)
    blog_group = next(g for g in old["clusters"][0]["groups"] if g["name"] == "blog")
    old["clusters"][0]["groups"].remove(blog_group)  # blog is new since
    wiki = entries(old, "home")["wiki"]
    wiki["name"] = "wiki-old"  # wiki-old is gone since, wiki is new
    marked = compare(old, build_map(draft(module.lab()), key=key), "v1")
    apps = entries(marked, "home")
    assert {name: a.get("status") for name, a in apps.items()} == {
        "wiki": "added",
        "blog": "added",
        "wiki-old": "removed",
    }
    assert {o.get("status") for o in apps["wiki-old"]["objects"]} == {"removed"}
    assert [c.get("status") for c in marked["clusters"]] == ["changed", "removed"]


def test_since_an_unknown_revision_is_an_error_naming_it(map_lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    subprocess.run(["git", "init", "-q", str(map_lab)], check=True)
    assert cli("map", "--since", "no-such-rev", "--out", str(map_lab / "m.html")) == 1
    assert "cannot read ./ at 'no-such-rev'" in capsys.readouterr().err


def test_out_never_replaces_a_file_the_user_wrote(map_lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = map_lab / "notes.html"
    mine.write_text("<p>my notes</p>")
    assert cli("map", "--out", str(mine)) == 1
    assert "the file exists and is not a map written by homelab map" in capsys.readouterr().err
    assert mine.read_text() == "<p>my notes</p>"
    out = map_lab / "map.html"
    assert cli("map", "--out", str(out)) == 0 and cli("map", "--out", str(out)) == 0  # its own map is replaced
    from homelab.commands.map import _writable

    with pytest.raises(HomelabError, match="is a directory; give a file name"):
        _writable(map_lab)


def test_since_outside_a_git_repository_is_an_error(map_lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("map", "--since", "HEAD", "--out", str(map_lab / "m.html")) == 1
    assert "is not in a git repository; run homelab map inside it" in capsys.readouterr().err


def test_since_a_revision_whose_declaration_fails_is_an_error_naming_it(tmp_path: Path) -> None:
    from homelab.map.since import map_at

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "lab.py").write_text("raise RuntimeError('broken at this revision')\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"],
        check=True,
    )
    with pytest.raises(
        HomelabError, match=r"the declaration at HEAD could not be drawn: lab.py:1: .*broken at this revision"
    ):
        map_at(tmp_path, "HEAD", b"k" * 32, "lab:HOMELAB")


def test_since_refuses_a_map_of_another_version() -> None:
    with pytest.raises(HomelabError, match="its map is of another version"):
        compare({"version": 0, "clusters": []}, {"version": 1, "clusters": []}, "v0")


@pytest.mark.parametrize("revision", ["--output=notes.txt", "-o", "--remote=/elsewhere"])
def test_a_revision_that_reads_as_an_option_is_refused_and_writes_nothing(tmp_path: Path, revision: str) -> None:
    """Before: ``--since=--output=FILE`` (and ``homelab diff -- --output=FILE``) reached ``git archive`` as an
    option, which emptied FILE, a file of the user's."""
    from homelab.engine.diff import git_tree

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"],
        check=True,
    )
    with pytest.raises(HomelabError, match=rf"revision {re.escape(repr(revision))} starts with '-'.*name a commit"):
        git_tree(tmp_path, revision, ".", tmp_path / "out")
    assert notes.read_text() == "mine\n" and not (tmp_path / "out").exists()


def test_tls_routes_are_addresses_and_every_route_links_to_its_services() -> None:
    """Before: the map read HTTPRoute and GRPCRoute only, so the sso app reached through a TLSRoute had no
    address and no link to its Service."""
    from tests.conftest import FakeStore
    from tests.patterns.all_patterns_lab import LAB

    sso = entries(build_map(draft(LAB, stores={"home": FakeStore()})), "home")["sso"]
    assert [(a["url"], a["via"]) for a in sso["addresses"]] == [("https://sso.example.org", "TLSRoute keycloak")]
    link = {"from": "TLSRoute keycloak", "to": "Service keycloak-service", "why": "sends to"}
    assert {**link, "via": "Application keycloak-operator"} in sso["links"]


def test_an_applications_values_are_read_in_its_destination_namespace(bundled_page: str) -> None:
    """Before: a chart's Secrets and claims were looked up in the Application's own namespace, so what makes
    them (a database, a SealedSecret in the destination) was not found; now they are named with the
    destination's namespace where it is another."""
    (vps,) = [c for c in data_of(bundled_page)["clusters"] if c["name"] == "vps"]
    odoo = {a["name"]: a for g in vps["groups"] for a in g["apps"]}["odoo-lss-v2"]
    reads = {"from": "Application odoo", "to": "Secret odoo-v2/odoo-db-app", "why": "reads", "via": "database odoo-db"}
    assert reads in odoo["links"]
    assert {"from": "Application odoo", "to": "PersistentVolumeClaim odoo-v2/odoo-data", "why": "mounts"} in odoo[
        "links"
    ]
