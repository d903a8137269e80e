"""`homelab validate`: each check catches its mutation, with the right text and location.

Every test starts from a small clean tree (``minitree``) and breaks one thing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from homelab.cli import main
from homelab.validate import Finding, ValidateOptions, validate
from tests.validate import crd_schemas, minitree

ENTRY = "wiki/overlays/home"
BOOT = "clusters/overlays/home"
#: The tests' own small CRD schemas (see crd_schemas): these tests need nothing beside the clone.
CRDS = Path()


@pytest.fixture(scope="module", autouse=True)
def _crd_schemas(tmp_path_factory: pytest.TempPathFactory) -> None:
    global CRDS
    CRDS = crd_schemas.write(tmp_path_factory.mktemp("crd-schemas"))


def run(tmp_path: Path, changes: dict[str, str | None] | None = None, **options: object) -> list[Finding]:
    tree = minitree.write(tmp_path, changes)
    opts = ValidateOptions(
        tree=tree,
        repos={minitree.REPO},
        crd_schema_dirs=[CRDS],
        builtin_storage_classes={"home": {"longhorn"}},
        **options,  # type: ignore[arg-type]
    )
    return validate(opts).unique()


def only(findings: list[Finding], check: str) -> Finding:
    matching = [f for f in findings if f.check == check]
    assert len(matching) == 1, findings
    return matching[0]


def edit(rel: str, old: str, new: str) -> dict[str, str | None]:
    text = minitree.FILES[rel]
    assert old in text, f"{old!r} not in {rel}"
    return {rel: text.replace(old, new)}


def test_clean_tree_has_no_findings(tmp_path: Path) -> None:
    assert run(tmp_path) == []


def test_build_failure_missing_file(tmp_path: Path) -> None:
    f = only(run(tmp_path, {"wiki/overlays/home/ingress.yaml": None}), "build")
    assert (f.entry, f.file) == (ENTRY, "wiki/overlays/home/kustomization.yaml")
    assert "kubectl kustomize fails" in f.message and "ingress.yaml" in f.message


def test_build_failure_yaml_syntax(tmp_path: Path) -> None:
    f = only(run(tmp_path, {"wiki/base/service.yaml": "kind: Service\nmetadata: {name: [\n"}), "build")
    assert f.entry == "wiki/base" or f.entry == ENTRY


def test_build_failure_json_patch_path(tmp_path: Path) -> None:
    findings = run(
        tmp_path, edit("wiki/overlays/home/kustomization.yaml", "path: /spec/replicas", "path: /spec/nope/replicas")
    )
    f = only(findings, "build")
    assert f.entry == ENTRY and "doc is missing path: /spec/nope/replicas" in f.message
    # Before: neither the patch nor its object was named, and the fix line was the same for every failure.
    assert f.field == "patches[0]"
    assert f.fix.startswith("patches[0] (target group=apps, version=v1, kind=Deployment, name=wiki) replaces")


def test_build_failure_of_a_patch_that_does_not_parse_keeps_its_cause(tmp_path: Path) -> None:
    f = only(run(tmp_path, edit(f"{ENTRY}/kustomization.yaml", "- op: replace", "- op: [replace")), "build")
    # Before: only kustomize's last line arrived, without what failed.
    assert (
        "trouble configuring builtin PatchTransformer" in f.message and "unable to parse SM or JSON patch" in f.message
    )
    assert "neither valid YAML nor a JSON patch" in f.fix


def test_a_moved_directory_gets_a_did_you_mean(tmp_path: Path) -> None:
    # The classic: an overlay moved one level deeper keeps its old relative path to the base.
    moved = {
        f"clusters/overlays/home/extra/{n}": t
        for n, t in [("kustomization.yaml", "resources:\n  - ../../../wiki/base\n")]
    }
    f = only(run(tmp_path, moved), "build")
    assert f.entry == "clusters/overlays/home/extra" and f.field == "resources"
    assert "../../../wiki/base (clusters/wiki) does not exist" in f.fix
    assert "did you mean ../../../../wiki/base (wiki/base)?" in f.fix


PREPARED = {  # an app being prepared: its overlay exists, no Application points at it yet
    "notes/overlays/home/kustomization.yaml": "resources:\n  - deployment.yaml\n  - ingress.yaml\n",
    "notes/overlays/home/deployment.yaml": """
apiVersion: apps/v1
kind: Deployment
metadata: {name: notes, namespace: notes}
spec:
  selector: {matchLabels: {app: notes}}
  template:
    metadata: {labels: {app: notes}}
    spec:
      containers:
        - name: notes
          image: notes:1.0
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: notes-db, key: password}}
""",
    "notes/overlays/home/ingress.yaml": """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: notes, namespace: notes}
spec:
  defaultBackend: {service: {name: notes-web, port: {number: 80}}}
