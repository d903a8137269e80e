"""GitOps cross-references within one cluster: what Argo CD would refuse or silently get wrong.

A cluster's *deployed content* starts at its bootstrap directories (``clusters/overlays/<cluster>``)
and follows every Application whose source points into the GitOps repository. On it, this module
checks Application paths, projects (existence, sources, destinations, source namespaces,
cluster-scoped kinds), Argo CD's ``application.namespaces``, secret and storage-class references,
ingress host uniqueness, objects deployed from two places, ``ignoreDifferences`` without
``RespectIgnoreDifferences``, and plaintext Secrets.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Protocol

from constructs_lib._internal.plaintext import as_mapping, leaves, plaintext_findings
from constructs_lib._internal.secret_keys import known_keys, wrong_keys
from constructs_lib.annotations import PROVIDES_STORAGE_CLASSES
from homelab.scope import Scopes, group_of
from homelab.validate.findings import Finding
from homelab.validate.tree import Build, Tree, describe

SECRET_KINDS = ("Secret", "SealedSecret")


class Source(Protocol):
    """What the GitOps checks read: a kustomize tree on disk (:class:`Tree`), or the tree synth is about to
    write (:class:`homelab.validate.rendered.RenderedTree`)."""

    @property
    def kustomizations(self) -> Mapping[str, Any]: ...

    def build(self, rels: list[str]) -> dict[str, Build]: ...

    def origin(self, obj: dict[str, Any], entry: str = "") -> str: ...


def normalise_repo(url: str) -> str:
    url = url.strip().rstrip("/")
    return url[:-4] if url.endswith(".git") else url


def glob(pattern: str, value: str) -> bool:
    return pattern == value or fnmatch.fnmatchcase(value, pattern)


@dataclass
class Placed:
    """An object as deployed: from which directory, by which Application, into which namespace."""

    obj: dict[str, Any]
    entry: str
    namespace: str
    """Its namespace: its own, else the destination of the Application deploying its directory."""
    revision: str | None = None
    app: Placed | None = None


@dataclass
class ClusterContent:
    """What one cluster deploys, found by following its Applications through the tree."""

    name: str
    placed: list[Placed] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)
    """The cluster's root directories (what is applied by hand to bootstrap it)."""
    failed: list[str] = field(default_factory=list)
    """Directories reached that do not build (their objects are unknown)."""


def sources_of(app: dict[str, Any]) -> list[dict[str, Any]]:
    spec = as_mapping(app.get("spec"))
    return [s for s in [spec.get("source"), *(spec.get("sources") or [])] if isinstance(s, dict)]


