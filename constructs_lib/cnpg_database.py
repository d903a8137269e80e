"""``CnpgDatabase``: a CloudNativePG ``Cluster`` and the typed wiring to the secret it generates.

The operator creates the secret ``<name>-app`` with keys ``host``, ``port``, ``username``,
``password``, ``dbname`` and ``uri``. Apps reach them only through :meth:`CnpgDatabaseProps.env`,
:meth:`~CnpgDatabaseProps.env_map` and :meth:`~CnpgDatabaseProps.secret_ref`, so a secret name is
never spelled by hand and a typo in a key is a type error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

from constructs_lib._internal.construct import Construct, ConstructScope
from constructs_lib._internal.k8s_json import to_json
from constructs_lib._internal.k8s_names import check_dns_label, check_dns_subdomain
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.api_object import Manifest, api_object
from constructs_lib.errors import PropsError
from constructs_lib.object_meta import metadata_of
from constructs_lib.versions import Image

if TYPE_CHECKING:
    from cdk8s_plus_33 import k8s  # only for types

SecretKey = Literal[
    "host", "port", "username", "password", "dbname", "uri", "jdbc-uri", "pgpass", "fqdn-uri", "fqdn-jdbc-uri"
]
#: The keys of the secret CloudNativePG generates for the application user.
SECRET_KEYS: tuple[SecretKey, ...] = get_args(SecretKey)


@type_checked
@dataclass(frozen=True, kw_only=True)
class InitDb:
    """``bootstrap.initdb``: how a new cluster creates its database."""

    database: str
    """Database created for the application."""
    owner: str
    """Role owning it (the ``username`` of the app secret)."""
    data_checksums: bool | None = None
    """Enable page checksums; PostgreSQL's default (off) when left out."""
    post_init_sql: tuple[str, ...] = ()
    """SQL run as superuser in the ``postgres`` database after creation."""
    post_init_application_sql: tuple[str, ...] = ()
    """SQL run as superuser in the application database after creation."""
    secret: str | None = None
    """Secret (type ``kubernetes.io/basic-auth``: ``username``, ``password``) holding the owner's
    credentials, e.g. a SealedConfig's; the operator generates them when left out."""

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {"database": self.database, "owner": self.owner}
        if self.data_checksums is not None:
            out["dataChecksums"] = self.data_checksums
        if self.post_init_sql:
            out["postInitSQL"] = list(self.post_init_sql)
        if self.post_init_application_sql:
            out["postInitApplicationSQL"] = list(self.post_init_application_sql)
        if self.secret is not None:
            out["secret"] = {"name": self.secret}
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class CnpgAffinity:
    """``affinity``: where the operator schedules the instances (CloudNativePG's own shape, not a pod's)."""

    enable_pod_anti_affinity: bool | None = None
    """Keep instances apart (on different ``topology_key`` values); the operator's default (on) when left out."""
    topology_key: str | None = None
    """Node label that tells places apart, e.g. ``topology.kubernetes.io/zone``; the operator's default
    (``kubernetes.io/hostname``) when left out."""
    pod_anti_affinity_type: Literal["preferred", "required"] | None = None
    """``required`` leaves an instance pending rather than next to another; the operator's ``preferred`` when
    left out."""
    node_selector: Mapping[str, str] = field(default_factory=dict)
    """Labels a node must have to run an instance; any node by default."""
    tolerations: tuple[k8s.Toleration | Mapping[str, Any], ...] = ()
    """Taints the instances tolerate; none by default."""
    node_affinity: k8s.NodeAffinity | Mapping[str, Any] | None = None
    """A pod's ``nodeAffinity`` for the instances; none by default."""
    additional_pod_affinity: k8s.PodAffinity | Mapping[str, Any] | None = None
    """Pod affinity added to the operator's; none by default."""
    additional_pod_anti_affinity: k8s.PodAntiAffinity | Mapping[str, Any] | None = None
    """Pod anti-affinity added to the operator's; none by default."""

    def render(self) -> dict[str, Any]:
        fields = (
            ("enablePodAntiAffinity", self.enable_pod_anti_affinity),
            ("topologyKey", self.topology_key),
            ("podAntiAffinityType", self.pod_anti_affinity_type),
            ("nodeSelector", dict(self.node_selector) or None),
            ("tolerations", to_json(self.tolerations) or None),
            ("nodeAffinity", self.node_affinity),
            ("additionalPodAffinity", self.additional_pod_affinity),
            ("additionalPodAntiAffinity", self.additional_pod_anti_affinity),
        )
        return {key: to_json(value) for key, value in fields if value is not None}


