"""What several checks read off a cluster's deployed objects: the chart releases deployed into each namespace
(what an object of a chart may be named after)."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.content import Placed, sources_of


def charts_by_namespace(placed: list[Placed]) -> dict[str, list[str]]:
    """Namespace → release names of the Helm charts (from a chart repository or git) deployed into it (what may
    create Services and pods)."""
    out: dict[str, list[str]] = {}
    for p in placed:
        if p.obj.get("kind") != "Application":
            continue
        spec = as_mapping(p.obj.get("spec"))
        for source in sources_of(p.obj):  # each source of a multi-source Application too
            if source.get("chart") or source.get("helm"):  # a chart in git too
                namespace = str(as_mapping(spec.get("destination")).get("namespace") or "")
                release = str(
                    as_mapping(source.get("helm")).get("releaseName") or as_mapping(p.obj.get("metadata")).get("name")
                )
                out.setdefault(namespace, []).append(release)
    return out


def named_after_a_release(name: str, releases: list[str]) -> bool:
    """Whether ``name`` is derived from one of the chart ``releases`` (``wiki-search-env`` from ``wiki-search``):
    what that chart may create, so not reported as missing."""
    return any(name.startswith(release) for release in releases)
