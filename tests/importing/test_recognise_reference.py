"""The share of the reference tree's objects recognised as typed constructs (issue 22: at least 90 %), counted
in objects, per entry directory (``python -m tests.importing.test_recognise_reference`` prints it)."""

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
    assert typed / total >= 0.9, report(shares)


if __name__ == "__main__":
    from tests.conftest import REFERENCE

    print(report(typed_shares(Tree(REFERENCE))))
