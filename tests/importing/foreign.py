"""Hand-kept repositories in shapes other than the engine's, as people publish them, for import's tests.

- :func:`flat_repo`: a cluster root that is a plain folder of Applications applied by hand
  (``clusters/prod/*.yaml``), apps as flat kustomizations (``apps/<name>/kustomization.yaml``), every
  Application in Argo CD's ``default`` project with ``CreateNamespace=true`` (no Namespace, no AppProject),
  two apps in one namespace, the repository named both as ``git@`` and as ``https``.
- :func:`app_of_apps_repo`: per cluster a root Application (``clusters/<cluster>/root.yaml``) deploying a folder
  of Applications (``argocd/<cluster>/``): a Helm chart with values, and a kustomize app with
  ``base/overlays/{staging,production}`` deployed by two clusters (``staging`` and ``prod``: the production
  overlay is not named after its cluster).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.importing.trees import kustomization, write

HTTPS = "https://github.com/me/homelab"
SSH = "git@github.com:me/homelab.git"
IN_CLUSTER = "https://kubernetes.default.svc"

Manifest = dict[str, Any]


def application(
    name: str, path: str | None, namespace: str, repo: str = HTTPS, source: Manifest | None = None
) -> Manifest:
    """An Application in the default project, its namespace created at sync."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {
            "project": "default",
            "source": source or {"repoURL": repo, "targetRevision": "HEAD", "path": path},
            "destination": {"server": IN_CLUSTER, "namespace": namespace},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True}, "syncOptions": ["CreateNamespace=true"]},
        },
    }


def deployment(name: str, image: str, replicas: int = 1) -> Manifest:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": name, "image": image, "ports": [{"containerPort": 8080}]}]},
            },
        },
    }


def service(name: str) -> Manifest:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]},
    }


def flat_repo(root: Path) -> Path:
    """See the module: cluster ``prod``, apps ``wiki`` and ``paste`` in namespace ``tools``, ``dns`` in ``dns``."""
    files: dict[str, object] = {
        "clusters/prod/wiki.yaml": application("wiki", "apps/wiki", "tools", repo=SSH),
        "clusters/prod/paste.yaml": application("paste", "apps/paste", "tools"),
        "clusters/prod/dns.yaml": application("dns", "apps/dns/", "dns", repo=HTTPS + ".git"),
        "README.md": "# my homelab\n",
    }
    for name, image in (("wiki", "ghcr.io/me/wiki:1.0"), ("paste", "ghcr.io/me/paste:2.1"), ("dns", "pihole:2024")):
        files[f"apps/{name}/deployment.yaml"] = deployment(name, image)
        files[f"apps/{name}/service.yaml"] = service(name)
        files[f"apps/{name}/kustomization.yaml"] = kustomization(["deployment.yaml", "service.yaml"])
    return write(root, files)


GRAFANA_VALUES = "adminUser: admin\npersistence:\n  enabled: true\n  size: 2Gi\n"


def grafana() -> Manifest:
    source = {
        "repoURL": "https://grafana.github.io/helm-charts",
        "chart": "grafana",
        "targetRevision": "8.5.1",
        "helm": {"values": GRAFANA_VALUES},
    }
    return application("grafana", None, "monitoring", source=source)


def root(cluster: str) -> Manifest:
    app = application(f"root-{cluster}", f"argocd/{cluster}", "argocd")
    app["spec"]["syncPolicy"] = {"automated": {"prune": True, "selfHeal": True}}
    return app


def app_of_apps_repo(root_dir: Path) -> Path:
    """See the module: clusters ``staging`` and ``prod``; ``wiki`` on both, ``grafana`` on prod."""
    patch = {
        "target": {"kind": "Deployment", "name": "wiki"},
        "patch": "- op: replace\n  path: /spec/replicas\n  value: 3",
    }
    files: dict[str, object] = {
        "clusters/staging/root.yaml": root("staging"),
        "clusters/prod/root.yaml": root("prod"),
        "argocd/staging/wiki.yaml": application("wiki", "wiki/overlays/staging", "wiki"),
        "argocd/prod/wiki.yaml": application("wiki", "wiki/overlays/production", "wiki"),
        "argocd/prod/grafana.yaml": grafana(),
        "wiki/base/deployment.yaml": deployment("wiki", "ghcr.io/me/wiki:1.0"),
        "wiki/base/service.yaml": service("wiki"),
        "wiki/base/kustomization.yaml": kustomization(["deployment.yaml", "service.yaml"]),
        "wiki/overlays/staging/kustomization.yaml": kustomization(["../../base"]),
        "wiki/overlays/production/kustomization.yaml": kustomization(["../../base"], patches=[patch]),
    }
    return write(root_dir, files)
