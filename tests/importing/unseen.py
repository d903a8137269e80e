"""Hand-kept repositories in shapes that :mod:`tests.importing.foreign`, :mod:`tests.importing.public` and
:mod:`tests.importing.trees` do not cover, for import's tests.

- :func:`oci_helm_repo`: a plain root folder ``clusters/home/``; Helm Applications as people write them for
  charts in an OCI registry (``repoURL: ghcr.io/org/charts``, no scheme), with ``helm.parameters``,
  ``helm.releaseName``, ``helm.skipCrds``, ``info`` and ``revisionHistoryLimit``; with ``values_too``, a
  ``values`` string beside ``valuesObject`` (which Argo CD ignores).
- :func:`kustomize_options_repo`: a plain root folder ``clusters/home/``; an Application setting
  ``source.kustomize`` (``images``, ``namePrefix``, ``commonLabels``, ``patches``: Argo CD applies them at
  sync), an app whose overlay uses ``replacements:``, and an AppProject with ``roles``, ``syncWindows`` and ``orphanedResources``.
- :func:`two_clusters_one_root_repo`: one Argo CD deploying to two clusters: one root folder
  ``argocd/apps/`` listing, per app, an Application for ``in-cluster`` and one for ``edge`` (by
  ``destination.server``), the two differing only in their sync options and ``ignoreDifferences``.
"""

from __future__ import annotations

from pathlib import Path

from tests.importing.foreign import HTTPS, IN_CLUSTER, Manifest, deployment, service
from tests.importing.trees import kustomization, write

EDGE = "https://edge.lan:6443"


def _app(name: str, namespace: str, source: Manifest, server: str = IN_CLUSTER) -> Manifest:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {
            "project": "default",
            "source": source,
            "destination": {"server": server, "namespace": namespace},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True}, "syncOptions": ["CreateNamespace=true"]},
        },
    }


def _namespace(name: str) -> Manifest:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def oci_helm_repo(root: Path, values_too: bool = False) -> Path:
    """See the module: the tree is ``root``, cluster ``home``, Applications ``podinfo`` and ``traefik``."""
    podinfo = _app(
        "podinfo",
        "podinfo",
        {
            "repoURL": "ghcr.io/stefanprodan/charts",
            "chart": "podinfo",
            "targetRevision": "6.7.0",
            "helm": {
                "releaseName": "web",
                "parameters": [{"name": "replicaCount", "value": "2"}, {"name": "ui.color", "value": "#34577c"}],
                "valuesObject": {"resources": {"limits": {"memory": "128Mi"}}},
            },
        },
    )
    if values_too:
        podinfo["spec"]["source"]["helm"]["values"] = "ingress:\n  enabled: false\n"
    podinfo["spec"]["info"] = [{"name": "docs", "value": "https://github.com/stefanprodan/podinfo"}]
    podinfo["spec"]["revisionHistoryLimit"] = 3
    traefik = _app(
        "traefik",
        "traefik",
        {
            "repoURL": "https://traefik.github.io/charts",
            "chart": "traefik",
            "targetRevision": "32.1.0",
            "helm": {"skipCrds": True, "valuesObject": {"service": {"type": "LoadBalancer"}}},
        },
    )
    files: dict[str, object] = {
        "clusters/home/podinfo.yaml": podinfo,
        "clusters/home/traefik.yaml": traefik,
    }
    return write(root, files)


