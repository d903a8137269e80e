"""``GitArgoApp``: an Argo CD Application that deploys a directory of a git repository.

The directory may hold plain manifests (optionally filtered with ``directory_include``), a
kustomization, or a Helm chart (then ``values``/``release_name`` fill the ``helm`` block).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest
from constructs_lib.argo_application import ApplicationCommon, helm_block, render_application
from constructs_lib.errors import PropsError


@type_checked
@dataclass(frozen=True, kw_only=True)
class GitArgoAppProps(ApplicationCommon):
    """A path of a git repository deployed by Argo CD."""

    repo_url: str
    """The git repository."""
    path: str
    """Directory inside the repository, without a leading or trailing '/'."""
    revision: str = "HEAD"
    """Branch, tag or commit (``targetRevision``); the default branch's head when left out."""
    directory_include: str | None = None
    """Glob of the files to apply (``directory.include``); every file when left out."""
    release_name: str | None = None
    """Helm release name when the path is a chart; none by default."""
    values: dict[str, Any] = field(default_factory=dict)
    """Helm values when the path is a chart; no ``helm`` block when empty."""

    def __post_init__(self) -> None:
        owner = self.check_common("GitArgoApp")
        if not self.repo_url:
            raise PropsError(f"{owner}: repo_url is required: the git repository URL")
        if not self.path or self.path != self.path.strip("/"):
            raise PropsError(
                f"{owner}: path {self.path!r} must be a directory inside the repository, "
                "without leading or trailing '/', e.g. 'deploy/kubernetes'"
            )


class GitArgoApp(Construct):
    """The Application for ``props``; its object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: GitArgoAppProps) -> None:
        super().__init__(scope, id)
        self.props = props
        source: dict[str, Any] = {
            "repoURL": props.repo_url,
            "targetRevision": props.revision,
            "path": props.path,
        }
        if props.directory_include is not None:
            source["directory"] = {"include": props.directory_include}
        helm = helm_block(props.release_name, props.values)
        if helm is not None:
            source["helm"] = helm
        self.resource: Manifest = render_application(self, "Resource", props, source)
