"""Cluster roots of hand-kept repositories (plain folders of Applications applied once by hand, no
kustomization) and one notion of "this repository" (``repo_key``): validate finds the roots and runs its
GitOps checks from them, whatever spelling of the repository's URL the Applications use."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from homelab.cli import main
from homelab.errors import HomelabError
from homelab.validate import Finding, ValidateOptions, validate
from homelab.validate.roots import ClusterRoot, find_cluster_roots
from homelab.validate.tree import Tree
from tests.validate import crd_schemas

#: The repository as a clone of it is named: the Applications below use two other spellings of it.
REPO = "https://github.com/me/lab"


def _app(name: str, repo: str, path: str, namespace: str, extra: str = "") -> str:
    return f"""
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: {name}, namespace: argocd}}
spec:
  project: default
  source: {{repoURL: "{repo}", targetRevision: main, path: {path}{extra}}}
  destination: {{server: https://kubernetes.default.svc, namespace: {namespace}}}
"""


ARGOCD = """
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: argocd, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://argoproj.github.io/argo-helm
    chart: argo-cd
    targetRevision: 8.x
    helm: {valuesObject: {configs: {params: {application.namespaces: ""}}}}
  destination: {server: https://kubernetes.default.svc, namespace: argocd}
"""

#: A hand-kept repository: cluster prod's root is the folder clusters/prod (applied with kubectl apply -f),
#: lab2's an app-of-apps in clusters/lab2 deploying the folder of Applications apps-of-apps/lab2.
FILES: dict[str, str] = {
    "clusters/prod/argocd.yaml": ARGOCD,
    "clusters/prod/wiki.yaml": _app("wiki", "git@github.com:Me/Lab.git", "apps/wiki/overlays/prod", "wiki"),
    "clusters/prod/web.yaml": _app("web", REPO + ".git/", "apps/web", "web"),
    "clusters/prod/notes.yaml": "# what the operator keeps beside the Applications\nowner: me\n",
    "clusters/lab2/argocd.yaml": ARGOCD,
    "clusters/lab2/root.yaml": _app("lab2-apps", "ssh://git@github.com/me/lab", "apps-of-apps/lab2", "argocd"),
    "apps-of-apps/lab2/web.yaml": _app("web", "git@github.com:me/lab", "apps/web", "web"),
    "apps/wiki/base/kustomization.yaml": "resources: [deployment.yaml]\n",
    "apps/wiki/base/deployment.yaml": """
apiVersion: apps/v1
kind: Deployment
metadata: {name: wiki}
spec:
  selector: {matchLabels: {app: wiki}}
  template:
    metadata: {labels: {app: wiki}}
    spec:
      containers:
        - name: wiki
          image: wiki:1.0
          env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: wiki-db, key: password}}}]
""",
    "apps/wiki/overlays/prod/kustomization.yaml": "namespace: wiki\nresources: [../../base, secret.yaml]\n",
    "apps/wiki/overlays/prod/secret.yaml": """
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: wiki-db, namespace: wiki}
spec:
  encryptedData: {password: AgBxyz}
  template: {metadata: {name: wiki-db, namespace: wiki}}
""",
    "apps/web/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: web}\ndata: {A: b}\n",
    "apps/web/deployment.yaml": """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1.0, envFrom: [{configMapRef: {name: web}}]}]
