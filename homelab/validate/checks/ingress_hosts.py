"""``ingress-host``: each tailnet/ingress host is claimed by one Ingress."""

from __future__ import annotations

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.content import Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index
from homelab.validate.tree import describe


def ingress_hosts(placed: list[Placed], tree: Source, _idx: Index) -> list[Finding]:
    """Each tailnet/ingress host is claimed by one Ingress."""
    out = []
    hosts: dict[str, Placed] = {}
    for p in placed:
        if p.obj.get("kind") != "Ingress":
            continue
        spec = as_mapping(p.obj.get("spec"))
        names = [h for t in spec.get("tls") or [] for h in t.get("hosts") or []]
        names += [r["host"] for r in spec.get("rules") or [] if r.get("host")]
        for host in dict.fromkeys(names):
            first = hosts.setdefault(host, p)
            if first is not p and describe(first.obj, first.namespace) != describe(p.obj, p.namespace):
                out.append(
                    placed_finding(
                        tree,
                        p,
                        "ingress-host",
                        f"host {host!r} is also used by {describe(first.obj, first.namespace)} ({first.entry}/); "
                        "only one of them gets it",
                        "give each Ingress its own host (its props' hosts=, or the Ingress's rules)",
                        "spec.tls",
                    )
                )
    return out
