"""New apps without workarounds: each gap of the language, used as a user writes it (``tests/language/lab.py``)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import cdk8s
import pytest
import yaml
from cdk8s_plus_33 import k8s

from constructs_lib.api_object import api_object
from constructs_lib.cron_job import CronJob, CronJobProps
from constructs_lib.errors import PropsError
from constructs_lib.pod import PodSpec
from constructs_lib.sync_policy import SyncPolicy
from homelab import AppSpec, ClusterPlan, Homelab, HomelabError
from homelab.engine.pipeline import synthesise
from homelab.model.app_group import AppGroup
from homelab.model.remote_resource import RemoteResource
from homelab.validate import ValidateOptions, validate
from tests.conftest import FakeStore
from tests.language import lab

TREE = "kustomize"


def synth(home_changes: dict[str, Any] | None = None, root: Path = Path("/nonexistent")) -> dict[str, bytes]:
    stores = {"home": FakeStore(), "laptop": FakeStore()}
    return synthesise(lab.lab(root, **(home_changes or {})), stores=stores).files


@pytest.fixture(scope="module")
def files() -> dict[str, Any]:
    return {path: text.decode() for path, text in synth().items()}


def doc(files: dict[str, str], path: str) -> Any:
    return yaml.safe_load(files[f"{TREE}/{path}"])


# -- 1. per-app Application settings ------------------------------------------------------------
def test_an_app_declares_its_own_sync_options_and_annotations(files: dict[str, str]) -> None:
    app = doc(files, "clusters/overlays/home/application-keycloak-operator.yaml")
    assert app["spec"]["syncPolicy"]["syncOptions"] == ["ServerSideApply=true", "CreateNamespace=true"]
    assert app["metadata"]["annotations"] == {"notifications.argoproj.io/subscribe.on-sync-failed.ntfy": "homelab"}
    # an app that declares nothing gets the cluster's default (no options on home)
    assert "syncOptions" not in doc(files, "clusters/overlays/home/application-notes.yaml")["spec"]["syncPolicy"]
    # the app is deployed: no "Off on this cluster" note anywhere
    assert "Off on this cluster" not in files[f"{TREE}/clusters/overlays/home/kustomization.yaml"]


def test_ignore_differences_of_an_app(files: dict[str, str]) -> None:
    app = doc(files, "clusters/overlays/home/application-keycloak-instance.yaml")
    assert app["spec"]["ignoreDifferences"] == [
        {"group": "k8s.keycloak.org", "kind": "Keycloak", "jsonPointers": ["/status"]}
    ]


def test_a_cluster_overrides_one_apps_settings(files: dict[str, str]) -> None:
    assert doc(files, "clusters/overlays/home/application-budget.yaml")["spec"]["syncPolicy"] == {}
    # the laptop plan overrides nothing: the app's own options win over the cluster's default
    laptop = doc(files, "clusters/overlays/laptop/application-keycloak-operator.yaml")
    assert laptop["spec"]["syncPolicy"]["syncOptions"] == ["ServerSideApply=true", "CreateNamespace=true"]


def test_settings_for_an_app_not_on_the_cluster_are_refused() -> None:
    from constructs_lib.application_settings import ApplicationSettings

    with pytest.raises(HomelabError, match="application_settings names 'nope', which is not an app of cluster 'home'"):
        lab.lab(Path("/x"), application_settings={"nope": ApplicationSettings(sync=SyncPolicy())})


# -- 2. app groups ------------------------------------------------------------------------------
def test_a_group_emits_one_namespace_and_one_project(files: dict[str, str]) -> None:
    home = [p for p in files if p.startswith(f"{TREE}/clusters/overlays/home/")]
    assert [p for p in home if "keycloak" in p and "namespace-" in p] == [
        f"{TREE}/clusters/overlays/home/namespace-keycloak.yaml"
    ]
    assert [p for p in home if "appproject-keycloak" in p] == [
        f"{TREE}/clusters/overlays/home/appproject-keycloak.yaml"
    ]
    assert doc(files, "clusters/overlays/home/namespace-keycloak.yaml")["metadata"]["labels"] == {"team": "identity"}
    for name in ("keycloak-operator", "keycloak-instance"):
        app = doc(files, f"clusters/overlays/home/application-{name}.yaml")
        assert (app["spec"]["project"], app["spec"]["destination"]["namespace"]) == ("keycloak", "keycloak")


def test_the_group_project_is_the_union_of_its_members(files: dict[str, str]) -> None:
    project = doc(files, "clusters/overlays/home/appproject-keycloak.yaml")["spec"]
    # the operator's remote manifests bring CRDs and cluster roles: the project admits them
    assert project["clusterResourceWhitelist"] == [
        {"group": "apiextensions.k8s.io", "kind": "CustomResourceDefinition"},
        {"group": "rbac.authorization.k8s.io", "kind": "ClusterRole"},
    ]


def test_two_apps_in_one_namespace_without_a_group_is_a_clear_error() -> None:
    apart = {
        name: dataclasses.replace(lab.APPS[name], group=None, namespace="keycloak", project=name)
        for name in ("keycloak-operator", "keycloak-instance")
    }
    with pytest.raises(HomelabError) as caught:
        Homelab(root=Path("/x"), core=lab.CORE, clusters=(ClusterPlan(cluster=lab.HOME, apps=(*apart.values(),)),))
    message = str(caught.value)
    assert "apps 'keycloak-operator'" in message and "'keycloak-instance' both use namespace 'keycloak'" in message
    assert "AppGroup(name='keycloak')" in message and "group=GROUP" in message


def test_a_group_member_does_not_set_its_own_namespace() -> None:
    with pytest.raises(HomelabError, match="remove namespace=/project=/namespace_labels="):
        AppSpec(name="x", base=lambda scope: None, group=AppGroup(name="g"), namespace="other")


# -- 3. remote bases ----------------------------------------------------------------------------
def test_a_remote_resource_is_listed_pinned_in_the_base(files: dict[str, str]) -> None:
    assert doc(files, "keycloak-operator/base/kustomization.yaml")["resources"] == [
        "https://github.com/keycloak/keycloak-k8s-resources//kubernetes?ref=26.0.5"
    ]


@pytest.mark.parametrize(
    ("url", "ref", "message"),
    [
        ("http://example.com/x.yaml", "v1", "must start with https://"),
        ("https://github.com/o/r//d?ref=v1", "v1", "give the ref as ref="),
        ("https://github.com/o/r//d", "main", "must be a tag or a commit"),
    ],
)
def test_remote_resources_must_be_pinned(url: str, ref: str, message: str) -> None:
    with pytest.raises(HomelabError, match=message):
        RemoteResource(url=url, ref=ref)


def test_a_raw_file_url_takes_the_ref_in_place() -> None:
    remote = RemoteResource(url="https://raw.githubusercontent.com/o/r/{ref}/crds.yaml", ref="v1.2.3")
    assert remote.target == "https://raw.githubusercontent.com/o/r/v1.2.3/crds.yaml"


KEYCLOAK_FILES = RemoteResource.github(
    repo="keycloak/keycloak-k8s-resources",
    ref="26.0.5",
    paths=("kubernetes/keycloaks.k8s.keycloak.org-v1.yml", "kubernetes/kubernetes.yml"),
    cluster_resources=(("apiextensions.k8s.io", "CustomResourceDefinition"),),
)


def test_several_files_of_one_release_say_the_version_once() -> None:
    """Before: an operator's version repeated in each of its remote URLs (and Renovate updating each apart)."""
    operator = dataclasses.replace(lab.APPS["keycloak-operator"], remote_resources=KEYCLOAK_FILES)
    one = Homelab(root=Path("/nonexistent"), core=lab.CORE, clusters=(ClusterPlan(cluster=lab.HOME, apps=(operator,)),))
    tree = {path: text.decode() for path, text in synthesise(one, stores={"home": FakeStore()}).files.items()}
    raw = "https://raw.githubusercontent.com/keycloak/keycloak-k8s-resources/26.0.5/kubernetes"
    assert doc(tree, "keycloak-operator/base/kustomization.yaml")["resources"] == [
        f"{raw}/keycloaks.k8s.keycloak.org-v1.yml",
        f"{raw}/kubernetes.yml",
    ]
    assets = RemoteResource.github(repo="o/r", ref="v1.2.3", paths=("crds.yaml", "operator.yaml"), release=True)
    assert [a.target for a in assets] == [
        "https://github.com/o/r/releases/download/v1.2.3/crds.yaml",
        "https://github.com/o/r/releases/download/v1.2.3/operator.yaml",
    ]
    assert {a.cluster_resources for a in KEYCLOAK_FILES} == {(("apiextensions.k8s.io", "CustomResourceDefinition"),)}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"repo": "https://github.com/o/r", "paths": ("a.yaml",)},
            r"^RemoteResource\.github\(repo='https://github.com/o/r'\): repo= is the repository as OWNER/NAME, e\.g\. "
            r"repo='keycloak/keycloak-k8s-resources'$",
        ),
        (
            {"repo": "o/r", "paths": "a.yaml"},
            r"^RemoteResource\.github\(repo='o/r'\): paths= takes a tuple of the files, at least one; for one file "
            r"write paths=\('a\.yaml',\)$",
        ),
        (
            {"repo": "o/r", "paths": ()},
            r"^RemoteResource\.github\(repo='o/r'\): paths= takes a tuple of the files, at least one",
        ),
        (
            {"repo": "o/r", "paths": ("v1.2.3/crds.yaml", "/crds.yaml")},
            r"^RemoteResource\.github\(repo='o/r'\): path '/crds\.yaml' must be a file of the repository \(of the "
            r"release's assets with release=True\) below its root, e\.g\. 'deploy/crds\.yaml', without the ref$",
        ),
        ({"repo": "o/r", "paths": ("a.yaml",), "ref": "main"}, r"ref='main' must be a tag or a commit"),
    ],
)
def test_files_of_a_release_are_refused_with_the_fix(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(HomelabError, match=message):
        RemoteResource.github(**{"ref": "v1.2.3", **arguments})


def test_renovate_finds_the_version_of_files_of_a_release_once() -> None:
    """renovate.json's regex managers (JavaScript's named groups read in Python's spelling) on such a call."""
    config = json.loads((Path(__file__).parents[2] / "renovate.json").read_text())
    (manager,) = [m for m in config["customManagers"] if m.get("datasourceTemplate") == "github-tags"]
    source = (
        'OPERATOR = RemoteResource.github(\n    repo="keycloak/keycloak-k8s-resources",\n    ref="26.0.5",\n'
        '    paths=("kubernetes/a.yml", "kubernetes/b.yml", "kubernetes/c.yml"),\n)\n'
    )
    found = [
        (m.group("depName"), m.group("currentValue"))
        for pattern in manager["matchStrings"]
        for m in re.finditer(pattern.replace("(?<", "(?P<"), source)
    ]
    assert found == [("keycloak/keycloak-k8s-resources", "26.0.5")]


def test_validate_reports_the_remote_base_as_needing_the_network(tmp_path: Path) -> None:
    """Offline, the remote base cannot be built: a warning naming the URL, the rest of the tree checked."""
    for path, content in synth(root=tmp_path).items():
        (tmp_path / "dist" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "dist" / path).write_bytes(content)
    report = validate(
        ValidateOptions(
            tree=tmp_path / "dist" / TREE,
            repos={"https://git.example/lab"},
            prefix=f"dist/{TREE}",
            allowed_kinds={"Application", "AppProject", "SealedSecret", "Cluster", "Keycloak"},
        )
    )
    network = [f for f in report.unique() if f.check == "needs-network"]
    assert network and all("keycloak-k8s-resources" in f.message for f in network)
    assert not [f for f in report.unique() if f.severity == "error"], report.unique()


# -- 4. typed Kubernetes objects ----------------------------------------------------------------
def test_typed_pieces_and_new_options_render(files: dict[str, str]) -> None:
    cron = doc(files, "budget/base/cronjob-budget-sync.yaml")["spec"]
    assert (cron["successfulJobsHistoryLimit"], cron["failedJobsHistoryLimit"], cron["concurrencyPolicy"]) == (
        1,
        2,
        "Forbid",
    )
    container = cron["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["env"][1] == {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}
    assert container["livenessProbe"] == {"exec": {"command": ["budget", "health"]}, "failureThreshold": 3}
    assert container["securityContext"] == {"readOnlyRootFilesystem": True}
    pod = doc(files, "gateway/base/deployment-guacd.yaml")["spec"]["template"]["spec"]
    assert pod["hostAliases"] == [{"ip": "10.0.0.2", "hostnames": ["nas"]}]
    cluster = doc(files, "workflow/overlays/home/cluster-workflow-pg.yaml")["spec"]
    assert cluster["bootstrap"]["initdb"]["secret"] == {"name": "workflow-db-owner"}
    deployment = doc(files, "gateway/base/deployment-guacamole.yaml")["spec"]
    assert deployment["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0}}
    lan = doc(files, "gateway/overlays/home/service-guacamole-lan.yaml")["spec"]
    assert lan["ports"] == [{"port": 8080, "nodePort": 30080, "targetPort": 8080}]
    rules = doc(files, "gateway/base/ingress-gateway.yaml")["spec"]["rules"]
    assert [r.get("host") for r in rules] == ["desk.tail0000.ts.net", None]


def test_a_none_helm_value_is_written_as_null(files: dict[str, str]) -> None:
    chart = doc(files, "workflow/overlays/home/application-workflow-chart.yaml")
    assert chart["spec"]["source"]["helm"]["valuesObject"]["resources"] is None
    assert "resources: null" in files[f"{TREE}/workflow/overlays/home/application-workflow-chart.yaml"]


def test_an_l1_object_in_a_builder_is_patched_per_cluster(files: dict[str, str]) -> None:
    patches = doc(files, "devenv/overlays/home/kustomization.yaml")["patches"]
    assert [yaml.safe_load(p["patch"]) for p in patches] == [[{"op": "replace", "path": "/spec/replicas", "value": 2}]]


def test_a_misspelt_top_level_field_is_refused() -> None:
    with pytest.raises(PropsError, match="top-level field 'sepc' is not a Kubernetes field; did you mean 'spec'"):
        api_object(cdk8s.Chart(cdk8s.App(), "x"), "o", api_version="v1", kind="ConfigMap", metadata={}, sepc={})  # type: ignore[arg-type]


# -- 5. cdk8s-plus L2 constructs ------------------------------------------------------------------
def test_cdk8s_plus_constructs_synthesise_and_their_overlay_is_a_patch(files: dict[str, str]) -> None:
    assert {p.rsplit("/", 1)[1] for p in files if p.startswith(f"{TREE}/notes/base/")} == {
        "configmap-notes.yaml",
        "deployment-notes.yaml",
        "service-notes.yaml",
        "kustomization.yaml",
    }
    deployment = doc(files, "notes/base/deployment-notes.yaml")
    service = doc(files, "notes/base/service-notes.yaml")
    # the Service selects the Deployment's pods by cdk8s-plus's label, the same in base and overlay
    assert service["spec"]["selector"] == deployment["spec"]["template"]["metadata"]["labels"]
    patches = doc(files, "notes/overlays/home/kustomization.yaml")["patches"]
    assert [yaml.safe_load(p["patch"]) for p in patches] == [[{"op": "replace", "path": "/spec/replicas", "value": 3}]]


# -- 6. the escape hatch ------------------------------------------------------------------------
def test_set_field_sets_what_no_prop_exposes(files: dict[str, str]) -> None:
    cron = doc(files, "budget/base/cronjob-budget-sync.yaml")
    assert cron["spec"]["jobTemplate"]["spec"]["activeDeadlineSeconds"] == 600


def test_set_field_takes_typed_pieces_and_list_indexes() -> None:
    scope = cdk8s.Chart(cdk8s.App(), "x")
    pod = PodSpec(containers=(k8s.Container(name="c", image="busybox:1.36"),))
    job = CronJob(scope, "j", CronJobProps(name="j", namespace="n", schedule="@daily", pod=pod))
    job.resource.set_field("/spec/jobTemplate/spec/template/spec/containers/0/tty", True)
    job.resource.set_field("/spec/jobTemplate/spec/template/spec/tolerations", [k8s.Toleration(operator="Exists")])
    job.resource.set_field("/metadata/labels/tier", "batch")
    out = job.resource.to_json()
    spec = out["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert spec["containers"][0]["tty"] is True and spec["tolerations"] == [{"operator": "Exists"}]
    assert out["metadata"] == {"labels": {"tier": "batch"}, "name": "j", "namespace": "n"}
    assert "tty" not in json.dumps(pod.render())  # the props are not touched
    for pointer, message in (("spec", "JSON pointer below the object"), ("/sepc/x", "did you mean 'spec'")):
        with pytest.raises(PropsError, match=message):
            job.resource.set_field(pointer, 1)
    with pytest.raises(PropsError, match="no item '5'"):
        job.resource.set_field("/spec/jobTemplate/spec/template/spec/containers/5/tty", True)


# -- custom resources against their schemas, at synth ---------------------------------------------
def test_synth_checks_custom_resources_against_cached_schemas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where ``homelab validate`` cached a CRD's schema, synth refuses what the CRD would refuse."""
    from constructs_lib.api_object import api_object
    from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps
    from homelab.validate.schema_cache import DEFAULT_LOCATION, cached_schema

    META = {"name": "pg", "namespace": "db"}
    from tests.validate.crd_schemas import SCHEMAS

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = cached_schema(DEFAULT_LOCATION, tmp_path / "homelab" / "schemas", "postgresql.cnpg.io/v1", "Cluster")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(SCHEMAS["postgresql.cnpg.io/cluster_v1.json"]))

    def database(typo: bool) -> Any:
        def build(scope: cdk8s.Chart) -> None:
            if typo:  # a misspelt field in the object's own data (a set_field is refused at its line before this)
                spec = {"instances": 1, "instancez": 2, "storage": {"size": "1Gi"}}
                api_object(scope, "db", api_version="postgresql.cnpg.io/v1", kind="Cluster", metadata=META, spec=spec)
            else:
                CnpgDatabase(scope, "db", CnpgDatabaseProps(name="pg", namespace="db"))

        return AppSpec(name="db", base=build)

    def run(app: AppSpec) -> dict[str, bytes]:
        plan = ClusterPlan(cluster=lab.HOME, apps=(app,))
        return synthesise(Homelab(root=Path("/x"), core=lab.CORE, clusters=(plan,)), stores={"home": FakeStore()}).files

    assert run(database(typo=False))
    with pytest.raises(HomelabError) as caught:
        run(database(typo=True))
    assert "Cluster db/pg field spec" in str(caught.value) and "instancez" in str(caught.value)
