"""``RemoteResource``: a kustomize resource fetched from a URL, pinned to a ref.

Operators often ship their install manifests as one file or directory in a git repository
(``https://github.com/keycloak/keycloak-k8s-resources//kubernetes?ref=26.0.5``). An app lists it in
``AppSpec.remote_resources``: synth writes it into the app's base ``kustomization.yaml`` (so every
overlay has it), and the app's AppProject admits the cluster-wide kinds and the namespaces the
declaration says it creates — synth cannot read a remote resource offline, so what it deploys is
declared, not derived. ``homelab validate`` builds it when online and reports it as needing the
network otherwise. Several files of one release (an operator's CRDs and its deployment) are
:meth:`RemoteResource.github`'s: the version said once, where Renovate finds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs_lib._internal.runtime_types import type_checked
from homelab.errors import HomelabError


@type_checked
@dataclass(frozen=True, kw_only=True)
class RemoteResource:
    """One remote kustomize resource.

    ``url`` is either a git target (``https://github.com/ORG/REPO//DIR``), written with ``?ref=<ref>``,
    or a plain file URL holding ``{ref}`` where the ref goes
    (``https://raw.githubusercontent.com/ORG/REPO/{ref}/kubernetes.yml``).
    """

    url: str
    ref: str
    """Tag or commit the URL is pinned to; a branch would let the remote change under you."""
    cluster_resources: tuple[tuple[str, str], ...] = ()
    """(group, kind) of the cluster-scoped objects it creates, e.g.
    ``("apiextensions.k8s.io", "CustomResourceDefinition")``; the app's AppProject admits them."""
    namespaces: tuple[str, ...] = ()
    """Namespaces other than the app's that it deploys to; the app's AppProject admits them."""

    def __post_init__(self) -> None:
        owner = f"RemoteResource {self.url!r}"
        if not self.url.startswith("https://"):
            raise HomelabError(f"{owner}: the URL must start with https:// (Argo CD fetches it)")
        if "ref=" in self.url:
            raise HomelabError(f"{owner}: give the ref as ref=, not in the URL (it is added as ?ref=)")
        if not self.ref or self.ref in {"main", "master", "HEAD"}:
            raise HomelabError(
                f"{owner}: ref={self.ref!r} must be a tag or a commit (a branch changes under you), e.g. ref='v1.2.3'"
            )

    @classmethod
    def github(
        cls,
        *,
        repo: str,
        ref: str,
        paths: tuple[str, ...],
        release: bool = False,
        cluster_resources: tuple[tuple[str, str], ...] = (),
        namespaces: tuple[str, ...] = (),
    ) -> tuple[RemoteResource, ...]:
        """The files ``paths`` of GitHub repository ``repo`` (``OWNER/NAME``) at tag ``ref``, one resource each,
        the version said once: ``AppSpec(remote_resources=RemoteResource.github(repo="keycloak/keycloak-k8s-resources",
        ref="26.0.5", paths=("kubernetes/keycloaks.k8s.keycloak.org-v1.yml", "kubernetes/kubernetes.yml")))``.

        ``paths`` are files of the repository (``raw.githubusercontent.com/OWNER/NAME/REF/PATH``), or, with
        ``release=True``, assets of the release ``ref`` (``github.com/OWNER/NAME/releases/download/REF/ASSET``).
        ``cluster_resources`` and ``namespaces`` are what they create together (see the fields)."""
        owner = f"RemoteResource.github(repo={repo!r})"
        if not isinstance(repo, str) or not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
            raise HomelabError(
                f"{owner}: repo= is the repository as OWNER/NAME, e.g. repo='keycloak/keycloak-k8s-resources'"
            )
        if isinstance(paths, str) or not isinstance(paths, tuple) or not paths:
            raise HomelabError(
                f"{owner}: paths= takes a tuple of the files, at least one; for one file write paths=({paths!r},)"
            )
        for path in paths:
            if not isinstance(path, str) or not path or path.startswith("/") or "?" in path or "{" in path:
                raise HomelabError(
                    f"{owner}: path {path!r} must be a file of the repository (of the release's assets with "
                    "release=True) below its root, e.g. 'deploy/crds.yaml', without the ref"
                )
        base = (
            f"https://github.com/{repo}/releases/download" if release else f"https://raw.githubusercontent.com/{repo}"
        )
        return tuple(
            cls(url=f"{base}/{{ref}}/{path}", ref=ref, cluster_resources=cluster_resources, namespaces=namespaces)
            for path in paths
        )

    @property
    def target(self) -> str:
        """What the kustomization lists."""
        if "{ref}" in self.url:
            return self.url.replace("{ref}", self.ref)
        return f"{self.url}?ref={self.ref}"
