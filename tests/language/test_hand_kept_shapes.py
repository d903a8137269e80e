"""The shapes of hand-kept homelabs, said in the language: apps in Argo CD's ``default`` project (no AppProject),
namespaces Argo CD creates at sync or that exist already (no Namespace object), several apps in one such
namespace, a cluster that runs no core app, and a homelab without one; each with its refusals."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from constructs_lib.api_object import api_object
from constructs_lib.app_of_apps import AppOfAppsProps
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.errors import PropsError
from constructs_lib.platform.platform import PlatformProps
from constructs_lib.platform.sealed_secrets import SealedSecretsProps
from constructs_lib.sync_policy import SyncPolicy
from homelab import DEFAULT_PROJECT, AppSpec, Cluster, ClusterPlan, ExistingProject, Homelab, HomelabError, Scope
from homelab.engine.pipeline import synthesise
from tests.conftest import FakeStore

PROD = Cluster(name="prod", repo_url="git@github.com:me/lab.git", tree_path="")
EDGE = Cluster(name="edge", repo_url="git@github.com:me/lab.git", tree_path="")
SYNC = SyncPolicy(options=("CreateNamespace=true",))


def config(name: str, namespace: str):  # type: ignore[no-untyped-def]
    def base(scope: Scope) -> None:
        api_object(
            scope,
            name,
            api_version="v1",
            kind="ConfigMap",
            metadata={"name": name, "namespace": namespace},
            data={"a": "1"},
        )

    return base


WIKI = AppSpec(
    name="wiki",
    base=config("wiki", "tools"),
    namespace="tools",
    project=DEFAULT_PROJECT,
    namespace_creation="sync-option",
)
PASTE = AppSpec(
    name="paste",
    base=config("paste", "tools"),
    namespace="tools",
    project=DEFAULT_PROJECT,
    namespace_creation="sync-option",
)
METRICS = AppSpec(
    name="metrics",
    base=config("metrics", "kube-system"),
    namespace="kube-system",
    project=ExistingProject(name="infra"),
    namespace_creation="none",
)
CORE = AppSpec(name="core-argocd-apps", base=lambda scope: None)


def files(lab: Homelab) -> dict[str, Any]:
    out = synthesise(lab, stores={p.cluster.name: FakeStore() for p in lab.clusters}).files
    return {path: yaml.safe_load(text) for path, text in out.items() if path.endswith(".yaml")}


def lab(core: AppSpec | None = CORE, **prod: Any) -> Homelab:
    plans = (
        ClusterPlan(cluster=PROD, apps=(WIKI, PASTE, METRICS), app_sync=SYNC, **prod),
        ClusterPlan(cluster=EDGE, apps=(WIKI,), app_sync=SYNC),
    )
    return Homelab(root=Path("/nonexistent"), core=core, clusters=plans)


def test_apps_in_the_default_project_with_namespaces_created_at_sync() -> None:
    tree = files(lab(runs_core=False))
    own = yaml.safe_dump(tree["clusters/overlays/prod/kustomization.yaml"])
    kinds = [doc["kind"] for path, doc in tree.items() if path.startswith("clusters/overlays/prod/") and "kind" in doc]
    assert "AppProject" not in kinds and "Namespace" not in kinds, own  # neither default, infra nor tools
    wiki = tree["clusters/overlays/prod/application-wiki.yaml"]
    assert wiki["spec"]["project"] == "default" and wiki["spec"]["destination"]["namespace"] == "tools"
    assert wiki["spec"]["syncPolicy"]["syncOptions"] == ["CreateNamespace=true"]
    assert tree["clusters/overlays/prod/application-metrics.yaml"]["spec"]["project"] == "infra"


def test_a_cluster_that_runs_no_core_app_has_no_root_application_nor_core_overlay() -> None:
    tree = files(lab(runs_core=False))
    assert not any(path.startswith("core-argocd-apps/overlays/prod") for path in tree)
    assert "core-argocd-apps/overlays/edge/kustomization.yaml" in tree  # edge still runs it
    root = [d for p, d in tree.items() if p.startswith("clusters/overlays/prod/") and d.get("kind") == "Application"]
    assert sorted(d["metadata"]["name"] for d in root) == ["metrics", "paste", "wiki"]


def test_a_homelab_without_core_app_has_no_core_directory() -> None:
    tree = files(lab(core=None))
    assert not any(path.startswith("core-argocd-apps/") for path in tree)
    apps = [
        d["metadata"]["name"] for p, d in tree.items() if p.startswith("clusters/") and d.get("kind") == "Application"
    ]
    assert "core-argocd-app" not in apps and sorted(apps) == ["metrics", "paste", "wiki", "wiki"]


def test_the_default_shapes_are_unchanged() -> None:
    owned = replace(WIKI, project=None, namespace_creation="object")
    tree = files(Homelab(root=Path("/x"), core=CORE, clusters=(ClusterPlan(cluster=PROD, apps=(owned,)),)))
    kinds = sorted(d["kind"] for p, d in tree.items() if p.startswith("clusters/overlays/prod/") and "kind" in d)
    assert kinds == ["AppProject", "Application", "Application", "Kustomization", "Namespace"]


def test_project_default_is_refused_with_the_typed_way() -> None:
    with pytest.raises(
        HomelabError, match=r"project='default' would emit an AppProject named 'default'.*DEFAULT_PROJECT"
    ):
        AppSpec(name="wiki", base=config("wiki", "wiki"), project="default")


def test_an_existing_project_needs_a_valid_name() -> None:
    with pytest.raises(PropsError, match="ExistingProject"):
        ExistingProject(name="Not A Name")


def test_namespace_labels_need_a_namespace_object() -> None:
    with pytest.raises(HomelabError, match=r"namespace_creation='sync-option' emits none"):
        AppSpec(name="wiki", base=config("wiki", "wiki"), namespace_creation="sync-option", namespace_labels={"a": "b"})
    with pytest.raises(PropsError, match="namespace_object=False leaves out"):
        AppOfAppsProps(name="wiki", repo_url="r", path="p", namespace_labels={"a": "b"}, namespace_object=False)


def test_an_unknown_namespace_creation_is_refused() -> None:
    with pytest.raises(PropsError, match="namespace_creation"):
        AppSpec(name="wiki", base=config("wiki", "wiki"), namespace_creation="by-hand")  # type: ignore[arg-type]


def test_a_namespace_created_at_sync_needs_the_sync_option() -> None:
    plan = ClusterPlan(
        cluster=PROD, apps=(WIKI,), application_settings={"wiki": ApplicationSettings(sync=SyncPolicy(options=()))}
    )
    with pytest.raises(HomelabError, match=r"namespace_creation='sync-option'.*lack 'CreateNamespace=true'"):
        files(Homelab(root=Path("/x"), core=CORE, clusters=(plan,)))


def test_two_apps_emitting_one_namespace_are_still_refused() -> None:
    a, b = (replace(app, project=None, namespace_creation="object") for app in (WIKI, PASTE))
    with pytest.raises(HomelabError, match="both use namespace 'tools'"):
        Homelab(root=Path("/x"), core=CORE, clusters=(ClusterPlan(cluster=PROD, apps=(a, b)),))


def test_a_platform_needs_the_core_app() -> None:
    platform = PlatformProps(components=(SealedSecretsProps(),))
    with pytest.raises(HomelabError, match=r"lists platform components \(SealedSecretsProps\).*runs_core=False"):
        lab(runs_core=False, platform=platform)
    with pytest.raises(HomelabError, match=r"the Homelab has no core app \(core=None\)"):
        lab(core=None, platform=platform)


def test_bootstrap_refuses_a_cluster_without_core_app() -> None:
    from homelab.engine.bootstrap import plan

    with pytest.raises(HomelabError, match=r"runs no core app \(ClusterPlan\(runs_core=False\)\).*install Argo CD"):
        plan(lab(runs_core=False), "prod", Path("/nonexistent/dist"))
