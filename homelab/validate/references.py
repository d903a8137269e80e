"""What an object refers to by name: the Secrets, ConfigMaps and StorageClasses it uses, the Services an
Ingress or a Gateway API route sends to, the labels of the pods a workload runs.

Read by the reference checks (:mod:`homelab.validate.checks`), which judge whether each exists, and by the map
(:mod:`homelab.map.extract`), which draws each as a link: one reading of a reference for both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from constructs_lib._internal.plaintext import as_mapping, leaves
from constructs_lib._internal.secret_keys import external_secret_target
from homelab.kinds import group_of
from homelab.validate.index import GATEWAY_GROUP, SECRET_KINDS, certificate_refs, issued_by_cert_manager

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod")
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")
TAILSCALE_CLASS = "tailscale"


def searched(obj: dict[str, Any], namespace: str) -> tuple[dict[str, Any], str, str]:
    """Where ``obj``'s references are (an Application's: in its Helm values), the namespace they resolve in
    (an Application's destination) and the field prefix of that place; ``obj`` in ``namespace`` otherwise."""
    if obj.get("kind") != "Application":
        return obj, namespace, ""
    spec = as_mapping(obj.get("spec"))
    ns = str(as_mapping(spec.get("destination")).get("namespace", ""))
    values = as_mapping(as_mapping(spec.get("source")).get("helm")).get("valuesObject") or {}
    return values, ns, "spec.source.helm.valuesObject."


def _tls_made_elsewhere(obj: dict[str, Any]) -> set[int]:
    """The ``tls`` entries of ingresses (an Ingress, or an ingress block in Helm values) whose Secrets
    something else makes: the Tailscale operator (class ``tailscale``) makes its own certificates and
    ignores their ``secretName``; cert-manager issues those of an ingress annotated with its issuer."""
    entries: set[int] = set()
    for _, _, value, _ in leaves({"root": obj}):
        if not isinstance(value, dict):
            continue
        spec: dict[str, Any] = value["spec"] if isinstance(value.get("spec"), dict) else value
        annotations = as_mapping(value.get("metadata")).get("annotations") or value.get("annotations")
        if TAILSCALE_CLASS in (spec.get("ingressClassName"), spec.get("className")) or issued_by_cert_manager(
            annotations
        ):
            tls = spec.get("tls")
            entries.update(id(t) for t in (tls if isinstance(tls, list) else []) if isinstance(t, dict))
    return entries


def secrets_used(obj: dict[str, Any], namespace: str) -> Iterator[tuple[str, str]]:
    """(field path, secret name) of the Secrets an object (or an Application's Helm values, see :func:`searched`)
    in ``namespace`` uses: those it reads, a Gateway's certificates, the Secret an ExternalSecret merges into."""
    if obj.get("kind") in SECRET_KINDS:
        return
    group = group_of(str(obj.get("apiVersion", "")))
    if obj.get("kind") == "Gateway" and group == GATEWAY_GROUP:
        yield from ((where, name) for where, name, _ in certificate_refs(obj, namespace))
    elif obj.get("kind") == "ExternalSecret" and group == "external-secrets.io":
        target = external_secret_target(obj)
        if target.policy == "Merge":
            yield "spec.target.name", target.name
    ignored = _tls_made_elsewhere(obj)
    for path, key, value, parent in leaves(obj):
        if id(parent) in ignored:
            continue
        if key in ("secretKeyRef", "secretRef") and isinstance(value, dict) and isinstance(value.get("name"), str):
            if not value.get("optional"):
                yield f"{path}.name", value["name"]
        elif (
            key in ("existingSecret", "secretName")
            and isinstance(value, str)
            and value
            and (key == "existingSecret" or parent.get("enabled", True) is not False)
        ):
            yield path, value


def configmaps_used(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, name) of the ConfigMaps a workload's pods read (env, envFrom, volumes, projected volumes);
    optional references left out."""
    if obj.get("kind") not in WORKLOADS:
        return
    for path, key, value, _ in leaves(obj):
        if not (isinstance(value, dict) and isinstance(value.get("name"), str)) or value.get("optional"):
            continue
        if key in ("configMapKeyRef", "configMapRef", "configMap"):  # env, envFrom, a volume or projected source
            yield f"{path}.name", value["name"]


def storage_classes_used(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, name) of the StorageClasses an object (or Helm values) names; ``""`` and ``-`` (none) left out."""
    for path, key, value, _ in leaves(obj):
        if key in ("storageClassName", "storageClass", "defaultStorageClass") and value not in ("", "-", None):
            yield path, str(value)


def pod_labels(obj: dict[str, Any]) -> dict[str, Any]:
    """The labels of the pods a workload runs: its pod template's (a CronJob's job template's), a Pod's own."""
    if obj.get("kind") == "Pod":
        return as_mapping(as_mapping(obj.get("metadata")).get("labels"))
    spec = as_mapping(obj.get("spec"))
    if obj.get("kind") == "CronJob":
        spec = as_mapping(as_mapping(spec.get("jobTemplate")).get("spec"))
    return as_mapping(as_mapping(as_mapping(spec.get("template")).get("metadata")).get("labels"))


def ingress_backends(ingress: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, Service name) of an Ingress's default backend and each path's backend Service."""
    spec = as_mapping(ingress.get("spec"))
    backends = [("spec.defaultBackend", as_mapping(spec.get("defaultBackend")))]
    for i, rule in enumerate(spec.get("rules") or []):
        for j, path in enumerate(as_mapping(as_mapping(rule).get("http")).get("paths") or []):
            backends.append((f"spec.rules[{i}].http.paths[{j}].backend", as_mapping(as_mapping(path).get("backend"))))
    for where, backend in backends:
        name = as_mapping(backend.get("service")).get("name")
        if isinstance(name, str):
            yield f"{where}.service.name", name


def is_route(obj: dict[str, Any]) -> bool:
    """Whether ``obj`` is a Gateway API route (of any version)."""
    return obj.get("kind") in ROUTE_KINDS and group_of(str(obj.get("apiVersion", ""))) == GATEWAY_GROUP


def route_backend_refs(route: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(field, ref) of each rule's backendRefs and of its request mirrors' backendRef."""
    for i, rule in enumerate(as_mapping(route.get("spec")).get("rules") or []):
        for j, ref in enumerate(as_mapping(rule).get("backendRefs") or []):
            yield f"spec.rules[{i}].backendRefs[{j}]", as_mapping(ref)
        for k, f in enumerate(as_mapping(rule).get("filters") or []):
            mirror = as_mapping(as_mapping(f).get("requestMirror")).get("backendRef")
            if mirror is not None:
                yield f"spec.rules[{i}].filters[{k}].requestMirror.backendRef", as_mapping(mirror)


def route_services(route: dict[str, Any], namespace: str) -> Iterator[tuple[str, str, str]]:
    """(field of the name, namespace, name) of the Services a route in ``namespace`` sends to (or mirrors to):
    the refs of kind ``Service`` in the core group, each in its ``namespace``, the route's when left out."""
    for where, ref in route_backend_refs(route):
        name = ref.get("name")
        if isinstance(name, str) and ref.get("kind", "Service") == "Service" and not ref.get("group", ""):
            yield f"{where}.name", str(ref.get("namespace") or namespace), name
