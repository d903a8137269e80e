"""``secret-ref``: the Secrets an object (or an Application's Helm values) uses exist in its namespace."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from constructs_lib._internal.plaintext import as_mapping, leaves
from constructs_lib._internal.secret_keys import external_secret_target
from homelab.kinds import group_of
from homelab.validate.checks._deployed import references
from homelab.validate.content import Placed, Source, creates_hint, nearest, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import GATEWAY_GROUP, SECRET_KINDS, Index, certificate_refs, issued_by_cert_manager

TAILSCALE_CLASS = "tailscale"


def _tls_made_elsewhere(obj: dict[str, Any]) -> set[int]:
    """The ``tls`` entries of ingresses (an Ingress, or an ingress block in Helm values) whose Secrets
    something else makes: the Tailscale operator (class ``tailscale``) makes its own certificates and
    ignores their ``secretName``; cert-manager issues those of an ingress annotated with its issuer."""
    entries: set[int] = set()
    for _, _, value, _ in leaves({"root": obj}):
        if not isinstance(value, dict):
            continue
        spec: dict[str, Any] = value["spec"] if isinstance(value.get("spec"), dict) else value
        annotations = as_mapping(value.get("metadata")).get("annotations") or value.get("annotations")
        if TAILSCALE_CLASS in (spec.get("ingressClassName"), spec.get("className")) or issued_by_cert_manager(
            annotations
        ):
            tls = spec.get("tls")
            entries.update(id(t) for t in (tls if isinstance(tls, list) else []) if isinstance(t, dict))
    return entries


def _secret_refs(obj: dict[str, Any], namespace: str) -> Iterator[tuple[str, str]]:
    """(field path, secret name) of the Secrets an object (or an Application's Helm values) in ``namespace``
    uses: those it reads, a Gateway's certificates, the Secret an ExternalSecret merges into."""
    if obj.get("kind") in SECRET_KINDS:
        return
    group = group_of(str(obj.get("apiVersion", "")))
    if obj.get("kind") == "Gateway" and group == GATEWAY_GROUP:
        yield from ((where, name) for where, name, _ in certificate_refs(obj, namespace))
    elif obj.get("kind") == "ExternalSecret" and group == "external-secrets.io":
        target = external_secret_target(obj)
        if target.policy == "Merge":
            yield "spec.target.name", target.name
    ignored = _tls_made_elsewhere(obj)
    for path, key, value, parent in leaves(obj):
        if id(parent) in ignored:
            continue
        if key in ("secretKeyRef", "secretRef") and isinstance(value, dict) and isinstance(value.get("name"), str):
            if not value.get("optional"):
                yield f"{path}.name", value["name"]
        elif (
            key in ("existingSecret", "secretName")
            and isinstance(value, str)
            and value
            and (key == "existingSecret" or parent.get("enabled", True) is not False)
        ):
            yield path, value


def secret_refs(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    """The Secrets ``p`` uses exist in the namespace they resolve in."""
    body, ns, prefix = references(p)
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
        for where, name in _secret_refs(body, ns)
        if ns and ("Secret", ns, name) not in idx.created
    ]
