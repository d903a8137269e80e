"""Each shape of a hand-written tree, imported and re-rendered identically (the command's own proof)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from homelab.commands.import_repo import ImportOptions, run
from homelab.sealing.cert import self_signed
from homelab.sealing.crypto import label_for, seal
from homelab.sealing.store_format import UNKNOWN_CERTIFICATE
from tests.importing.conftest import ROOT
from tests.importing.trees import REPO, helm_app, kustomization, lab

Import = Callable[..., tuple[int, str]]

WIKI = helm_app("wiki", "wiki", {"replicas": 1, "persistence": {"size": "1Gi"}})


def _wiki(overlay: dict[str, object] | None = None, cluster: str = "home") -> dict[str, object]:
    files: dict[str, object] = {"base/app.yaml": WIKI, "base/kustomization.yaml": kustomization(["app.yaml"])}
    files[f"overlays/{cluster}/kustomization.yaml"] = overlay or kustomization(["../../base"])
    return files


def test_a_helm_application_with_values(tmp_path: Path, imported: Import) -> None:
    tree = lab(tmp_path / "tree", {"wiki": _wiki()}, {"home": ["wiki"]})
    status, out = imported(tree, tmp_path / "new")
    assert status == 0, out
    assert "✓ wiki (home): 1/1 identical" in out
    assert "✓ clusters (home): 4/4 identical" in out
    module = (tmp_path / "new/clusters/apps/wiki.py").read_text()
    assert "def base(scope: Scope) -> None:" in module and 'APP = AppSpec(name="wiki"' in module


def test_per_cluster_patches_become_overlay_builders(tmp_path: Path, imported: Import) -> None:
    patch = {
        "patch": "- op: replace\n  path: /spec/source/helm/valuesObject/replicas\n  value: 3",
        "target": {"kind": "Application", "name": "wiki"},
    }
    apps = {
        "wiki": {
            **_wiki(kustomization(["../../base"], patches=[patch])),
            **{f"overlays/lab/{k}": v for k, v in {"kustomization.yaml": kustomization(["../../base"])}.items()},
        }
    }
    tree = lab(tmp_path / "tree", apps, {"home": ["wiki"], "lab": ["wiki"]})
    status, out = imported(tree, tmp_path / "new")
    assert status == 0, out
    assert "✓ wiki (home): 1/1 identical" in out and "✓ wiki (lab): 1/1 identical" in out
    module = (tmp_path / "new/clusters/apps/wiki.py").read_text()
    assert "def home(scope: Scope, ctx: Context) -> None:" in module
    patched = (tmp_path / "new/dist/kustomize/wiki/overlays/home/kustomization.yaml").read_text()
    assert "patches" in patched  # the difference is a patch of the base, as kustomize had it


def test_cnpg_cluster_and_tailscale_ingress(tmp_path: Path, imported: Import) -> None:
    cnpg = {
        "apiVersion": "postgresql.cnpg.io/v1",
        "kind": "Cluster",
        "metadata": {"name": "wiki-pg", "namespace": "wiki"},
        "spec": {"instances": 1, "storage": {"size": "1Gi"}},
    }
    ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "wiki", "namespace": "wiki"},
        "spec": {
            "ingressClassName": "tailscale",
            "tls": [{"hosts": ["wiki"]}],
            "defaultBackend": {"service": {"name": "wiki", "port": {"number": 80}}},
        },
    }
    overlay = kustomization(["../../base", "db.yaml", "ingress.yaml"])
    apps = {"wiki": {**_wiki(overlay), "overlays/home/db.yaml": cnpg, "overlays/home/ingress.yaml": ingress}}
    tree = lab(tmp_path / "tree", apps, {"home": ["wiki"]})
    status, out = imported(tree, tmp_path / "new")
    assert status == 0, out
    assert "✓ wiki (home): 3/3 identical" in out


def test_a_remote_base_is_carried_not_fetched(tmp_path: Path, imported: Import) -> None:
    remote = "https://github.com/org/operator//deploy?ref=v1.2.3"
    files = _wiki()
    files["base/kustomization.yaml"] = kustomization(["app.yaml", remote])
    tree = lab(tmp_path / "tree", {"wiki": files}, {"home": ["wiki"]})
    status, out = imported(tree, tmp_path / "new")
    assert status == 0, out
    assert (
        'RemoteResource(url="https://github.com/org/operator//deploy", ref="v1.2.3")'
        in (tmp_path / "new/clusters/apps/wiki.py").read_text()
    )
    assert remote in (tmp_path / "new/dist/kustomize/wiki/base/kustomization.yaml").read_text()


def test_a_directory_no_root_reaches_is_a_disabled_app(tmp_path: Path, imported: Import) -> None:
    tree = lab(tmp_path / "tree", {"wiki": _wiki(), "notes": _wiki()}, {"home": ["wiki"]})
    status, out = imported(tree, tmp_path / "new")
    assert status == 0, out
    assert "note: notes: no root of home deploys it: imported as disabled there" in out
    assert "disabled=(notes.APP,)" in (tmp_path / "new/clusters/home.py").read_text()


def test_a_plain_secret_is_imported_with_a_loud_line(
    tmp_path: Path, imported: Import, capsys: pytest.CaptureFixture[str]
) -> None:
    """A WARNING on stderr per plain Secret (one in the base once, not once per overlay), counted in the
    summary, and a comment above it in the Python with the exact `homelab seal` commands."""
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "wiki-admin", "namespace": "wiki"},
        "stringData": {"password": "x", "user": "admin"},
    }
    shared = {**secret, "metadata": {"name": "wiki-shared", "namespace": "wiki"}}
    files = {
        **_wiki(kustomization(["../../base", "secret.yaml"])),
        "overlays/home/secret.yaml": secret,
        "base/kustomization.yaml": kustomization(["app.yaml", "shared.yaml"]),
        "base/shared.yaml": shared,
    }
    tree = lab(tmp_path / "tree", {"wiki": files}, {"home": ["wiki"]})
    options = ImportOptions(tree=tree, repo=REPO, into=tmp_path / "new", homelab_source=str(ROOT))
    assert run(options) == 0
    out, err = capsys.readouterr()
    seal = "homelab seal home wiki/wiki-admin --stdin password; homelab seal home wiki/wiki-admin --stdin user"
    assert (
        "WARNING: wiki: Secret wiki/wiki-admin (overlay home) is a plain Secret, imported in clear (annotated "
        f"homelab/not-sensitive, which synth requires): seal it — {seal}"
    ) in err
    assert "WARNING: wiki: Secret wiki/wiki-shared (base) is a plain Secret" in err
    assert err.count("WARNING:") == 2 and "WARNING" not in out.replace("WARNING: 2 plain Secret(s)", "")
    assert "WARNING: 2 plain Secret(s) imported in clear (listed on stderr" in out
    assert "! Secret wiki/wiki-admin: differs on purpose: annotated homelab/not-sensitive" in out
    module = (tmp_path / "new/clusters/apps/wiki.py").read_text()
    assert (
        f"    # WARNING: a Secret in clear, imported as it was: it must not stay in git. Seal it:\n    #   {seal}"
        in module
    )
    assert "#   homelab seal CLUSTER wiki/wiki-shared --stdin password" in module  # a base's: each cluster's


@pytest.mark.parametrize("with_cert", [True, False], ids=["cert", "no-cert"])
def test_sealed_secrets_keep_their_ciphertexts(
    tmp_path: Path, imported: Import, rsa_key: object, with_cert: bool
) -> None:
    """With or without the cluster's certificate (needed only to seal new values), the ciphertexts go
    into the store as they are."""
    pem = tmp_path / "home.pem"
    pem.write_bytes(self_signed(rsa_key, common_name="sealed-secret"))
    public = rsa_key.public_key()  # type: ignore[attr-defined]
    cipher = seal(public, b"hunter2", label_for("strict", "wiki", "wiki-admin"))
    sealed = {
        "apiVersion": "bitnami.com/v1alpha1",
        "kind": "SealedSecret",
        "metadata": {"name": "wiki-admin", "namespace": "wiki"},
        "spec": {
            "encryptedData": {"password": cipher},
            "template": {"metadata": {"name": "wiki-admin", "namespace": "wiki"}},
        },
    }
    apps = {"wiki": {**_wiki(kustomization(["../../base", "sealed.yaml"])), "overlays/home/sealed.yaml": sealed}}
    tree = lab(tmp_path / "tree", apps, {"home": ["wiki"]})
    status, out = imported(tree, tmp_path / "new", certs={"home": pem} if with_cert else {})
    assert status == 0, out
    store = tmp_path / "new/clusters/sealed/home.yaml"
    assert "SealedSecret wiki/wiki-admin  ← SealedConfig" in out  # typed, its ciphertext in the store as it is
    assert "kept as a raw SealedSecret" not in out
    assert cipher in store.read_text()
    recorded = yaml.safe_load(store.read_text())["secrets"][0]["certificate"]
    assert recorded.startswith("sha256:") if with_cert else recorded == UNKNOWN_CERTIFICATE
    assert (tmp_path / "new/clusters/certs/home.pem").is_file() == with_cert
    fetch = "`kubeseal --fetch-cert > clusters/certs/home.pem && .venv/bin/homelab cert home clusters/certs/home.pem`"
    assert (fetch in (tmp_path / "new/README.md").read_text()) != with_cert
    assert cipher in next((tmp_path / "new/dist/kustomize/wiki/overlays/home").glob("*wiki-admin*")).read_text()


def test_two_imports_write_the_same_files(tmp_path: Path, imported: Import) -> None:
    tree = lab(tmp_path / "tree", {"wiki": _wiki(), "notes": _wiki()}, {"home": ["wiki"]})
    for into in ("one", "two"):
        status, out = imported(tree, tmp_path / into)
        assert status == 0, out

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts
        }

    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [path for path in one if one[path] != two[path]] == []


def test_refusals(tmp_path: Path, imported: Import) -> None:
    from homelab.errors import HomelabError

    tree = lab(tmp_path / "tree", {"wiki": _wiki()}, {"home": ["wiki"]})
    with pytest.raises(HomelabError, match=r"missing: no such directory; give the hand-written tree"):
        imported(tmp_path / "missing", tmp_path / "new")
    with pytest.raises(HomelabError, match=r"is inside .*tree: homelab import never writes into the tree it reads"):
        imported(tree, tree / "new")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(HomelabError, match=r"full exists and is not empty: homelab import writes a new repository"):
        imported(tree, tmp_path / "full")
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
    before = sorted(p.relative_to(tree) for p in tree.rglob("*"))
    status, _ = imported(tree, tmp_path / "new")
    assert status == 0 and sorted(p.relative_to(tree) for p in tree.rglob("*")) == before  # TREE untouched


def _deployment(config: str) -> dict[str, object]:
    pod = {"containers": [{"name": "wiki", "image": "wiki:1", "envFrom": [{"configMapRef": {"name": config}}]}]}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "wiki", "namespace": "wiki"},
        "spec": {
            "selector": {"matchLabels": {"app": "wiki"}},
            "template": {"metadata": {"labels": {"app": "wiki"}}, "spec": pod},
        },
    }


def test_generators_are_carried_with_a_line_each(tmp_path: Path, imported: Import) -> None:
    """A configMapGenerator (its Deployment naming it, an overlay merging into it) becomes hashed config; a
    secretGenerator's Secret, in clear, stays the object it expanded to, with its line."""
    base = kustomization(
        ["app.yaml", "deployment.yaml"],
        namespace="wiki",
        configMapGenerator=[{"name": "wiki-env", "literals": ["MODE=prod"]}],
    )
    token = [{"name": "wiki-token", "literals": ["token=x"]}]
    merged = [{"name": "wiki-env", "behavior": "merge", "literals": ["LEVEL=debug"]}]
    overlay = kustomization(["../../base"], namespace="wiki", secretGenerator=token, configMapGenerator=merged)
    files = {**_wiki(overlay), "base/kustomization.yaml": base, "base/deployment.yaml": _deployment("wiki-env")}
    tree = lab(tmp_path / "tree", {"wiki": files}, {"home": ["wiki"]})
    status, out = imported(tree, tmp_path / "new")
    assert status == 0, out
    assert "✓ wiki (home): 3/4 identical" in out and "! Secret wiki/wiki-token-" in out  # the plain Secret's mark
    assert "= ConfigMap wiki/wiki-env-" in out and "← ConfigMap" in out
    module = (tmp_path / "new/clusters/apps/wiki.py").read_text()
    assert 'WIKI_ENV = ConfigMapProps(name="wiki-env", namespace="wiki", data={"MODE": "prod"}, hashed=True)' in module
    assert "WIKI_ENV_HOME = replace(WIKI_ENV, data={" in module  # the overlay's merge: named by its content too
    assert "configMapGenerator wiki-env" not in out  # hashed config: nothing to report
    assert (
        "note: wiki: secretGenerator wiki-token (wiki/overlays/home): imported as the object it expanded to, "
        "Secret wiki/wiki-token-"
    ) in out
    assert "declare it PlainSecretProps(name='wiki-token', hashed=True)" in out
    assert out.count("secretGenerator wiki-token") == 1  # once per generator
