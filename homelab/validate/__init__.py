"""``homelab validate``: catch every broken reference of a kustomize tree before it reaches a cluster.

Works on the synthesised ``dist/`` tree and on any hand-written tree (``--tree``). The checks:

* builds — every entry directory builds with ``kubectl kustomize`` (:mod:`.tree`);
* schemas — core kinds against Kubernetes' strict JSON schemas, custom resources against CRD
  schemas, offline (:mod:`.schemas`);
* GitOps cross-references — Application paths, projects, sources, destinations, Argo CD's
  ``application.namespaces``, secrets, storage classes, ingress hosts, duplicates, ignored
  differences, plaintext secrets (:mod:`.gitops`), and patches that match nothing (:mod:`.patches`).

Findings carry the entry directory, file, object, field path and a one-line fix (:mod:`.findings`).
"""

from homelab.validate.findings import Finding, Report
from homelab.validate.run import ValidateOptions, validate

__all__ = ["Finding", "Report", "ValidateOptions", "validate"]
