"""Every pattern of issue 21 at once: the all-patterns lab (a whole homelab, a cluster module and app modules)
synthesises with no acceptance file and no ``set_field``, ``validate --strict`` finds nothing in its tree, its
overlay's hashed ConfigMap builds under a new name, and its key objects are what the Python says.

The lab is synthesised once per test session (``synthesis``), its tree written once (``tree``)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from constructs_lib._internal.secret_keys import known_keys
from homelab.engine.diff import write_files
from homelab.engine.pipeline import Synthesis, synthesise
from homelab.validate import ValidateOptions, accept, validate
from homelab.validate.index import created_by
from tests.conftest import FakeStore
from tests.patterns.all_patterns_lab import LAB, home
from tests.patterns.all_patterns_lab.apps import wiki

#: The kinds the library ships no schema for (what `homelab validate --allow-kind` would name).
NO_PACKAGED_SCHEMA = {"Gateway", "HTTPRoute", "TLSRoute", "TCPRoute", "ExternalSecret", "Certificate", "Keycloak"}


@pytest.fixture(scope="module")
def synthesis() -> Synthesis:
    return synthesise(LAB, stores={"home": FakeStore()})


@pytest.fixture(scope="module")
def tree(synthesis: Synthesis, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(synthesis.files, tmp_path_factory.mktemp("all-patterns")) / "kustomize"


def obj(synthesis: Synthesis, path: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(synthesis.files[f"kustomize/{path}"])
    return loaded


def built(kubectl: str, directory: Path) -> list[dict[str, Any]]:
    out = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, check=True).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def test_the_lab_is_written_without_the_escape_hatch_or_acceptances() -> None:
    sources = sorted(LAB.root.rglob("*.py"))
    assert len(sources) >= 7  # the homelab, its cluster, the apps' package and four apps
    assert [p.name for p in sources if "set_field" in p.read_text()] == []
    assert not (LAB.root / accept.FILE_NAME).exists()


def test_synth_passes_with_no_finding(synthesis: Synthesis) -> None:
    assert synthesis.warnings == []
    assert len(synthesis.files) > 40


def test_validate_strict_finds_nothing(tree: Path) -> None:
    report = validate(
        ValidateOptions(
            tree=tree,
            repos={home.CLUSTER.repo_url},
            prefix="dist/kustomize",
            builtin_storage_classes={"home": set(home.CLUSTER.builtin_storage_classes)},
            allowed_kinds=NO_PACKAGED_SCHEMA,
            schema_locations=[],  # offline: the packaged schemas only
        )
    )
    assert (report.errors, report.warnings) == (0, 0), report.text()
    assert report.exit_code(strict=True) == 0
    assert len(report.entries) == 6 and report.objects >= 40


def test_the_overlay_s_hashed_config_map_builds_under_another_name(kubectl: str, tree: Path) -> None:
    def settings(directory: str) -> tuple[str, dict[str, Any]]:
        objects = built(kubectl, tree / directory)
        (config,) = [o for o in objects if o["kind"] == "ConfigMap"]
        (deployment,) = [o for o in objects if o["kind"] == "Deployment"]
        assert deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"][0] == {
            "configMapRef": {"name": config["metadata"]["name"]}
        }
        return config["metadata"]["name"], config["data"]

    base_name, base_data = settings("wiki/base")
    home_name, home_data = settings("wiki/overlays/home")
    assert base_name.startswith("wiki-settings-") and home_name.startswith("wiki-settings-")
    assert base_name != home_name
    assert (base_data["LOG_LEVEL"], home_data["LOG_LEVEL"]) == ("info", "debug")


def test_the_gateway_and_its_routes(synthesis: Synthesis) -> None:
    gateway = obj(synthesis, "edge/base/gateway-public.yaml")
    assert gateway["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "letsencrypt"}
    assert [(li["name"], li["protocol"], li.get("tls", {}).get("mode")) for li in gateway["spec"]["listeners"]] == [
        ("http", "HTTP", None),
        ("https", "HTTPS", "Terminate"),
        ("sso", "TLS", "Passthrough"),
        ("postgres", "TCP", None),
    ]
    assert ("Secret", "edge", "wildcard-example-org") in created_by(gateway, "edge")  # cert-manager issues it
    redirect = obj(synthesis, "edge/base/httproute-to-https.yaml")["spec"]
    assert redirect["rules"] == [
        {"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]}
    ]
    assert redirect["parentRefs"] == [{"name": "public", "sectionName": "http"}]
    route = obj(synthesis, "wiki/base/httproute-wiki.yaml")["spec"]
    assert [f["type"] for f in route["rules"][0]["filters"]] == ["URLRewrite", "RequestHeaderModifier", "RequestMirror"]
    assert route["rules"][0]["filters"][0]["urlRewrite"] == {
        "path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/api"}
    }
    tls = obj(synthesis, "sso/base/tlsroute-keycloak.yaml")
    tcp = obj(synthesis, "wiki/base/tcproute-wiki-pg.yaml")
    assert tls["apiVersion"] == tcp["apiVersion"] == "gateway.networking.k8s.io/v1alpha2"
    assert tls["spec"]["hostnames"] == ["sso.example.org"] and "hostnames" not in tcp["spec"]
    assert tcp["spec"]["rules"] == [{"backendRefs": [{"name": "wiki-pg-rw", "port": 5432}]}]


def test_the_external_secrets_and_the_keys_they_make(synthesis: Synthesis) -> None:
    objects = [
        (obj(synthesis, f"wiki/base/externalsecret-{n}.yaml"), "wiki") for n in ("wiki-db", "wiki-oauth", "wiki-pg-ca")
    ]
    db, oauth, ca = (o["spec"] for o, _ in objects)
    assert db["target"]["deletionPolicy"] == "Delete" and db["target"]["template"]["mergePolicy"] == "Merge"
    assert oauth["dataFrom"] == [
        {"extract": {"key": "homelab/wiki/oauth"}, "rewrite": [{"regexp": {"source": "^", "target": "OAUTH_"}}]}
    ]
    assert (oauth["target"]["creationPolicy"], ca["target"]) == (
        "Orphan",
        {"name": "wiki-pg-app", "creationPolicy": "Merge"},
    )
    database = obj(synthesis, "wiki/base/cluster-wiki-pg.yaml")
    keys = known_keys([*objects, (database, "wiki")])
    assert keys[("wiki", "wiki-db")][0] == {"username", "password", "DATABASE_URL"}  # the template's and the fetched
    assert ("wiki", "wiki-oauth") not in keys  # the store decides them
    assert "ca.crt" in keys[("wiki", "wiki-pg-app")][0]  # merged into the database's Secret
    created = set().union(*(created_by(o, ns) for o, ns in objects))
    assert {("Secret", "wiki", "wiki-db"), ("Secret", "wiki", "wiki-oauth")} <= created
    assert ("Secret", "wiki", "wiki-pg-app") not in created  # the database operator creates it, not the merge
    assert wiki.CREDENTIALS.keys == ("DATABASE_URL", "password", "username") and wiki.OAUTH.keys is None


def test_the_workload_database_and_service_fields(synthesis: Synthesis) -> None:
    pod = obj(synthesis, "wiki/base/deployment-wiki.yaml")["spec"]
    assert "replicas" not in pod
    spec = pod["template"]["spec"]
    assert spec["initContainers"][0]["image"] == "busybox"  # untagged
    assert [next(iter(e)) for e in spec["containers"][0]["envFrom"]] == ["configMapRef", "secretRef"]
    assert "podAntiAffinity" in spec["affinity"]
    assert {"name": "tls", "secret": {"secretName": "wiki-internal-tls"}} in spec["volumes"]
    database = obj(synthesis, "wiki/base/cluster-wiki-pg.yaml")["spec"]
    assert database["affinity"]["enablePodAntiAffinity"] is True
    assert database["managed"]["services"]["disabledDefaultServices"] == ["r"]
    assert database["storage"]["pvcTemplate"] == {"selector": {"matchLabels": {"tier": "fast"}}}
    assert obj(synthesis, "wiki/base/service-wiki-headless.yaml")["spec"]["clusterIP"] == "None"
    lb = obj(synthesis, "wiki/base/service-wiki-lb.yaml")["spec"]
    assert (lb["externalTrafficPolicy"], lb["externalIPs"]) == ("Local", ["192.0.2.20"])
    claim = obj(synthesis, "wiki/base/persistentvolumeclaim-wiki-uploads.yaml")["spec"]
    assert claim["selector"] == {"matchLabels": {"volume": "wiki-uploads"}}


def test_sync_settings_operators_and_sops(synthesis: Synthesis) -> None:
    application = obj(synthesis, "clusters/overlays/home/application-wiki.yaml")
    assert application["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == "2"
    options = application["spec"]["syncPolicy"]["syncOptions"]
    assert "PruneLast=true" in options and not any(o.startswith("ServerSideApply") for o in options)
    assert (
        obj(synthesis, "wiki/base/job-wiki-migrate.yaml")["metadata"]["annotations"]["argocd.argoproj.io/hook"]
        == "PostSync"
    )
    config = next(p for p in synthesis.files if p.startswith("kustomize/wiki/base/configmap-wiki-settings-"))
    assert yaml.safe_load(synthesis.files[config])["metadata"]["annotations"] == {"argocd.argoproj.io/sync-wave": "-1"}
    smtp = obj(synthesis, "wiki/base/secret-wiki-smtp.yaml")
    assert (smtp["stringData"], smtp["sops"]) == (wiki.SMTP_SOPS["stringData"], wiki.SMTP_SOPS["sops"])
    operator = obj(synthesis, "sso/base/application-keycloak-operator.yaml")["metadata"]["annotations"]
    assert operator["homelab/creates"] == "Service/sso/keycloak-service,Secret/sso/keycloak-initial-admin"
    project = obj(synthesis, "clusters/overlays/home/appproject-edge.yaml")["spec"]["clusterResourceWhitelist"]
    assert {"group": "gateway.networking.k8s.io", "kind": "GatewayClass"} in project
