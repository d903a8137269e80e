"""The pieces of a pod, shared by :mod:`~constructs_lib.deployment`, :mod:`~constructs_lib.job` and
:mod:`~constructs_lib.cron_job`: ``PodSpec``, ``Container``, ``Port``, ``Mount``, ``Probe`` and the
``env``/volume helpers.

The props are concise (they name the fields a homelab sets most), and every piece also takes the
typed Kubernetes class of ``cdk8s_plus_33.k8s`` (``k8s.EnvVar``, ``k8s.Volume``, ``k8s.Probe``,
``k8s.SecurityContext``, a whole ``k8s.Container`` or ``k8s.PodSpec``), so any field of the real API
can be set, typed, and is turned into JSON in Python with no call into Node.js. To set a field of the
object itself that no prop exposes, use the escape hatch
:meth:`constructs_lib.api_object.Manifest.set_field` on the construct's ``resource``.

The workload constructs are rendered in Python rather than with cdk8s-plus-33's L2 classes, whose
output cannot equal the manifests they replace: even with its switches (``automount_service_account_token``,
``isolate``, ``security_context`` with ``ensure_non_root=False``, empty ``resources``) a
cdk8s-plus Deployment still writes ``minReadySeconds``, ``progressDeadlineSeconds``,
``revisionHistoryLimit``, a RollingUpdate ``strategy``, ``imagePullPolicy: Always``, a
``startupProbe``, ``dnsPolicy``, ``hostNetwork``, ``setHostnameAsFQDN``,
``terminationGracePeriodSeconds``, container and pod ``securityContext`` fields and its own
``cdk8s.io/metadata.addr`` selector label (a builder may still use them: see the construct reference).
The props here mirror the Kubernetes fields one to one (snake_case), and a field left out is not written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Union

from constructs_lib._internal.k8s_json import name_of, to_json
from constructs_lib._internal.k8s_names import check_dns_label
from constructs_lib._internal.runtime_types import type_checked
from constructs_lib.errors import PropsError
from constructs_lib.versions import Image

if TYPE_CHECKING:
    from cdk8s_plus_33 import k8s  # only for types: typed pieces are read without loading it


EnvEntry = Union["k8s.EnvVar", Mapping[str, Any]]
"""An ``env`` entry: typed, or a mapping taken as written (what the helpers below return)."""
EnvFromEntry = Union["k8s.EnvFromSource", Mapping[str, Any]]
"""An ``envFrom`` entry: typed, or a mapping taken as written (what :func:`env_from_config_map` and
:func:`env_from_secret` return)."""
VolumeEntry = Union["k8s.Volume", Mapping[str, Any]]
"""A pod volume: typed, or a mapping taken as written (what the helpers below return)."""

# The helpers return the mapping a typed piece renders to, so a homelab that uses them need not load
# cdk8s-plus (see constructs_lib._internal.k8s_json); pass a k8s.EnvVar or k8s.Volume for anything else.


def env_value(name: str, value: str) -> dict[str, Any]:
    """An ``env`` entry with a literal value."""
    return {"name": name, "value": value}


def env_secret(name: str, secret: str, key: str | None = None) -> dict[str, Any]:
    """An ``env`` entry read from ``key`` (default: the variable's name) of Secret ``secret``."""
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key or name}}}


def env_from_config_map(config_map: str, prefix: str | None = None) -> dict[str, Any]:
    """An ``envFrom`` entry: every key of ConfigMap ``config_map`` a variable (named ``prefix`` + key)."""
    return {"configMapRef": {"name": config_map}, **({"prefix": prefix} if prefix is not None else {})}


def env_from_secret(secret: str, prefix: str | None = None) -> dict[str, Any]:
    """An ``envFrom`` entry: every key of Secret ``secret`` a variable (named ``prefix`` + key)."""
    return {"secretRef": {"name": secret}, **({"prefix": prefix} if prefix is not None else {})}


def claim_volume(name: str, claim: str) -> dict[str, Any]:
    """A pod volume backed by PersistentVolumeClaim ``claim``."""
    return {"name": name, "persistentVolumeClaim": {"claimName": claim}}


def secret_volume(name: str, secret: str, keys: tuple[str, ...] = ()) -> dict[str, Any]:
    """A pod volume of Secret ``secret``; only ``keys`` (each as a file of its name) when given."""
    source: dict[str, Any] = {"secretName": secret}
    if keys:
        source["items"] = [{"key": k, "path": k} for k in keys]
    return {"name": name, "secret": source}


def config_map_volume(name: str, config_map: str) -> dict[str, Any]:
    """A pod volume of ConfigMap ``config_map``."""
    return {"name": name, "configMap": {"name": config_map}}


