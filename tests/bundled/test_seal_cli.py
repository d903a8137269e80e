"""`homelab seal import` of the reference the bundled homelab was built from, with the certificate the bundled
thomelab cluster records (the language's seal commands are tested in tests/sealing/test_seal_cli.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.sealing.conftest import cli, entry, store


def test_import_the_reference_tree(root: Path, reference: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay = str(reference / "core-argocd-apps" / "overlays" / "thomelab")
    assert cli("seal", "import", "--cluster", "home", overlay) == 1  # sealed for a 4096-bit key, home's is 2048
    assert (
        "SealedSecret argocd/argocd-notifications-secret: the ciphertext of WEBHOOK_FULLURL is sealed for a "
        "4096-bit RSA key, not for the certificate's 2048-bit one"
    ) in capsys.readouterr().err
    assert not (root / "sealed" / "home.yaml").exists()
    assert cli("cert", "home", str(ROOT / "clusters" / "certs" / "thomelab.pem")) == 0  # the key it was sealed for
    assert cli("seal", "import", "--cluster", "home", overlay) == 0
    refs = sorted(f"{e['namespace']}/{e['name']}" for e in store(root)["secrets"])
    assert refs == [
        "argocd/argocd-notifications-secret",
        "longhorn-system/garage-creds-longhorn",
        "tailscale/operator-oauth",
        "velero/credentials-velero",
    ]
    original = yaml.safe_load((reference / "core-argocd-apps/overlays/thomelab/sealed-velero-creds.yaml").read_text())
    assert entry(root, "velero/credentials-velero")["encryptedData"] == original["spec"]["encryptedData"]