""",
}


def test_an_overlay_not_deployed_yet_is_checked_for_its_own_references(tmp_path: Path) -> None:
    findings = run(tmp_path / "a", PREPARED)
    assert sorted((f.check, f.entry, f.object, f.severity) for f in findings) == [
        ("ingress-backend", "notes/overlays/home", "Ingress notes/notes", "warning"),
        ("secret-ref", "notes/overlays/home", "Deployment notes/notes", "warning"),
    ]
    assert all("notes/overlays/home is not deployed yet" in f.message for f in findings)
    assert "routes to Service 'notes-web'" in findings[0].message + findings[1].message
    completed = {
        **PREPARED,
        "notes/overlays/home/kustomization.yaml": "resources:\n  - deployment.yaml\n  - ingress.yaml\n"
        "  - secret.yaml\n  - service.yaml\n",
        "notes/overlays/home/secret.yaml": "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n"
        "metadata: {name: notes-db, namespace: notes}\nspec:\n  encryptedData: {password: AgBxyz}\n",
        "notes/overlays/home/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: notes-web, namespace: notes}\n"
        "spec:\n  selector: {app: notes}\n  ports: [{port: 80}]\n",
    }
    assert run(tmp_path / "b", completed) == []


PLAIN_CONFIG = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: newapp-env, namespace: newapp}\ndata: {DB_PASS: hunter2}\n"
)


def test_a_secret_in_clear_in_an_overlay_not_deployed_yet_is_an_error(tmp_path: Path) -> None:
    """Nothing deploys newapp/overlays/prep, but its ConfigMap is in git already: an error, as in a deployed base."""
    prepared = {
        "newapp/overlays/prep/kustomization.yaml": "resources:\n  - config.yaml\n",
        "newapp/overlays/prep/config.yaml": PLAIN_CONFIG,
    }
    (f,) = [f for f in run(tmp_path / "a", prepared) if f.check.startswith("plaintext")]
    assert (f.check, f.entry, f.object, f.field, f.severity) == (
        "plaintext-value",
        "newapp/overlays/prep",
        "ConfigMap newapp/newapp-env",
        "data.DB_PASS",
        "error",
    )
    assert "newapp/overlays/prep is not deployed yet" in f.message
    deployed = {"wiki/base/config.yaml": PLAIN_CONFIG.replace("newapp", "wiki")} | edit(
        "wiki/base/kustomization.yaml", "  - service.yaml\n", "  - service.yaml\n  - config.yaml\n"
    )
    (g,) = [f for f in run(tmp_path / "b", deployed) if f.check.startswith("plaintext")]
    assert (g.check, g.entry, g.field, g.severity) == ("plaintext-value", "wiki/overlays/home", "data.DB_PASS", "error")
    also_prepared = deployed | {"wiki/overlays/prep/kustomization.yaml": "resources:\n  - ../../base\n"}
    found = [f for f in run(tmp_path / "c", also_prepared) if f.check.startswith("plaintext")]
    assert found == [g], "said once: the base a cluster deploys is where it is"


def test_a_bad_path_in_a_nested_base_names_its_own_file(tmp_path: Path) -> None:
    """staging lists ../production, whose ../../base should be ../../../base: the finding names production's
    kustomization and suggests the path from it (before: staging's file, and ``../production`` suggested
    for ``../production``)."""
    from homelab.validate.builds import build_findings
    from homelab.validate.tree import Tree

    files = {
        "app/base/kustomization.yaml": "resources:\n  - cm.yaml\n",
        "app/base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
        "app/overlays/env/production/kustomization.yaml": "resources:\n  - ../../base\n",
        "app/overlays/env/staging/kustomization.yaml": "resources:\n  - ../production\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    tree = Tree(tmp_path)
    staging = "app/overlays/env/staging"
    (f,) = build_findings(tree, tree.build([staging]))
    assert (f.entry, f.file, f.field) == (staging, "app/overlays/env/production/kustomization.yaml", "resources")
    assert f.fix == (
        "../../base (app/overlays/base) does not exist: correct the path; did you mean ../../../base (app/base)?"
    )


def test_schema_core_kind_reports_every_error(tmp_path: Path) -> None:
    changes = edit(
        "wiki/base/service.yaml",
        "ports: [{port: 80, targetPort: 3000}]",
        "ports: [{port: eighty, targetPort: 3000, nmae: x}]",
    )
    findings = [f for f in run(tmp_path, changes) if f.check == "schema"]
    assert {(f.object, f.field) for f in findings} >= {
        ("Service /wiki", "spec.ports[0].port"),
        ("Service /wiki", "spec.ports[0]"),
    }
    assert any("'eighty'" in f.message for f in findings) and any(
        "unknown field(s) ('nmae'" in f.message for f in findings
    )
    assert all(f.file == "wiki/base/service.yaml" for f in findings)


def test_schema_custom_resource_and_its_metadata(tmp_path: Path) -> None:
    changes = edit("wiki/overlays/home/database.yaml", "instances: 1", "instances: one\n  sorage: {}")
    changes |= edit(
        "wiki/overlays/home/config.yaml",
        "metadata: {name: wiki-config, namespace: wiki}\nspec",
        "metadata: {name: wiki-config, namespace: wiki, labels: {a: 1}}\nspec",
    )
    findings = {(f.object, f.field): f for f in run(tmp_path, changes) if f.check == "schema"}
    assert "Cluster wiki/wiki-db" in {o for o, _ in findings}
    assert ("Cluster wiki/wiki-db", "spec.instances") in findings
    assert "unknown field(s) ('sorage'" in findings[("Cluster wiki/wiki-db", "spec")].message
    assert ("SealedSecret wiki/wiki-config", "metadata.labels.a") in findings


def test_unknown_kind_is_an_error_unless_allowed(tmp_path: Path) -> None:
    extra = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: wiki}\n"
    changes = {"wiki/overlays/home/widget.yaml": extra} | edit(
        "wiki/overlays/home/kustomization.yaml", "  - chart.yaml\n", "  - chart.yaml\n  - widget.yaml\n"
    )
    f = only(run(tmp_path, changes), "schema")
    assert (f.object, f.file) == ("Widget wiki/w", "wiki/overlays/home/widget.yaml")
    assert "no schema for Widget (example.com/v1)" in f.message and "--allow-kind Widget" in f.fix
    # Allowed unchecked, it is still a kind whose scope is assumed: said, as a warning naming the declaration.
    (w,) = run(tmp_path, changes, allowed_kinds={"Widget"})
    assert (w.check, w.severity, w.object) == ("unknown-kind", "warning", "Widget wiki/w")
    assert "Homelab(cluster_scoped_kinds=(('example.com', 'Widget'),))" in w.fix


def test_crd_manifest_gives_a_schema(tmp_path: Path) -> None:
    extra = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: wiki}\nspec: {size: big}\n"
    changes = {"wiki/overlays/home/widget.yaml": extra} | edit(
        "wiki/overlays/home/kustomization.yaml", "  - chart.yaml\n", "  - chart.yaml\n  - widget.yaml\n"
    )
    crd = tmp_path / "crd.yaml"
    crd.write_text(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n"
        "spec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n"
        "    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n"
        "          type: object\n          properties:\n            spec:\n              type: object\n"
        "              properties: {size: {type: integer}}\n"
    )
    f = only(run(tmp_path, changes, crd_files=[crd]), "schema")
    assert (f.object, f.field) == ("Widget wiki/w", "spec.size") and "'big' is not of type 'integer'" in f.message


def test_application_path_must_exist(tmp_path: Path) -> None:
    changes = edit(
        "clusters/overlays/home/wiki-app-of-apps.yaml",
        "path: kustomize/wiki/overlays/home",
        "path: kustomize/wiki/overlays/hoem",
    )
    f = only(run(tmp_path, changes), "application-path")
    assert (f.entry, f.object, f.field) == (BOOT, "Application argocd/wiki", "spec.source.path")
    assert f.file == "clusters/overlays/home/wiki-app-of-apps.yaml"
    assert "'kustomize/wiki/overlays/hoem', which is not a kustomize directory" in f.message
    assert f.fix.endswith("did you mean kustomize/wiki/overlays/home?")


def test_a_moved_directory_named_by_an_application_gets_a_did_you_mean(tmp_path: Path) -> None:
    moved = {
        rel.replace("wiki/overlays/home/", "wiki/overlays/apps/home/"): text
        for rel, text in minitree.FILES.items()
        if rel.startswith("wiki/overlays/home/")
    }
    moved = {
        **{rel: None for rel in minitree.FILES if rel.startswith("wiki/overlays/home/")},
        **{
            rel: text.replace("../../base", "../../../base") if rel.endswith("kustomization.yaml") else text
            for rel, text in moved.items()
        },
    }
    f = only(run(tmp_path, moved), "application-path")
    assert f.fix.endswith("did you mean kustomize/wiki/overlays/apps/home?")


def test_secret_and_storage_class_typos_get_a_did_you_mean(tmp_path: Path) -> None:
    changes = edit("wiki/overlays/home/chart.yaml", "existingSecret: wiki-config", "existingSecret: wiki-conifg")
    changes |= edit("wiki/overlays/home/chart.yaml", "storageClass: fast", "storageClass: fsat") if False else {}
    f = only(run(tmp_path / "a", changes), "secret-ref")
    assert "did you mean wiki-config?" in f.fix
    typo = edit(
        "wiki/overlays/home/chart.yaml", "persistence: {storageClass: fast}", "persistence: {storageClass: fsat}"
    )
    assert "did you mean fast?" in only(run(tmp_path / "b", typo), "storage-class").fix


def test_project_must_exist(tmp_path: Path) -> None:
    changes = edit("wiki/overlays/home/chart.yaml", "project: wiki", "project: wkii")
    f = only(run(tmp_path, changes), "project")
    assert (f.entry, f.object, f.field) == (ENTRY, "Application wiki/wiki-search", "spec.project")
    assert "AppProject 'wkii', which this cluster does not define" in f.message


def test_project_must_admit_the_source(tmp_path: Path) -> None:
    changes = edit("clusters/overlays/home/wiki-app-of-apps.yaml", ", https://charts.example]", "]")
    f = only(run(tmp_path, changes), "project-source")
    assert (f.object, f.field) == ("Application wiki/wiki-search", "spec.source.repoURL")
    assert "https://charts.example, which AppProject wiki does not admit" in f.message


def test_project_must_admit_the_destination(tmp_path: Path) -> None:
    changes = edit(
        "wiki/overlays/home/chart.yaml",
        "destination: {server: https://kubernetes.default.svc, namespace: wiki}",
        "destination: {server: https://kubernetes.default.svc, namespace: search}",
    )
    f = only(run(tmp_path, changes), "project-destination")
    assert (f.object, f.field) == ("Application wiki/wiki-search", "spec.destination")
    assert "namespace search, which AppProject wiki does not admit" in f.message


def test_deployed_objects_must_land_in_admitted_namespaces(tmp_path: Path) -> None:
    changes = edit(
        "wiki/overlays/home/ingress.yaml",
        "metadata: {name: wiki, namespace: wiki}",
        "metadata: {name: wiki, namespace: web}",
    )
    f = only(run(tmp_path, changes), "project-destination")
    assert (f.object, f.field, f.file) == ("Ingress web/wiki", "metadata.namespace", "wiki/overlays/home/ingress.yaml")


def test_cluster_scoped_kinds_must_be_whitelisted(tmp_path: Path) -> None:
    changes = edit(
        "clusters/overlays/home/wiki-app-of-apps.yaml",
        'clusterResourceWhitelist: [{group: "", kind: PersistentVolume}]',
        "clusterResourceWhitelist: []",
    )
    f = only(run(tmp_path, changes), "project-kinds")
    assert (
        f.object == "PersistentVolume /wiki-data" and "not in AppProject wiki's clusterResourceWhitelist" in f.message
    )


def test_source_namespace_of_the_project(tmp_path: Path) -> None:
    changes = edit("clusters/overlays/home/wiki-app-of-apps.yaml", "sourceNamespaces: [wiki]", "sourceNamespaces: []")
    f = only(run(tmp_path, changes), "project-source-namespace")
    assert f.object == "Application wiki/wiki-search" and "does not list in sourceNamespaces" in f.message


def test_application_namespaces_of_argocd(tmp_path: Path) -> None:
    changes = edit(
        "clusters/overlays/home/argocd.yaml", "application.namespaces: wiki", "application.namespaces: notes"
    )
    f = only(run(tmp_path, changes), "application-namespace")
    assert (f.entry, f.object, f.field) == (ENTRY, "Application wiki/wiki-search", "metadata.namespace")
    assert "which Argo CD's application.namespaces does not list" in f.message


def test_secret_references_resolve(tmp_path: Path) -> None:
    changes = edit("wiki/base/deployment.yaml", "name: wiki-db-app", "name: wiki-db-ap")
    changes |= edit("wiki/overlays/home/chart.yaml", "existingSecret: wiki-config", "existingSecret: wiki-conf")
    findings = sorted((f.object, f.field, f.message) for f in run(tmp_path, changes) if f.check == "secret-ref")
    assert findings == [
        (
            "Application wiki/wiki-search",
            "spec.source.helm.valuesObject.auth.existingSecret",
            "uses Secret 'wiki-conf', which nothing creates in namespace wiki (no Secret, SealedSecret, ExternalSecret, CNPG cluster, cert-manager Certificate or declared creates=)",
        ),
        (
            "Deployment wiki/wiki",
            "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name",
            "uses Secret 'wiki-db-ap', which nothing creates in namespace wiki (no Secret, SealedSecret, ExternalSecret, CNPG cluster, cert-manager Certificate or declared creates=)",
        ),
    ]


def test_env_from_secret_resolves(tmp_path: Path) -> None:
    changes = edit(
        "wiki/base/deployment.yaml",
        "          volumeMounts:",
        "          envFrom: [{secretRef: {name: wiki-env}}]\n          volumeMounts:",
    )
    f = only(run(tmp_path, changes), "secret-ref")
    assert f.field == "spec.template.spec.containers[0].envFrom[0].secretRef.name" and "'wiki-env'" in f.message


def test_storage_classes_resolve(tmp_path: Path) -> None:
    changes = edit("wiki/overlays/home/database.yaml", "storageClass: fast", "storageClass: fats")
    f = only(run(tmp_path, changes), "storage-class")
    assert (f.object, f.field) == ("Cluster wiki/wiki-db", "spec.storage.storageClass")
    assert "StorageClass 'fats'" in f.message and "fast, longhorn" in f.fix


def test_ingress_hosts_are_unique(tmp_path: Path) -> None:
    second = minitree.FILES["wiki/overlays/home/ingress.yaml"].replace("name: wiki,", "name: wiki-2,")
    changes = {"wiki/overlays/home/ingress2.yaml": second} | edit(
        "wiki/overlays/home/kustomization.yaml", "  - chart.yaml\n", "  - chart.yaml\n  - ingress2.yaml\n"
    )
    f = only(run(tmp_path, changes), "ingress-host")
    assert "host 'wiki' is also used by Ingress wiki/wiki" in f.message and f.object == "Ingress wiki/wiki-2"


def test_patch_that_matches_nothing(tmp_path: Path) -> None:
    changes = edit(
        "wiki/overlays/home/kustomization.yaml", "kind: Deployment, name: wiki}", "kind: Deployment, name: wikki}"
    )
    f = only(run(tmp_path, changes), "patch-target")
    assert (f.entry, f.file, f.field) == (ENTRY, "wiki/overlays/home/kustomization.yaml", "patches[0].target")
    assert "selects no object" in f.message and "Deployment /wiki" in f.fix


def test_delete_patches_match_their_inputs(tmp_path: Path) -> None:
    delete = "  - target: {version: v1, kind: Service, name: wiki}\n    patch: |-\n      $patch: delete\n      apiVersion: v1\n      kind: Service\n      metadata: {name: wiki}\n"
    changes = edit("wiki/overlays/home/kustomization.yaml", "patches:\n", "patches:\n" + delete)
    assert [f for f in run(tmp_path, changes) if f.check == "patch-target"] == []


def test_same_object_from_two_places(tmp_path: Path) -> None:
    copy = {"clusters/overlays/home/database.yaml": minitree.FILES["wiki/overlays/home/database.yaml"]}
    changes = copy | edit(
        "clusters/overlays/home/kustomization.yaml", "  - storage.yaml\n", "  - storage.yaml\n  - database.yaml\n"
    )
    f = only(run(tmp_path, changes), "duplicate-object")
    assert f.object == "Cluster wiki/wiki-db" and "also deployed from" in f.message
    # Its two sources are named (before: the same file twice).
    assert {f.file, f.message.split("(", 1)[1].split(")", 1)[0]} == {
        "clusters/overlays/home/database.yaml",
        "wiki/overlays/home/database.yaml",
    }


def test_a_secret_key_that_does_not_exist(tmp_path: Path) -> None:
    changes = edit("wiki/base/deployment.yaml", "{name: wiki-config, key: token}", "{name: wiki-config, key: tokn}")
    f = only(run(tmp_path, changes), "secret-key")
    assert f.object == "Deployment wiki/wiki" and f.field.endswith("env[1].valueFrom.secretKeyRef.key")
    assert (
        "reads key 'tokn' of Secret wiki/wiki-config, which has no such key (its keys, from SealedSecret wiki/wiki-config: token)"
        in f.message
    )


def test_ignore_differences_needs_respect_option(tmp_path: Path) -> None:
    changes = edit(
        "wiki/overlays/home/chart.yaml",
        "  destination:",
        "  ignoreDifferences: [{kind: Deployment, jsonPointers: [/spec/replicas]}]\n  destination:",
    )
    f = only(run(tmp_path, changes), "ignore-differences")
    assert f.severity == "warning" and f.field == "spec.ignoreDifferences"


def test_plaintext_secret(tmp_path: Path) -> None:
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: leak, namespace: wiki}\nstringData: {password: hunter2}\n"
    changes = {"wiki/overlays/home/leak.yaml": secret} | edit(
        "wiki/overlays/home/kustomization.yaml", "  - chart.yaml\n", "  - chart.yaml\n  - leak.yaml\n"
    )
    f = only(run(tmp_path, changes), "plaintext-secret")
    assert (f.object, f.file) == ("Secret wiki/leak", "wiki/overlays/home/leak.yaml")


# -- the command --------------------------------------------------------------------------------


def cli(tmp_path: Path, *args: str, changes: dict[str, str | None] | None = None) -> int:
    tree = minitree.write(tmp_path, changes)
    return main(
        [
            "--homelab",
            "tests.validate.validate_lab:LAB",
            "validate",
            "--tree",
            str(tree),
            "--crd-schemas",
            str(CRDS),
            *args,
        ]
    )


def test_exit_codes_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(tmp_path) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out
    warn = edit(
        "wiki/overlays/home/chart.yaml", "  destination:", "  ignoreDifferences: [{kind: Deployment}]\n  destination:"
    )
    assert cli(tmp_path, changes=warn) == 0
    assert cli(tmp_path, "--strict", changes=warn) == 1
    broken = edit("wiki/overlays/home/chart.yaml", "project: wiki", "project: nope")
    assert cli(tmp_path, changes=broken) == 1
    out = capsys.readouterr().out
    assert (
        "wiki/overlays/home/\n  error: [project] wiki/overlays/home/chart.yaml, Application wiki/wiki-search, spec.project:"
        in out
    )
    assert "    fix: use an existing project (the Application's props: project=), or list the app" in out
    assert (
        "    or, if it is right as it is, accept it in .homelab-validate.yaml: "
        '- {check: project, object: "Application wiki/wiki-search", reason: "..."}' in out
    )
    assert main(["validate", "--tree", str(tmp_path / "missing")]) == 2


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = edit("wiki/overlays/home/chart.yaml", "project: wiki", "project: nope")
    assert cli(tmp_path, "--format", "json", changes=broken) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 1 and report["findings"][0]["check"] == "project"
    assert report["findings"][0]["file"] == "wiki/overlays/home/chart.yaml"


def test_cluster_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(tmp_path, "--cluster", "home") == 0
    assert "validate: 2 entry directories" in capsys.readouterr().out
    assert cli(tmp_path, "--cluster", "nas") == 2
    assert "no cluster named 'nas'" in capsys.readouterr().err


def test_hand_written_tree_without_a_homelab(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = minitree.write(tmp_path)
    args = ["validate", "--tree", str(tree), "--repo", minitree.REPO, "--crd-schemas", str(CRDS)]
    assert main(["--homelab", "no_such_module:LAB", *args]) == 0
    assert "0 errors" in capsys.readouterr().out
    assert main(["--homelab", "no_such_module:LAB", "validate", "--tree", str(tree)]) == 2
    assert "cannot import no_such_module" in capsys.readouterr().err


# -- no lost findings, no cascades ------------------------------------------------------------------


def test_two_directories_failing_alike_are_two_findings(tmp_path: Path) -> None:
    # Before: Report.unique() keyed findings without their directory, so the second failure vanished.
    lab_overlay = "resources:\n  - ../../base\n"
    changes = {"wiki/overlays/lab/kustomization.yaml": lab_overlay} | edit(
        "wiki/base/kustomization.yaml", "  - service.yaml\n", "  - service.yaml\n  - missing.yaml\n"
    )
    builds = [f for f in run(tmp_path, changes) if f.check == "build"]
    assert {f.entry for f in builds} == {"wiki/overlays/home", "wiki/overlays/lab"}


def test_a_tree_without_a_cluster_root_is_an_error(tmp_path: Path) -> None:
    changes: dict[str, str | None] = {rel: None for rel in minitree.FILES if "/overlays/" in rel}
    f = only(run(tmp_path, changes), "cluster-root")
    assert f.severity == "error" and "no cluster root found: nothing deployed was checked" in f.message
    assert "clusters/overlays/<cluster>/kustomization.yaml" in f.fix


def test_a_root_that_does_not_build_skips_the_cluster_checks_and_says_so(tmp_path: Path) -> None:
    findings = run(
        tmp_path, edit(f"{BOOT}/kustomization.yaml", "  - storage.yaml\n", "  - storage.yaml\n  - gone.yaml\n")
    )
    assert only(findings, "build").entry == BOOT
    skipped = only(findings, "skipped")
    assert skipped.severity == "warning" and f"its root {BOOT} does not build" in skipped.message
    assert {f.check for f in findings} == {"build", "skipped"}


def test_without_argo_cd_application_namespaces_are_not_guessed(tmp_path: Path) -> None:
    # Before: every Application outside argocd was reported missing from application.namespaces.
    findings = run(tmp_path, edit(f"{BOOT}/kustomization.yaml", "  - argocd.yaml\n", ""))
    assert "application-namespace" not in {f.check for f in findings}
    skipped = only(findings, "skipped")
    assert "where Applications may live was not checked: Argo CD's own Application" in skipped.message
    assert skipped.severity == "info"  # Argo CD kept by other means: a note, which --strict does not fail on


def test_tls_secret_names_of_tailscale_ingresses_are_not_required(tmp_path: Path) -> None:
    # Before: "seal a secret actual-budget/unused" for a secretName the Tailscale operator ignores.
    values = "auth: {existingSecret: wiki-config}\n        ingress: {enabled: true, className: tailscale, tls: [{secretName: unused, hosts: [wiki]}]}"
    changes = edit("wiki/overlays/home/chart.yaml", "auth: {existingSecret: wiki-config}", values)
    assert [f for f in run(tmp_path, changes) if f.check == "secret-ref"] == []
    other = edit(
        "wiki/overlays/home/chart.yaml", "auth: {existingSecret: wiki-config}", values.replace("tailscale", "nginx")
    )
    assert only(run(tmp_path, other), "secret-ref").field.endswith("ingress.tls[0].secretName")


# -- accepting a finding on purpose ----------------------------------------------------------------

IGNORE = edit(
    "wiki/overlays/home/chart.yaml", "  destination:", "  ignoreDifferences: [{kind: Deployment}]\n  destination:"
)


def test_an_acceptance_file_accepts_a_finding_with_its_reason(tmp_path: Path) -> None:
    accepted = tmp_path / "accept.yaml"
    accepted.write_text(
        "accept:\n  - check: ignore-differences\n    object: Application wiki/*\n    reason: reviewed\n"
    )
    assert only(run(tmp_path / "a", IGNORE), "ignore-differences").severity == "warning"
    report = validate(
        ValidateOptions(
            tree=minitree.write(tmp_path / "b", IGNORE),
            repos={minitree.REPO},
            crd_schema_dirs=[CRDS],
            builtin_storage_classes={"home": {"longhorn"}},
            accept_file=accepted,
        )
    )
    assert report.unique() == [] and report.accepted == 1
    assert "1 accepted on purpose" in report.text()


def test_validate_of_another_tree_reads_that_repository_s_acceptances(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run inside homelab A, ``--tree`` of repository B: B's .homelab-validate.yaml applies, never A's."""
    accepting = "accept:\n  - check: ignore-differences\n    object: Application wiki/*\n    reason: reviewed\n"
    here, other = tmp_path / "here", tmp_path / "other"
    for repo in (here, other):
        (repo / ".git").mkdir(parents=True)
    (here / ".homelab-validate.yaml").write_text(accepting)
    tree = minitree.write(other, IGNORE)
    monkeypatch.setenv("HOMELAB_TEST_ROOT", str(here))
    monkeypatch.chdir(here)

    def validate_other() -> dict:
        args = ["--homelab", "tests.engine.minilab:lab_from_env", "validate", "--tree", str(tree)]
        main([*args, "--crd-schemas", str(CRDS), "--storage-class", "longhorn", "--format", "json"])
        return json.loads(capsys.readouterr().out)

    report = validate_other()
    assert report["accepted"] == 0
    assert [f["object"] for f in report["findings"] if f["check"] == "ignore-differences"] == [
        "Application wiki/wiki-search"
    ]
    (other / ".homelab-validate.yaml").write_text(accepting)
    report = validate_other()
    assert report["accepted"] == 1
    assert not [f for f in report["findings"] if f["check"] == "ignore-differences"]