@type_checked
@dataclass(frozen=True, kw_only=True)
class Port:
    """A container port."""

    container_port: int
    name: str | None = None
    protocol: Literal["TCP", "UDP", "SCTP"] | None = None
    """Left out by default, which Kubernetes reads as TCP."""

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {"containerPort": self.container_port}
        if self.name:
            out["name"] = self.name
        if self.protocol:
            out["protocol"] = self.protocol
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class Mount:
    """A volume mounted into a container."""

    volume: str
    path: str
    sub_path: str | None = None
    read_only: bool | None = None

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.volume, "mountPath": self.path}
        if self.sub_path:
            out["subPath"] = self.sub_path
        if self.read_only is not None:
            out["readOnly"] = self.read_only
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class Probe:
    """An HTTP GET probe (``http_path`` given) or a TCP socket probe. The timings and thresholds left out are
    Kubernetes' defaults (no delay, every 10 s, 1 s timeout, 1 success, 3 failures)."""

    port: int | str
    http_path: str | None = None
    http_scheme: Literal["HTTP", "HTTPS"] | None = None
    """``httpGet.scheme`` of an HTTP probe; Kubernetes' ``HTTP`` when left out."""
    initial_delay_seconds: int | None = None
    period_seconds: int | None = None
    timeout_seconds: int | None = None
    success_threshold: int | None = None
    failure_threshold: int | None = None

    def __post_init__(self) -> None:
        if self.http_scheme is not None and self.http_path is None:
            raise PropsError(
                f"Probe on port {self.port!r}: http_scheme={self.http_scheme!r} is for an HTTP probe; "
                "give http_path= too (e.g. http_path='/healthz'), or leave http_scheme out for a TCP probe"
            )

    def render(self) -> dict[str, Any]:
        http: dict[str, Any] = {"path": self.http_path, "port": self.port}
        if self.http_scheme is not None:
            http["scheme"] = self.http_scheme
        out: dict[str, Any] = {"httpGet": http} if self.http_path is not None else {"tcpSocket": {"port": self.port}}
        for key, value in (
            ("initialDelaySeconds", self.initial_delay_seconds),
            ("periodSeconds", self.period_seconds),
            ("timeoutSeconds", self.timeout_seconds),
            ("successThreshold", self.success_threshold),
            ("failureThreshold", self.failure_threshold),
        ):
            if value is not None:
                out[key] = value
        return out


@type_checked
@dataclass(frozen=True, kw_only=True)
class Container:
    """One container of a pod."""

    name: str
    image: Image
    """The image, an ``Image(name=..., tag=...)`` literal Renovate keeps current; pin the tag (``latest``
    redeploys whatever was pushed last). ``Image(name=..., tag=None)`` is written without a tag."""
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    env: tuple[EnvEntry, ...] = ()
    """``env`` entries: :func:`env_value`, :func:`env_secret`, ``CnpgDatabaseProps.env`` or any ``k8s.EnvVar``."""
    env_from_secrets: tuple[str, ...] = ()
    """Secrets whose every key becomes a variable (``envFrom.secretRef``); none by default."""
    env_from: tuple[EnvFromEntry, ...] = ()
    """``envFrom`` entries in order, ConfigMaps and Secrets mixed (:func:`env_from_config_map`,
    :func:`env_from_secret` or any ``k8s.EnvFromSource``): a key in several takes the last one's value,
    and ``env`` wins over all; none by default. Not together with ``env_from_secrets``."""
    ports: tuple[Port, ...] = ()
    mounts: tuple[Mount, ...] = ()
    liveness: Probe | k8s.Probe | None = None
    """:class:`Probe` (HTTP or TCP), or any ``k8s.Probe`` (``exec``, ``grpc``, thresholds)."""
    readiness: Probe | k8s.Probe | None = None
    startup: Probe | k8s.Probe | None = None
    requests: Mapping[str, str] = field(default_factory=dict)
    """``resources.requests`` (``cpu``, ``memory``); none by default."""
    limits: Mapping[str, str] = field(default_factory=dict)
    """``resources.limits``; none by default."""
    image_pull_policy: Literal["Always", "IfNotPresent", "Never"] | None = None
    security_context: k8s.SecurityContext | Mapping[str, Any] | None = None
    """Container ``securityContext`` (``k8s.SecurityContext(run_as_user=...)``); the pod's when left out."""
    working_dir: str | None = None

    def __post_init__(self) -> None:
        check_dns_label(self.name, what="container name", owner=f"Container {self.name!r}")
        if self.env_from and self.env_from_secrets:
            secrets = ", ".join(f"env_from_secret({s!r})" for s in self.env_from_secrets)
            raise PropsError(
                f"Container {self.name!r}: env_from and env_from_secrets both set, and their order decides which "
                f"value a repeated key takes; fix: drop env_from_secrets and list {secrets} in env_from, in the order "
                "wanted (a later entry wins)"
            )

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "image": self.image.ref}
        if self.image_pull_policy:
            out["imagePullPolicy"] = self.image_pull_policy
        if self.command:
            out["command"] = list(self.command)
        if self.args:
            out["args"] = list(self.args)
        if self.env_from_secrets:
            out["envFrom"] = [env_from_secret(s) for s in self.env_from_secrets]
        if self.env_from:
            out["envFrom"] = to_json(self.env_from)
        if self.env:
            out["env"] = to_json(self.env)
        if self.ports:
            out["ports"] = [p.render() for p in self.ports]
        if self.mounts:
            out["volumeMounts"] = [m.render() for m in self.mounts]
        for key, probe in (
            ("livenessProbe", self.liveness),
            ("readinessProbe", self.readiness),
            ("startupProbe", self.startup),
        ):
            if probe is not None:
                out[key] = probe.render() if isinstance(probe, Probe) else to_json(probe)
        resources = {k: dict(v) for k, v in (("requests", self.requests), ("limits", self.limits)) if v}
        if resources:
            out["resources"] = resources
        if self.security_context is not None:
            out["securityContext"] = to_json(self.security_context)
        if self.working_dir is not None:
            out["workingDir"] = self.working_dir
        return out


