"""Give the bundled homelab a demo certificate per cluster and seal random values for its secrets.

The bundled clusters' real keys are not ours to have, so this repository seals with certificates
generated here; their private keys are thrown away (nobody can decrypt the bundled values, which
are random anyway). Run it after declaring a new SealedConfig in the bundled homelab:

    python scripts/demo_seal.py            # only secrets/keys missing from the stores
    python scripts/demo_seal.py --new-certs  # new certificates, everything resealed

A real user does not need this: they record their cluster's certificate with
`python -m homelab cert CLUSTER cert.pem` and seal real values with `python -m homelab seal`.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

from clusters import HOMELAB  # noqa: E402
from constructs_lib.sealed_config import SealingScope  # noqa: E402
from homelab.commands.cert import record_cert  # noqa: E402
from homelab.commands.seal import seal_values  # noqa: E402
from homelab.engine.pipeline import synthesise  # noqa: E402
from homelab.sealing.cert import self_signed  # noqa: E402


def demo_certificate(cluster: str) -> bytes:
    """A self-signed 4096-bit RSA certificate valid for ten years, like the controller's own; its key is dropped."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    return self_signed(key, common_name=f"sealed-secret (homelab demo, {cluster})")


class Recorder:
    """A SealedLookup that records what each SealedConfig asks for and answers with placeholders."""

    def __init__(self) -> None:
        self.wanted: dict[str, tuple[SealingScope, tuple[str, ...]]] = {}

    def sealed_values(
        self, *, namespace: str, name: str, sealing_scope: SealingScope, keys: tuple[str, ...]
    ) -> Mapping[str, str]:
        self.wanted[f"{namespace}/{name}"] = (sealing_scope, keys)
        return {k: "" for k in keys}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-certs", action="store_true", help="replace every cluster's certificate first")
    args = parser.parse_args()
    recorders = {d.cluster.name: Recorder() for d in HOMELAB.clusters}
    synthesise(HOMELAB, stores=recorders)
    for d in HOMELAB.clusters:
        name = d.cluster.name
        if args.new_certs or not HOMELAB.cert_path(d.cluster).exists():
            with tempfile.NamedTemporaryFile(suffix=".pem") as pem:
                pem.write(demo_certificate(name))
                pem.flush()
                record_cert(HOMELAB, name, Path(pem.name))
            print(f"{name}: new demo certificate")
        store = HOMELAB.sealed_store(d.cluster)
        for ref, (scope, keys) in sorted(recorders[name].wanted.items()):
            entry = store.entries.get(ref)
            fresh = entry is None or entry.certificate != store.fingerprint or entry.scope != scope
            missing = keys if fresh else tuple(k for k in keys if k not in entry.data)
            if missing:
                values = {k: secrets.token_urlsafe(24).encode() for k in missing}
                seal_values(HOMELAB, name, ref, values, scope=scope)
                print(f"{name}: sealed {ref} {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
