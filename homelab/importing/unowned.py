"""What an app's Application names but its cluster's root does not create: a project with no AppProject (Argo
CD's ``default``, or one kept elsewhere) and a namespace with no Namespace object (Argo CD creates it at sync
with ``CreateNamespace=true``, or it exists already): the ``AppSpec`` settings that say so."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from constructs_lib.sync_policy import CREATE_NAMESPACE
from homelab.importing.read import Manifest
from homelab.model.existing_project import ARGOCD_DEFAULT, DEFAULT_PROJECT, ExistingProject


def unowned_settings(application: Manifest, triple: Sequence[Manifest], namespace: str, project: str) -> dict[str, Any]:
    """``project=`` and ``namespace_creation=`` of the app ``application`` deploys, when ``triple`` (its
    Application, and the Namespace and AppProject of the root named after its destination and project) has no
    AppProject or no Namespace; empty when it has both (the engine's own triple)."""
    kinds = {str(o.get("kind")) for o in triple}
    out: dict[str, Any] = {}
    if "AppProject" not in kinds:
        out["project"] = DEFAULT_PROJECT if project == ARGOCD_DEFAULT else ExistingProject(name=project)
    if "Namespace" not in kinds:
        options = ((application.get("spec") or {}).get("syncPolicy") or {}).get("syncOptions") or ()
        out["namespace_creation"] = "sync-option" if CREATE_NAMESPACE in options else "none"
    return out
