"""A pod's ``spec`` read back as a typed :class:`~constructs_lib.pod.PodSpec` (its containers as
:class:`~constructs_lib.pod.Container`, their ports, mounts and probes typed; env, volumes and security
contexts as the mappings those take). What the typed pieces cannot say (a probe with thresholds, tolerations)
raises, so the workload stays raw."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_lib.pod import Container, Mount, PodSpec, Port, Probe
from constructs_lib.versions import Image


def image_of(ref: str) -> Image:
    """``name[:tag][@digest]`` as an :class:`Image`."""
    rest, _, digest = ref.partition("@")
    name, colon, tag = rest.rpartition(":")
    if not colon or "/" in tag:
        name, tag = rest, ""
    return Image(name=name, tag=tag or None, digest=digest or None)


#: A probe's fields :class:`Probe` names, and its prop for each.
PROBE_FIELDS = {
    "initialDelaySeconds": "initial_delay_seconds",
    "periodSeconds": "period_seconds",
    "timeoutSeconds": "timeout_seconds",
    "successThreshold": "success_threshold",
    "failureThreshold": "failure_threshold",
}


def probe_of(probe: Mapping[str, Any]) -> Probe:
    """A probe an HTTP GET or TCP socket probe says in full (else a ``ValueError``: it needs ``k8s.Probe``)."""
    extra = set(probe) - {"httpGet", "tcpSocket", *PROBE_FIELDS}
    if extra:
        raise ValueError(f"probe fields {sorted(extra)} need a k8s.Probe")
    http = probe.get("httpGet") or {}
    check = http or probe.get("tcpSocket") or {}
    return Probe(
        port=check["port"],
        http_path=http.get("path"),
        http_scheme=http.get("scheme"),
        **{prop: probe[key] for key, prop in PROBE_FIELDS.items() if key in probe},
    )


def container_of(c: Mapping[str, Any]) -> Container:
    resources = c.get("resources") or {}
    probes: dict[str, Any] = {
        prop: probe_of(c[key])
        for prop, key in (("liveness", "livenessProbe"), ("readiness", "readinessProbe"), ("startup", "startupProbe"))
        if key in c
    }
    return Container(
        name=c["name"],
        image=image_of(c["image"]),
        command=tuple(c.get("command") or ()),
        args=tuple(c.get("args") or ()),
        env=tuple(c.get("env") or ()),
        env_from=tuple(c.get("envFrom") or ()),
        ports=tuple(
            Port(container_port=p["containerPort"], name=p.get("name"), protocol=p.get("protocol"))
            for p in c.get("ports") or ()
        ),
        mounts=tuple(
            Mount(volume=m["name"], path=m["mountPath"], sub_path=m.get("subPath"), read_only=m.get("readOnly"))
            for m in c.get("volumeMounts") or ()
        ),
        requests=dict(resources.get("requests") or {}),
        limits=dict(resources.get("limits") or {}),
        image_pull_policy=c.get("imagePullPolicy"),
        security_context=c.get("securityContext"),
        working_dir=c.get("workingDir"),
        **probes,
    )


def pod_spec_of(spec: Mapping[str, Any]) -> PodSpec:
    """The :class:`PodSpec` of a pod template's ``spec``."""
    return PodSpec(
        containers=tuple(container_of(c) for c in spec["containers"]),
        init_containers=tuple(container_of(c) for c in spec.get("initContainers") or ()),
        volumes=tuple(spec.get("volumes") or ()),
        restart_policy=spec.get("restartPolicy"),
        security_context=spec.get("securityContext"),
        service_account_name=spec.get("serviceAccountName"),
        node_selector=dict(spec.get("nodeSelector") or {}),
        affinity=spec.get("affinity"),
    )
