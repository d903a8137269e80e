"""``duplicate-object``: an object deployed from two directories at the same revision."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.kinds import group_of
from homelab.validate.content import Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index


def _same_revision(a: Placed, b: Placed) -> bool:
    """Whether both come from the same revision of the repository (the bootstrap's is unknown: any)."""
    return a.revision is None or b.revision is None or a.revision == b.revision


def duplicates(placed: list[Placed], tree: Source, _idx: Index) -> list[Finding]:
    """Objects deployed from two directories at the same revision: two Applications fight over them."""
    out = []
    origins: dict[tuple[str, str, str, str], list[Placed]] = {}
    for p in placed:
        meta = as_mapping(p.obj.get("metadata"))
        key = (group_of(str(p.obj.get("apiVersion", ""))), str(p.obj.get("kind")), p.namespace, str(meta.get("name")))
        others = origins.setdefault(key, [])
        # Two revisions of one directory (an app and its rehearsal copy) may differ: not a clash.
        clash = next((o for o in others if o.entry != p.entry and _same_revision(o, p)), None)
        if clash is not None:
            out.append(
                placed_finding(
                    tree,
                    p,
                    "duplicate-object",
                    f"also deployed from {clash.entry}/ ({tree.origin(clash.obj, clash.entry) or 'its build'}); "
                    "two Applications would fight over it",
                    "keep the object in one directory only: declare it in one app's builder (an AppGroup's apps share a "
                    "namespace, not their objects)",
                )
            )
        others.append(p)
    return out
