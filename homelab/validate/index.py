"""One cluster's deployed content indexed for the cross-reference checks: its AppProjects, the Secrets
and StorageClasses something creates, and where Argo CD looks for Applications."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from constructs_lib.annotations import PROVIDES_STORAGE_CLASSES
from homelab.kinds import KindScopes
from homelab.validate.content import ClusterContent, glob

SECRET_KINDS = ("Secret", "SealedSecret")


@dataclass
class Index:
    """What one cluster deploys, indexed for the cross-reference checks."""

    argocd_ns: str
    scopes: KindScopes
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    """AppProjects by name (those in Argo CD's namespace)."""
    secrets: set[tuple[str, str]] = field(default_factory=set)
    """(namespace, name) of every Secret something creates (Secret, SealedSecret, CNPG cluster)."""
    storage_classes: set[str] = field(default_factory=set)
    app_namespaces: list[str] | None = None
    """Argo CD's ``application.namespaces`` (from the argo-cd chart's values); None when the cluster's
    content has no Argo CD Application (then where Applications may live is unknown)."""


def index(content: ClusterContent, argocd_ns: str, builtin_storage_classes: set[str], scopes: KindScopes) -> Index:
    """Projects, secrets, storage classes and Argo CD's application namespaces of one cluster."""
    idx = Index(argocd_ns=argocd_ns, scopes=scopes, storage_classes=set(builtin_storage_classes))
    for p in content.placed:
        kind, name = p.obj.get("kind"), str(as_mapping(p.obj.get("metadata")).get("name", ""))
        if kind == "AppProject" and p.namespace in (argocd_ns, ""):
            idx.projects[name] = p.obj
        elif kind in SECRET_KINDS:
            idx.secrets.add((p.namespace, name))
            template = as_mapping(as_mapping(as_mapping(p.obj.get("spec")).get("template")).get("metadata"))
            if template.get("name"):
                idx.secrets.add((str(template.get("namespace") or p.namespace), str(template["name"])))
        elif kind == "Cluster" and str(p.obj.get("apiVersion", "")).startswith("postgresql.cnpg.io/"):
            idx.secrets.update({(p.namespace, f"{name}-app"), (p.namespace, f"{name}-superuser")})
        elif kind == "StorageClass":
            idx.storage_classes.add(name)
        provided = as_mapping(as_mapping(p.obj.get("metadata")).get("annotations")).get(PROVIDES_STORAGE_CLASSES)
        if kind == "Application" and provided:
            idx.storage_classes.update(n.strip() for n in str(provided).split(",") if n.strip())
        source = as_mapping(as_mapping(p.obj.get("spec")).get("source"))
        if kind == "Application" and source.get("chart") == "argo-cd":
            params = (
                as_mapping(as_mapping(as_mapping(source.get("helm")).get("valuesObject")).get("configs")).get("params")
            ) or {}
            idx.app_namespaces = (idx.app_namespaces or []) + [
                n.strip() for n in str(params.get("application.namespaces", "")).split(",") if n.strip()
            ]
    return idx


def project_admits(project: dict[str, Any], namespace: str, server: str) -> bool:
    """Whether an AppProject's destinations admit ``namespace`` on ``server``."""
    for d in as_mapping(project.get("spec")).get("destinations") or []:
        if glob(str(d.get("namespace", "*")), namespace) and (
            glob(str(d.get("server", "*")), server) or d.get("name") not in (None, "", "*") or "server" not in d
        ):
            return True
    return False
