"""``secret-key``: keys read from Secrets the cluster defines exist in them."""

from __future__ import annotations

from constructs_lib._internal.secret_keys import known_keys, wrong_keys
from homelab.validate.content import Placed, Source, placed_finding
from homelab.validate.findings import Finding
from homelab.validate.index import Index


def secret_keys(placed: list[Placed], tree: Source, _idx: Index) -> list[Finding]:
    """Keys read from Secrets the cluster defines exist in them (see :mod:`constructs_lib._internal.secret_keys`)."""
    pairs = [(p.obj, p.namespace) for p in placed]
    by_object = {id(p.obj): p for p in placed}
    return [
        placed_finding(
            tree,
            by_object[id(obj)],
            "secret-key",
            f"reads key {ref.key!r} of Secret {ref.secret[0]}/{ref.secret[1]}, which has no such key "
            f"(its keys, from {source}: {', '.join(sorted(keys)) or 'none'}); the pod would fail to start",
            "use one of its keys, or declare the key (SealedConfigProps(keys=...)) and seal it (homelab seal)",
            ref.field,
        )
        for obj, ref, keys, source in wrong_keys(pairs, known_keys(pairs))
    ]