def test_an_acceptance_needs_a_reason_and_a_stale_one_is_reported(tmp_path: Path) -> None:
    from homelab import HomelabError

    accepted = tmp_path / "accept.yaml"
    accepted.write_text("accept:\n  - check: ignore-differences\n    object: Application wiki/wiki-search\n")
    with pytest.raises(
        HomelabError, match=r"accept\[0\] \(ignore-differences, Application wiki/wiki-search\) needs a reason"
    ):
        run(tmp_path / "a", accept_file=accepted)
    accepted.write_text(
        "accept:\n  - check: ignore-differences\n    object: Application wiki/wiki-search\n    reason: old\n"
    )
    stale = only(run(tmp_path / "b", accept_file=accepted), "stale-acceptance")
    assert stale.severity == "warning" and "no longer has that finding" in stale.message


def test_a_run_of_one_cluster_reports_no_acceptance_as_stale(tmp_path: Path) -> None:
    """Before: ``validate --cluster X`` called an acceptance for another cluster's finding stale."""
    accepted = tmp_path / "accept.yaml"
    accepted.write_text(
        "accept:\n  - check: ignore-differences\n    object: Application elsewhere/x\n    reason: another cluster's\n"
    )
    assert [f for f in run(tmp_path / "all", accept_file=accepted) if f.check == "stale-acceptance"]
    assert not [
        f for f in run(tmp_path / "one", accept_file=accepted, clusters=["home"]) if f.check == "stale-acceptance"
    ]


