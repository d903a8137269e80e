"""A kustomization reading a file outside its directory: built as Argo CD builds it when told to, and said."""

from __future__ import annotations

from pathlib import Path

from homelab.validate.builds import build_findings
from homelab.validate.tree import Tree

NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: wiki\n"


def _tree(root: Path, argocd_cm: bool) -> Tree:
    (root / "common").mkdir(parents=True)
    (root / "common" / "ns.yaml").write_text(NAMESPACE)
    (root / "wiki").mkdir()
    (root / "wiki" / "kustomization.yaml").write_text("resources:\n  - ../common/ns.yaml\n")
    if argocd_cm:
        (root / "argocd").mkdir()
        (root / "argocd" / "cm.yaml").write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\n"
            "data:\n  kustomize.buildOptions: --load-restrictor LoadRestrictionsNone\n"
        )
    return Tree(root)


def test_a_file_outside_the_directory_is_read_and_warned_about(tmp_path: Path) -> None:
    tree = _tree(tmp_path, argocd_cm=False)
    builds = tree.build(["wiki"])
    assert builds["wiki"].error is None and builds["wiki"].unrestricted
    assert [o["metadata"]["name"] for o in builds["wiki"].objects] == ["wiki"]
    (finding,) = build_findings(tree, builds)
    assert (finding.check, finding.severity, finding.file) == ("load-restrictor", "warning", "wiki/kustomization.yaml")
    assert "nothing in the tree sets for Argo CD" in finding.message
    assert "kustomize.buildOptions: --load-restrictor LoadRestrictionsNone in argocd-cm" in finding.fix


def test_where_argo_cd_is_told_so_it_is_a_note(tmp_path: Path) -> None:
    tree = _tree(tmp_path, argocd_cm=True)
    (finding,) = build_findings(tree, tree.build(["wiki"]))
    assert (finding.check, finding.severity) == ("load-restrictor", "info")


def test_a_directory_inside_itself_builds_as_before(tmp_path: Path) -> None:
    (tmp_path / "wiki").mkdir()
    (tmp_path / "wiki" / "ns.yaml").write_text(NAMESPACE)
    (tmp_path / "wiki" / "kustomization.yaml").write_text("resources:\n  - ns.yaml\n")
    tree = Tree(tmp_path)
    builds = tree.build(["wiki"])
    assert not builds["wiki"].unrestricted and build_findings(tree, builds) == []