def kustomize_options_repo(root: Path) -> Path:
    """See the module: the tree is ``root``, cluster ``home``, apps ``apps/blog``, ``apps/notes``."""
    blog = _app(
        "blog",
        "blog",
        {
            "repoURL": HTTPS,
            "targetRevision": "HEAD",
            "path": "apps/blog",
            "kustomize": {
                "images": ["ghost=ghost:5.96.0"],
                "namePrefix": "home-",
                "commonLabels": {"team": "me"},
                "patches": [
                    {
                        "target": {"kind": "Deployment", "name": "ghost"},
                        "patch": "- op: replace\n  path: /spec/replicas\n  value: 2\n",
                    }
                ],
            },
        },
    )
    blog["spec"]["project"] = "apps"
    notes = _app("notes", "notes", {"repoURL": HTTPS, "targetRevision": "HEAD", "path": "apps/notes/overlays/home"})
    notes["spec"]["project"] = "apps"
    project = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": "apps", "namespace": "argocd"},
        "spec": {
            "sourceRepos": [HTTPS],
            "destinations": [{"server": IN_CLUSTER, "namespace": "*"}],
            "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
            "orphanedResources": {"warn": True},
            "roles": [{"name": "ci", "policies": ["p, proj:apps:ci, applications, sync, apps/*, allow"]}],
            "syncWindows": [{"kind": "deny", "schedule": "0 22 * * *", "duration": "8h", "applications": ["*"]}],
        },
    }
    notes_deployment = deployment("notes", "ghcr.io/me/notes:1.0.0")
    notes_deployment["spec"]["template"]["spec"]["containers"][0]["env"] = [{"name": "HOST", "value": "x"}]
    replacements = [
        {
            "source": {"kind": "ConfigMap", "name": "notes-host", "fieldPath": "data.host"},
            "targets": [
                {
                    "select": {"kind": "Deployment", "name": "notes"},
                    "fieldPaths": ["spec.template.spec.containers.[name=notes].env.[name=HOST].value"],
                }
            ],
        }
    ]
    files: dict[str, object] = {
        "clusters/home/project.yaml": project,
        "clusters/home/blog.yaml": blog,
        "clusters/home/notes.yaml": notes,
        "apps/blog/kustomization.yaml": kustomization(["deployment.yaml", "service.yaml"]),
        "apps/blog/deployment.yaml": deployment("ghost", "ghost:5.80.0"),
        "apps/blog/service.yaml": service("ghost"),
        "apps/notes/overlays/home/namespace.yaml": _namespace("notes"),
        "apps/notes/base/kustomization.yaml": kustomization(["deployment.yaml", "host.yaml"]),
        "apps/notes/base/deployment.yaml": notes_deployment,
        "apps/notes/base/host.yaml": {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "notes-host"},
            "data": {"host": "notes.example.org"},
        },
        "apps/notes/overlays/home/kustomization.yaml": kustomization(
            ["../../base", "namespace.yaml"], namespace="notes", replacements=replacements
        ),
    }
    return write(root, files)


def two_clusters_one_root_repo(root: Path) -> Path:
    """See the module: the tree is ``root`` (``argocd/apps`` the root of both clusters, applied by hand);
    ``apps/whoami`` deployed to both, with ``ServerSideApply`` and an ignored replica count on ``edge`` only."""
    files: dict[str, object] = {
        "apps/whoami/kustomization.yaml": kustomization(["deployment.yaml", "service.yaml"]),
        "apps/whoami/deployment.yaml": deployment("whoami", "traefik/whoami:v1.10"),
        "apps/whoami/service.yaml": service("whoami"),
    }
    for cluster, server in (("home", IN_CLUSTER), ("edge", EDGE)):
        app = _app(f"whoami-{cluster}", "whoami", {"repoURL": HTTPS, "targetRevision": "HEAD", "path": "apps/whoami"})
        app["spec"]["destination"]["server"] = server
        if cluster == "edge":
            app["spec"]["syncPolicy"]["syncOptions"].append("ServerSideApply=true")
            app["spec"]["ignoreDifferences"] = [
                {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}
            ]
        files[f"argocd/apps/whoami-{cluster}.yaml"] = app
    return write(root, files)