def test_an_annotation_accepts_a_finding_on_its_object(tmp_path: Path) -> None:
    annotated = {
        "wiki/overlays/home/chart.yaml": IGNORE["wiki/overlays/home/chart.yaml"].replace(
            "metadata: {name: wiki-search, namespace: wiki}",
            "metadata:\n  name: wiki-search\n  namespace: wiki\n  annotations: {homelab/validate-accept: 'ignore-differences: reviewed'}",
        )
    }
    assert run(tmp_path, annotated) == []


# -- remote resources ------------------------------------------------------------------------------

REMOTE = "https://github.com/example/operator/deploy/kubernetes.yml?ref=v26"


def test_a_remote_resource_offline_needs_network_not_a_build_error(tmp_path: Path) -> None:
    # Before: "kubectl kustomize fails: : exit status 128", the cause (network) lost, then "no schema" errors.
    crd_user = "apiVersion: example.com/v1\nkind: Realm\nmetadata: {name: r, namespace: wiki}\n"
    changes = {
        "wiki/overlays/home/realm.yaml": crd_user,
        "wiki/overlays/home/kustomization.yaml": minitree.FILES["wiki/overlays/home/kustomization.yaml"].replace(
            "  - chart.yaml\n", f"  - chart.yaml\n  - realm.yaml\n  - {REMOTE}\n"
        ),
    }
    findings = run(tmp_path, changes)
    net = only(findings, "needs-network")
    assert net.severity == "warning" and net.message.startswith(f"needs network: {REMOTE}")
    assert "build" not in {f.check for f in findings}
    online = only(run(tmp_path / "b", changes, online=True), "build")
    assert online.severity == "error" and "github.com" in online.message


