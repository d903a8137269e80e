"""``ExternalSecret``: a Secret the External Secrets Operator fills from a secret store (Vault, 1Password,
a cloud's secret manager...), for a homelab whose secrets live outside git.

The ExternalSecret is the creator of its target Secret (with ``creation_policy`` ``Owner``, the default, or
``Orphan``), with the keys its ``data`` entries name, or its ``template``'s: the secret-reference checks
(``secret-ref``, ``secret-key``) count that Secret as present, and a reference to a key it does not name
is refused. Keys that ``data_from`` fetches are the store's to decide: then no key is judged missing.
With ``creation_policy="Merge"`` it writes into a Secret something else creates (which must exist), with
``"None"`` it writes nothing. The store (a ``SecretStore`` in the namespace, or a ``ClusterSecretStore``)
is the operator's, installed with it. Any tree's ExternalSecrets are read the same way by ``validate``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.durations import GO_DURATION
from constructs_lib._internal.k8s_names import check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib._internal.secret_keys import external_secret_target
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.object_meta import ObjectMeta

#: A key of a Secret: what Kubernetes accepts in ``data``.
_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


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
class RewriteRegexp:
    """Renames the fetched keys: each match of ``source`` (a Go regular expression) becomes ``target``."""

    source: str
    """The regular expression, e.g. ``^app_``."""
    target: str
    """What a match becomes (``$1`` for a group), e.g. ``''``."""

    def render(self) -> dict[str, Any]:
        return {"regexp": {"source": self.source, "target": self.target}}


@type_checked
@dataclass(frozen=True, kw_only=True)
class RewriteTransform:
    """Renames each fetched key by a Go template of ``.value`` (the key), e.g. ``'{{ .value | upper }}'``."""

    template: str

    def render(self) -> dict[str, Any]:
        return {"transform": {"template": self.template}}


@type_checked
@dataclass(frozen=True, kw_only=True)
class ExtractFrom:
    """Every property of one secret of the store, each a key of the target Secret (``dataFrom.extract``)."""

    remote_key: str
    """The secret's key (path, name) in the store, e.g. ``homelab/wiki``."""
    property: str | None = None
    """One property of it holding a JSON object to extract; the whole secret when left out."""
    version: str | None = None
    """The secret's version; the latest when left out."""
    rewrite: tuple[RewriteRegexp | RewriteTransform, ...] = ()
    """How the keys are renamed, in order; kept as they are by default."""

    def render(self) -> dict[str, Any]:
        extract: dict[str, Any] = {"key": self.remote_key}
        if self.property is not None:
            extract["property"] = self.property
        if self.version is not None:
            extract["version"] = self.version
        return {"extract": extract, **_rewrite(self.rewrite)}


@type_checked
@dataclass(frozen=True, kw_only=True)
class FindFrom:
    """Every secret of the store whose name matches or that has the tags, each a key (``dataFrom.find``)."""

    name_regexp: str | None = None
    """A regular expression the secrets' names match, e.g. ``^wiki-``; any name when left out."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags the secrets have (``{'app': 'wiki'}``); none required by default. Give this or ``name_regexp``."""
    path: str | None = None
    """Only secrets under this path of the store; anywhere when left out."""
    rewrite: tuple[RewriteRegexp | RewriteTransform, ...] = ()
    """How the keys (the secrets' names) are renamed, in order; kept as they are by default."""

    def __post_init__(self) -> None:
        if self.name_regexp is None and not self.tags:
            raise PropsError(
                "FindFrom: give name_regexp= or tags= (a find of everything fetches the whole store), "
                "e.g. FindFrom(name_regexp='^wiki-')"
            )

    def render(self) -> dict[str, Any]:
        find: dict[str, Any] = {}
        if self.path is not None:
            find["path"] = self.path
        if self.name_regexp is not None:
            find["name"] = {"regexp": self.name_regexp}
        if self.tags:
            find["tags"] = dict(self.tags)
        return {"find": find, **_rewrite(self.rewrite)}


def _rewrite(rewrites: tuple[RewriteRegexp | RewriteTransform, ...]) -> dict[str, Any]:
    return {"rewrite": [r.render() for r in rewrites]} if rewrites else {}