def _container_json(container: Container | k8s.Container) -> dict[str, Any]:
    return container.render() if isinstance(container, Container) else dict(to_json(container))


def _mounts(container: Container | k8s.Container) -> list[str]:
    if isinstance(container, Container):
        return [m.volume for m in container.mounts]
    return [m.name for m in container.volume_mounts or []]


@type_checked
@dataclass(frozen=True, kw_only=True)
class PodSpec:
    """What runs: containers, their volumes and the restart policy."""

    containers: tuple[Container | k8s.Container, ...]
    """The containers: :class:`Container`, or a ``k8s.Container`` for fields it does not name."""
    volumes: tuple[VolumeEntry, ...] = ()
    """Pod volumes: :func:`claim_volume`, :func:`secret_volume`, :func:`config_map_volume` or any ``k8s.Volume``."""
    restart_policy: Literal["Always", "OnFailure", "Never"] | None = None
    """Left out by default (Kubernetes: ``Always`` for Deployments)."""
    security_context: k8s.PodSecurityContext | Mapping[str, Any] | None = None
    """Pod ``securityContext`` (``k8s.PodSecurityContext(fs_group=...)``); none by default."""
    init_containers: tuple[Container | k8s.Container, ...] = ()
    """Containers run to completion, in order, before ``containers`` start; none by default."""
    service_account_name: str | None = None
    node_selector: Mapping[str, str] = field(default_factory=dict)
    """Labels a node must have to run the pod; any node by default."""
    tolerations: tuple[k8s.Toleration, ...] = ()
    affinity: k8s.Affinity | Mapping[str, Any] | None = None
    """Pod ``affinity`` (``k8s.Affinity(node_affinity=..., pod_anti_affinity=...)``); the scheduler's
    choice by default."""

    def render(self) -> dict[str, Any]:
        if not self.containers:
            raise PropsError("PodSpec: containers must hold at least one Container")
        out: dict[str, Any] = {}
        if self.security_context is not None:
            out["securityContext"] = to_json(self.security_context)
        if self.init_containers:
            out["initContainers"] = [_container_json(c) for c in self.init_containers]
        out["containers"] = [_container_json(c) for c in self.containers]
        if self.restart_policy:
            out["restartPolicy"] = self.restart_policy
        if self.service_account_name is not None:
            out["serviceAccountName"] = self.service_account_name
        if self.node_selector:
            out["nodeSelector"] = dict(self.node_selector)
        if self.tolerations:
            out["tolerations"] = to_json(self.tolerations)
        if self.affinity is not None:
            out["affinity"] = to_json(self.affinity)
        if self.volumes:
            out["volumes"] = to_json(self.volumes)
        declared = {name_of(v) for v in self.volumes}
        for c in (*self.init_containers, *self.containers):
            for volume in _mounts(c):
                if volume not in declared:
                    raise PropsError(
                        f"Container {c.name!r} mounts volume {volume!r}, which the pod does not declare; "
                        f"add it to volumes= (declared: {', '.join(sorted(declared)) or 'none'})"
                    )
        return out


def pod_json(pod: PodSpec | k8s.PodSpec) -> dict[str, Any]:
    """The pod ``spec``: a :class:`PodSpec` rendered, or a whole typed ``k8s.PodSpec`` as given."""
    return pod.render() if isinstance(pod, PodSpec) else dict(to_json(pod))