def test_kinds_whose_crds_may_come_from_an_unfetched_base_are_only_warned(tmp_path: Path) -> None:
    realm = "apiVersion: example.com/v1\nkind: Realm\nmetadata: {name: r, namespace: wiki}\n"
    changes = {
        f"{BOOT}/realm.yaml": realm,
        f"{BOOT}/kustomization.yaml": minitree.FILES[f"{BOOT}/kustomization.yaml"].replace(
            "  - storage.yaml\n", "  - storage.yaml\n  - realm.yaml\n"
        ),
    }
    assert only(run(tmp_path / "a", changes), "schema").severity == "error"
    changes["wiki/overlays/home/kustomization.yaml"] = minitree.FILES["wiki/overlays/home/kustomization.yaml"].replace(
        "  - chart.yaml\n", f"  - chart.yaml\n  - {REMOTE}\n"
    )
    schema = only(run(tmp_path / "b", changes), "schema")
    assert schema.severity == "warning" and "its CRD may come from what could not be fetched offline" in schema.message


def test_a_storage_class_a_chart_provides_is_known(tmp_path: Path) -> None:
    # Before: a StorageClass created by a chart the tree deploys (longhorn) had to be passed on the command line.
    uses = edit(
        "wiki/overlays/home/chart.yaml", "persistence: {storageClass: fast}", "persistence: {storageClass: chartclass}"
    )
    assert only(run(tmp_path / "a", uses), "storage-class").message.startswith("uses StorageClass 'chartclass'")
    provided = uses | {
        f"{BOOT}/argocd.yaml": minitree.FILES[f"{BOOT}/argocd.yaml"].replace(
            "metadata: {name: argocd, namespace: argocd}",
            "metadata: {name: argocd, namespace: argocd, annotations: {homelab/provides-storage-classes: chartclass}}",
        )
    }
    assert [f for f in run(tmp_path / "b", provided) if f.check == "storage-class"] == []