def settings_per_cluster_repo(root: Path) -> Path:
    """Two clusters (``clusters/prod/``, ``clusters/dev/``: plain root folders, each its own Argo CD) deploying
    ``apps/whoami`` by Applications that differ only in their settings: ``dev``'s adds ``ServerSideApply=true``
    and ignores the Deployment's replica count; both deploy ``apps/echo`` alike; the tree is ``root``."""
    files: dict[str, object] = {
        "apps/whoami/kustomization.yaml": kustomization(["deployment.yaml", "service.yaml"]),
        "apps/whoami/deployment.yaml": deployment("whoami", "traefik/whoami:v1.10"),
        "apps/whoami/service.yaml": service("whoami"),
        "apps/echo/kustomization.yaml": kustomization(["deployment.yaml"]),
        "apps/echo/deployment.yaml": deployment("echo", "ealen/echo-server:0.9.2"),
    }
    for cluster in ("prod", "dev"):
        echo = _app("echo", "echo", {"repoURL": HTTPS, "targetRevision": "HEAD", "path": "apps/echo"})
        files[f"clusters/{cluster}/echo.yaml"] = echo
        app = _app("whoami", "whoami", {"repoURL": HTTPS, "targetRevision": "HEAD", "path": "apps/whoami"})
        if cluster == "dev":
            app["spec"]["syncPolicy"]["syncOptions"].append("ServerSideApply=true")
            app["spec"]["ignoreDifferences"] = [
                {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}
            ]
        files[f"clusters/{cluster}/whoami.yaml"] = app
    return write(root, files)


def apps_in_any_namespace_repo(root: Path) -> Path:
    """Applications outside Argo CD's namespace ("apps in any namespace"): ``clusters/home/`` (a plain root
    folder) holds an AppProject ``media`` admitting Applications of namespace ``media`` (``sourceNamespaces``),
    the Application ``jellyfin`` living in ``media`` (a git path of the tree) and ``media-charts`` there too
    (a Helm chart whose ``values`` string Argo CD ignores beside its ``valuesObject``, and a
    ``fileParameters`` entry); the tree is ``root``."""
    project = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": "media", "namespace": "argocd"},
        "spec": {
            "sourceRepos": ["*"],
            "sourceNamespaces": ["media"],
            "destinations": [{"server": IN_CLUSTER, "namespace": "media"}],
        },
    }
    jellyfin = _app("jellyfin", "media", {"repoURL": HTTPS, "targetRevision": "HEAD", "path": "apps/jellyfin"})
    charts = _app(
        "media-charts",
        "media",
        {
            "repoURL": "https://charts.example.org",
            "chart": "arr",
            "targetRevision": "2.0.0",
            "helm": {
                "values": "sonarr:\n  enabled: true\n",
                "valuesObject": {"radarr": {"enabled": True}},
                "fileParameters": [{"name": "config", "path": "files/arr.conf"}],
            },
        },
    )
    for app in (jellyfin, charts):
        app["metadata"]["namespace"] = "media"
        app["spec"]["project"] = "media"
    files: dict[str, object] = {
        "clusters/home/media.yaml": [project, jellyfin, charts],
        "apps/jellyfin/kustomization.yaml": kustomization(["deployment.yaml", "service.yaml"], namespace="media"),
        "apps/jellyfin/deployment.yaml": deployment("jellyfin", "jellyfin/jellyfin:10.9.11"),
        "apps/jellyfin/service.yaml": service("jellyfin"),
    }
    return write(root, files)


def chart_with_manifests_repo(root: Path) -> Path:
    """An Application of two sources, a Helm chart and a path of the tree holding the app's own manifests
    beside it (``apps/immich/extra``: an Ingress), with the chart's values file in the tree through ``ref``:
    ``clusters/home/`` is a plain root folder; the tree is ``root``."""
    immich = _app("immich", "immich", {})
    del immich["spec"]["source"]
    immich["spec"]["sources"] = [
        {
            "repoURL": "https://immich-app.github.io/immich-charts",
            "chart": "immich",
            "targetRevision": "0.8.1",
            "helm": {"valueFiles": ["$values/apps/immich/values.yaml"]},
        },
        {"repoURL": HTTPS, "targetRevision": "HEAD", "ref": "values"},
        {"repoURL": HTTPS, "targetRevision": "HEAD", "path": "apps/immich/extra"},
    ]
    ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "immich"},
        "spec": {
            "ingressClassName": "nginx",
            "rules": [
                {
                    "host": "photos.example.org",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "immich-server", "port": {"number": 2283}}},
                            }
                        ]
                    },
                }
            ],
        },
    }
    files: dict[str, object] = {
        "clusters/home/immich.yaml": immich,
        "apps/immich/values.yaml": "server:\n  replicas: 1\n",
        "apps/immich/extra/kustomization.yaml": kustomization(["ingress.yaml"]),
        "apps/immich/extra/ingress.yaml": ingress,
    }
    return write(root, files)