""",
}
#: The planted defect: the wiki's database Secret is gone.
NO_SECRET: dict[str, str | None] = {"apps/wiki/overlays/prod/secret.yaml": None}
NO_SECRET_KEPT = {"apps/wiki/overlays/prod/kustomization.yaml": "namespace: wiki\nresources: [../../base]\n"}


@pytest.fixture(scope="module")
def crds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crd_schemas.write(tmp_path_factory.mktemp("crd-schemas"))


def write(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    for rel, text in {**FILES, **(changes or {})}.items():
        if text is not None:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text.lstrip("\n"))
    return root


def check(tree: Path, crds: Path, **options: object) -> list[Finding]:
    opts = ValidateOptions(tree=tree, repos={REPO}, prefix="", crd_schema_dirs=[crds], **options)  # type: ignore[arg-type]
    return validate(opts).unique()


def test_the_roots_are_the_folders_of_applications_no_application_deploys(tmp_path: Path) -> None:
    tree = Tree(write(tmp_path))
    assert find_cluster_roots(tree, [REPO]) == [
        ClusterRoot("lab2", "clusters/lab2", "folder"),  # not apps-of-apps/lab2: its root Application deploys it
        ClusterRoot("prod", "clusters/prod", "folder"),
    ]
    # Another spelling of the repository finds the same; another repository, none.
    assert find_cluster_roots(tree, ["git@github.com:me/lab.git"]) == find_cluster_roots(tree, [REPO])
    assert find_cluster_roots(tree, ["https://github.com/me/lab2"]) == []


def test_validate_runs_the_gitops_checks_from_folder_roots(tmp_path: Path, crds: Path) -> None:
    assert check(write(tmp_path / "clean"), crds) == []
    findings = check(write(tmp_path / "broken", {**NO_SECRET, **NO_SECRET_KEPT}), crds)
    assert [(f.check, f.object, f.file) for f in findings] == [
        ("secret-ref", "Deployment wiki/wiki", "apps/wiki/base/deployment.yaml")
    ]


def test_a_plain_folder_an_application_deploys_is_read_as_argo_cd_reads_it(tmp_path: Path, crds: Path) -> None:
    # apps/web has no kustomization: its objects are checked (a ConfigMap it uses that is gone is found) ...
    findings = check(write(tmp_path, {"apps/web/config.yaml": None}), crds)
    assert [(f.check, f.object) for f in findings] == [("configmap-ref", "Deployment web/web")]
    # ... and a file of it that is not YAML is a finding naming the file and line, not a crash.
    findings = check(write(tmp_path, {"apps/web/config.yaml": "data: [unclosed\n"}), crds)
    build = [f for f in findings if f.check == "build"]
    assert len(build) == 1 and build[0].file == "apps/web/config.yaml", findings
    assert "apps/web/config.yaml:2: not YAML" in build[0].message
    assert "none of the objects of the folder apps/web was read" in build[0].message


def test_a_folder_deployed_with_recurse_is_read_with_its_subfolders(tmp_path: Path, crds: Path) -> None:
    moved: dict[str, str | None] = {
        "clusters/prod/web.yaml": _app("web", REPO, "apps/web", "web", ", directory: {recurse: true}"),
        "apps/web/config.yaml": None,
        "apps/web/more/config.yaml": FILES["apps/web/config.yaml"],
        "clusters/lab2/root.yaml": None,  # lab2 deploys apps/web without recurse: it would miss the ConfigMap
        "apps-of-apps/lab2/web.yaml": None,
    }
    root = write(tmp_path, moved)
    findings = check(root, crds)
    assert [f for f in findings if f.check in ("configmap-ref", "skipped", "not-deployed")] == []


def test_the_command_finds_the_roots_of_a_clone(tmp_path: Path, crds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A clone validated at its root, with --repo in the git@ form: its place in the repository is its root."""
    repo = write(tmp_path / "lab", {**NO_SECRET, **NO_SECRET_KEPT})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    args = ["validate", "--tree", str(repo), "--repo", "git@github.com:me/lab.git", "--crd-schemas", str(crds)]
    assert main(["--homelab", "no_such_module:LAB", *args]) == 1
    out = capsys.readouterr().out
    assert "error: [secret-ref] apps/wiki/base/deployment.yaml, Deployment wiki/wiki" in out
    for quiet in ("[skipped]", "[not-deployed]", "[cluster-root]", "[application-path]"):
        assert quiet not in out


def test_when_it_cannot_tell_the_finding_asks_for_cluster_root(tmp_path: Path, crds: Path) -> None:
    # The root Application's folder is deployed by an Application of the folder it deploys: a cycle.
    cycle: dict[str, str | None] = {r: None for r in FILES if r.startswith("clusters/prod/")}
    cycle["apps-of-apps/lab2/self.yaml"] = _app("lab2-root", REPO, "clusters/lab2", "argocd")
    root = write(tmp_path, cycle)
    findings = check(root, crds)
    assert [f.check for f in findings] == ["cluster-root"]
    assert "--cluster-root [NAME=]PATH" in findings[0].fix
    # The apps' overlays name cluster prod: given under another name, prod is a cluster without a root.
    assert find_cluster_roots(Tree(root), [REPO], ["lab=clusters/lab2"]) == [
        ClusterRoot("lab", "clusters/lab2", "folder")
    ]
    skipped = check(root, crds, cluster_roots=["lab=clusters/lab2"])
    assert [f.message for f in skipped] == ["the GitOps checks of cluster prod were skipped: it has no root directory"]
    assert skipped[0].fix.startswith("give its root (the directory applied by hand to bootstrap it) with --cluster")
    assert "build errors" not in skipped[0].fix  # none were reported
    assert check(root, crds, cluster_roots=["prod=clusters/lab2"]) == []