# -- ingress backends and service selectors ------------------------------------------------------

NO_CHART = edit("wiki/overlays/home/kustomization.yaml", "  - chart.yaml\n", "")


def test_an_ingress_backend_must_exist(tmp_path: Path) -> None:
    broken = NO_CHART | edit("wiki/overlays/home/ingress.yaml", "service: {name: wiki,", "service: {name: wikii,")
    f = only(run(tmp_path / "a", broken), "ingress-backend")
    assert (f.severity, f.field) == ("error", "spec.defaultBackend.service.name")
    assert (
        "routes to Service 'wikii', which nothing the cluster deploys creates in namespace wiki (did you mean wiki?)"
        in f.message
    )
    # With a chart in the namespace, a Service named after its release is the chart's; another name is a warning.
    derived = edit("wiki/overlays/home/ingress.yaml", "service: {name: wiki,", "service: {name: wiki-search-web,")
    assert [x for x in run(tmp_path / "b", derived) if x.check == "ingress-backend"] == []
    other = edit("wiki/overlays/home/ingress.yaml", "service: {name: wiki,", "service: {name: elsewhere,")
    assert only(run(tmp_path / "c", other), "ingress-backend").severity == "warning"


def test_a_service_selector_must_match_a_pod_template(tmp_path: Path) -> None:
    broken = NO_CHART | edit("wiki/base/service.yaml", "selector: {app: wiki}", "selector: {app: wikki}")
    f = only(run(tmp_path, broken), "service-selector")
    assert (
        f.object == "Service wiki/wiki"
        and "no workload deployed in wiki has a pod template with those labels" in f.message
    )
    assert run(tmp_path / "ok", NO_CHART) == []


