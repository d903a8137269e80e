"""``ExternalSecret``: a Secret the External Secrets Operator fills from a secret store (Vault, 1Password,
a cloud's secret manager...), for a homelab whose secrets live outside git.

The ExternalSecret is the creator of its target Secret, with the keys its ``data`` entries name: the
secret-reference checks (``secret-ref``, ``secret-key``) count that Secret as present, and a reference
to a key it does not name is refused. The store (a ``SecretStore`` in the namespace, or a
``ClusterSecretStore``) is the operator's, installed with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_names import check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.object_meta import ObjectMeta

#: A key of a Secret: what Kubernetes accepts in ``data``.
_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
#: A Go duration: ``1h``, ``30m``, ``1h30m``, ``0`` (never refreshed).
_DURATION = re.compile(r"^(0|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$")


@type_checked
@dataclass(frozen=True, kw_only=True)
class SecretStoreRef:
    """The store an ExternalSecret reads from."""

    name: str
    """The ``SecretStore`` (in the ExternalSecret's namespace) or ``ClusterSecretStore``'s name."""
    kind: Literal["SecretStore", "ClusterSecretStore"] = "SecretStore"
    """Which of the two it is; a ``SecretStore`` of the namespace by default."""


@type_checked
@dataclass(frozen=True, kw_only=True)
class ExternalSecretData:
    """One key of the target Secret, read from the store."""

    secret_key: str
    """The key in the target Secret, e.g. ``password``."""
    remote_key: str
    """The secret's key (path, name) in the store, e.g. ``homelab/wiki/db``."""
    property: str | None = None
    """A property of that secret (a field of a JSON secret, a Vault key); the whole secret when left out."""
    version: str | None = None
    """The secret's version in the store; the latest when left out."""

    def render(self) -> dict[str, Any]:
        remote: dict[str, Any] = {"key": self.remote_key}
        if self.property is not None:
            remote["property"] = self.property
        if self.version is not None:
            remote["version"] = self.version
        return {"secretKey": self.secret_key, "remoteRef": remote}


@type_checked
@dataclass(frozen=True, kw_only=True)
class ExternalSecretProps(ObjectMeta):
    """A Secret filled from a secret store by the External Secrets Operator."""

    store: SecretStoreRef
    """Where the values come from: ``SecretStoreRef(name="vault", kind="ClusterSecretStore")``."""
    data: tuple[ExternalSecretData, ...]
    """The target Secret's keys, each read from the store; at least one."""
    target: str | None = None
    """The name of the Secret it creates; ``name`` when left out."""
    refresh_interval: str | None = None
    """How often the values are read again (a duration: ``1h``, ``15m``; ``0``: never); the operator's
    default (``1h``) when left out."""
    api_version: Literal["external-secrets.io/v1", "external-secrets.io/v1beta1"] = "external-secrets.io/v1"
    """The operator's API: ``v1`` (External Secrets Operator 0.16 and later) by default; ``v1beta1`` for
    an older operator."""

    def __post_init__(self) -> None:
        owner = self.check("ExternalSecret")
        if self.target is not None:
            check_dns_subdomain(self.target, what="target", owner=owner)
        if not self.data:
            raise PropsError(
                f"{owner}: data=() gives the Secret no key; add "
                "ExternalSecretData(secret_key='password', remote_key='app/db', property='password')"
            )
        keys = [d.secret_key for d in self.data]
        for key in keys:
            if not _SECRET_KEY.match(key):
                raise PropsError(
                    f"{owner}: secret_key {key!r} is not a Secret key (letters, digits, '-', '_', '.'), e.g. 'password'"
                )
            if keys.count(key) > 1:
                raise PropsError(f"{owner}: secret_key {key!r} is given twice; each key of the Secret once")
        if self.refresh_interval is not None and not _DURATION.match(self.refresh_interval):
            raise PropsError(
                f"{owner}: refresh_interval {self.refresh_interval!r} is not a duration; write e.g. '1h' or '15m'"
            )

    @property
    def target_name(self) -> str:
        """The name of the Secret it creates."""
        return self.target or self.name

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of the Secret it creates."""
        return tuple(d.secret_key for d in self.data)


class ExternalSecret(Construct):
    """The ExternalSecret for ``props``; the object is ``resource``. Its Secret is ``props.target_name``
    (read it with ``env_secret("DB_PASSWORD", props.target_name, "password")``).

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: ExternalSecretProps) -> None:
        super().__init__(scope, id)
        self.props = props
        spec: dict[str, Any] = {}
        if props.refresh_interval is not None:
            spec["refreshInterval"] = props.refresh_interval
        spec["secretStoreRef"] = {"name": props.store.name, "kind": props.store.kind}
        spec["target"] = {"name": props.target_name}
        spec["data"] = [d.render() for d in props.data]
        self.resource: Manifest = api_object(
            self, "Resource", api_version=props.api_version, kind="ExternalSecret", metadata=props.metadata(), spec=spec
        )
