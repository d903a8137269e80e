"""The annotations this library writes and the engine reads: one place for their names.

- :data:`NOT_SENSITIVE` accepts values that look like secrets but are not (build it with
  :func:`not_sensitive`; a ``PlainSecret`` writes it from ``why_not_sensitive``). Synth and ``validate``
  refuse plaintext that looks like a secret anywhere else (the README's *Secrets* says what they look for).
- :data:`PROVIDES_STORAGE_CLASSES` names the storage classes a Helm chart creates
  (``HelmArgoAppProps.provides_storage_classes``), so validation knows they exist.
- :data:`CREATES` lists the objects a controller brings into being for an object (an operator's own
  Service and Secret, declared on the app installing it: ``HelmArgoAppProps(creates=...)``,
  ``AppSpec(creates=...)``, or :func:`creates` in any object's annotations), so the reference checks
  count them as present.
- :data:`CLUSTER_RESOURCES` names the cluster-scoped kinds a Helm chart installs
  (``HelmArgoAppProps.cluster_resources``), which its AppProject admits besides those the tree holds;
  :data:`CHART_NAMESPACES` the namespaces it writes into besides its own (``HelmArgoAppProps.namespaces``).
- :data:`SEALED_NAMESPACE_WIDE` and :data:`SEALED_CLUSTER_WIDE` are the sealed-secrets controller's
  marks of a ``SealedConfig`` sealed for a wider scope than its name and namespace.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.errors import PropsError

NOT_SENSITIVE = "homelab/not-sensitive"
"""One ``FIELD.PATH: why it may be public`` line per field (``*`` for the whole object)."""
PROVIDES_STORAGE_CLASSES = "homelab/provides-storage-classes"
"""Comma-separated names of the StorageClasses an Argo CD Application's chart creates."""
CREATES = "homelab/creates"
"""Comma-separated ``Kind/namespace/name`` of the objects a controller creates (namespace empty for a
cluster-scoped kind)."""
CLUSTER_RESOURCES = "homelab/cluster-resources"
"""Comma-separated ``group/Kind`` (``/Kind`` for the core group) of the cluster-scoped kinds an Argo CD
Application's chart installs."""
CHART_NAMESPACES = "homelab/chart-namespaces"
"""Comma-separated namespaces, besides its destination's, that an Argo CD Application's chart writes into."""
SEALED_NAMESPACE_WIDE = "sealedsecrets.bitnami.com/namespace-wide"
"""Value exactly ``"true"``: the values were sealed for any name in the namespace."""
SEALED_CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide"
"""Value exactly ``"true"``: the values were sealed for any name in any namespace."""


def not_sensitive(fields: Mapping[str, str]) -> dict[str, str]:
    """The annotation accepting ``fields`` (field path → why it may be public) as not sensitive."""
    for path, reason in fields.items():
        if not reason.strip():
            raise PropsError(f"not_sensitive: field {path!r} needs a reason")
    return {NOT_SENSITIVE: "\n".join(f"{path}: {reason.strip()}" for path, reason in fields.items())}


@type_checked
@dataclass(frozen=True, kw_only=True)
class Creates:
    """An object a controller brings into being, not in the tree: an operator's ``Service``
    ``keycloak-service``, the ``Secret`` a chart generates. The namespace is the declaring app's (or
    object's) when left out."""

    kind: str
    """Its kind, e.g. ``Secret``, ``Service``, ``ConfigMap``."""
    name: str
    """Its ``metadata.name``."""
    namespace: str = ""
    """Its namespace; the declaring app's (or object's) when left out."""

    def __post_init__(self) -> None:
        for what, value in (("kind", self.kind), ("name", self.name), ("namespace", self.namespace)):
            if "/" in value or "," in value or (not value and what != "namespace"):
                raise PropsError(
                    f"Creates.{what}: {value!r} is not a {what}; write Creates(kind='Secret', name='admin')"
                )


def creates(objects: tuple[Creates, ...], namespace: str) -> dict[str, str]:
    """The annotation declaring ``objects`` created by a controller, those without a namespace in ``namespace``."""
    return {CREATES: ",".join(f"{c.kind}/{c.namespace or namespace}/{c.name}" for c in objects)}


def created(annotations: Mapping[str, object]) -> Iterator[tuple[str, str, str]]:
    """(kind, namespace, name) of the objects an object's :data:`CREATES` annotation declares."""
    for entry in str(annotations.get(CREATES) or "").split(","):
        parts = entry.strip().split("/")
        if len(parts) == 3 and parts[0] and parts[2]:
            yield parts[0], parts[1], parts[2]


def cluster_resources(kinds: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The annotation declaring the cluster-scoped ``(group, kind)`` pairs a chart installs."""
    return {CLUSTER_RESOURCES: ",".join(f"{group}/{kind}" for group, kind in kinds)}


def declared_cluster_resources(annotations: Mapping[str, object]) -> Iterator[tuple[str, str]]:
    """The ``(group, kind)`` pairs an object's :data:`CLUSTER_RESOURCES` annotation declares."""
    for entry in str(annotations.get(CLUSTER_RESOURCES) or "").split(","):
        group, sep, kind = entry.strip().rpartition("/")
        if sep and kind:
            yield group, kind


def chart_namespaces(namespaces: tuple[str, ...]) -> dict[str, str]:
    """The annotation declaring the namespaces, besides its destination's, a chart writes into."""
    return {CHART_NAMESPACES: ",".join(namespaces)}


def declared_namespaces(annotations: Mapping[str, object]) -> list[str]:
    """The namespaces an object's :data:`CHART_NAMESPACES` annotation declares."""
    return [n.strip() for n in str(annotations.get(CHART_NAMESPACES) or "").split(",") if n.strip()]
