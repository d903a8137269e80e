"""The sealed-secrets cipher: round trips per scope, wrong labels, odd values, the byte layout."""

from __future__ import annotations

import base64
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from homelab.sealing.crypto import MalformedCiphertext, UnsealError, label_for, scope_of, seal, split, unseal


@pytest.mark.parametrize(
    ("scope", "label"),
    [("strict", b"wiki/creds"), ("namespace-wide", b"wiki"), ("cluster-wide", b"")],
)
def test_round_trip_per_scope(rsa_key: rsa.RSAPrivateKey, scope: str, label: bytes) -> None:
    assert label_for(scope, "wiki", "creds") == label  # type: ignore[arg-type]
    sealed = seal(rsa_key.public_key(), b"s3cret", label)
    assert unseal(rsa_key, sealed, label) == b"s3cret"
    for wrong in {b"wiki/other", b"other", b"", b"wiki/creds"} - {label}:
        with pytest.raises(UnsealError, match="wrong key, or the secret's name, namespace or scope changed"):
            unseal(rsa_key, sealed, wrong)


def test_binary_and_empty_values(rsa_key: rsa.RSAPrivateKey) -> None:
    for value in (b"", bytes(range(256)), "é🔑".encode()):
        assert unseal(rsa_key, seal(rsa_key.public_key(), value, b"n/x"), b"n/x") == value


def test_sealing_is_randomised(rsa_key: rsa.RSAPrivateKey) -> None:
    assert seal(rsa_key.public_key(), b"same", b"l") != seal(rsa_key.public_key(), b"same", b"l")


def test_wrong_key_fails(rsa_key: rsa.RSAPrivateKey) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(UnsealError):
        unseal(other, seal(rsa_key.public_key(), b"x", b"l"), b"l")


def test_garbage_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(UnsealError, match="not valid base64"):
        unseal(rsa_key, "***", b"")
    with pytest.raises(UnsealError, match=r"cut short \(the encrypted session key alone should be 512 bytes\)"):
        unseal(rsa_key, base64.b64encode(b"\x02\x00abc").decode(), b"")


def test_a_cut_ciphertext_is_malformed_at_every_length(rsa_key: rsa.RSAPrivateKey) -> None:
    """Cut anywhere, a sealed value is refused for its shape; cut at a base64 boundary, by its length."""
    sealed = seal(rsa_key.public_key(), b"", b"n/x")  # the shortest there is: no plaintext
    assert split(sealed, rsa_bytes=256)[0] and len(base64.b64decode(sealed)) == 2 + 256 + 16
    for end in range(len(sealed) - 1, -1, -1):
        with pytest.raises(MalformedCiphertext, match=r"cut short|not valid base64") as caught:
            split(sealed[:end], rsa_bytes=256)
        assert sealed[:end] not in str(caught.value) or end == 0
    with pytest.raises(MalformedCiphertext, match="a character outside A-Z"):
        split(sealed[:-4] + "a b=")
    with pytest.raises(
        MalformedCiphertext, match="sealed for a 2048-bit RSA key, not for the certificate's 4096-bit one"
    ):
        split(sealed, rsa_bytes=512)


def test_4096_bit_layout() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    sealed = seal(key.public_key(), b"hello", b"ns/name")
    raw = base64.b64decode(sealed)
    assert sealed.startswith("Ag")
    (rsa_len,) = struct.unpack(">H", raw[:2])
    assert rsa_len == 512
    assert len(raw) == 2 + 512 + len(b"hello") + 16  # AES-GCM: same length as the plaintext, plus the tag
    assert unseal(key, sealed, b"ns/name") == b"hello"


def test_scope_from_annotations() -> None:
    assert scope_of(None) == "strict"
    assert scope_of({"sealedsecrets.bitnami.com/namespace-wide": "true"}) == "namespace-wide"
    assert scope_of({"sealedsecrets.bitnami.com/namespace-wide": "True"}) == "strict"
    both = {"sealedsecrets.bitnami.com/namespace-wide": "true", "sealedsecrets.bitnami.com/cluster-wide": "true"}
    assert scope_of(both) == "cluster-wide"


def test_a_changed_value_part_fails(rsa_key: rsa.RSAPrivateKey) -> None:
    """The session key decrypts but the AES-GCM tag does not match (cryptography's InvalidTag)."""
    raw = bytearray(base64.b64decode(seal(rsa_key.public_key(), b"s3cret", b"n/x")))
    raw[-1] ^= 1
    with pytest.raises(UnsealError, match="decryption failed: wrong key"):
        unseal(rsa_key, base64.b64encode(bytes(raw)).decode(), b"n/x")
