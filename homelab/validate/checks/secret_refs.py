"""``secret-ref``: the Secrets an object (or an Application's Helm values) uses exist in its namespace."""

from __future__ import annotations

from homelab.validate.content import Placed, Source, creates_hint, nearest, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index
from homelab.validate.references import searched, secrets_used


def secret_refs(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    """The Secrets ``p`` uses exist in the namespace they resolve in."""
    body, ns, prefix = searched(p.obj, p.namespace)
    return [
        placed_finding(
            tree,
            p,
            "secret-ref",
            f"uses Secret {name!r}, which nothing creates in namespace {ns} (no Secret, SealedSecret, "
            "ExternalSecret, CNPG cluster, cert-manager Certificate or declared creates=)",
            f"correct the name{nearest(name, idx.names('Secret', ns))}; seal it (SealedConfig(scope, id, "
            f"SealedConfigProps(name={name!r}, namespace={ns!r}, keys=(...)), store=ctx.sealed)); or, if a "
            f"controller creates it, declare that on the app installing it: "
            f"{creates_hint('Secret', name, ns)}",
            prefix + where,
        )
        for where, name in secrets_used(body, ns)
        if ns and ("Secret", ns, name) not in idx.created
    ]
