"""Small CRD schemas of the custom kinds the validation tests use, written by the tests themselves.

They follow the CRDs-catalog layout (``<group>/<kind>_<version>.json``) that ``--crd-schemas``
reads, and list just the fields the test trees use, so the validator's own logic is tested without
``../shared``'s real schemas (``tests/validate/test_trees.py`` uses those where present).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OPEN: dict[str, Any] = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}


def _obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def _kind(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    return _obj(apiVersion={"type": "string"}, kind={"type": "string", "enum": [kind]}, metadata=OPEN, spec=spec)


_SOURCE = _obj(
    repoURL={"type": "string"},
    targetRevision={"type": "string"},
    path={"type": "string"},
    chart={"type": "string"},
    directory=OPEN,
    helm=_obj(releaseName={"type": "string"}, valuesObject=OPEN),
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "argoproj.io/application_v1alpha1.json": _kind(
        "Application",
        _obj(
            project={"type": "string"},
            source=_SOURCE,
            sources={"type": "array", "items": _SOURCE},
            destination=_obj(server={"type": "string"}, namespace={"type": "string"}, name={"type": "string"}),
            syncPolicy=_obj(automated=OPEN, syncOptions=STRINGS),
            ignoreDifferences={"type": "array", "items": OPEN},
        ),
    ),
    "argoproj.io/appproject_v1alpha1.json": _kind(
        "AppProject",
        _obj(
            sourceRepos=STRINGS,
            sourceNamespaces=STRINGS,
            destinations={"type": "array", "items": OPEN},
            clusterResourceWhitelist={"type": "array", "items": OPEN},
            namespaceResourceWhitelist={"type": "array", "items": OPEN},
        ),
    ),
    "bitnami.com/sealedsecret_v1alpha1.json": _kind(
        "SealedSecret",
        _obj(encryptedData={"type": "object", "additionalProperties": {"type": "string"}}, template=OPEN),
    ),
    "postgresql.cnpg.io/cluster_v1.json": _kind(
        "Cluster",
        _obj(instances={"type": "integer"}, storage=_obj(size={"type": "string"}, storageClass={"type": "string"})),
    ),
}


def write(directory: Path) -> Path:
    """Write :data:`SCHEMAS` under ``directory``; return it (for ``--crd-schemas``)."""
    for rel, schema in SCHEMAS.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(schema, indent=1))
    return directory
