"""The tree synth is about to write, seen as validate sees a tree on disk: the GitOps cross-reference
checks run on it before anything is written (no ``kubectl kustomize``: an overlay's objects are what its
builder declared, which is what kustomize would build)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homelab.validate.tree import Build


class RenderedTree:
    """Directories (tree-relative paths) → their objects, and which file declared each object."""

    def __init__(self, directories: Mapping[str, list[tuple[dict[str, Any], str]]]) -> None:
        """``directories``: path → ``(manifest, declaring file)`` of every object the directory builds to."""
        self._objects = {path: [obj for obj, _ in objects] for path, objects in directories.items()}
        self._origins = {id(obj): origin for objects in directories.values() for obj, origin in objects}

    @property
    def kustomizations(self) -> Mapping[str, Any]:
        return self._objects

    def build(self, rels: list[str]) -> dict[str, Build]:
        return {
            rel: Build(entry=rel, objects=self._objects[rel])
            if rel in self._objects
            else Build(entry=rel, error=f"no directory {rel} in the tree")
            for rel in rels
        }

    def read_folder(self, rel: str, recurse: bool = False) -> Build | None:
        return None  # every directory synth writes is a kustomization

    def origin(self, obj: dict[str, Any], entry: str = "") -> str:
        return self._origins.get(id(obj), "")
