"""``homelab cert CLUSTER PEM``: record a cluster's sealing certificate (from ``kubeseal --fetch-cert``)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from homelab import safe_fs
from homelab.commands.secret_args import cluster_named, read_given
from homelab.declaration import load_homelab
from homelab.model.homelab import Homelab
from homelab.sealing.cert import parse_certificate
from homelab.sealing.store import SealedStore
from homelab.sealing.store_format import UNKNOWN_CERTIFICATE, check_ciphertexts


@dataclass(frozen=True)
class CertOptions:
    homelab: str | None
    """The declaration as MODULE:ATTRIBUTE (`--homelab`); the repository's `[tool.homelab]` when None."""
    cluster: str
    pem: Path

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CertOptions:
        return cls(homelab=args.homelab, cluster=args.cluster, pem=Path(args.pem))


def run(options: CertOptions) -> int:
    lab = load_homelab(options.homelab)
    with safe_fs.repository_lock(lab.root, "homelab cert"):
        target, adopted, stale = record_cert(lab, options.cluster, options.pem)
    print(f"{options.cluster}: certificate recorded in {target.relative_to(lab.root)}")
    for ref in adopted:
        print(f"  {ref}: copied with no certificate known, its ciphertexts fit this one: recorded as sealed with it")
    for ref, why in stale.items():
        print(f"  reseal {ref}: {why}")
    return 0


def record_cert(lab: Homelab, cluster_name: str, pem_path: Path) -> tuple[Path, list[str], dict[str, str]]:
    """Store ``pem_path`` as the cluster's certificate; return its path, the secrets copied with no
    certificate known that it adopted (:func:`_adopt_copied`) and those now needing a reseal (with why)."""
    cluster = cluster_named(lab, cluster_name)
    cert = parse_certificate(read_given(str(pem_path), "the PEM argument"), source=str(pem_path))
    store = SealedStore.load(
        cluster=cluster.name,
        path=lab.store_path(cluster),
        fingerprint=cert.fingerprint,
        label=lab.store_path(cluster).relative_to(lab.root).as_posix(),
        rsa_bytes=cert.public_key.key_size // 8,
    )
    adopted = _adopt_copied(store, cert.fingerprint, cert.public_key.key_size // 8)
    target = lab.cert_path(cluster)
    safe_fs.atomic_write(target, cert.pem)  # after reading the store: a damaged one stops before any change
    if adopted:
        store.save()
    stale = {
        ref: "its ciphertexts do not fit this certificate's key"
        if e.certificate == UNKNOWN_CERTIFICATE
        else "it was sealed with the previous certificate"
        for ref, e in sorted(store.entries.items())
        if e.certificate != cert.fingerprint
    }
    return target, adopted, stale


def _adopt_copied(store: SealedStore, fingerprint: str, rsa_bytes: int) -> list[str]:
    """Record ``fingerprint`` on the entries copied with no certificate known (``homelab import``) whose
    ciphertexts fit its key; those that do not stay unknown (listed to reseal). The refs adopted."""
    adopted = []
    for ref in store.copied():
        entry = store.entries[ref]
        try:
            check_ciphertexts(entry.data, rsa_bytes=rsa_bytes)
        except ValueError:
            continue
        entry.certificate = fingerprint
        adopted.append(ref)
    return adopted