def test_an_application_on_another_branch_is_not_verifiable_here(tmp_path: Path) -> None:
    changes = edit(
        f"{BOOT}/wiki-app-of-apps.yaml",
        "targetRevision: main, path: kustomize/wiki/overlays/home",
        "targetRevision: wiki-next, path: kustomize/wiki/overlays/next",
    )
    findings = run(tmp_path, changes)
    f = only(findings, "other-revision")
    assert (
        f.severity == "info"
        and "follows revision 'wiki-next'" in f.message
        and "not verifiable at this revision" in f.message
    )
    assert "application-path" not in {x.check for x in findings}


def test_an_app_of_apps_commented_out_is_checked_as_not_deployed_and_its_file_is_unused(tmp_path: Path) -> None:
    # Before: overlays deployed only by an app-of-apps file left out of a kustomization were never checked.
    waiting = f"""
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: wiki-next, namespace: argocd}}
spec:
  project: wiki
  source: {{repoURL: {minitree.REPO}, targetRevision: main, path: kustomize/wiki/next}}
  destination: {{server: https://kubernetes.default.svc, namespace: wiki}}
"""
    changes = {
        f"{BOOT}/wiki-next-app.yaml": waiting,  # not listed in the root's kustomization
        "wiki/next/kustomization.yaml": "resources:\n  - ../base\n",
    }
    findings = run(tmp_path, changes, unused=True)
    f = only(findings, "not-deployed")
    assert (f.entry, f.severity) == ("wiki/next", "warning")
    assert (
        f"Application wiki-next in {BOOT}/wiki-next-app.yaml points here, but no cluster root reaches it" in f.message
    )
    assert only(findings, "unused").file == f"{BOOT}/wiki-next-app.yaml"


def test_no_namespace_in_a_patch_is_explained(tmp_path: Path) -> None:
    patch = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: wiki-db}\nspec: {instances: 2}\n"
    changes = {"wiki/overlays/home/db-patch.yaml": patch} | edit(
        "wiki/overlays/home/kustomization.yaml", "patches:\n", "patches:\n  - path: db-patch.yaml\n"
    )
    f = only(run(tmp_path, changes), "build")
    assert "[noNs]" in f.message and "give the patch the object's metadata.namespace" in f.fix


def test_an_object_whose_spec_is_not_a_mapping_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    # Found by the round-trip property test: the GitOps checks assumed every spec was a mapping.
    changes = {
        "wiki/overlays/home/widget.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: w, namespace: wiki}\nspec: yes\n"
    }
    changes |= edit("wiki/overlays/home/kustomization.yaml", "  - chart.yaml\n", "  - chart.yaml\n  - widget.yaml\n")
    assert {f.check for f in run(tmp_path, changes)} >= {"schema"}


