"""AppOfApps: the Namespace + AppProject + Application of one app on one cluster."""

from __future__ import annotations

import pytest

from constructs_lib.app_of_apps import CASCADE_FINALIZER, AppOfApps, AppOfAppsProps
from constructs_lib.errors import PropsError
from constructs_lib.sync_policy import SyncPolicy
from tests.conftest import render

REPO = "https://github.com/me/homelab"


def test_defaults() -> None:
    props = AppOfAppsProps(name="immich", repo_url=REPO, path="kustomize/immich/overlays/thomelab")
    ns, project, app = render(lambda s: AppOfApps(s, "immich", props))
    assert ns == {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "immich"}}
    assert project["metadata"] == {"name": "immich", "namespace": "argocd"}
    assert project["spec"] == {
        "sourceRepos": [REPO],
        "sourceNamespaces": ["immich"],
        "destinations": [{"namespace": "immich", "server": "https://kubernetes.default.svc"}],
        "namespaceResourceWhitelist": [{"group": "*", "kind": "*"}],
    }
    assert app["spec"]["source"] == {
        "repoURL": REPO,
        "targetRevision": "main",
        "path": "kustomize/immich/overlays/thomelab",
    }
    assert app["spec"]["syncPolicy"]["syncOptions"] == list(SyncPolicy().options)


def test_no_cluster_wide_kinds_unless_given() -> None:
    # The default used to admit the namespaced PersistentVolumeClaim cluster-wide; now nothing is admitted
    # unless given (the engine derives the list from the app's cluster-scoped objects).
    props = AppOfAppsProps(name="wiki", repo_url=REPO, path="kustomize/wiki/overlays/home")
    _, project, _ = render(lambda s: AppOfApps(s, "wiki", props))
    assert "clusterResourceWhitelist" not in project["spec"]
    given = AppOfAppsProps(name="wiki", repo_url=REPO, path="p", cluster_resource_whitelist=(("", "PersistentVolume"),))
    _, project, _ = render(lambda s: AppOfApps(s, "wiki", given))
    assert project["spec"]["clusterResourceWhitelist"] == [{"group": "", "kind": "PersistentVolume"}]


def test_overrides() -> None:
    props = AppOfAppsProps(
        name="odoo-lss-v2",
        namespace="odoo-v2",
        project="lss-v2",
        repo_url=REPO,
        revision="v2",
        path="kustomize/odoo/overlays/vps",
        source_repos=("registry-1.docker.io/bitnamicharts", REPO),
        extra_destinations=("argocd",),
        namespace_labels={"pod-security.kubernetes.io/enforce": "privileged"},
        cluster_resource_whitelist=(),
        sync=SyncPolicy(options=()),
        cascade_delete=True,
    )
    ns, project, app = render(lambda s: AppOfApps(s, "odoo", props))
    assert ns["metadata"] == {"name": "odoo-v2", "labels": {"pod-security.kubernetes.io/enforce": "privileged"}}
    assert project["metadata"]["name"] == "lss-v2" and project["metadata"]["finalizers"] == [CASCADE_FINALIZER]
    assert project["spec"]["sourceRepos"] == [REPO, "registry-1.docker.io/bitnamicharts"]
    assert [d["namespace"] for d in project["spec"]["destinations"]] == ["odoo-v2", "argocd"]
    assert "clusterResourceWhitelist" not in project["spec"]
    assert app["metadata"]["finalizers"] == [CASCADE_FINALIZER]
    assert app["spec"]["project"] == "lss-v2" and app["spec"]["source"]["targetRevision"] == "v2"
    assert app["spec"]["syncPolicy"] == {"automated": {"prune": True, "selfHeal": True}}


def test_rejects_bad_path_and_names() -> None:
    with pytest.raises(PropsError, match=r"AppOfApps 'immich': path 'kustomize/immich/' must be a directory"):
        AppOfAppsProps(name="immich", repo_url=REPO, path="kustomize/immich/")
    with pytest.raises(PropsError, match=r"AppOfApps 'Immich': name 'Immich' is not a valid Kubernetes name"):
        AppOfAppsProps(name="Immich", repo_url=REPO, path="x")
