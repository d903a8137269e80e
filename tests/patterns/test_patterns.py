"""Objects other controllers create are part of the model: the patterns lab synthesises with no acceptance
file, and each object left undeclared is refused with its check id, the Python that declares it and the
acceptance that would take it."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, ClassVar

import pytest
import yaml

from constructs_lib.annotations import CREATES, Creates, creates
from constructs_lib.api_object import api_object
from constructs_lib.errors import PropsError
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from homelab import AppSpec, HomelabError, Scope
from homelab.engine.pipeline import Synthesis, synthesise
from homelab.kinds import KindScopes
from homelab.validate import accept
from homelab.validate.content import ClusterContent, Placed
from homelab.validate.findings import Finding, Report
from homelab.validate.index import created_by, index
from tests.conftest import FakeStore
from tests.patterns import lab


def synth(*apps: AppSpec) -> Synthesis:
    plan = replace(lab.LAB.clusters[0], apps=apps or (lab.LLDAP, lab.KEYCLOAK_OPERATOR, lab.KEYCLOAK))
    return synthesise(replace(lab.LAB, clusters=(plan,)), stores={"home": FakeStore()})


def operator_app(props: HelmArgoAppProps, **changes: Any) -> AppSpec:
    def base(scope: Scope) -> None:
        HelmArgoApp(scope, "operator", props)

    return replace(lab.KEYCLOAK_OPERATOR, base=base, **changes)


def test_the_lab_synthesises_with_no_acceptance_file_and_no_warning() -> None:
    assert not (lab.LAB.root / accept.FILE_NAME).exists()
    s = synth()
    assert s.warnings == []
    operator = next(
        text.decode()
        for path, text in s.files.items()
        if "keycloak-operator" in str(path) and b"kind: Application" in text
    )
    assert "homelab/creates: Service/keycloak/keycloak-service,Secret/keycloak/keycloak-initial-admin" in operator


def test_an_operator_secret_not_declared_is_refused_naming_creates() -> None:
    with pytest.raises(
        HomelabError,
        match=r"tests/patterns/lab.py: Deployment keycloak/realm-sync "
        r"spec.template.spec.containers\[0\].env\[0\].valueFrom.secretKeyRef.name: \[secret-ref\] uses Secret "
        r"'keycloak-initial-admin', which nothing creates in namespace keycloak.*Fix: .*"
        r"creates=\(Creates\(kind='Secret', name='keycloak-initial-admin', namespace='keycloak'\),\) on its "
        r"HelmArgoAppProps.*\n    or, if it is right as it is, accept it in .homelab-validate.yaml: "
        r'- \{check: secret-ref, object: "Deployment keycloak/realm-sync", reason: "..."\}',
    ):
        synth(lab.LLDAP, operator_app(replace(lab.OPERATOR, creates=lab.OPERATOR.creates[:1])), lab.KEYCLOAK)


def test_an_operator_service_not_declared_is_a_warning_naming_creates() -> None:
    """A chart is deployed in the namespace (it might create the Service): a warning, with the same fix."""
    s = synth(lab.LLDAP, operator_app(replace(lab.OPERATOR, creates=lab.OPERATOR.creates[1:])), lab.KEYCLOAK)
    [warning] = s.warnings
    assert re.fullmatch(
        r"tests/patterns/lab.py: Ingress keycloak/keycloak-service spec.rules\[0\].http.paths\[0\].backend.service.name: "
        r"\[ingress-backend\] routes to Service 'keycloak-service', which nothing here creates.*"
        r"Fix: .*creates=\(Creates\(kind='Service', name='keycloak-service', namespace='keycloak'\),\).*\n"
        r"    or, if it is right as it is, accept it in .homelab-validate.yaml: "
        r'- \{check: ingress-backend, object: "Ingress keycloak/keycloak-service", reason: "..."\}',
        warning,
    )


def test_objects_declared_on_the_app_spec_count_too() -> None:
    """An operator whose install has no Application of its own (remote manifests) declares them on its AppSpec."""
    app = operator_app(replace(lab.OPERATOR, creates=()), creates=lab.OPERATOR.creates)
    assert synth(lab.LLDAP, app, lab.KEYCLOAK).warnings == []


def test_a_certificate_secret_needs_the_certificate() -> None:
    without = replace(lab.LLDAP, base=lab.lldap_workload)
    with pytest.raises(
        HomelabError,
        match=r"Deployment lldap/lldap spec.template.spec.containers\[0\].env\[0\].valueFrom.secretKeyRef.name: "
        r"\[secret-ref\] uses Secret 'lldap-cert'.*SealedConfigProps\(name='lldap-cert'.*"
        r"creates=\(Creates\(kind='Secret', name='lldap-cert', namespace='lldap'\),\)",
    ):
        synth(without, lab.KEYCLOAK_OPERATOR, lab.KEYCLOAK)


def test_an_ingress_tls_secret_cert_manager_does_not_issue_is_refused() -> None:
    def base(scope: Scope) -> None:
        lab.lldap_certificate(scope)
        lab.lldap_workload(scope)
        lab.ingress(scope, "lldap", "ldap.example.org", "lldap", "lldap-tls", issuer=None)

    with pytest.raises(
        HomelabError, match=r"Ingress lldap/lldap spec.tls\[0\].secretName: \[secret-ref\] uses Secret 'lldap-tls'"
    ):
        synth(replace(lab.LLDAP, base=base), lab.KEYCLOAK_OPERATOR, lab.KEYCLOAK)


def test_a_chart_ingress_with_a_cert_manager_issuer_gets_its_tls_secret() -> None:
    values = {
        "ingress": {
            "annotations": {"cert-manager.io/issuer": "internal"},
            "tls": [{"secretName": "operator-tls", "hosts": ["op.example.org"]}],
        }
    }
    assert synth(lab.LLDAP, operator_app(replace(lab.OPERATOR, values=values)), lab.KEYCLOAK).warnings == []
    with pytest.raises(HomelabError, match=r"\[secret-ref\] uses Secret 'operator-tls'"):
        synth(lab.LLDAP, operator_app(replace(lab.OPERATOR, values={"ingress": {"tls": values["ingress"]["tls"]}})))


def test_what_objects_bring_into_being() -> None:
    cnpg = {"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "metadata": {"name": "pg"}}
    assert created_by(cnpg, "db") == {
        ("Cluster", "db", "pg"),
        *(("Service", "db", f"pg-{s}") for s in ("rw", "ro", "r")),
        *(("Secret", "db", f"pg-{s}") for s in ("app", "superuser")),
    }
    certificate = {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": {"name": "c"},
        "spec": {"secretName": "c-tls"},
    }
    assert ("Secret", "web", "c-tls") in created_by(certificate, "web")
    foreign = {**certificate, "apiVersion": "example.org/v1"}  # another group's Certificate creates nothing known
    assert ("Secret", "web", "c-tls") not in created_by(foreign, "web")
    declared = {
        "kind": "Application",
        "metadata": {
            "name": "op",
            "annotations": creates(
                (Creates(kind="Service", name="s"), Creates(kind="ConfigMap", name="m", namespace="other")), "ns"
            ),
        },
    }
    assert declared["metadata"]["annotations"] == {CREATES: "Service/ns/s,ConfigMap/other/m"}
    assert {("Service", "ns", "s"), ("ConfigMap", "other", "m")} <= created_by(declared, "argocd")


def test_a_configmap_an_operator_creates_counts_as_present() -> None:
    pod = {"containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "op-config"}}]}]}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {"template": {"spec": pod}},
    }
    app = {
        "kind": "Application",
        "metadata": {"name": "op", "annotations": creates((Creates(kind="ConfigMap", name="op-config"),), "ns")},
    }
    from homelab.validate.checks.configmap_refs import configmap_refs

    class Tree:
        kustomizations: ClassVar[dict[str, Any]] = {}

        def origin(self, obj: dict[str, Any], entry: str = "") -> str:
            return "app.yaml"

    def findings(*objects: dict[str, Any]) -> list[Finding]:
        placed = [Placed(obj=o, entry="e", namespace="ns") for o in objects]
        return configmap_refs(
            placed, Tree(), index(ClusterContent(name="c", placed=placed), "argocd", set(), KindScopes())
        )  # type: ignore[arg-type]

    assert findings(deployment, app) == []
    [missing] = findings(deployment)
    assert missing.check == "configmap-ref"
    assert "creates=(Creates(kind='ConfigMap', name='op-config', namespace='ns'),)" in missing.fix
    assert missing.acceptance == '- {check: configmap-ref, object: "Deployment ns/d", reason: "..."}'


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"kind": "Secret", "name": "a/b"},
            r"Creates.name: 'a/b' is not a name; write Creates\(kind='Secret', name='admin'\)",
        ),
        ({"kind": "", "name": "b"}, r"Creates.kind: '' is not a kind"),
        ({"kind": "Secret", "name": "b", "namespace": "x,y"}, r"Creates.namespace: 'x,y' is not a namespace"),
    ],
)
def test_a_creates_declaration_that_cannot_be_written_is_refused(changes: dict[str, str], message: str) -> None:
    with pytest.raises(PropsError, match=message):
        Creates(**changes)


def test_a_single_creates_not_in_a_tuple_is_refused() -> None:
    with pytest.raises(
        PropsError,
        match=r"HelmArgoAppProps.creates: expected a tuple .*got a single Creates; for one item write creates=\(\.\.\.,\)",
    ):
        replace(lab.OPERATOR, creates=Creates(kind="Service", name="s"))  # type: ignore[arg-type]


def test_validate_prints_the_check_id_and_the_acceptance_to_write() -> None:
    finding = Finding(
        entry="wiki/overlays/home",
        check="secret-ref",
        message="uses Secret 'x'",
        fix="seal it",
        file="chart.yaml",
        object="Application wiki/wiki",
        field="spec.x",
    )
    report = Report(findings=[finding])
    assert report.text().splitlines()[1:4] == [
        "  error: [secret-ref] chart.yaml, Application wiki/wiki, spec.x: uses Secret 'x'",
        "    fix: seal it",
        '    or, if it is right as it is, accept it in .homelab-validate.yaml: - {check: secret-ref, object: "Application wiki/wiki", reason: "..."}',
    ]
    assert '"acceptance": "- {check: secret-ref' in report.json()
    plaintext = replace(finding, check="plaintext")
    assert plaintext.acceptance == "" and "accept it" not in Report(findings=[plaintext]).text()


def project(s: Synthesis, name: str) -> dict[str, Any]:
    """The spec of AppProject ``name`` in the synthesised tree."""
    for text in s.files.values():
        for doc in yaml.safe_load_all(text):
            if isinstance(doc, dict) and doc.get("kind") == "AppProject" and doc["metadata"]["name"] == name:
                return dict(doc["spec"])
    raise AssertionError(f"no AppProject {name}")


def whitelist(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return [(w["group"], w["kind"]) for w in spec.get("clusterResourceWhitelist") or []]


def test_the_kinds_a_chart_installs_are_admitted_by_its_project() -> None:
    assert whitelist(project(synth(), "keycloak")) == list(lab.OPERATOR.cluster_resources)


def test_the_namespaces_a_chart_writes_into_are_destinations_of_its_project() -> None:
    """Before: a chart writing beside its own namespace (a watch namespace, a monitoring rule) had no setting."""
    app = operator_app(replace(lab.OPERATOR, namespaces=("monitoring", "keycloak")))
    spec = project(synth(lab.LLDAP, app, lab.KEYCLOAK), "keycloak")
    assert [d["namespace"] for d in spec["destinations"]] == ["keycloak", "monitoring"]
    assert [d["namespace"] for d in project(synth(), "keycloak")["destinations"]] == ["keycloak"]


def test_a_chart_namespace_that_is_no_name_is_refused() -> None:
    with pytest.raises(
        PropsError,
        match=r"^HelmArgoApp 'keycloak-operator': namespaces 'Monitoring' is not a valid Kubernetes name: use at most "
        r"63 lower-case letters",
    ):
        replace(lab.OPERATOR, namespaces=("Monitoring",))


def test_an_app_s_own_cluster_resources_and_source_repos_are_added_to_the_derived_ones() -> None:
    def with_volume(scope: Scope) -> None:
        lab.lldap_base(scope)
        api_object(
            scope,
            "volume",
            api_version="v1",
            kind="PersistentVolume",
            metadata={"name": "lldap-data"},
            spec={"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/data"}},
        )

    extra = ("scheduling.k8s.io", "PriorityClass")
    app = replace(
        lab.LLDAP, base=with_volume, cluster_resources=(extra,), source_repos=("https://charts.example/extra",)
    )
    spec = project(synth(app, lab.KEYCLOAK_OPERATOR, lab.KEYCLOAK), "lldap")
    assert whitelist(spec) == [("", "PersistentVolume"), extra]
    assert "https://charts.example/extra" in spec["sourceRepos"]