def _reads_configmaps(*refs: str) -> dict[str, str | None]:
    """The wiki Deployment with ``refs`` (YAML lines under the container) added: env, envFrom, volumes."""
    return edit("wiki/base/deployment.yaml", "          volumeMounts:", "\n".join(refs) + "\n          volumeMounts:")


ENV_FROM = "          envFrom: [{configMapRef: {name: wiki-settings}}]"


def test_a_configmap_nothing_creates_is_an_error(tmp_path: Path) -> None:
    without_chart = edit("wiki/overlays/home/kustomization.yaml", "  - chart.yaml\n", "")
    f = only(run(tmp_path, {**_reads_configmaps(ENV_FROM), **without_chart}), "configmap-ref")
    assert (f.severity, f.object, f.field) == (
        "error",
        "Deployment wiki/wiki",
        "spec.template.spec.containers[0].envFrom[0].configMapRef.name",
    )
    assert (
        f.message
        == "reads ConfigMap 'wiki-settings', which nothing deployed creates in namespace wiki; the pod would not start"
    )
    assert "constructs_lib.config_map.ConfigMap" in f.fix


def test_a_configmap_a_chart_may_create_is_a_warning(tmp_path: Path) -> None:
    f = only(run(tmp_path, _reads_configmaps(ENV_FROM)), "configmap-ref")
    assert f.severity == "warning" and "not derived from a chart release in wiki (wiki-search)" in f.message


def test_configmaps_that_exist_or_are_optional_are_not_findings(tmp_path: Path) -> None:
    deployment = minitree.FILES["wiki/base/deployment.yaml"].replace(
        "          env:\n",
        "          env:\n"
        "            - name: LEVEL  # a ConfigMap of the chart's release\n"
        "              valueFrom: {configMapKeyRef: {name: wiki-search-env, key: level}}\n"
        "            - name: EXTRA\n"
        "              valueFrom: {configMapKeyRef: {name: extra, key: x, optional: true}}\n",
    )
    deployment += "        - name: ca\n          projected: {sources: [{configMap: {name: kube-root-ca.crt}}]}\n"
    assert run(tmp_path, {"wiki/base/deployment.yaml": deployment}) == []
    # The same references, with the release's name wrong: found, so the references above were read.
    wrong = deployment.replace("wiki-search-env", "wiki-serch-env")
    assert only(run(tmp_path / "wrong", {"wiki/base/deployment.yaml": wrong}), "configmap-ref").field.endswith(
        "env[0].valueFrom.configMapKeyRef.name"
    )


def test_an_overlay_not_deployed_yet_is_checked_for_its_configmaps(tmp_path: Path) -> None:
    deployment = PREPARED["notes/overlays/home/deployment.yaml"] + (
        "          volumeMounts: [{name: conf, mountPath: /etc/notes}]\n"
        "      volumes: [{name: conf, configMap: {name: notes-conf}}]\n"
    )
    f = only(run(tmp_path, {**PREPARED, "notes/overlays/home/deployment.yaml": deployment}), "configmap-ref")
    assert (f.entry, f.field, f.severity) == (
        "notes/overlays/home",
        "spec.template.spec.volumes[0].configMap.name",
        "warning",
    )
    assert "reads ConfigMap 'notes-conf'" in f.message and "is not deployed yet" in f.message


def test_a_chart_known_to_install_cluster_kinds_needs_its_project_to_admit_them(tmp_path: Path) -> None:
    """Before: the cert-manager chart's CRDs, ClusterRoles and webhooks were silently refused at the first sync."""
    cert_manager = edit("wiki/overlays/home/chart.yaml", "chart: search", "chart: cert-manager")
    f = only(run(tmp_path / "a", cert_manager), "chart-cluster-kinds")
    assert (f.object, f.field, f.severity) == ("Application wiki/wiki-search", "spec.source.chart", "error")
    assert f.message.startswith(
        "chart cert-manager installs cluster-scoped CustomResourceDefinition, ClusterRole, ClusterRoleBinding, "
        "MutatingWebhookConfiguration, ValidatingWebhookConfiguration, which AppProject wiki does not admit"
    )
    assert "HelmArgoAppProps(cluster_resources=(('apiextensions.k8s.io', 'CustomResourceDefinition')," in f.fix
    admitted = edit(
        "clusters/overlays/home/wiki-app-of-apps.yaml",
        'clusterResourceWhitelist: [{group: "", kind: PersistentVolume}]',
        'clusterResourceWhitelist: [{group: "", kind: PersistentVolume}, {group: "*", kind: "*"}]',
    )
    assert not [x for x in run(tmp_path / "b", {**cert_manager, **admitted}) if x.check == "chart-cluster-kinds"]


def test_a_run_of_one_cluster_does_not_report_anothers_directories_as_not_deployed(tmp_path: Path) -> None:
    """Before: ``validate --cluster home`` warned that every directory cluster ``lab``'s root deploys was "not
    deployed", since only home's root was followed."""
    lab_app = f"""
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: wiki, namespace: argocd}}
spec:
  project: default
  source: {{repoURL: {minitree.REPO}, targetRevision: main, path: kustomize/wiki/overlays/lab}}
  destination: {{server: https://kubernetes.default.svc, namespace: wiki}}
"""
    changes = {
        "clusters/overlays/lab/kustomization.yaml": "resources:\n  - wiki-app.yaml\n",
        "clusters/overlays/lab/wiki-app.yaml": lab_app,
        "wiki/overlays/lab/kustomization.yaml": "resources:\n  - ../../base\n",
    }
    assert [f for f in run(tmp_path, changes, clusters=["home"]) if f.check == "not-deployed"] == []
    # the whole tree: lab deploys it
    assert [f for f in run(tmp_path, changes) if f.check == "not-deployed"] == []
