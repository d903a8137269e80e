"""``plaintext``: secrets in clear (``plaintext-secret``: a Secret's data; ``plaintext-value``: a value
anywhere else that looks like a secret)."""

from __future__ import annotations

from constructs_lib._internal.plaintext import SOPS_FIX, plaintext_findings
from homelab.validate.content import Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index


def plaintext(p: Placed, tree: Source, _idx: Index) -> list[Finding]:
    """Secrets in clear: a Secret's data, and values anywhere else that look like secrets."""
    out = []
    for field_path, why in plaintext_findings(p.obj):
        if p.obj.get("kind") == "Secret" and field_path in ("data", "stringData"):
            check, say = "plaintext-secret", "a Secret with its values in clear, committed to git"
            fix = "seal it (SealedConfig / kubeseal) instead"
        elif p.obj.get("kind") == "Secret":  # a key of a SOPS-encrypted Secret left in clear
            check, say = "plaintext-secret", f"{why}, committed to git"
            fix = f"{SOPS_FIX}, or annotate the object homelab/not-sensitive: '{field_path}: <why>'"
        else:
            check, say = "plaintext-value", f"{why}: a secret in clear, committed to git"
            fix = (
                "seal it and reference the Secret, or annotate the object homelab/not-sensitive: "
                f"'{field_path}: <why>' if it is not sensitive"
            )
        out.append(placed_finding(tree, p, check, say, fix, field_path))
    return out
