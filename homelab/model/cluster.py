"""``Cluster``: the facts that differ from one cluster to the next."""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs_lib._internal.k8s_names import DNS_LABEL
from constructs_lib._internal.runtime_types import type_checked
from homelab.errors import HomelabError

_TAILNET = re.compile(r"^[a-z0-9-]+\.ts\.net$")


@type_checked
@dataclass(frozen=True, kw_only=True)
class Cluster:
    """One Kubernetes cluster that Argo CD deploys the homelab to.

    Constructs never read these facts from anywhere else: the engine hands the cluster to each
    app's builders, which pass what they need on as construct props.
    """

    name: str
    """Short name: the ``overlays/<name>`` directories are named after it."""
    repo_url: str
    """The GitOps repository Argo CD reads this cluster's tree from."""
    revision: str = "main"
    """Branch, tag or commit of ``repo_url`` that the cluster follows."""
    tree_path: str = "kustomize"
    """Where the kustomize tree lives inside the output directory (``dist/kustomize``); ``""`` for the
    output directory itself (to write the tree where a hand-written ``kustomize/`` was)."""
    server: str = "https://kubernetes.default.svc"
    """Destination API server of the cluster's Applications (Argo CD's own cluster by default)."""
    argocd_namespace: str = "argocd"
    """Namespace Argo CD runs in: AppProjects and app-of-apps Applications live there."""
    ingress_class: str = "tailscale"
    """Ingress class of the cluster's Tailscale operator: builders pass it on to
    ``TailscaleIngressProps(ingress_class=...)`` and to charts' ingress values."""
    tailnet: str | None = None
    """Tailscale tailnet domain (``tail9a43.ts.net``); None when the cluster is not on a tailnet."""
    builtin_storage_classes: tuple[str, ...] = ()
    """Storage classes the cluster itself provides (minikube's ``standard``); those the tree creates —
    StorageClass objects, charts' ``provides_storage_classes`` — are known without listing them here."""
    sealing_cert: str | None = None
    """Repository-relative path of the sealed-secrets controller's public certificate (PEM)."""

    def __post_init__(self) -> None:
        where = f"Cluster {self.name!r}"
        if not DNS_LABEL.fits(self.name):
            raise HomelabError(f"{where}: name must be a lower-case DNS label such as 'thomelab' ({DNS_LABEL.allows})")
        if not self.repo_url:
            raise HomelabError(f"{where}: repo_url is required: the GitOps repository Argo CD reads")
        parts = self.tree_path.split("/") if self.tree_path else []
        if any(part in ("", ".", "..") or "\0" in part for part in parts):
            raise HomelabError(
                f"{where}: tree_path {self.tree_path!r} must be a relative directory of the output directory, "
                "e.g. 'kustomize', or '' for the output directory itself"
            )
        if self.tailnet is not None and not _TAILNET.match(self.tailnet):
            raise HomelabError(f"{where}: tailnet {self.tailnet!r} must look like 'tail1234.ts.net'")
