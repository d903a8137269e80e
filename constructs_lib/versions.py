"""Pinned versions, where Renovate finds and bumps them: a Helm chart (:class:`HelmChart`) and a
container image (:class:`Image`).

Renovate reads the Python, not ``dist/``: ``renovate.json`` has a custom (regex) manager for each
type, matching the literal form. So write each as a literal, keyword arguments in their field
order and plain string values, once, where it is declared::

    HelmChart(repo_url="https://charts.jetstack.io", chart="cert-manager", version="1.x")
    Image(name="quay.io/hedgedoc/hedgedoc", tag="1.10.3")
    Image(name="docker.io/library/redis", tag="8", digest="sha256:…")

and pass the value on (``HelmArgoAppProps(chart=...)``, ``Container(image=...)``,
``IMAGE.values()`` in Helm values), never its parts rebuilt from variables. An image without a tag
(``Image(name="busybox", tag=None)``, or pinned by its digest alone) is allowed where the API allows it (a
container's ``image``), and Renovate does not track it: it has no tag to bump.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.errors import PropsError

_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


@type_checked
@dataclass(frozen=True, kw_only=True)
class HelmChart:
    """A chart of a Helm repository (``https://…`` index) or an OCI registry path, at a version."""

    repo_url: str
    """Chart repository: an ``https://`` index, or an OCI registry path without scheme
    (``registry-1.docker.io/bitnamicharts``), as Argo CD's ``repoURL`` takes it."""
    chart: str
    """Chart name in that repository."""
    version: str
    """Chart version or range (``1.10.x``); required, so an upgrade is always a reviewed change."""

    def __post_init__(self) -> None:
        owner = f"HelmChart {self.chart!r}"
        if not self.repo_url:
            raise PropsError(f"{owner}: repo_url is required: the chart repository URL or OCI path")
        if not self.chart or not self.chart.strip() or self.chart != self.chart.strip():
            raise PropsError(f"{owner}: chart must be the chart's name in {self.repo_url}, without spaces")
        if not self.version or not str(self.version).strip():
            raise PropsError(
                f"{owner}: version is required: pin it or give a range, e.g. version='1.2.3' or version='1.x'"
            )


@type_checked
@dataclass(frozen=True, kw_only=True)
class Image:
    """A container image at a tag, optionally pinned to a digest (or without a tag, see ``tag``)."""

    name: str
    """Registry and repository, e.g. ``ghcr.io/immich-app/immich-server`` or ``busybox``."""
    tag: str | None
    """The tag, e.g. ``v2.1.0``; required, so an untagged image is said: ``tag=None`` writes the image without
    one (Kubernetes pulls ``latest``, or what ``digest`` pins), which Renovate does not track and CloudNativePG
    refuses."""
    digest: str | None = None
    """``sha256:…`` digest the tag must resolve to; not pinned when left out."""

    def __post_init__(self) -> None:
        owner = f"Image {self.name!r}"
        if not self.name or ":" in self.name.rsplit("/", 1)[-1] or "@" in self.name:
            raise PropsError(f"{owner}: name is the repository without tag or digest, e.g. 'docker.io/library/redis'")
        if self.tag is not None and (not self.tag or ":" in self.tag or "@" in self.tag):
            raise PropsError(f"{owner}: tag {self.tag!r} must be a bare tag such as '1.2.3'")
        if self.digest is not None and not _DIGEST.match(self.digest):
            raise PropsError(f"{owner}: digest {self.digest!r} must look like 'sha256:' and 64 hex digits")

    @property
    def ref(self) -> str:
        """``name:tag`` (``name`` without a tag), with ``@digest`` when pinned: what a container's ``image`` takes."""
        return self.name + (f":{self.tag}" if self.tag is not None else "") + (f"@{self.digest}" if self.digest else "")

    def values(self) -> dict[str, Any]:
        """``{"repository": ..., "tag": ...}`` (and ``digest``), the usual shape of a chart's ``image`` values
        (``tag`` left out for an untagged image: the chart's default)."""
        out: dict[str, Any] = {"repository": self.name}
        if self.tag is not None:
            out["tag"] = self.tag
        if self.digest:
            out["digest"] = self.digest
        return out
