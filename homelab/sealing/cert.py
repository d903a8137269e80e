"""Cluster certificates: the sealed-secrets controller's public key, as ``kubeseal --fetch-cert`` prints it."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from homelab.errors import HomelabError


@dataclass(frozen=True)
class Certificate:
    """A parsed, checked certificate: its RSA public key and its fingerprint."""

    pem: bytes
    der: bytes
    public_key: rsa.RSAPublicKey
    not_after: dt.datetime

    @property
    def fingerprint(self) -> str:
        """``sha256:<hex>`` of the certificate's DER bytes; what the sealed store records."""
        return "sha256:" + hashlib.sha256(self.der).hexdigest()


def parse_certificate(pem: bytes, *, source: str, now: dt.datetime | None = None) -> Certificate:
    """Parse a PEM certificate; refuse one that is not X.509, not RSA, or expired."""
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise HomelabError(
            f"{source}: not a PEM X.509 certificate; fetch it with `kubeseal --fetch-cert > cert.pem`"
        ) from exc
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise HomelabError(
            f"{source}: the certificate's key is {type(key).__name__.lstrip('_')}, not RSA; "
            "the sealed-secrets controller only seals with RSA keys"
        )
    now = now or dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < now:
        raise HomelabError(
            f"{source}: the certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}; "
            "fetch the controller's current one with `kubeseal --fetch-cert`"
        )
    return Certificate(
        pem=cert.public_bytes(serialization.Encoding.PEM),
        der=cert.public_bytes(serialization.Encoding.DER),
        public_key=key,
        not_after=cert.not_valid_after_utc,
    )


def load_certificate(path: Path) -> Certificate:
    """Read and check the certificate at ``path``."""
    if not path.is_file():
        raise HomelabError(f"{path}: no certificate; record one with `python -m homelab cert CLUSTER cert.pem`")
    return parse_certificate(path.read_bytes(), source=str(path))


def self_signed(
    key: rsa.RSAPrivateKey | Any, *, common_name: str, days: int = 3650, not_before: dt.datetime | None = None
) -> bytes:
    """A self-signed PEM certificate for ``key``, valid ``days`` from ``not_before`` (now by default).

    For tests and for the bundled homelab's demo certificates; a real cluster's comes from
    ``kubeseal --fetch-cert``.
    """
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = not_before or dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)
