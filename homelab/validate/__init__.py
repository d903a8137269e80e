"""``homelab validate``: catch every broken reference of a kustomize tree before it reaches a cluster.

Works on the synthesised ``dist/`` tree and on any hand-written tree (``--tree``). The checks:

* builds — every entry directory builds with ``kubectl kustomize`` (:mod:`.tree`); a failure's fix
  (:mod:`.builds`) from kustomize's error text, read in one place (:mod:`.kustomize_errors`);
* schemas — core kinds against Kubernetes' strict JSON schemas, custom resources against CRD
  schemas, offline (:mod:`.schemas`);
* GitOps cross-references — Application paths, projects, sources, destinations, Argo CD's
  ``application.namespaces``, secrets, storage classes, ingress hosts, duplicates, ignored
  differences, plaintext secrets: what a cluster deploys (:mod:`.follow`), indexed (:mod:`.index`),
  run through the registry of checks (:mod:`.checks`, by :mod:`.gitops`); and patches that match
  nothing (:mod:`.patches`).

Findings carry the entry directory, file, object, field path and a one-line fix (:mod:`.findings`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from homelab.validate.findings import Finding, Report
    from homelab.validate.run import ValidateOptions, validate

# Imported on first use: synth reads only the checks it runs (gitops, schemas) without the rest.
_WHERE = {
    "Finding": "homelab.validate.findings",
    "Report": "homelab.validate.findings",
    "ValidateOptions": "homelab.validate.run",
    "validate": "homelab.validate.run",
}

__all__ = ["Finding", "Report", "ValidateOptions", "validate"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'homelab.validate' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