@type_checked
@dataclass(frozen=True, kw_only=True)
class SecretTemplate:
    """The shape of the target Secret: its type, labels and annotations, and keys written from Go templates
    of the fetched values (``'{{ .password }}'``)."""

    type: str | None = None
    """The Secret's type (``kubernetes.io/dockerconfigjson``, ``kubernetes.io/tls``); ``Opaque`` when left out."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Labels of the Secret; none by default."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    """Annotations of the Secret; none by default."""
    data: Mapping[str, str] = field(default_factory=dict)
    """Keys of the Secret, each a Go template of the fetched values (``{'config.yml': 'password: {{ .password }}'}``);
    with none, the fetched keys as they are."""
    merge_policy: Literal["Replace", "Merge"] | None = None
    """``Replace`` (the operator's default): the Secret holds only ``data``'s keys; ``Merge``: the fetched
    keys too."""

    def __post_init__(self) -> None:
        for key in self.data:
            if not _SECRET_KEY.match(key):
                raise PropsError(
                    f"SecretTemplate: data key {key!r} is not a Secret key (letters, digits, '-', '_', '.'), "
                    "e.g. 'config.yml'"
                )
        if self.merge_policy is not None and not self.data:
            raise PropsError("SecretTemplate: merge_policy= decides how data= joins the fetched keys: give data=")

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.type is not None:
            out["type"] = self.type
        metadata = {k: dict(v) for k, v in (("labels", self.labels), ("annotations", self.annotations)) if v}
        if metadata:
            out["metadata"] = metadata
        if self.merge_policy is not None:
            out["mergePolicy"] = self.merge_policy
        if self.data:
            out["data"] = dict(self.data)
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class ExternalSecretProps(ObjectMeta):
    """A Secret filled from a secret store by the External Secrets Operator."""

    store: SecretStoreRef
    """Where the values come from: ``SecretStoreRef(name="vault", kind="ClusterSecretStore")``."""
    data: tuple[ExternalSecretData, ...] = ()
    """The target Secret's keys, each read from the store; none by default (then give ``data_from``)."""
    data_from: tuple[ExtractFrom | FindFrom, ...] = ()
    """Whole secrets of the store, each property (or each secret found) a key; none by default."""
    target: str | None = None
    """The name of the Secret it creates; ``name`` when left out."""
    creation_policy: Literal["Owner", "Orphan", "Merge", "None"] | None = None
    """``Owner`` (the operator's default): it creates the Secret and owns it (deleted with it); ``Orphan``:
    creates it and leaves it behind; ``Merge``: writes its keys into a Secret something else creates;
    ``None``: writes nothing."""
    deletion_policy: Literal["Retain", "Delete", "Merge"] | None = None
    """What happens when the store's secrets are gone: ``Retain`` (the operator's default) keeps the Secret,
    ``Delete`` deletes it, ``Merge`` removes the keys it wrote."""
    template: SecretTemplate | None = None
    """The Secret's type, metadata and templated keys; the fetched keys in an ``Opaque`` Secret when left out."""
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
        if not self.data and not self.data_from:
            raise PropsError(
                f"{owner}: data=() and data_from=() give the Secret no key; add "
                "data=(ExternalSecretData(secret_key='password', remote_key='app/db', property='password'),) "
                "or data_from=(ExtractFrom(remote_key='app/db'),)"
            )
        keys = [d.secret_key for d in self.data]
        for key in keys:
            if not _SECRET_KEY.match(key):
                raise PropsError(
                    f"{owner}: secret_key {key!r} is not a Secret key (letters, digits, '-', '_', '.'), e.g. 'password'"
                )
            if keys.count(key) > 1:
                raise PropsError(f"{owner}: secret_key {key!r} is given twice; each key of the Secret once")
        if self.refresh_interval is not None and not GO_DURATION.match(self.refresh_interval):
            raise PropsError(
                f"{owner}: refresh_interval {self.refresh_interval!r} is not a duration; write e.g. '1h' or '15m'"
            )
        self._check_policies(owner)

    def _check_policies(self, owner: str) -> None:
        """The operator's rules on the two policies together (its admission webhook refuses the others)."""
        created = self.creation_policy in (None, "Owner", "Orphan")
        if self.deletion_policy == "Delete" and not created:
            raise PropsError(
                f"{owner}: deletion_policy='Delete' deletes a Secret it does not create (creation_policy="
                f"{self.creation_policy!r}); use creation_policy='Owner', or deletion_policy='Merge'/'Retain'"
            )
        if self.deletion_policy == "Merge" and self.creation_policy == "None":
            raise PropsError(
                f"{owner}: deletion_policy='Merge' removes keys from a Secret that creation_policy='None' never "
                "writes; drop deletion_policy or write the Secret (creation_policy='Merge')"
            )
        if self.template is not None and self.creation_policy == "None":
            raise PropsError(f"{owner}: creation_policy='None' writes no Secret, so template= shapes nothing; drop one")

    @property
    def target_name(self) -> str:
        """The name of the Secret it writes (and creates, unless ``creation_policy`` is ``Merge`` or ``None``)."""
        return self.target or self.name

    def spec(self) -> dict[str, Any]:
        """The ExternalSecret's ``spec``."""
        spec: dict[str, Any] = {}
        if self.refresh_interval is not None:
            spec["refreshInterval"] = self.refresh_interval
        spec["secretStoreRef"] = {"name": self.store.name, "kind": self.store.kind}
        target: dict[str, Any] = {"name": self.target_name}
        if self.creation_policy is not None:
            target["creationPolicy"] = self.creation_policy
        if self.deletion_policy is not None:
            target["deletionPolicy"] = self.deletion_policy
        if self.template is not None:
            target["template"] = self.template.render()
        spec["target"] = target
        if self.data:
            spec["data"] = [d.render() for d in self.data]
        if self.data_from:
            spec["dataFrom"] = [d.render() for d in self.data_from]
        return spec

    @property
    def keys(self) -> tuple[str, ...] | None:
        """The keys of the Secret it writes, sorted; None where the store decides them (``data_from``)."""
        keys = external_secret_target({"metadata": {"name": self.name}, "spec": self.spec()}).keys
        return None if keys is None else tuple(sorted(keys))


class ExternalSecret(Construct):
    """The ExternalSecret for ``props``; the object is ``resource``. Its Secret is ``props.target_name``
    (read it with ``env_secret("DB_PASSWORD", props.target_name, "password")``).

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: ExternalSecretProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource: Manifest = api_object(
            self,
            "Resource",
            api_version=props.api_version,
            kind="ExternalSecret",
            metadata=props.metadata(),
            spec=props.spec(),
        )
