"""The GitOps cross-reference checks, one module each, and their registry :data:`CHECKS`.

A check reads a cluster's deployed content (:class:`~homelab.validate.content.Placed` objects) and its
:class:`~homelab.validate.index.Index`: either all of it at once (``on_content``) or one object at a time
(``on_object``). Adding a check is a module here and a line in :data:`CHECKS`;
:func:`homelab.validate.gitops.check` runs them all in this order, the content-wide ones first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homelab.validate.checks import (
    applications,
    chart_cluster_kinds,
    configmap_refs,
    duplicates,
    ingress_backends,
    ingress_hosts,
    plaintext,
    project_admits,
    route_backends,
    route_parents,
    secret_keys,
    secret_refs,
    service_selectors,
    storage_classes,
    unknown_kinds,
)
from homelab.validate.content import Placed, Source
from homelab.validate.findings import Finding, Severity
from homelab.validate.index import Index

OnContent = Callable[[list[Placed], Source, Index], list[Finding]]
OnObject = Callable[[Placed, Source, Index], list[Finding]]


@dataclass(frozen=True)
class Check:
    """One cross-reference check: its id (the findings' ``check``, or the family of them it reports), what
    it checks in one line, and its function, run on the whole content or on each object."""

    id: str
    description: str
    on_content: OnContent | None = None
    on_object: OnObject | None = None
    undeployed: bool = False
    """Whether it also applies to the objects of a directory no cluster deploys (their own references)."""
    undeployed_severity: Severity = "warning"
    """What its findings are in such a directory: warnings (it may be completed before it is deployed), or
    ``error`` for a problem wherever it is (a secret in clear is in git already)."""

    def __post_init__(self) -> None:
        if (self.on_content is None) == (self.on_object is None):
            raise TypeError(f"check {self.id}: give on_content or on_object, one of them")


CHECKS: tuple[Check, ...] = (
    Check("duplicate-object", "an object deployed from two directories at one revision", duplicates.duplicates),
    Check("ingress-host", "an ingress host claimed by two Ingresses", ingress_hosts.ingress_hosts),
    Check("secret-key", "a key read from a Secret that does not have it", secret_keys.secret_keys, undeployed=True),
    Check(
        "ingress-backend",
        "an Ingress backend Service nothing creates",
        ingress_backends.ingress_backends,
        undeployed=True,
    ),
    Check(
        "route-backend",
        "a Gateway API route's backend Service nothing creates",
        route_backends.route_backends,
        undeployed=True,
    ),
    Check(
        "route-parent",
        "a Gateway API route attached to a Gateway listener that does not exist or does not admit it",
        route_parents.route_parents,
        undeployed=True,
    ),
    Check(
        "service-selector",
        "a Service selector no pod template matches",
        service_selectors.service_selectors,
        undeployed=True,
    ),
    Check(
        "configmap-ref", "a ConfigMap a pod reads that nothing creates", configmap_refs.configmap_refs, undeployed=True
    ),
    Check(
        "plaintext",
        "a secret in clear, committed to git",
        on_object=plaintext.plaintext,
        undeployed=True,
        undeployed_severity="error",
    ),
    Check(
        "project-admits",
        "an object its Application's AppProject does not admit",
        on_object=project_admits.admitted_by_project,
    ),
    Check(
        "chart-cluster-kinds",
        "a chart known to install cluster-scoped kinds its AppProject does not admit",
        on_object=chart_cluster_kinds.chart_cluster_kinds,
    ),
    Check(
        "application",
        "an Application Argo CD would ignore, refuse or keep overwriting",
        on_object=applications.application,
    ),
    Check("secret-ref", "a Secret used that nothing creates", on_object=secret_refs.secret_refs, undeployed=True),
    Check("storage-class", "a StorageClass used that nobody defines", on_object=storage_classes.storage_classes),
    Check("unknown-kind", "a custom kind whose scope is assumed", on_object=unknown_kinds.unknown_kinds),
)