def test_a_given_root_must_be_a_directory_of_the_tree(tmp_path: Path) -> None:
    tree = Tree(write(tmp_path / "repo"))
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(HomelabError, match=r"--cluster-root clusters/nope: clusters/nope is not a directory; give"):
        find_cluster_roots(tree, [REPO], ["clusters/nope"])
    with pytest.raises(HomelabError, match=r"is outside the tree .*repo; give the directory applied by hand"):
        find_cluster_roots(tree, [REPO], [str(tmp_path / "elsewhere")])
    (tmp_path / "repo/empty").mkdir()
    with pytest.raises(HomelabError, match=r"empty holds no kustomization.yaml nor YAML file"):
        find_cluster_roots(tree, [REPO], ["empty"])


def test_a_kustomization_applied_by_hand_is_a_root(tmp_path: Path) -> None:
    bootstrap: dict[str, str | None] = {r: None for r in FILES if r.startswith(("clusters/", "apps-of-apps/"))}
    bootstrap["bootstrap/kustomization.yaml"] = "resources: [argocd.yaml, apps/wiki.yaml]\n"
    bootstrap["bootstrap/argocd.yaml"] = ARGOCD
    bootstrap["bootstrap/apps/wiki.yaml"] = _app("wiki", REPO, "apps/wiki/overlays/prod", "wiki")
    root = write(tmp_path, bootstrap)
    # All generic, "bootstrap" is named after the one cluster the apps' overlays/<cluster> name.
    assert find_cluster_roots(Tree(root), [REPO]) == [ClusterRoot("prod", "bootstrap", "kustomization")]
    # With no overlay naming a cluster: after the repository, whatever the generic folder's name.
    for folder in ("bootstrap", "argocd", "clusters"):
        flat = {r: None for r in FILES if r.startswith(("clusters/", "apps-of-apps/", "apps/wiki/"))}
        flat[f"{folder}/web.yaml"] = _app("web", REPO, "apps/web", "web")
        tree = Tree(write(tmp_path / "flat" / folder, flat))
        assert find_cluster_roots(tree, [REPO]) == [ClusterRoot("lab", folder, "folder")]
        assert find_cluster_roots(tree, ["https://github.com/me/k8s"]) == []  # not this repository
        generic = {f"{folder}/web.yaml": _app("web", "https://github.com/me/k8s", "apps/web", "web")}
        tree = Tree(write(tmp_path / "k8s" / folder, {**flat, **generic}))
        assert find_cluster_roots(tree, ["https://github.com/me/k8s"]) == [ClusterRoot("home", folder, "folder")]


def test_a_conventional_tree_keeps_its_roots(tmp_path: Path) -> None:
    """With clusters/overlays/<cluster>, the folders of Applications are not guessed at."""
    conventional = {"clusters/overlays/prod/kustomization.yaml": "resources: [root.yaml]\n"}
    conventional["clusters/overlays/prod/root.yaml"] = _app("wiki", REPO, "apps/wiki/overlays/prod", "wiki")
    assert find_cluster_roots(Tree(write(tmp_path, conventional)), [REPO]) == [
        ClusterRoot("prod", "clusters/overlays/prod", "kustomization")
    ]


def test_the_reference_tree_is_the_same_in_either_spelling(reference: Path) -> None:
    def findings(repo: str) -> list[Finding]:
        return validate(ValidateOptions(tree=reference, repos={repo}, schema_locations=[])).unique()

    https = findings("https://github.com/roukydesbois/homelab")
    assert https == findings("git@github.com:RoukyDesBois/homelab.git")
    assert {f.check for f in https} >= {"not-deployed", "skipped"}  # what it has always reported
    assert [r.directory for r in find_cluster_roots(Tree(reference), ["https://github.com/roukydesbois/homelab"])] == [
        "clusters/overlays/thomelab",
        "clusters/overlays/vps/argocd",
        "clusters/overlays/vps/odoo-lss",
    ]
