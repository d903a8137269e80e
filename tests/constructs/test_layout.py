"""The construct library's layout: one construct per module, internals only for the library and the engine,
nothing of the engine in the library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

LIBRARY = sorted((ROOT / "constructs_lib").rglob("*.py"))


def _imported(path: Path) -> set[str]:
    """The modules ``path`` imports (``from a.b import c`` gives ``a.b``)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
    return out


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_library_imports_nothing_of_the_engine(path: Path) -> None:
    engine = sorted(m for m in _imported(path) if m == "homelab" or m.startswith("homelab."))
    assert not engine, f"{path.relative_to(ROOT)} imports {engine}"


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_one_construct_per_module(path: Path) -> None:
    tree = ast.parse(path.read_text())
    constructs = [
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and not node.name.startswith("_")
        and any(ast.unparse(base) == "Construct" for base in node.bases)
    ]
    assert len(constructs) <= 1, f"{path.relative_to(ROOT)} holds {constructs}: give each its own module"


def test_builders_use_no_internals() -> None:
    """What a homelab's author writes (clusters/, the reference's examples) imports only the library's API."""
    users = [*sorted((ROOT / "clusters").rglob("*.py")), ROOT / "docs" / "examples.py"]
    internal = {
        str(p.relative_to(ROOT)): sorted(m for m in _imported(p) if m.startswith("constructs_lib._internal"))
        for p in users
    }
    assert {p: ms for p, ms in internal.items() if ms} == {}
