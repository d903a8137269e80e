"""The schemas of the custom resources the imported repository deploys, kept in it (``crd-schemas/``), so that
its ``homelab validate`` (and its tests, and its CI) check them offline, as for the library's own kinds.

Each kind that neither the library's packaged schemas nor a CRD in the tree describes is looked up where
``homelab validate`` looks (the CRDs catalog, through the cache ``validate`` fills) at import time and written
as ``crd-schemas/<group>/<kind>_<version>.json``; a kind found nowhere (offline, nothing cached) is reported.
"""

from __future__ import annotations

import json
from pathlib import Path

from homelab.kinds import group_of
from homelab.validate.schema_cache import DEFAULT_LOCATION, REPOSITORY_SCHEMAS, cache_dir
from homelab.validate.schemas import PACKAGED_LOCATION, Schemas
from homelab.validate.tree import Tree


def _custom_kinds(tree: Tree) -> tuple[set[tuple[str, str]], list[dict[str, object]]]:
    """The (apiVersion, kind) of every custom resource in ``tree``'s YAML files, and its CRDs."""
    kinds, crds = set(), []
    for rel in tree.yaml_files():
        for doc in tree.documents(rel):
            api_version, kind = str(doc.get("apiVersion") or ""), str(doc.get("kind") or "")
            if kind == "CustomResourceDefinition":
                crds.append(doc)
            group = group_of(api_version)
            if "." in group and not group.endswith(".k8s.io") and kind:
                kinds.add((api_version, kind))
    return kinds, crds


def keep_schemas(tree: Path, repository: Path) -> tuple[list[str], list[str]]:
    """Write into ``repository``'s ``crd-schemas/`` the schema of each custom resource kind of ``tree`` that
    nothing offline describes; (the files written, relative to ``repository``; the kinds found nowhere)."""
    kinds, crds = _custom_kinds(Tree(tree))
    offline = Schemas()
    offline.add_crds(crds)
    offline.add_location(PACKAGED_LOCATION)
    catalog = Schemas()
    catalog.add_location(DEFAULT_LOCATION, cache_dir())
    written, missing = [], []
    for api_version, kind in sorted(kinds):
        if offline.validator(api_version, kind) is not None:
            continue
        schema = catalog.fetched(api_version, kind)
        if schema is None:
            missing.append(f"{kind} ({api_version})")
            continue
        group, _, version = api_version.rpartition("/")
        path = Path(REPOSITORY_SCHEMAS, group, f"{kind.lower()}_{version}.json")
        (repository / path).parent.mkdir(parents=True, exist_ok=True)
        (repository / path).write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path.as_posix())
    return written, missing
