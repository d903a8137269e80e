"""The share of the reference tree's objects recognised as typed constructs (issue 22: at least 90 %), counted
in objects, per entry directory (``python -m tests.importing.test_recognise_reference`` prints it).

What stays raw, and why: the keycloak operator's RBAC (its ServiceAccount, Role, ClusterRoles, RoleBindings
and ClusterRoleBinding) and its two CustomResourceDefinitions, 12 objects the library has no construct for
(in a homelab, RBAC and CRDs come with the charts that need them): they are ``api_object`` calls. Its
Deployment is typed (``Probe`` says its scheme, timeout and thresholds), as are Longhorn's
VolumeSnapshotClass (``VolumeSnapshotClass``, beside a plain ``HelmArgoApp``: the reference's Application
lacks the annotation the ``Longhorn`` component writes, so the component is no exact claim) and the CNPG
Cluster without a namespace (``CnpgDatabaseProps.namespace`` left out: the app's)."""

from __future__ import annotations

from pathlib import Path

from homelab.importing.claims import recognise
from homelab.validate.tree import Tree


def typed_shares(tree: Tree) -> dict[str, tuple[int, int]]:
    """Entry directory → (objects typed, objects); one that does not build is named so, with none."""
    builds = tree.build(tree.entries())
    out = {}
    for entry, build in builds.items():
        if build.error:
            out[f"{entry} (does not build)"] = (0, 0)
            continue
        claims = recognise(build.objects)
        assert sorted(i for c in claims for i in c.objects) == list(range(len(build.objects)))
        out[entry] = (sum(len(c.objects) for c in claims if c.typed), len(build.objects))
    return out


def report(shares: dict[str, tuple[int, int]]) -> str:
    typed, total = (sum(v[i] for v in shares.values()) for i in (0, 1))
    lines = [f"{entry}: {t}/{n} typed" for entry, (t, n) in shares.items()]
    return "\n".join([*lines, f"overall: {typed}/{total} = {typed / max(total, 1):.0%} typed"])


def test_at_least_nine_objects_in_ten_of_the_reference_are_typed(reference: Path, kubectl: str) -> None:
    shares = typed_shares(Tree(reference, kubectl))
    typed, total = (sum(v[i] for v in shares.values()) for i in (0, 1))
    print(report(shares))
    assert total > 100
    assert typed / total >= 0.92, report(shares)


if __name__ == "__main__":
    from tests.conftest import REFERENCE

    print(report(typed_shares(Tree(REFERENCE))))
