"""The sealed-secrets controller's hybrid encryption, compatible with ``kubeseal``.

Each value is sealed on its own: a fresh 32-byte session key is encrypted with RSA-OAEP
(SHA-256 for OAEP and MGF1) under the cluster's public key with a *label* that binds the value
to the secret's scope; the value is encrypted with AES-256-GCM under the session key, with a
12-byte zero nonce (safe: every key is used once) and no associated data. Layout:
``len(rsa_ciphertext) as 2 bytes big-endian ‖ rsa_ciphertext ‖ aes_ciphertext+tag``, base64.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from constructs_lib.annotations import SEALED_CLUSTER_WIDE, SEALED_NAMESPACE_WIDE
from constructs_lib.sealed_config import SEALING_SCOPES, SealingScope

_NONCE = bytes(12)
_SESSION_KEY_BYTES = 32
_TAG_BYTES = 16
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class UnsealError(ValueError):
    """A ciphertext that cannot be decrypted with this key and label (wrong key, scope or name)."""


class MalformedCiphertext(UnsealError):
    """A string that is no sealed value for the key at hand: not base64, cut short, or sealed for a key of another size."""


def label_for(scope: SealingScope, namespace: str, name: str) -> bytes:
    """The OAEP label the controller uses: ``ns/name`` (strict), ``ns`` (namespace-wide) or empty."""
    if scope == "strict":
        return f"{namespace}/{name}".encode()
    if scope == "namespace-wide":
        return namespace.encode()
    if scope == "cluster-wide":
        return b""
    raise ValueError(f"unknown scope {scope!r}: use one of {', '.join(SEALING_SCOPES)}")


def scope_of(annotations: dict[str, str] | None) -> SealingScope:
    """The scope the controller derives from a SealedSecret's annotations (cluster-wide wins)."""
    annotations = annotations or {}
    if annotations.get(SEALED_CLUSTER_WIDE) == "true":
        return "cluster-wide"
    if annotations.get(SEALED_NAMESPACE_WIDE) == "true":
        return "namespace-wide"
    return "strict"


def _oaep(label: bytes) -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=label or None)


def seal(public_key: rsa.RSAPublicKey, plaintext: bytes, label: bytes) -> str:
    """Encrypt ``plaintext`` for ``public_key`` under ``label``; a new random result every call."""
    session_key = os.urandom(_SESSION_KEY_BYTES)
    rsa_ciphertext = public_key.encrypt(session_key, _oaep(label))
    aes_ciphertext = AESGCM(session_key).encrypt(_NONCE, plaintext, None)
    raw = struct.pack(">H", len(rsa_ciphertext)) + rsa_ciphertext + aes_ciphertext
    return base64.b64encode(raw).decode("ascii")


def split(ciphertext: str, *, rsa_bytes: int | None = None) -> tuple[bytes, bytes]:
    """The RSA-encrypted session key and the AES-GCM part (ciphertext and tag) of a sealed value.

    :class:`MalformedCiphertext` names what is wrong with a value that cannot be one: not base64, or
    cut short (the RSA part shorter than its length prefix says, or no room for the GCM tag).
    ``rsa_bytes``, the size of the sealing key's modulus, also checks the RSA part's length.
    """
    try:
        raw = base64.b64decode(ciphertext, validate=True)
    except (binascii.Error, ValueError):
        if _BASE64.fullmatch(ciphertext):
            raise MalformedCiphertext(
                f"not valid base64: {len(ciphertext)} characters, not a multiple of 4 (cut short?)"
            ) from None
        raise MalformedCiphertext("not valid base64 (a character outside A-Z, a-z, 0-9, '+', '/', '=')") from None
    if len(raw) < 2:
        raise MalformedCiphertext(f"{len(raw)} bytes: cut short (no RSA length prefix)")
    (rsa_len,) = struct.unpack(">H", raw[:2])
    rsa_ciphertext, aes_ciphertext = raw[2 : 2 + rsa_len], raw[2 + rsa_len :]
    if rsa_bytes is not None and rsa_len != rsa_bytes:
        raise MalformedCiphertext(
            f"sealed for a {rsa_len * 8}-bit RSA key, not for the certificate's {rsa_bytes * 8}-bit one"
        )
    if len(rsa_ciphertext) != rsa_len:
        raise MalformedCiphertext(
            f"{len(raw)} bytes: cut short (the encrypted session key alone should be {rsa_len} bytes)"
        )
    if len(aes_ciphertext) < _TAG_BYTES:
        raise MalformedCiphertext(
            f"{len(raw)} bytes: cut short (at least {2 + rsa_len + _TAG_BYTES} with the {_TAG_BYTES}-byte AES-GCM tag)"
        )
    return rsa_ciphertext, aes_ciphertext


def unseal(private_key: rsa.RSAPrivateKey, ciphertext: str, label: bytes) -> bytes:
    """Decrypt what :func:`seal` (or kubeseal) produced; :class:`UnsealError` when key or label is wrong."""
    rsa_ciphertext, aes_ciphertext = split(ciphertext)
    try:
        session_key = private_key.decrypt(rsa_ciphertext, _oaep(label))
        return AESGCM(session_key).decrypt(_NONCE, aes_ciphertext, None)
    except (ValueError, InvalidTag) as exc:  # RSA-OAEP: ValueError; AES-GCM: InvalidTag
        raise UnsealError("decryption failed: wrong key, or the secret's name, namespace or scope changed") from exc