@type_checked
@dataclass(frozen=True, kw_only=True)
class ManagedService:
    """A Service the operator manages besides its own (``managed.services.additional``)."""

    name: str
    """Name of the Service (in the Cluster's namespace)."""
    selector_type: Literal["rw", "ro", "r"]
    """Which instances it reaches: the primary (``rw``), the replicas (``ro``) or any (``r``)."""
    type: Literal["ClusterIP", "NodePort", "LoadBalancer"] | None = None
    """Left out by default, which Kubernetes reads as ClusterIP."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    """Annotations of the Service (e.g. a load balancer's); none by default."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Labels of the Service; none by default."""
    update_strategy: Literal["patch", "replace"] | None = None
    """How the operator applies a change to it; its default (``patch``) when left out."""

    def __post_init__(self) -> None:
        check_dns_label(self.name, what="name", owner=f"ManagedService {self.name!r}")

    def render(self) -> dict[str, Any]:
        metadata: dict[str, Any] = {"name": self.name}
        if self.annotations:
            metadata["annotations"] = dict(self.annotations)
        if self.labels:
            metadata["labels"] = dict(self.labels)
        template: dict[str, Any] = {"metadata": metadata}
        if self.type is not None:
            template["spec"] = {"type": self.type}
        out: dict[str, Any] = {"selectorType": self.selector_type, "serviceTemplate": template}
        if self.update_strategy is not None:
            out["updateStrategy"] = self.update_strategy
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class CnpgDatabaseProps:
    """A PostgreSQL cluster run by CloudNativePG."""

    name: str
    """Name of the Cluster; its secrets are ``<name>-app`` and ``<name>-superuser``."""
    namespace: str | None = None
    """Namespace of the Cluster and of its secrets; the app's destination namespace when left out (as for
    any object written without one)."""
    instances: int = 1
    """Number of PostgreSQL instances (1 primary + replicas), 1..9."""
    storage_size: str = "1Gi"
    """Size of each instance's volume."""
    storage_class: str | None = None
    """Storage class of the volumes; the cluster's default when left out."""
    pvc_template: k8s.PersistentVolumeClaimSpec | Mapping[str, Any] | None = None
    """``storage.pvcTemplate``: the rest of each volume's claim (``selector``, ``volumeMode``, ...); the
    operator's from ``storage_size`` and ``storage_class`` alone when left out."""
    image_name: Image | None = None
    """Container image (e.g. with extensions), an ``Image(...)`` literal; the operator's default
    PostgreSQL when left out."""
    start_delay: int | None = None
    """Seconds an instance may take to start; the operator's default when left out."""
    stop_delay: int | None = None
    """Seconds an instance may take to stop; the operator's default when left out."""
    parameters: Mapping[str, str] = field(default_factory=dict)
    """``postgresql.parameters`` (postgresql.conf settings); none by default."""
    shared_preload_libraries: tuple[str, ...] = ()
    """Extra libraries preloaded by PostgreSQL (e.g. ``vectors.so``); none by default."""
    pg_hba: tuple[str, ...] = ()
    """Extra ``pg_hba.conf`` lines; the operator's rules only by default."""
    enable_alter_system: bool | None = None
    """Allow ``ALTER SYSTEM``; the operator's default (off) when left out."""
    bootstrap: InitDb | None = None
    """How a new cluster is initialised; the operator's default (database ``app``) when left out."""
    affinity: CnpgAffinity | None = None
    """Where the instances run; the operator's default (apart, on different nodes if it can) when left out."""
    disabled_default_services: tuple[Literal["ro", "r"], ...] = ()
    """Default Services not to create (``<name>-ro``, ``<name>-r``); all three by default (``-rw`` always)."""
    additional_services: tuple[ManagedService, ...] = ()
    """More Services the operator manages (``managed.services.additional``), e.g. a LoadBalancer to the
    primary; none by default."""

    def __post_init__(self) -> None:
        owner = f"CnpgDatabase {self.name!r}"
        check_dns_label(self.name, what="name", owner=owner)
        if self.namespace is not None:
            check_dns_label(self.namespace, what="namespace", owner=owner)
        if not 1 <= self.instances <= 9:
            raise PropsError(f"{owner}: instances must be 1..9, got {self.instances}")
        if self.image_name is not None and self.image_name.tag is None:
            raise PropsError(
                f"{owner}: image_name {self.image_name.ref!r} has no tag; CloudNativePG reads the PostgreSQL "
                f"version from it: give one, e.g. Image(name={self.image_name.name!r}, tag='16')"
            )
        if self.storage_class is not None:
            check_dns_subdomain(self.storage_class, what="storage_class", owner=owner)
        for what, value in (("start_delay", self.start_delay), ("stop_delay", self.stop_delay)):
            if value is not None and value < 1:
                raise PropsError(f"{owner}: {what} must be a positive number of seconds, got {value}")

    # -- the generated secret -----------------------------------------------------------------
    @property
    def app_secret(self) -> str:
        """Name of the secret the operator generates for the application user."""
        return f"{self.name}-app"

    @property
    def rw_service(self) -> str:
        """Name of the Service that reaches the primary (read-write)."""
        return f"{self.name}-rw"

    @property
    def database(self) -> str:
        """Name of the application database: ``bootstrap.database``, else the operator's ``app``."""
        return self.bootstrap.database if self.bootstrap else "app"

    @property
    def user(self) -> str:
        """Name of the application user: ``bootstrap.owner``, else the operator's ``app``."""
        return self.bootstrap.owner if self.bootstrap else "app"

    def secret_key(self, key: SecretKey) -> str:
        """``key``, checked to be one the operator writes into the app secret."""
        if key not in SECRET_KEYS:
            raise PropsError(f"CnpgDatabase {self.name!r}: no secret key {key!r}; keys are {', '.join(SECRET_KEYS)}")
        return key

    def secret_selector(self, key: SecretKey) -> dict[str, str]:
        """``{"name": ..., "key": ...}`` for ``key`` of the app secret: the selector custom resources and
        charts take (``passwordSecretRef``, ``existingSecret`` with a key field, ...)."""
        return {"name": self.app_secret, "key": self.secret_key(key)}

    def secret_ref(self, key: SecretKey) -> dict[str, Any]:
        """``{"valueFrom": {"secretKeyRef": ...}}`` for ``key`` of the app secret (an env var's value)."""
        return {"valueFrom": {"secretKeyRef": self.secret_selector(key)}}

    def env(self, variables: Mapping[str, SecretKey]) -> list[dict[str, Any]]:
        """Container ``env`` entries: variable name → key of the app secret."""
        return [{"name": var, **self.secret_ref(key)} for var, key in variables.items()]

    def env_map(self, variables: Mapping[str, SecretKey]) -> dict[str, Any]:
        """The same, as a mapping (the form some Helm charts take: ``env: {VAR: {valueFrom: ...}}``)."""
        return {var: self.secret_ref(key) for var, key in variables.items()}


class CnpgDatabase(Construct):
    """The ``postgresql.cnpg.io/v1`` Cluster for ``props``; the object is ``resource``.

    Escape hatch for a field no prop exposes: ``.resource.set_field('/spec/...', value)``.
    """

    def __init__(self, scope: ConstructScope, id: str, props: CnpgDatabaseProps) -> None:
        super().__init__(scope, id)
        self.props = props
        spec: dict[str, Any] = {"instances": props.instances}
        if props.image_name:
            spec["imageName"] = props.image_name.ref
        if props.start_delay is not None:
            spec["startDelay"] = props.start_delay
        if props.stop_delay is not None:
            spec["stopDelay"] = props.stop_delay
        postgresql: dict[str, Any] = {}
        if props.parameters:
            postgresql["parameters"] = dict(props.parameters)
        if props.shared_preload_libraries:
            postgresql["shared_preload_libraries"] = list(props.shared_preload_libraries)
        if props.pg_hba:
            postgresql["pg_hba"] = list(props.pg_hba)
        if props.enable_alter_system is not None:
            postgresql["enableAlterSystem"] = props.enable_alter_system
        if postgresql:
            spec["postgresql"] = postgresql
        storage: dict[str, Any] = {}
        if props.storage_class:
            storage["storageClass"] = props.storage_class
        storage["size"] = props.storage_size
        if props.pvc_template is not None:
            storage["pvcTemplate"] = to_json(props.pvc_template)
        spec["storage"] = storage
        if props.affinity is not None:
            spec["affinity"] = props.affinity.render()
        services: dict[str, Any] = {}
        if props.disabled_default_services:
            services["disabledDefaultServices"] = list(props.disabled_default_services)
        if props.additional_services:
            services["additional"] = [s.render() for s in props.additional_services]
        if services:
            spec["managed"] = {"services": services}
        if props.bootstrap is not None:
            spec["bootstrap"] = {"initdb": props.bootstrap.render()}
        self.resource: Manifest = api_object(
            self,
            "Resource",
            api_version="postgresql.cnpg.io/v1",
            kind="Cluster",
            metadata=metadata_of(props.name, props.namespace, {}, {}),
            spec=spec,
        )
