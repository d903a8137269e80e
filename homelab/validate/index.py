"""One cluster's deployed content indexed for the cross-reference checks: its AppProjects, the objects
something creates (the tree's own, and those controllers create: see :func:`created_by`), the
StorageClasses, and where Argo CD looks for Applications."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from constructs_lib._internal.plaintext import as_mapping
from constructs_lib._internal.secret_keys import external_secret_target
from constructs_lib.annotations import PROVIDES_STORAGE_CLASSES, created
from homelab.kinds import KindScopes, group_of
from homelab.validate.content import ClusterContent, glob

SECRET_KINDS = ("Secret", "SealedSecret")
GATEWAY_GROUP = "gateway.networking.k8s.io"
#: The annotations by which cert-manager's ingress-shim issues an Ingress's TLS Secrets.
CERT_MANAGER_ISSUERS = ("cert-manager.io/cluster-issuer", "cert-manager.io/issuer")
#: The Services a CloudNativePG cluster ``NAME`` gets: ``NAME-rw``, ``NAME-ro``, ``NAME-r`` (less its
#: ``managed.services.disabledDefaultServices``, plus its ``managed.services.additional``).
CNPG_SERVICES = ("rw", "ro", "r")
#: The Secrets it generates: ``NAME-app``, ``NAME-superuser``.
CNPG_SECRETS = ("app", "superuser")


@dataclass
class Index:
    """What one cluster deploys, indexed for the cross-reference checks."""

    argocd_ns: str
    scopes: KindScopes
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    """AppProjects by name (those in Argo CD's namespace)."""
    created: set[tuple[str, str, str]] = field(default_factory=set)
    """(kind, namespace, name) of every object the tree holds or a controller creates for it."""
    storage_classes: set[str] = field(default_factory=set)
    app_namespaces: list[str] | None = None
    """Argo CD's ``application.namespaces`` (from the argo-cd chart's values); None when the cluster's
    content has no Argo CD Application (then where Applications may live is unknown)."""

    def names(self, kind: str, namespace: str) -> list[str]:
        """The names of the ``kind`` objects something creates in ``namespace``, sorted."""
        return sorted(n for k, ns, n in self.created if k == kind and ns == namespace)


def issued_by_cert_manager(annotations: Any) -> bool:
    """Whether an Ingress (or a chart's ingress block) with these annotations gets its TLS Secrets from cert-manager."""
    return any(a in as_mapping(annotations) for a in CERT_MANAGER_ISSUERS)


def created_by(obj: dict[str, Any], namespace: str) -> set[tuple[str, str, str]]:
    """(kind, namespace, name) of what exists because ``obj`` (in ``namespace``) is deployed: itself, the
    Secret a SealedSecret unseals or an ExternalSecret creates, CloudNativePG's Services and Secrets, the
    Secret of a cert-manager ``Certificate`` and the TLS Secrets of an Ingress or a Gateway cert-manager issues, and what its :data:`CREATES
    <constructs_lib.annotations.CREATES>` annotation declares (``creates=`` on an app)."""
    kind, api_version = str(obj.get("kind", "")), str(obj.get("apiVersion", ""))
    meta, spec = as_mapping(obj.get("metadata")), as_mapping(obj.get("spec"))
    name = str(meta.get("name", ""))
    out = {(kind, namespace, name), *created(as_mapping(meta.get("annotations")))}
    if kind == "SealedSecret":
        out.add(("Secret", namespace, name))
        template = as_mapping(as_mapping(spec.get("template")).get("metadata"))
        if template.get("name"):
            out.add(("Secret", str(template.get("namespace") or namespace), str(template["name"])))
    elif kind == "ExternalSecret" and api_version.startswith("external-secrets.io/"):
        target = external_secret_target(obj)
        if target.creates:  # not with creationPolicy Merge (it writes into another's Secret) or None
            out.add(("Secret", namespace, target.name))
    elif kind == "Cluster" and api_version.startswith("postgresql.cnpg.io/"):
        out.update(("Secret", namespace, f"{name}-{s}") for s in CNPG_SECRETS)
        services = as_mapping(as_mapping(spec.get("managed")).get("services"))
        disabled = services.get("disabledDefaultServices") or []
        out.update(("Service", namespace, f"{name}-{s}") for s in CNPG_SERVICES if s not in disabled)
        for extra in services.get("additional") or []:
            service_name = as_mapping(as_mapping(as_mapping(extra).get("serviceTemplate")).get("metadata")).get("name")
            if service_name:
                out.add(("Service", namespace, str(service_name)))
    elif kind == "Certificate" and api_version.startswith("cert-manager.io/") and spec.get("secretName"):
        out.add(("Secret", namespace, str(spec["secretName"])))
    elif kind == "Ingress" and issued_by_cert_manager(meta.get("annotations")):
        out.update(
            ("Secret", namespace, str(t["secretName"]))
            for t in spec.get("tls") or []
            if isinstance(t, dict) and t.get("secretName")
        )
    elif kind == "Gateway" and group_of(api_version) == GATEWAY_GROUP:
        out.update(("Secret", namespace, secret) for _, secret, issued in certificate_refs(obj, namespace) if issued)
    return out


def certificate_refs(gateway: dict[str, Any], namespace: str) -> Iterator[tuple[str, str, bool]]:
    """(field, name, whether cert-manager's gateway-shim issues it) of each Secret in ``namespace`` a Gateway's
    listeners take their certificates from: it issues those of a terminating listener with a ``hostname``,
    when the Gateway names an issuer (another namespace's Secret, or another kind, it leaves alone)."""
    issuer = issued_by_cert_manager(as_mapping(gateway.get("metadata")).get("annotations"))
    for i, listener in enumerate(as_mapping(gateway.get("spec")).get("listeners") or []):
        listener = as_mapping(listener)
        tls = as_mapping(listener.get("tls"))
        for j, ref in enumerate(tls.get("certificateRefs") or []):
            ref = as_mapping(ref)
            if (
                ref.get("kind", "Secret") != "Secret"
                or ref.get("group", "")
                or ref.get("namespace", namespace) != namespace
            ):
                continue
            issued = issuer and bool(listener.get("hostname")) and tls.get("mode", "Terminate") == "Terminate"
            yield f"spec.listeners[{i}].tls.certificateRefs[{j}].name", str(ref.get("name", "")), issued


def index(content: ClusterContent, argocd_ns: str, builtin_storage_classes: set[str], scopes: KindScopes) -> Index:
    """Projects, secrets, storage classes and Argo CD's application namespaces of one cluster."""
    idx = Index(argocd_ns=argocd_ns, scopes=scopes, storage_classes=set(builtin_storage_classes))
    for p in content.placed:
        kind, name = p.obj.get("kind"), str(as_mapping(p.obj.get("metadata")).get("name", ""))
        idx.created |= created_by(p.obj, p.namespace)
        if kind == "AppProject" and p.namespace in (argocd_ns, ""):
            idx.projects[name] = p.obj
        elif kind == "StorageClass":
            idx.storage_classes.add(name)
        provided = as_mapping(as_mapping(p.obj.get("metadata")).get("annotations")).get(PROVIDES_STORAGE_CLASSES)
        if kind == "Application" and provided:
            idx.storage_classes.update(n.strip() for n in str(provided).split(",") if n.strip())
        source = as_mapping(as_mapping(p.obj.get("spec")).get("source"))
        if kind == "Application" and source.get("chart") == "argo-cd":
            params = (
                as_mapping(as_mapping(as_mapping(source.get("helm")).get("valuesObject")).get("configs")).get("params")
            ) or {}
            idx.app_namespaces = (idx.app_namespaces or []) + [
                n.strip() for n in str(params.get("application.namespaces", "")).split(",") if n.strip()
            ]
    return idx


def project_admits(project: dict[str, Any], namespace: str, server: str) -> bool:
    """Whether an AppProject's destinations admit ``namespace`` on ``server``."""
    for d in as_mapping(project.get("spec")).get("destinations") or []:
        if glob(str(d.get("namespace", "*")), namespace) and (
            glob(str(d.get("server", "*")), server) or d.get("name") not in (None, "", "*") or "server" not in d
        ):
            return True
    return False


def _listed_in(entries: Any, group: str, kind: str) -> bool:
    return any(glob(str(e.get("group", "")), group) and glob(str(e.get("kind", "")), kind) for e in entries or [])


def kind_admitted(project: dict[str, Any], group: str, kind: str, *, cluster_scoped: bool) -> bool:
    """Whether an AppProject lets its Applications deploy ``group``/``kind``, as Argo CD decides: a
    cluster-scoped kind must be in its ``clusterResourceWhitelist`` (and not its blacklist); a namespaced one
    in its ``namespaceResourceWhitelist`` when it has one, and not in its ``namespaceResourceBlacklist``."""
    spec = as_mapping(project.get("spec"))
    if cluster_scoped:
        return _listed_in(spec.get("clusterResourceWhitelist"), group, kind) and not _listed_in(
            spec.get("clusterResourceBlacklist"), group, kind
        )
    whitelist = spec.get("namespaceResourceWhitelist")
    if whitelist and not _listed_in(whitelist, group, kind):
        return False
    return not _listed_in(spec.get("namespaceResourceBlacklist"), group, kind)
