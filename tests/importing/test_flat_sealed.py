"""A SealedSecret where no overlay of the original holds it — a flat app's (``apps/<name>/kustomization.yaml``,
the most common shape of public homelabs), a base's, a cluster root's — is imported typed: a ``SealedConfig``
reading the store of each cluster that deploys it, its ciphertexts in that store as they are, with or without
the cluster's certificate."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from homelab.sealing.cert import self_signed
from homelab.sealing.crypto import label_for, seal
from tests.importing.foreign import HTTPS, application, deployment
from tests.importing.public import sealed_secret, two_clusters_repo
from tests.importing.test_public_shapes import _clean
from tests.importing.trees import kustomization, write

Import = Callable[..., tuple[int, str]]


def _ciphertext(key: Any, text: bytes = b"token", namespace: str = "vault", name: str = "vault") -> str:
    return seal(key.public_key(), text, label_for("namespace-wide", namespace, name))


def flat_sealed_repo(root: Path, ciphertext: str, clusters: tuple[str, ...]) -> Path:
    """``apps/vault``: a flat kustomization of a Deployment and a SealedSecret (namespace-wide), deployed by the
    plain root folder ``clusters/<cluster>/`` of each of ``clusters``."""
    files: dict[str, object] = {
        f"clusters/{cluster}/vault.yaml": application("vault", "apps/vault", "vault") for cluster in clusters
    }
    files.update(
        {
            "apps/vault/kustomization.yaml": kustomization(["deployment.yaml", "sealed.yaml"]),
            "apps/vault/deployment.yaml": deployment("vault", "vaultwarden/server:1.32.0"),
            "apps/vault/sealed.yaml": sealed_secret("vault", "vault", ciphertext),
        }
    )
    return write(root, files)


def _store(new: Path, cluster: str) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((new / f"clusters/sealed/{cluster}.yaml").read_text())
    return doc


def test_a_flat_app_s_sealed_secret_is_a_sealed_config_without_a_certificate(
    tmp_path: Path, imported: Import, rsa_key: Any
) -> None:
    ciphertext = _ciphertext(rsa_key)
    status, out = imported(flat_sealed_repo(tmp_path / "tree", ciphertext, ("home",)), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert "✓ apps/vault (home): 2/2 identical" in out, out
    assert "= SealedSecret vault/vault  ← SealedConfig" in out, out
    assert "raw SealedSecret" not in out, out
    new = tmp_path / "new"
    module = (new / "clusters/apps/vault.py").read_text()
    assert "api_object" not in module and "encryptedData" not in module, module  # no ciphertext in the Python
    home = module[module.index("def home(") :]
    assert home.startswith(
        'def home(scope: Scope, ctx: Context) -> None:\n    """The app on home."""\n    base(scope)\n'
        '    SealedConfig(scope, "vault-sealed-secret", VAULT_SEALED_SECRET, store=ctx.sealed)\n'
    ), module
    assert "SealedConfig" not in module[module.index("def base(") : module.index("def home(")], module
    [entry] = _store(new, "home")["secrets"]
    assert entry["certificate"] == "unknown" and entry["encryptedData"] == {"ADMIN_TOKEN": ciphertext}, entry
    assert entry["scope"] == "namespace-wide" and (entry["namespace"], entry["name"]) == ("vault", "vault"), entry
    _clean(new)


def test_a_flat_app_deployed_by_two_clusters_gives_each_store_its_ciphertexts(
    tmp_path: Path, imported: Import, rsa_key: Any
) -> None:
    pem = tmp_path / "cert.pem"
    pem.write_bytes(self_signed(rsa_key, common_name="sealed-secret"))
    ciphertext = _ciphertext(rsa_key)
    tree = flat_sealed_repo(tmp_path / "tree", ciphertext, ("dev", "prod"))
    status, out = imported(tree, tmp_path / "new", repo=HTTPS, certs={"prod": pem})
    assert status == 0, out
    for cluster in ("dev", "prod"):
        assert f"✓ apps/vault ({cluster}): 2/2 identical" in out, out
    new = tmp_path / "new"
    module = (new / "clusters/apps/vault.py").read_text()
    assert module.count("SealedConfigProps(") == 1, module  # one constant, both clusters' builders use it
    assert module.count("VAULT_SEALED_SECRET, store=ctx.sealed)") == 2, module
    assert module.count("    base(scope)\n") == 2, module
    dev, prod = _store(new, "dev")["secrets"], _store(new, "prod")["secrets"]
    assert [e["encryptedData"] for e in dev] == [e["encryptedData"] for e in prod] == [{"ADMIN_TOKEN": ciphertext}]
    assert dev[0]["certificate"] == "unknown" and prod[0]["certificate"] != "unknown", (dev, prod)


def test_two_clusters_with_different_ciphertexts_share_one_constant(
    tmp_path: Path, imported: Import, rsa_key: Any
) -> None:
    """Each overlay holds its own SealedSecret (sealed for its cluster): one SealedConfigProps, each cluster's
    ciphertexts in its store."""
    files: dict[str, object] = {}
    ciphertexts = {c: _ciphertext(rsa_key, c.encode()) for c in ("dev", "prod")}
    for cluster, ciphertext in ciphertexts.items():
        files[f"clusters/{cluster}/vault.yaml"] = application("vault", f"apps/vault/overlays/{cluster}", "vault")
        files[f"apps/vault/overlays/{cluster}/kustomization.yaml"] = kustomization(["../../base", "sealed.yaml"])
        files[f"apps/vault/overlays/{cluster}/sealed.yaml"] = sealed_secret("vault", "vault", ciphertext)
    files["apps/vault/base/kustomization.yaml"] = kustomization(["deployment.yaml"], namespace="vault")
    files["apps/vault/base/deployment.yaml"] = deployment("vault", "vaultwarden/server:1.32.0")
    status, out = imported(write(tmp_path / "tree", files), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    module = (tmp_path / "new/clusters/apps/vault.py").read_text()
    assert module.count("SealedConfigProps(") == 1 and "_DEV" not in module and "_PROD" not in module, module
    for cluster, ciphertext in ciphertexts.items():
        [entry] = _store(tmp_path / "new", cluster)["secrets"]
        assert entry["encryptedData"] == {"ADMIN_TOKEN": ciphertext}, entry


def test_a_base_s_sealed_secret_goes_to_each_overlay_and_a_root_s_to_the_cluster(
    tmp_path: Path, imported: Import, rsa_key: Any
) -> None:
    repo_secret = sealed_secret("repo-creds", "argocd", _ciphertext(rsa_key, b"key", "argocd", "repo-creds"))
    files: dict[str, object] = {
        "clusters/home/kustomization.yaml": kustomization(["vault.yaml", "repo.yaml"]),
        "clusters/home/vault.yaml": application("vault", "apps/vault/overlays/home", "vault"),
        "clusters/home/repo.yaml": repo_secret,
        "apps/vault/base/kustomization.yaml": kustomization(["deployment.yaml", "sealed.yaml"]),
        "apps/vault/base/deployment.yaml": deployment("vault", "vaultwarden/server:1.32.0"),
        "apps/vault/base/sealed.yaml": sealed_secret("vault", "vault", _ciphertext(rsa_key)),
        "apps/vault/overlays/home/kustomization.yaml": kustomization(["../../base"], images=[{"name": "x"}]),
    }
    status, out = imported(write(tmp_path / "tree", files), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    new = tmp_path / "new"
    module = (new / "clusters/apps/vault.py").read_text()
    assert re.search(r"def home\(.*\n.*\n    base\(scope\)\n    SealedConfig\(", module), module
    cluster = (new / "clusters/home.py").read_text()
    assert 'SealedConfig(scope, "repo-creds", REPO_CREDS, store=ctx.sealed)' in cluster, cluster
    assert sorted(e["name"] for e in _store(new, "home")["secrets"]) == ["repo-creds", "vault"]


def test_an_app_no_cluster_deploys_keeps_its_sealed_secret_raw_and_says_so(
    tmp_path: Path, imported: Import, rsa_key: Any
) -> None:
    tree = flat_sealed_repo(tmp_path / "tree", _ciphertext(rsa_key), ("home",))
    write(tree, {"apps/idle/kustomization.yaml": kustomization(["sealed.yaml"])})
    write(tree, {"apps/idle/sealed.yaml": sealed_secret("idle", "idle", _ciphertext(rsa_key, b"x", "idle", "idle"))})
    status, out = imported(tree, tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert (
        "note: apps/idle: SealedSecret idle/idle (base): kept as a raw SealedSecret: no cluster deploys the app, "
        "so no sealed store takes its ciphertexts"
    ) in out, out


def test_a_folder_two_clusters_deploy_as_written_is_proven_on_both(
    tmp_path: Path, imported: Import, rsa_key: Any
) -> None:
    """``infra/`` (a plain folder, ``directory.recurse``) deployed by an Application of each cluster: before, the second cluster's path mapped over the first's (one old path, two new ones) and the
    report said no root of it deployed the folder."""
    label = label_for("namespace-wide", "paperless", "paperless")
    ciphertexts = {c: seal(rsa_key.public_key(), c.encode(), label) for c in ("prod", "dev")}
    status, out = imported(two_clusters_repo(tmp_path / "tree", ciphertexts), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    for cluster in ("prod", "dev"):
        assert f"✓ infra ({cluster}): 3/3 identical" in out and f"✓ clusters/{cluster} ({cluster}): 2/2" in out, out
        application = tmp_path / f"new/dist/clusters/overlays/{cluster}/application-infra-{cluster}.yaml"
        assert "directory:" not in application.read_text()  # a kustomization now: Argo CD must build it
    assert "no root of" not in out, out
    # Its directory: options dropped (a kustomization now), each Application is derived: none kept as written.
    assert "kept as written" not in out and "infra.INFRA_PROD" in (tmp_path / "new/clusters/prod.py").read_text()
