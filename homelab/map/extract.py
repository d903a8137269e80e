"""What one app's rendered objects say, for the map: its addresses, databases, volumes, secrets (names and
keys only, never values), charts, and how its objects link to each other.

Each function reads :class:`Item` records, the synthesised objects with the namespace they land in; none
of them copies a value out of a ``Secret``, a ``SealedSecret`` or Helm values but names and keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from constructs_lib._internal.plaintext import as_mapping, leaves
from constructs_lib.tailscale_ingress import FUNNEL_ANNOTATION
from homelab.validate.index import certificate_refs, created_by
from homelab.validate.references import (
    ROUTE_KINDS,
    WORKLOADS,
    configmaps_used,
    ingress_backends,
    pod_labels,
    route_services,
    searched,
    secrets_used,
    storage_classes_used,
)

TAILSCALE_EXPOSE = "tailscale.com/expose"
TAILSCALE_HOSTNAME = "tailscale.com/hostname"


@dataclass(frozen=True)
class Item:
    """One synthesised object as the map reads it."""

    data: dict[str, Any]
    namespace: str
    """The namespace it lands in (its own, else the app's for a namespaced kind); ``""`` when cluster-scoped."""
    construct: str
    """The construct that declared it (``CnpgDatabase``), ``cdk8s`` for a cdk8s construct's."""

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def name(self) -> str:
        return str(as_mapping(self.data.get("metadata")).get("name", ""))

    @property
    def spec(self) -> dict[str, Any]:
        return as_mapping(self.data.get("spec"))

    @property
    def annotations(self) -> dict[str, Any]:
        return as_mapping(as_mapping(self.data.get("metadata")).get("annotations"))

    @property
    def label(self) -> str:
        """``Kind name``: how the map names it."""
        return f"{self.kind} {self.name}"

    @property
    def id(self) -> str:
        """``Kind namespace/name`` (``Kind name`` when cluster-scoped): unique on a cluster."""
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else self.label


def _as_list(value: Any) -> list[Any]:
    """``value`` if it is a list (Helm values may hold anything where a list is expected), else empty."""
    return value if isinstance(value, list) else []


def _host_url(host: str, tailnet: str | None, *, tls: bool) -> str:
    """A link to ``host``: a tailnet machine name (one label) is ``host.<tailnet>``; a wildcard host
    (``*.example.org``) is no address one can open, so it stays the host itself (the page shows it as text)."""
    if "://" in host or host.startswith("*"):
        return host
    full = f"{host}.{tailnet}" if tailnet and "." not in host else host
    return f"{'https' if tls else 'http'}://{full}"


def _ingress_hosts(block: dict[str, Any]) -> tuple[list[str], set[str]]:
    """(hosts, TLS hosts) of an Ingress spec or a chart's ingress block in Helm values."""
    hosts: list[str] = []
    for key in ("rules", "hosts", "extraHosts"):
        for entry in _as_list(block.get(key)):
            host = entry if isinstance(entry, str) else as_mapping(entry).get("host") or as_mapping(entry).get("name")
            if isinstance(host, str) and host:
                hosts.append(host)
    for key in ("host", "hostname"):
        if isinstance(block.get(key), str) and block[key]:
            hosts.append(block[key])
    tls = {
        h
        for key in ("tls", "extraTls")
        for t in _as_list(block.get(key))
        for h in _as_list(as_mapping(t).get("hosts"))
        if isinstance(h, str)
    }
    return list(dict.fromkeys([*hosts, *sorted(tls - set(hosts))])), tls


def _chart_ingresses(values: Any) -> Iterator[dict[str, Any]]:
    """The enabled ingress blocks of a chart's values (a mapping under a key naming an ingress)."""
    for _, key, value, _ in leaves({"values": values}):
        if "ingress" in key.lower() and isinstance(value, dict) and value.get("enabled", True) is not False:
            yield value


def addresses(items: Iterable[Item], tailnet: str | None, ingress_class: str) -> list[dict[str, str]]:
    """Where the app answers: Ingress hosts (a Tailscale ingress's as ``https://host.<tailnet>``), Gateway
    routes' hostnames and Gateway listeners', Services exposed on the tailnet, and the ingress blocks of charts' values."""
    out: dict[str, dict[str, str]] = {}

    def add(url: str, via: str, note: str = "") -> None:
        """One address per host: HTTPS wins over plain HTTP, else the first found."""
        host = url.partition("://")[2] or url
        if host not in out or (url.startswith("https:") and not out[host]["url"].startswith("https:")):
            out[host] = {"url": url, "via": via, **({"note": note} if note else {})}

    for item in items:
        spec = item.spec
        if item.kind == "Ingress":
            tailscale = spec.get("ingressClassName") == ingress_class
            hosts, tls = _ingress_hosts(spec)
            public = "public (Tailscale Funnel)" if str(item.annotations.get(FUNNEL_ANNOTATION)) == "true" else ""
            for host in hosts:
                add(_host_url(host, tailnet if tailscale else None, tls=tailscale or host in tls), item.label, public)
        elif item.kind in ROUTE_KINDS:
            gateways = ", ".join(str(as_mapping(p).get("name")) for p in spec.get("parentRefs") or [])
            for host in spec.get("hostnames") or []:
                add(_host_url(str(host), None, tls=True), item.label, f"gateway {gateways}" if gateways else "")
        elif item.kind == "Gateway":
            for listener in map(as_mapping, spec.get("listeners") or []):
                protocol = str(listener.get("protocol", ""))
                if listener.get("hostname") and protocol in ("HTTP", "HTTPS", "TLS"):
                    url = _host_url(str(listener["hostname"]), None, tls=protocol != "HTTP")
                    add(url, item.label, f"listener {listener.get('name')}")
        elif item.kind == "Service" and (
            str(item.annotations.get(TAILSCALE_EXPOSE)) == "true" or spec.get("loadBalancerClass") == "tailscale"
        ):
            host = str(item.annotations.get(TAILSCALE_HOSTNAME) or f"{item.namespace}-{item.name}")
            add(_host_url(host, tailnet, tls=False), item.label, "tailnet Service")
        elif item.kind == "Application":
            helm = as_mapping(as_mapping(spec.get("source")).get("helm"))
            for block in _chart_ingresses(helm.get("valuesObject")):
                tailscale = ingress_class in (block.get("className"), block.get("ingressClassName"))
                hosts, tls = _ingress_hosts(block)
                for host in hosts:
                    add(_host_url(host, tailnet if tailscale else None, tls=tailscale or host in tls), item.label)
    return list(out.values())


def _is_database(item: Item) -> bool:
    return item.kind == "Cluster" and str(item.data.get("apiVersion", "")).startswith("postgresql.cnpg.io/")


def databases(items: Iterable[Item]) -> list[dict[str, Any]]:
    """The CloudNativePG clusters: instances, storage size and class, image, and the Secrets CNPG makes."""
    out = []
    for item in items:
        if _is_database(item):
            storage = as_mapping(item.spec.get("storage"))
            initdb = as_mapping(as_mapping(item.spec.get("bootstrap")).get("initdb"))
            made = sorted(n for k, _, n in created_by(item.data, item.namespace) if k == "Secret")
            out.append(
                {
                    "name": item.name,
                    "instances": item.spec.get("instances", 1),
                    "size": storage.get("size", ""),
                    "storage_class": storage.get("storageClass", "(cluster default)"),
                    "image": item.spec.get("imageName", ""),
                    "database": initdb.get("database", ""),
                    "owner": initdb.get("owner", ""),
                    "secrets": made,
                }
            )
    return out


def volumes(items: Iterable[Item], volumes_by_name: dict[str, Item]) -> list[dict[str, str]]:
    """The PersistentVolumeClaims and PersistentVolumes: size, storage class, access, and an NFS share
    (``server:/path``) where the volume is one; ``volumes_by_name``: the cluster's PersistentVolumes."""
    out = []
    for item in items:
        if item.kind not in ("PersistentVolumeClaim", "PersistentVolume"):
            continue
        spec = item.spec
        claim = item.kind == "PersistentVolumeClaim"
        size = as_mapping(as_mapping(spec.get("resources")).get("requests")).get("storage") if claim else None
        bound = volumes_by_name.get(str(spec.get("volumeName") or ""))
        nfs = as_mapping((bound.spec if bound else spec).get("nfs"))
        entry = {
            "name": item.name,
            "kind": item.kind,
            "size": str(size or as_mapping(spec.get("capacity")).get("storage") or ""),
            "storage_class": str(spec.get("storageClassName", "(cluster default)" if claim else "")),
            "access": ", ".join(spec.get("accessModes") or []),
        }
        if nfs:
            entry["nfs"] = f"{nfs.get('server', '')}:{nfs.get('path', '')}"
        if bound:
            entry["volume"] = bound.name
        out.append(entry)
    return out


def secrets(items: Iterable[Item]) -> list[dict[str, Any]]:
    """The Secrets the app holds, by name and keys: sealed (``SealedSecret``), in clear (``Secret``) or filled by
    an ``ExternalSecret`` (``more``: its ``dataFrom`` takes keys the provider decides). Never a value."""
    out = []
    for item in items:
        if item.kind == "SealedSecret":
            keys = list(as_mapping(item.spec.get("encryptedData")))
        elif item.kind == "Secret":
            keys = [*as_mapping(item.data.get("data")), *as_mapping(item.data.get("stringData"))]
        elif item.kind == "ExternalSecret":
            keys = [str(as_mapping(d).get("secretKey", "")) for d in item.spec.get("data") or []]
        else:
            continue
        entry: dict[str, Any] = {"name": item.name, "kind": item.kind, "keys": sorted(dict.fromkeys(keys))}
        if item.kind == "ExternalSecret" and item.spec.get("dataFrom"):
            entry["more"] = "keys from the provider"  # dataFrom: the provider's entry decides which keys
        out.append(entry)
    return out


def charts(items: Iterable[Item]) -> list[dict[str, str]]:
    """The Argo CD Applications among the objects: a Helm chart (repository, chart, version) or a git path."""
    out = []
    for item in items:
        if item.kind != "Application":
            continue
        spec = item.spec
        for source in [as_mapping(spec.get("source")), *map(as_mapping, spec.get("sources") or [])]:
            if not source:
                continue
            entry = {"application": item.name, "repo": str(source.get("repoURL", ""))}
            entry["version"] = str(source.get("targetRevision", ""))
            if source.get("chart"):
                entry["chart"] = str(source["chart"])
            elif source.get("path") is not None:
                entry["path"] = str(source["path"])
            entry["namespace"] = str(as_mapping(spec.get("destination")).get("namespace", ""))
            out.append(entry)
    return out


def _claims(item: Item) -> list[str]:
    """The PersistentVolumeClaims a workload mounts (or a chart's values name as ``existingClaim``)."""
    found = []
    for _, key, value, _ in leaves(searched(item.data, item.namespace)[0]):
        if key == "persistentVolumeClaim" and isinstance(value, dict) and value.get("claimName"):
            found.append(str(value["claimName"]))
        elif key == "existingClaim" and isinstance(value, str) and value:
            found.append(value)
    return found


Creators = dict[tuple[str, str, str], str]
"""(kind, namespace, name) → the label of the object whose presence makes it (see :func:`creators`)."""


def creators(items: Iterable[Item]) -> Creators:
    """What exists because of each object on a cluster: itself, the Secret a SealedSecret unseals, the
    Secrets and Services of a CloudNativePG cluster, ... (:func:`homelab.validate.index.created_by`)."""
    out: Creators = {}
    for item in items:
        label = f"database {item.name}" if _is_database(item) else item.label
        for kind, namespace, name in created_by(item.data, item.namespace):
            out.setdefault((kind, namespace, name), label)
    return out


def links(items: list[Item], made_by: Creators) -> list[dict[str, str]]:
    """How the objects link: an Ingress or route to its Services, a Service to the workloads it selects, a
    workload (or a chart's values) to the Secrets, ConfigMaps, volumes and databases it reads, a volume or
    database to its storage class. ``made_by`` names what creates a referenced object (a CNPG cluster)."""
    out: list[dict[str, str]] = []

    def add(source: Item, kind: str, name: str, why: str, namespace: str | None = None) -> None:
        """A link from ``source`` to ``kind`` ``name`` in ``namespace`` (``source``'s when None)."""
        namespace = source.namespace if namespace is None else namespace
        maker = made_by.get((kind, namespace, name)) or made_by.get((kind, "", name))
        label = f"{kind} {name}"
        target = label if namespace in (source.namespace, "") else f"{kind} {namespace}/{name}"
        entry = {"from": source.label, "to": target, "why": why}
        if maker and maker != label:
            entry["via"] = maker
        if entry not in out:
            out.append(entry)

    workloads = [i for i in items if i.kind in WORKLOADS]
    for item in items:
        if item.kind == "Ingress":
            for _, service in ingress_backends(item.data):
                add(item, "Service", service, "sends to")
        elif item.kind in ROUTE_KINDS:
            for _, namespace, service in route_services(item.data, item.namespace):
                add(item, "Service", service, "sends to", namespace)
        elif item.kind == "Gateway":
            for _, name, issued in certificate_refs(item.data, item.namespace):
                why = "takes its certificate from" + (" (issued by cert-manager)" if issued else "")
                add(item, "Secret", name, why)
        elif item.kind == "Service" and as_mapping(item.spec.get("selector")):
            selector = as_mapping(item.spec.get("selector"))
            for workload in workloads:
                labels = pod_labels(workload.data)
                if workload.namespace == item.namespace and all(labels.get(k) == v for k, v in selector.items()):
                    add(item, workload.kind, workload.name, "selects")
        if item.kind in WORKLOADS or item.kind == "Application":
            body, namespace, _ = searched(item.data, item.namespace)
            for _, name in secrets_used(body, namespace):
                add(item, "Secret", name, "reads", namespace)
            for _, name in configmaps_used(item.data):
                add(item, "ConfigMap", name, "reads")
            for name in _claims(item):
                add(item, "PersistentVolumeClaim", name, "mounts", namespace)
        if item.kind in ("PersistentVolumeClaim", "Cluster"):
            for _, name in storage_classes_used(item.spec):
                add(item, "StorageClass", name, "stored on")
            if item.spec.get("volumeName"):
                add(item, "PersistentVolume", str(item.spec["volumeName"]), "binds")
    return out
