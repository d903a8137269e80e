"""``unknown-kind``: a custom resource whose kind no table, CRD in the tree or declaration knows — assumed
namespaced, and said so (a cluster-scoped one would be left out of its project's clusterResourceWhitelist)."""

from __future__ import annotations

from homelab.kinds import group_of, is_custom_group
from homelab.validate.content import Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index


def unknown_kinds(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    api_version, kind = str(p.obj.get("apiVersion", "")), str(p.obj.get("kind", ""))
    group = group_of(api_version)
    if not is_custom_group(group) or idx.scopes.is_known(api_version, kind):
        return []
    return [
        placed_finding(
            tree,
            p,
            "unknown-kind",
            f"{kind} ({group}) is a custom kind whose scope nothing here tells (no CRD in the tree, not in the "
            "known tables): it is taken as namespaced",
            f"if it is cluster-scoped, say so: Homelab(cluster_scoped_kinds=(({group!r}, {kind!r}),)) (its project "
            "then admits it); if namespaced, accept this finding, or ship its CRD in the tree",
            "kind",
            "warning",
        )
    ]
