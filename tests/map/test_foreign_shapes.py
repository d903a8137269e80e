"""The map of homelabs unlike the bundled one: Gateways' listener hostnames and certificates, ExternalSecrets
whose keys the provider decides, wildcard hosts, and an imported app-of-apps repository (no platform, apps
in Argo CD's ``default`` project, Applications the cluster declares itself)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from homelab.map.extract import Item, addresses, links, secrets
from tests.importing.foreign import app_of_apps_repo, flat_repo

GATEWAY = {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "Gateway",
    "metadata": {"name": "web"},
    "spec": {
        "gatewayClassName": "cilium",
        "listeners": [
            {
                "name": "https",
                "protocol": "HTTPS",
                "port": 443,
                "hostname": "*.example.org",
                "tls": {"certificateRefs": [{"kind": "Secret", "name": "wildcard-tls"}]},
            },
            {"name": "blog", "protocol": "HTTPS", "port": 443, "hostname": "blog.example.org"},
            {"name": "plain", "protocol": "HTTP", "port": 80, "hostname": "old.example.org"},
            {"name": "dns", "protocol": "UDP", "port": 53},
        ],
    },
}


def _item(data: dict[str, Any], namespace: str = "web") -> Item:
    return Item(data, namespace, "Manifest")


def test_a_gateways_listener_hostnames_are_addresses_and_a_wildcard_is_no_link() -> None:
    """Before: a Gateway had no address; a wildcard host would have been the link ``https://*.example.org``."""
    found = [(a["url"], a["via"], a.get("note")) for a in addresses([_item(GATEWAY)], None, "tailscale")]
    assert found == [
        ("*.example.org", "Gateway web", "listener https"),
        ("https://blog.example.org", "Gateway web", "listener blog"),
        ("http://old.example.org", "Gateway web", "listener plain"),
    ]


def test_a_gateway_links_to_its_certificate_secrets() -> None:
    """Before: the Secret a Gateway serves its certificate from was linked to nothing."""
    made_by = {("Secret", "web", "wildcard-tls"): "Certificate wildcard"}
    assert links([_item(GATEWAY)], made_by) == [
        {
            "from": "Gateway web",
            "to": "Secret wildcard-tls",
            "why": "takes its certificate from",
            "via": "Certificate wildcard",
        }
    ]


def test_a_wildcard_ingress_host_is_text_and_a_named_one_a_link() -> None:
    hosts = ["*.apps.example.org", "apps.example.org"]
    spec = {"ingressClassName": "traefik", "rules": [{"host": h} for h in hosts], "tls": [{"hosts": hosts}]}
    ingress = {"kind": "Ingress", "metadata": {"name": "wild"}, "spec": spec}
    found = [a["url"] for a in addresses([_item(ingress)], "tail0000.ts.net", "tailscale")]
    assert found == ["*.apps.example.org", "https://apps.example.org"]


def test_an_external_secret_with_data_from_says_its_keys_come_from_the_provider() -> None:
    """Before: an ExternalSecret with ``dataFrom`` showed an empty key list, as if it made an empty Secret."""
    spec = {
        "secretStoreRef": {"name": "vault", "kind": "ClusterSecretStore"},
        "data": [{"secretKey": "password", "remoteRef": {"key": "app", "property": "password"}}],
        "dataFrom": [{"extract": {"key": "app/env"}}],
    }
    whole = {"kind": "ExternalSecret", "metadata": {"name": "env"}, "spec": {**spec, "data": []}}
    mixed = {"kind": "ExternalSecret", "metadata": {"name": "db"}, "spec": spec}
    named = {"kind": "ExternalSecret", "metadata": {"name": "one"}, "spec": {**spec, "dataFrom": []}}
    assert secrets([_item(whole), _item(mixed), _item(named)]) == [
        {"name": "env", "kind": "ExternalSecret", "keys": [], "more": "keys from the provider"},
        {"name": "db", "kind": "ExternalSecret", "keys": ["password"], "more": "keys from the provider"},
        {"name": "one", "kind": "ExternalSecret", "keys": ["password"]},
    ]


def _homelab(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "homelab", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _map_of(repo: Path) -> dict[str, Any]:
    _homelab("map", "--out", "map.html", cwd=repo)
    text = (repo / "map.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', text, re.S)
    assert found, text[:500]
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.mark.slow
def test_an_imported_app_of_apps_repository_is_drawn_truthfully(tmp_path: Path, kubectl: str) -> None:
    """Before: the Applications a cluster declares itself (an app-of-apps root, grafana's chart) were left out
    of the map, since every Application of the bootstrap directory was taken for an app's."""
    tree = app_of_apps_repo(tmp_path / "tree")
    _homelab("import", str(tree), "--repo", "https://github.com/me/homelab", "--into", "new", cwd=tmp_path)
    clusters = {c["name"]: c for c in _map_of(tmp_path / "new")["clusters"]}
    prod = clusters["prod"]
    assert prod["platform"] == []
    (group,) = prod["groups"]
    assert group["name"] == "default"
    (wiki,) = group["apps"]
    assert (wiki["enabled"], wiki["namespace"]) == (True, "wiki")
    assert "CreateNamespace=true" in wiki["sync"]
    own = [o["id"] for o in prod["own"]["objects"]]
    assert own == ["Application argocd/root-prod", "Application argocd/grafana"]
    assert [c.get("chart") for c in prod["own"]["charts"]] == [None, "grafana"]


@pytest.mark.slow
def test_an_app_whose_application_the_cluster_keeps_says_where_it_is(tmp_path: Path, kubectl: str) -> None:
    """A flat repository's apps whose Application is kept as written (``in_cluster_objects=True``): on, with
    their sync policy and the module that declares their Application; dns derives its own."""
    tree = flat_repo(tmp_path / "tree")
    _homelab("import", str(tree), "--repo", "https://github.com/me/homelab", "--into", "new", cwd=tmp_path)
    (prod,) = _map_of(tmp_path / "new")["clusters"]
    apps = {a["name"]: a for g in prod["groups"] for a in g["apps"]}
    assert {n: (a["enabled"], a["namespace"]) for n, a in apps.items()} == {
        "dns": (True, "dns"),
        "paste": (True, "tools"),
        "wiki": (True, "tools"),
    }
    kept = {n for n, a in apps.items() if a["application_source"] == "clusters/prod.py"}
    assert kept == {"paste", "wiki"}  # the two apps sharing namespace tools; dns's Application is derived
    assert apps["dns"]["application_source"] == ""
    assert all("automated" in a["sync"] for a in apps.values())