def follow(
    tree: Source,
    cluster: str,
    starts: list[str],
    repos: set[str],
    prefix: str,
    scopes: Scopes,
    tree_revisions: tuple[str, ...] = ("main", "master"),
) -> ClusterContent:
    """Build ``starts`` and every directory their Applications deploy, recursively. A missing path of an
    Application following a revision other than ``tree_revisions`` (the checkout's) cannot be verified here."""
    content = ClusterContent(name=cluster, starts=list(starts))
    queue: list[tuple[str, str, str | None, Placed | None]] = [(s, "", None, None) for s in starts]
    seen: set[tuple[str, str | None]] = set()
    while queue:
        directory, default_ns, revision, via = queue.pop(0)
        if (directory, revision) in seen:
            continue
        seen.add((directory, revision))
        build = tree.build([directory])[directory]
        content.entries.append(directory)
        if build.error:
            content.failed.append(directory)
            continue  # reported by the build check
        for obj in build.objects:
            ns = str(
                as_mapping(obj.get("metadata")).get("namespace")
                or (
                    ""
                    if scopes.is_cluster_scoped(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
                    else default_ns
                )
            )
            placed = Placed(obj=obj, entry=directory, namespace=ns, revision=revision, app=via)
            content.placed.append(placed)
            if obj.get("kind") != "Application":
                continue
            for i, source in enumerate(sources_of(obj)):
                if normalise_repo(str(source.get("repoURL", ""))) not in repos:
                    continue
                path = str(source.get("path", "")).strip("/")
                rel = path[len(prefix) + 1 :] if prefix and path.startswith(prefix + "/") else None
                where = (
                    "spec.source.path"
                    if i == 0 and as_mapping(obj.get("spec")).get("source")
                    else f"spec.sources[{i}].path"
                )
                target_revision = str(source.get("targetRevision") or "")
                missing = rel is None or rel not in tree.kustomizations
                if missing and target_revision not in ("", "HEAD", *tree_revisions):
                    content.findings.append(
                        placed_finding(
                            tree,
                            placed,
                            "other-revision",
                            f"follows revision {target_revision!r} and points at {path!r}, which this checkout does "
                            "not have: not verifiable at this revision",
                            f"validate a checkout of {target_revision} to check what it deploys",
                            where,
                            "info",
                        )
                    )
                    continue
                if missing:
                    content.findings.append(
                        placed_finding(
                            tree,
                            placed,
                            "application-path",
                            f"points at {path!r}, which is not a kustomize directory of the tree",
                            f"point it at an existing directory under {prefix}/ (or create {path})"
                            + _nearest(path, [f"{prefix}/{k}" if prefix else k for k in tree.kustomizations]),
                            where,
                        )
                    )
                    continue
                assert rel is not None
                dest = as_mapping(as_mapping(obj.get("spec")).get("destination"))
                queue.append((rel, str(dest.get("namespace") or ""), target_revision, placed))
    return content


TAILSCALE_CLASS = "tailscale"


def _tailscale_tls(obj: dict[str, Any]) -> set[int]:
    """The ``tls`` entries of ingresses served by the Tailscale operator (an Ingress, or an ingress block in
    Helm values, of class ``tailscale``): the operator makes its own certificates and ignores their
    ``secretName``, so a missing Secret there is no error."""
    entries: set[int] = set()
    for _, _, value, _ in leaves({"root": obj}):
        if not isinstance(value, dict):
            continue
        spec: dict[str, Any] = value["spec"] if isinstance(value.get("spec"), dict) else value
        if TAILSCALE_CLASS in (spec.get("ingressClassName"), spec.get("className")):
            tls = spec.get("tls")
            entries.update(id(t) for t in (tls if isinstance(tls, list) else []) if isinstance(t, dict))
    return entries


def _secret_refs(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, secret name) of the Secrets an object (or an Application's Helm values) uses."""
    if obj.get("kind") in SECRET_KINDS:
        return
    ignored = _tailscale_tls(obj)
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


#: The ConfigMap every namespace has (the cluster's CA bundle, published by the API server).
BUILTIN_CONFIGMAPS = ("kube-root-ca.crt",)


def _configmap_refs(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, name) of the ConfigMaps a workload's pods read (env, envFrom, volumes, projected volumes);
    optional references left out."""
    if obj.get("kind") not in WORKLOADS:
        return
    for path, key, value, _ in leaves(obj):
        if not (isinstance(value, dict) and isinstance(value.get("name"), str)) or value.get("optional"):
            continue
        if key in ("configMapKeyRef", "configMapRef", "configMap"):  # env, envFrom, a volume or projected source
            yield f"{path}.name", value["name"]


def _storage_refs(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for path, key, value, _ in leaves(obj):
        if key in ("storageClassName", "storageClass", "defaultStorageClass") and value not in ("", "-", None):
            yield path, str(value)


def _project_admits(project: dict[str, Any], namespace: str, server: str) -> bool:
    for d in as_mapping(project.get("spec")).get("destinations") or []:
        if glob(str(d.get("namespace", "*")), namespace) and (
            glob(str(d.get("server", "*")), server) or d.get("name") not in (None, "", "*") or "server" not in d
        ):
            return True
    return False


@dataclass
class Index:
    """What one cluster deploys, indexed for the cross-reference checks."""

    argocd_ns: str
    scopes: Scopes
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    """AppProjects by name (those in Argo CD's namespace)."""
    secrets: set[tuple[str, str]] = field(default_factory=set)
    """(namespace, name) of every Secret something creates (Secret, SealedSecret, CNPG cluster)."""
    storage_classes: set[str] = field(default_factory=set)
    app_namespaces: list[str] | None = None
    """Argo CD's ``application.namespaces`` (from the argo-cd chart's values); None when the cluster's
    content has no Argo CD Application (then where Applications may live is unknown)."""


def index(content: ClusterContent, argocd_ns: str, builtin_storage_classes: set[str], scopes: Scopes) -> Index:
    """Projects, secrets, storage classes and Argo CD's application namespaces of one cluster."""
    idx = Index(argocd_ns=argocd_ns, scopes=scopes, storage_classes=set(builtin_storage_classes))
    for p in content.placed:
        kind, name = p.obj.get("kind"), str(as_mapping(p.obj.get("metadata")).get("name", ""))
        if kind == "AppProject" and p.namespace in (argocd_ns, ""):
            idx.projects[name] = p.obj
        elif kind in SECRET_KINDS:
            idx.secrets.add((p.namespace, name))
            template = as_mapping(as_mapping(as_mapping(p.obj.get("spec")).get("template")).get("metadata"))
            if template.get("name"):
                idx.secrets.add((str(template.get("namespace") or p.namespace), str(template["name"])))
        elif kind == "Cluster" and str(p.obj.get("apiVersion", "")).startswith("postgresql.cnpg.io/"):
            idx.secrets.update({(p.namespace, f"{name}-app"), (p.namespace, f"{name}-superuser")})
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


def check(
    content: ClusterContent,
    tree: Source,
    *,
    argocd_ns: str,
    builtin_storage_classes: set[str],
    scopes: Scopes,
    plaintext: bool = True,
) -> list[Finding]:
    """Every cross-reference finding of one cluster's deployed content; checks whose input did not build
    are skipped, each with a finding that says why. ``plaintext=False`` leaves out the search for secrets
    in clear, for a caller that searched every object already (synth)."""
    findings = list(content.findings)
    broken_roots = [s for s in content.starts if s in content.failed]
    if broken_roots or not content.starts:
        why = f"its root {', '.join(broken_roots)} does not build" if broken_roots else "it has no root directory"
        return [*findings, _skipped(content, f"the GitOps checks of cluster {content.name} were skipped: {why}")]
    idx = index(content, argocd_ns, builtin_storage_classes, scopes)
    if idx.app_namespaces is None:
        why = "Argo CD's own Application (chart argo-cd) is not among what it deploys"
        if content.failed:
            why += f" (maybe in {', '.join(content.failed)}, which does not build)"
        findings.append(
            _skipped(content, f"cluster {content.name}: where Applications may live was not checked: {why}")
        )
    findings += _duplicates(content.placed, tree)
    findings += _ingress_hosts(content.placed, tree)
    findings += _secret_keys(content.placed, tree)
    findings += _ingress_backends(content.placed, tree)
    findings += _service_selectors(content.placed, tree)
    findings += _configmap_references(content.placed, tree)
    for p in content.placed:
        if plaintext:
            findings += _plaintext(p, tree)
        findings += _admitted_by_project(p, tree, idx)
        if p.obj.get("kind") == "Application":
            findings += _application(p, tree, idx.projects, idx.app_namespaces, argocd_ns)
        findings += _secret_references(p, tree, idx)
        findings += _storage_references(p, tree, idx)
    return findings


#: Where the objects of a not-deployed directory that set no namespace go, when the others name no single one.
UNDEPLOYED_NAMESPACE = "<destination>"


def own_references(tree: Source, directory: str, objects: list[dict[str, Any]], scopes: Scopes) -> list[Finding]:
    """The references between the objects of a directory no cluster deploys (yet): the Secrets (and their
    keys) and Services its own objects use must be among what it builds, as :func:`check` requires of a
    cluster's content. Objects that set no namespace go where its future Application will put them: the
    one namespace the others name (an app's directory), else :data:`UNDEPLOYED_NAMESPACE`."""
    named = {str(ns) for obj in objects if (ns := as_mapping(obj.get("metadata")).get("namespace"))}
    default = next(iter(named)) if len(named) == 1 else UNDEPLOYED_NAMESPACE
    placed = []
    for obj in objects:
        cluster_wide = scopes.is_cluster_scoped(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
        namespace = as_mapping(obj.get("metadata")).get("namespace") or ("" if cluster_wide else default)
        placed.append(Placed(obj=obj, entry=directory, namespace=str(namespace)))
    idx = index(ClusterContent(name=directory, placed=placed), "", set(), scopes)
    findings = _secret_keys(placed, tree) + _ingress_backends(placed, tree) + _service_selectors(placed, tree)
    findings += _configmap_references(placed, tree)
    for p in placed:
        findings += _secret_references(p, tree, idx)
    return findings


def _nearest(wrong: str, existing: list[str]) -> str:
    """``; did you mean X?`` for the existing name closest to ``wrong`` (a typo, a moved directory)."""
    parts = set(wrong.split("/"))
    tail = wrong.rsplit("/", 1)[-1]
    same_tail = [e for e in existing if e != wrong and e.rsplit("/", 1)[-1] == tail and "/" in wrong]
    same_tail.sort(key=lambda e: (-len(parts & set(e.split("/"))), e))  # the most path components in common
    close = same_tail[:1] or difflib.get_close_matches(wrong, sorted(existing), n=1)
    return f"; did you mean {close[0]}?" if close else ""


def _skipped(content: ClusterContent, message: str) -> Finding:
    return Finding(
        entry=(content.starts or ["."])[0],
        check="skipped",
        message=message,
        fix="fix the build errors reported above, then validate again",
        severity="warning",
    )


def _duplicates(placed: list[Placed], tree: Source) -> list[Finding]:
    """Objects deployed from two directories at the same revision: two Applications fight over them."""
    out = []
    origins: dict[tuple[str, str, str, str], list[Placed]] = {}
    for p in placed:
        meta = as_mapping(p.obj.get("metadata"))
        key = (group_of(str(p.obj.get("apiVersion", ""))), str(p.obj.get("kind")), p.namespace, str(meta.get("name")))
        others = origins.setdefault(key, [])
        # Two revisions of one directory (an app and its rehearsal copy) may differ: not a clash.
        clash = next((o for o in others if o.entry != p.entry and _same_revision(o, p)), None)
        if clash is not None:
            out.append(
                placed_finding(
                    tree,
                    p,
                    "duplicate-object",
                    f"also deployed from {clash.entry}/ ({tree.origin(clash.obj, clash.entry) or 'its build'}); "
                    "two Applications would fight over it",
                    "keep the object in one directory only",
                )
            )
        others.append(p)
    return out


def _plaintext(p: Placed, tree: Source) -> list[Finding]:
    """Secrets in clear: a Secret's data, and values anywhere else that look like secrets."""
    out = []
    for field_path, why in plaintext_findings(p.obj):
        if p.obj.get("kind") == "Secret" and field_path == "data":
            check, say = "plaintext-secret", "a Secret with its values in clear, committed to git"
            fix = "seal it (SealedConfig / kubeseal) instead"
        else:
            check, say = "plaintext-value", f"{why}: a secret in clear, committed to git"
            fix = (
                "seal it and reference the Secret, or annotate the object homelab/not-sensitive: "
                f"'{field_path}: <why>' if it is not sensitive"
            )
        out.append(placed_finding(tree, p, check, say, fix, field_path))
    return out


def _admitted_by_project(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    """The project of the Application deploying ``p`` admits its kind (cluster-wide) or its namespace."""
    app = p.app
    if app is None or app.obj.get("kind") != "Application":
        return []
    project_name = str(as_mapping(app.obj.get("spec")).get("project", "default"))
    project = idx.projects.get(project_name)
    if project is None:
        return []
    kind, api_version = str(p.obj.get("kind")), str(p.obj.get("apiVersion", ""))
    api_group = group_of(api_version)
    server = str(as_mapping(as_mapping(app.obj.get("spec")).get("destination")).get("server", ""))
    if idx.scopes.is_cluster_scoped(api_version, kind):
        allowed = as_mapping(project.get("spec")).get("clusterResourceWhitelist") or []
        if any(glob(str(w.get("group", "")), api_group) and glob(str(w.get("kind", "")), kind) for w in allowed):
            return []
        return [
            placed_finding(
                tree,
                p,
                "project-kinds",
                f"cluster-scoped {kind} is not in AppProject {project_name}'s clusterResourceWhitelist; Argo CD refuses to sync it",
                f"add {{group: '{api_group}', kind: {kind}}} to the project's clusterResourceWhitelist",
            )
        ]
    if p.namespace and not _project_admits(project, p.namespace, server):
        return [
            placed_finding(
                tree,
                p,
                "project-destination",
                f"lands in namespace {p.namespace}, which AppProject {project_name} does not admit as a destination; Argo CD refuses to sync it",
                f"add namespace {p.namespace} to the project's destinations, or put the object in the Application's namespace",
                "metadata.namespace",
            )
        ]
    return []


def _references(p: Placed) -> tuple[dict[str, Any], str, str]:
    """What to search for references (an Application's Helm values), the namespace they resolve in, and the field prefix."""
    obj = p.obj
    if obj.get("kind") != "Application":
        return obj, p.namespace, ""
    ns = str(as_mapping(as_mapping(obj.get("spec")).get("destination")).get("namespace", ""))
    return _values(obj), ns, "spec.source.helm.valuesObject."


def _secret_references(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    body, ns, prefix = _references(p)
    return [
        placed_finding(
            tree,
            p,
            "secret-ref",
            f"uses Secret {name!r}, which nothing creates in namespace {ns} (no Secret, SealedSecret or CNPG cluster)",
            f"seal a secret {ns}/{name} (SealedConfig) or correct the name"
            + _nearest(name, [n for secret_ns, n in idx.secrets if secret_ns == ns]),
            prefix + where,
        )
        for where, name in _secret_refs(body)
        if ns and (ns, name) not in idx.secrets
    ]


def _configmap_references(placed: list[Placed], tree: Source) -> list[Finding]:
    """The ConfigMaps a workload's pods read exist in its namespace among what is deployed; where a chart
    deployed there could create one, a name not derived from its release is only a warning."""
    configmaps = {
        (p.namespace, str(as_mapping(p.obj.get("metadata")).get("name")))
        for p in placed
        if p.obj.get("kind") == "ConfigMap"
    }
    charts = _charts_by_namespace(placed)
    out = []
    for p in placed:
        for where, name in _configmap_refs(p.obj):
            releases = charts.get(p.namespace, [])
            if (p.namespace, name) in configmaps or name in BUILTIN_CONFIGMAPS:
                continue
            if any(name.startswith(r) for r in releases):
                continue  # the chart's release creates it
            hint = _nearest(name, sorted(n for ns, n in configmaps if ns == p.namespace))
            where_from = f"and whose name is not derived from a chart release in {p.namespace} ({', '.join(releases)})"
            out.append(
                placed_finding(
                    tree,
                    p,
                    "configmap-ref",
                    f"reads ConfigMap {name!r}, which nothing "
                    + (f"here creates {where_from}" if releases else f"deployed creates in namespace {p.namespace}")
                    + "; the pod would not start",
                    "correct the name, deploy that ConfigMap (constructs_lib.config_map.ConfigMap), "
                    "or mark the reference optional" + hint,
                    where,
                    "warning" if releases else "error",
                )
            )
    return out


def _storage_references(p: Placed, tree: Source, idx: Index) -> list[Finding]:
    body, _, prefix = _references(p)
    return [
        placed_finding(
            tree,
            p,
            "storage-class",
            f"uses StorageClass {name!r}, which the tree does not define and the cluster does not provide",
            f"define StorageClass {name} (e.g. LonghornStorageClass) or use one of: {', '.join(sorted(idx.storage_classes))}"
            + _nearest(name, sorted(idx.storage_classes)),
            prefix + where,
        )
        for where, name in _storage_refs(body)
        if name not in idx.storage_classes
    ]


def _secret_keys(placed: list[Placed], tree: Source) -> list[Finding]:
    """Keys read from Secrets the cluster defines exist in them (see :mod:`constructs_lib._internal.secret_keys`)."""
    pairs = [(p.obj, p.namespace) for p in placed]
    by_object = {id(p.obj): p for p in placed}
    return [
        placed_finding(
            tree,
            by_object[id(obj)],
            "secret-key",
            f"reads key {ref.key!r} of Secret {ref.secret[0]}/{ref.secret[1]}, which has no such key "
            f"(its keys, from {source}: {', '.join(sorted(keys)) or 'none'}); the pod would fail to start",
            "use one of its keys, or add the key to the secret (and seal it)",
            ref.field,
        )
        for obj, ref, keys, source in wrong_keys(pairs, known_keys(pairs))
    ]


WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod")


def _charts_by_namespace(placed: list[Placed]) -> dict[str, list[str]]:
    """Namespace → release names of the Helm charts (from a chart repository or git) deployed into it (what may
    create Services and pods)."""
    out: dict[str, list[str]] = {}
    for p in placed:
        spec = as_mapping(p.obj.get("spec"))
        source = as_mapping(spec.get("source"))
        if p.obj.get("kind") == "Application" and (source.get("chart") or source.get("helm")):  # a chart in git too
            namespace = str(as_mapping(spec.get("destination")).get("namespace") or "")
            release = str(
                as_mapping(source.get("helm")).get("releaseName") or as_mapping(p.obj.get("metadata")).get("name")
            )
            out.setdefault(namespace, []).append(release)
    return out


def _ingress_backends(placed: list[Placed], tree: Source) -> list[Finding]:
    """An Ingress's backend Services exist in its namespace among what the cluster deploys; where a chart
    deployed there could create one, a name not derived from its release is only a warning."""
    services = {
        (p.namespace, str(as_mapping(p.obj.get("metadata")).get("name")))
        for p in placed
        if p.obj.get("kind") == "Service"
    }
    charts = _charts_by_namespace(placed)
    out = []
    for p in placed:
        if p.obj.get("kind") != "Ingress":
            continue
        spec = as_mapping(p.obj.get("spec"))
        backends = [
            ("spec.defaultBackend.service.name", as_mapping(as_mapping(spec.get("defaultBackend")).get("service")))
        ]
        for i, rule in enumerate(spec.get("rules") or []):
            for j, path in enumerate(as_mapping(rule.get("http")).get("paths") or []):
                backends.append(
                    (
                        f"spec.rules[{i}].http.paths[{j}].backend.service.name",
                        as_mapping(as_mapping(path.get("backend")).get("service")),
                    )
                )
        for where, service in backends:
            name = service.get("name")
            if not isinstance(name, str) or (p.namespace, name) in services:
                continue
            releases = charts.get(p.namespace, [])
            if any(name.startswith(r) for r in releases):
                continue  # the chart's release creates it
            close = difflib.get_close_matches(name, sorted(n for ns, n in services if ns == p.namespace), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            if releases:
                out.append(
                    placed_finding(
                        tree,
                        p,
                        "ingress-backend",
                        f"routes to Service {name!r}, which nothing here creates and whose name is not derived from a chart release in {p.namespace} ({', '.join(releases)}){hint}",
                        "check the Service name the chart creates (kubectl get svc -n " + p.namespace + ")",
                        where,
                        "warning",
                    )
                )
            else:
                out.append(
                    placed_finding(
                        tree,
                        p,
                        "ingress-backend",
                        f"routes to Service {name!r}, which nothing the cluster deploys creates in namespace {p.namespace}{hint}",
                        "correct the backend's service name, or deploy that Service",
                        where,
                    )
                )
    return out


def _service_selectors(placed: list[Placed], tree: Source) -> list[Finding]:
    """A Service's selector matches the pod template of a workload of its app (unless a chart deployed into
    its namespace may run the pods)."""
    charts = _charts_by_namespace(placed)
    pods: dict[str, list[dict[str, Any]]] = {}
    for p in placed:
        if p.obj.get("kind") in WORKLOADS:
            spec = as_mapping(p.obj.get("spec"))
            template = (
                as_mapping(spec.get("jobTemplate")).get("spec", {}).get("template")
                if p.obj["kind"] == "CronJob"
                else spec.get("template")
            )
            labels = (
                as_mapping(as_mapping(template).get("metadata")).get("labels")
                if p.obj["kind"] != "Pod"
                else as_mapping(p.obj.get("metadata")).get("labels")
            )
            pods.setdefault(p.namespace, []).append(labels or {})
    out = []
    for p in placed:
        selector = as_mapping(p.obj.get("spec")).get("selector") if p.obj.get("kind") == "Service" else None
        if not isinstance(selector, dict) or not selector or charts.get(p.namespace):
            continue
        if not any(all(labels.get(k) == v for k, v in selector.items()) for labels in pods.get(p.namespace, [])):
            out.append(
                placed_finding(
                    tree,
                    p,
                    "service-selector",
                    f"selects pods labelled {selector}, but no workload deployed in {p.namespace} has a pod template with those labels; the Service has no endpoints",
                    "make the selector match the workload's pod template labels",
                    "spec.selector",
                )
            )
    return out


def _ingress_hosts(placed: list[Placed], tree: Source) -> list[Finding]:
    """Each tailnet/ingress host is claimed by one Ingress."""
    out = []
    hosts: dict[str, Placed] = {}
    for p in placed:
        if p.obj.get("kind") != "Ingress":
            continue
        spec = as_mapping(p.obj.get("spec"))
        names = [h for t in spec.get("tls") or [] for h in t.get("hosts") or []]
        names += [r["host"] for r in spec.get("rules") or [] if r.get("host")]
        for host in dict.fromkeys(names):
            first = hosts.setdefault(host, p)
            if first is not p and describe(first.obj, first.namespace) != describe(p.obj, p.namespace):
                out.append(
                    placed_finding(
                        tree,
                        p,
                        "ingress-host",
                        f"host {host!r} is also used by {describe(first.obj, first.namespace)} ({first.entry}/); "
                        "only one of them gets it",
                        "give each Ingress its own host",
                        "spec.tls",
                    )
                )
    return out


def placed_finding(
    tree: Source, p: Placed, check_name: str, message: str, fix: str, where: str = "", severity: str = "error"
) -> Finding:
    """A finding about the deployed object ``p``, located by its directory, file and namespace."""
    return Finding(
        entry=p.entry,
        check=check_name,
        file=tree.origin(p.obj, p.entry),
        object=describe(p.obj, p.namespace),
        field=where,
        message=message,
        fix=fix,
        severity=severity,  # type: ignore[arg-type]
    )


def _same_revision(a: Placed, b: Placed) -> bool:
    """Whether both come from the same revision of the repository (the bootstrap's is unknown: any)."""
    return a.revision is None or b.revision is None or a.revision == b.revision


def _values(app: dict[str, Any]) -> dict[str, Any]:
    return (as_mapping(as_mapping(as_mapping(app.get("spec")).get("source")).get("helm")).get("valuesObject")) or {}


def _application(
    p: Placed, tree: Source, projects: dict[str, dict[str, Any]], app_namespaces: list[str] | None, argocd_ns: str
) -> list[Finding]:
    obj = p.obj
    spec = as_mapping(obj.get("spec"))
    out: list[Finding] = []

    def add(check_name: str, message: str, fix: str, where: str, severity: str = "error") -> None:
        out.append(placed_finding(tree, p, check_name, message, fix, where, severity))

    home = p.namespace or argocd_ns
    if app_namespaces is not None and home != argocd_ns and not any(glob(n, home) for n in app_namespaces):
        add(
            "application-namespace",
            f"lives in namespace {home}, which Argo CD's application.namespaces does not list; Argo CD ignores it",
            f"add {home} to the argocd Application's configs.params['application.namespaces']",
            "metadata.namespace",
        )
    project_name = str(spec.get("project", ""))
    project = projects.get(project_name)
    if project_name != "default" and project is None:
        add(
            "project",
            f"belongs to AppProject {project_name!r}, which this cluster does not define",
            f"define AppProject {project_name} in {argocd_ns} (AppOfApps does) or use an existing project",
            "spec.project",
        )
    if project is not None:
        pspec = as_mapping(project.get("spec"))
        allowed = [normalise_repo(str(r)) for r in pspec.get("sourceRepos") or []]
        for i, source in enumerate(sources_of(obj)):
            repo = normalise_repo(str(source.get("repoURL", "")))
            if not any(glob(a, repo) for a in allowed):
                add(
                    "project-source",
                    f"pulls from {source.get('repoURL')}, which AppProject {project_name} does not admit in sourceRepos",
                    f"add {source.get('repoURL')} to the project's sourceRepos",
                    "spec.source.repoURL" if i == 0 and spec.get("source") else f"spec.sources[{i}].repoURL",
                )
        dest = as_mapping(spec.get("destination"))
        ns, server = str(dest.get("namespace", "")), str(dest.get("server", ""))
        if ns and not _project_admits(project, ns, server):
            add(
                "project-destination",
                f"deploys to namespace {ns}, which AppProject {project_name} does not admit as a destination",
                f"add {{namespace: {ns}, server: {server}}} to the project's destinations",
                "spec.destination",
            )
        if home != argocd_ns and not any(glob(str(n), home) for n in pspec.get("sourceNamespaces") or []):
            add(
                "project-source-namespace",
                f"lives in namespace {home}, which AppProject {project_name} does not list in sourceNamespaces",
                f"add {home} to the project's sourceNamespaces",
                "metadata.namespace",
            )
    options = as_mapping(spec.get("syncPolicy")).get("syncOptions") or []
    if spec.get("ignoreDifferences") and "RespectIgnoreDifferences=true" not in options:
        add(
            "ignore-differences",
            "has ignoreDifferences but not the sync option RespectIgnoreDifferences=true: syncs still overwrite those fields",
            "add RespectIgnoreDifferences=true to spec.syncPolicy.syncOptions",
            "spec.ignoreDifferences",
            "warning",
        )
    return out


def build_findings(tree: Tree, builds: dict[str, Build], *, online: bool = False) -> list[Finding]:
    """A finding per directory that does not build, with the fix its error calls for. A directory that
    reads remote resources and fails offline needs the network: a warning, unless ``online``."""
    out = []
    for b in builds.values():
        if not b.error:
            continue
        remote = tree.remote_refs(b.entry)
        if remote and not online:
            out.append(
                Finding(
                    entry=b.entry,
                    check="needs-network",
                    file=tree.kustomization_files.get(b.entry, ""),
                    field="resources",
                    message=f"needs network: {', '.join(remote)}; offline, kustomize cannot fetch it, so its objects "
                    f"were not checked ({b.error})",
                    fix="validate with --online where the network is reachable, or vendor the manifest into the tree",
                    severity="warning",
                )
            )
            continue
        at = _failing_directory(tree, b.entry, b.error)
        field_name, fix = _build_fix(tree, at, b.error)
        out.append(
            Finding(
                entry=b.entry,
                check="build",
                file=tree.kustomization_files.get(at, ""),
                field=field_name,
                message=f"kubectl kustomize fails: {b.error}",
                fix=fix,
            )
        )
    return out


_MISSING = re.compile(r"lstat (?P<path>\S+?): no such file or directory")
_MISSING_REF = re.compile(r"accumulating resources from '(?P<ref>[^']+)'")
_RECURSED = re.compile(r"recursed accumulation of path '(?P<path>[^']+)'")


def _failing_directory(tree: Tree, entry: str, error: str) -> str:
    """The directory whose kustomization the build error is in: the innermost base kustomize recursed into
    (``recursed accumulation of path 'DIR'``) when it is a directory of the tree, else ``entry``."""
    for m in reversed(list(_RECURSED.finditer(error))):
        directory = m["path"].rstrip("/")
        if directory in tree.kustomizations:
            return directory
    return entry


_PATCH_PATH = re.compile(r"(?P<op>\w+) operation does not apply: doc is missing path: (?P<path>\S+?):? ")


def _build_fix(tree: Tree, entry: str, error: str) -> tuple[str, str]:
    """(the kustomization field at fault, the fix) for a build error in ``entry``'s kustomization (the
    directory that holds the fault: see :func:`_failing_directory`)."""
    k = tree.kustomizations.get(entry) or {}
    if (m := _PATCH_PATH.search(error + " ")) is not None:
        for i, patch in enumerate(k.get("patches") or []):
            if isinstance(patch, dict) and m["path"] in str(patch.get("patch", "")):
                target = ", ".join(f"{a}={b}" for a, b in as_mapping(patch.get("target")).items())
                return (
                    f"patches[{i}]",
                    f"patches[{i}] (target {target or 'none'}) {m['op']}s {m['path']}, which the object does not "
                    "have: correct the path, or use op add to create it",
                )
        return "patches", f"a JSON patch {m['op']}s {m['path']}, which its object does not have: correct the path"
    if "[noNs]" in error:
        return "patches", (
            "[noNs] is kustomize's 'no namespace': the patch has no namespace (or another one) than the object "
            "it should change; give the patch the object's metadata.namespace, and check its kind and name"
        )
    if "unable to parse SM or JSON patch" in error:
        return "patches", "a patch is neither valid YAML nor a JSON patch: check its indentation and brackets"
    if (m := _MISSING.search(error)) is not None:
        refs = _MISSING_REF.findall(error)  # the outer ones lead to the base that has the missing path
        ref = refs[-1] if refs else m["path"]
        written = f"{ref} ({m['path']})" if ref != m["path"] else ref
        return "resources", f"{written} does not exist: correct the path{_did_you_mean(tree, entry, ref)}"
    if "yaml:" in error or "YAML" in error:
        return "", "fix the YAML syntax at the line the error names"
    if "already registered id" in error or "conflict" in error:
        return "resources", "two resources are the same object: keep one, or patch it instead of adding it twice"
    return "", "run `kubectl kustomize` on the directory to see the whole error, and fix the kustomization"


def _did_you_mean(tree: Tree, entry: str, ref: str) -> str:
    """``; did you mean X?`` for a missing path ``ref`` of ``entry``'s kustomization: the existing path of the
    tree that ends like it (a moved directory), else the closest name beside where it was looked for."""
    tail = [part for part in PurePosixPath(ref).parts if part not in ("..", ".")]
    files = (p.relative_to(tree.root).as_posix() for p in tree.root.rglob("*") if p.is_file())
    existing = {*tree.kustomizations, *files}
    for size in range(len(tail), 0, -1):
        suffix = "/".join(tail[-size:])
        found = sorted(e for e in existing if e == suffix or e.endswith("/" + suffix))
        if found:
            return f"; did you mean {os.path.relpath(found[0], entry)} ({found[0]})?"
    looked = PurePosixPath(os.path.normpath(f"{entry}/{ref}"))
    parent = tree.root / looked.parent.as_posix()
    siblings = [p.name for p in parent.iterdir()] if parent.is_dir() else []
    close = difflib.get_close_matches(looked.name, siblings, n=1)
    return f"; did you mean {close[0]}?" if close else ""
