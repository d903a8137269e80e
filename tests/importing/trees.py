"""Small hand-written Argo CD + kustomize trees, written as files under a directory, for import's tests.

A tree has the reference's layout: ``clusters/overlays/<cluster>/`` (the root: the Application deploying
``core-argocd-apps`` and one Namespace + AppProject + Application per app), ``core-argocd-apps/`` and one
directory per app with ``base/`` and ``overlays/<cluster>/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

REPO = "https://github.com/me/lab"
PREFIX = "kustomize"

Manifest = dict[str, Any]


def kustomization(resources: Sequence[str], **more: Any) -> Manifest:
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": list(resources),
        **more,
    }


def helm_app(name: str, namespace: str, values: Mapping[str, Any], chart: str = "wiki") -> Manifest:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "project": namespace,
            "destination": {"server": "https://kubernetes.default.svc", "namespace": namespace},
            "source": {
                "repoURL": f"https://charts.example/{chart}",
                "chart": chart,
                "targetRevision": "1.2.3",
                "helm": {"releaseName": name, "valuesObject": dict(values)},
            },
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True}, "syncOptions": ["CreateNamespace=true"]},
        },
    }


def triple(app: str, directory: str, cluster: str, repos: Sequence[str] = ()) -> list[Manifest]:
    """The Namespace, AppProject and Application of the root deploying ``directory``'s overlay."""
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": app}},
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "AppProject",
            "metadata": {"name": app, "namespace": "argocd"},
            "spec": {
                "sourceRepos": [REPO, *repos],
                "sourceNamespaces": [app],
                "destinations": [{"namespace": app, "server": "https://kubernetes.default.svc"}],
                "namespaceResourceWhitelist": [{"group": "*", "kind": "*"}],
            },
        },
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": {"name": app, "namespace": "argocd"},
            "spec": {
                "destination": {"server": "https://kubernetes.default.svc", "namespace": app},
                "project": app,
                "source": {
                    "repoURL": REPO,
                    "targetRevision": "main",
                    "path": f"{PREFIX}/{directory}/overlays/{cluster}",
                },
                "syncPolicy": {"automated": {"prune": True, "selfHeal": True}},
            },
        },
    ]


def root_app(cluster: str) -> Manifest:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "core-argocd-app", "namespace": "argocd"},
        "spec": {
            "project": "default",
            "source": {
                "repoURL": REPO,
                "targetRevision": "main",
                "path": f"{PREFIX}/core-argocd-apps/overlays/{cluster}",
            },
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "argocd"},
            "syncPolicy": {
                "automated": {"prune": True, "selfHeal": True},
                "syncOptions": ["ApplyOutOfSyncOnly=true", "ServerSideApply=true", "CreateNamespace=true"],
            },
        },
    }


def write(root: Path, files: Mapping[str, object]) -> Path:
    """Write ``files`` (path → a manifest, a list of them, or text) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content)
        elif isinstance(content, list):
            path.write_text(yaml.safe_dump_all(content, sort_keys=False))
        else:
            path.write_text(yaml.safe_dump(content, sort_keys=False))
    return root


def lab(root: Path, apps: Mapping[str, Mapping[str, object]], deployed: Mapping[str, Sequence[str]]) -> Path:
    """A tree: ``apps`` (directory → its files, relative to it) and, per cluster, the apps its root deploys."""
    files: dict[str, object] = {}
    core = helm_app("sealed-secrets", "argocd", {"fullnameOverride": "sealed-secrets"}, chart="sealed-secrets")
    files["core-argocd-apps/base/sealed-secrets.yaml"] = core
    files["core-argocd-apps/base/kustomization.yaml"] = kustomization(["sealed-secrets.yaml"])
    for directory, app_files in apps.items():
        files.update({f"{directory}/{rel}": content for rel, content in app_files.items()})
    for cluster, names in deployed.items():
        files[f"core-argocd-apps/overlays/{cluster}/kustomization.yaml"] = kustomization(["../../base"])
        objects = [root_app(cluster)]
        for name in names:
            objects += triple(name, name, cluster, _chart_repos(apps.get(name, {})))
        files[f"clusters/overlays/{cluster}/root.yaml"] = objects
        files[f"clusters/overlays/{cluster}/kustomization.yaml"] = kustomization(["root.yaml"])
    return write(root, files)


def _chart_repos(files: Mapping[str, object]) -> list[str]:
    """The repositories the Applications among ``files`` pull from (what the project's sourceRepos derive)."""
    found: dict[str, None] = {}
    for content in files.values():
        for obj in content if isinstance(content, list) else [content]:
            if isinstance(obj, dict) and obj.get("kind") == "Application":
                found[obj["spec"]["source"]["repoURL"]] = None
    return list(found)
