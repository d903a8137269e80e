"""The annotations this library writes and the engine reads: one place for their names.

- :data:`NOT_SENSITIVE` accepts values that look like secrets but are not (build it with
  :func:`not_sensitive`; a ``PlainSecret`` writes it from ``why_not_sensitive``). Synth and ``validate``
  refuse plaintext that looks like a secret anywhere else (the README's *Secrets* says what they look for).
- :data:`PROVIDES_STORAGE_CLASSES` names the storage classes a Helm chart creates
  (``HelmArgoAppProps.provides_storage_classes``), so validation knows they exist.
- :data:`SEALED_NAMESPACE_WIDE` and :data:`SEALED_CLUSTER_WIDE` are the sealed-secrets controller's
  marks of a ``SealedConfig`` sealed for a wider scope than its name and namespace.
"""

from __future__ import annotations

from collections.abc import Mapping

from constructs_lib.errors import PropsError

NOT_SENSITIVE = "homelab/not-sensitive"
"""One ``FIELD.PATH: why it may be public`` line per field (``*`` for the whole object)."""
PROVIDES_STORAGE_CLASSES = "homelab/provides-storage-classes"
"""Comma-separated names of the StorageClasses an Argo CD Application's chart creates."""
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
