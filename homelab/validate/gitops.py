"""GitOps cross-references within one cluster: what Argo CD would refuse or silently get wrong.

A cluster's *deployed content* starts at its bootstrap directories (``clusters/overlays/<cluster>``)
and follows every Application whose source points into the GitOps repository. On it, this module
checks Application paths, projects (existence, sources, destinations, source namespaces,
cluster-scoped kinds), Argo CD's ``application.namespaces``, secret and storage-class references,
ingress host uniqueness, objects deployed from two places, ``ignoreDifferences`` without
``RespectIgnoreDifferences``, and plaintext Secrets.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from constructs_lib.plain_secret import exposes_plaintext
from homelab.scope import Scopes
from homelab.validate.findings import Finding
from homelab.validate.tree import Build, Tree, describe

SECRET_KINDS = ("Secret", "SealedSecret")


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


def _sources(app: dict[str, Any]) -> list[dict[str, Any]]:
    spec = app.get("spec") or {}
    return [s for s in [spec.get("source"), *(spec.get("sources") or [])] if isinstance(s, dict)]


def follow(tree: Tree, cluster: str, starts: list[str], repos: set[str], prefix: str, scopes: Scopes) -> ClusterContent:
    """Build ``starts`` and every directory their Applications deploy, recursively."""
    content = ClusterContent(name=cluster)
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
            continue  # reported by the build check
        for obj in build.objects:
            ns = str(
                (obj.get("metadata") or {}).get("namespace")
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
            for i, source in enumerate(_sources(obj)):
                if normalise_repo(str(source.get("repoURL", ""))) not in repos:
                    continue
                path = str(source.get("path", "")).strip("/")
                rel = path[len(prefix) + 1 :] if prefix and path.startswith(prefix + "/") else None
                where = (
                    "spec.source.path"
                    if i == 0 and (obj.get("spec") or {}).get("source")
                    else f"spec.sources[{i}].path"
                )
                if rel is None or rel not in tree.kustomizations:
                    content.findings.append(
                        placed_finding(
                            tree,
                            placed,
                            "application-path",
                            f"points at {path!r}, which is not a kustomize directory of the tree",
                            f"point it at an existing directory under {prefix}/ (or create {path})",
                            where,
                        )
                    )
                    continue
                dest = (obj.get("spec") or {}).get("destination") or {}
                queue.append((rel, str(dest.get("namespace") or ""), str(source.get("targetRevision") or ""), placed))
    return content


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, str, Any, dict[str, Any]]]:
    """(path, key, value, parent) of every mapping entry below ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else str(key)
            yield sub, str(key), value, node
            yield from _walk(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def _secret_refs(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field path, secret name) of the Secrets an object (or an Application's Helm values) uses."""
    if obj.get("kind") in SECRET_KINDS:
        return
    for path, key, value, parent in _walk(obj):
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


def _storage_refs(obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for path, key, value, _ in _walk(obj):
        if key in ("storageClassName", "storageClass", "defaultStorageClass") and value not in ("", "-", None):
            yield path, str(value)


def _project_admits(project: dict[str, Any], namespace: str, server: str) -> bool:
    for d in (project.get("spec") or {}).get("destinations") or []:
        if glob(str(d.get("namespace", "*")), namespace) and (
            glob(str(d.get("server", "*")), server) or d.get("name") not in (None, "", "*") or "server" not in d
        ):
            return True
    return False


def check(
    content: ClusterContent,
    tree: Tree,
    *,
    argocd_ns: str,
    builtin_storage_classes: set[str],
    scopes: Scopes,
) -> list[Finding]:
    """Every cross-reference finding of one cluster's deployed content."""
    findings = list(content.findings)
    placed = content.placed

    def finding(p: Placed, check_name: str, message: str, fix: str, where: str = "", severity: str = "error") -> None:
        findings.append(placed_finding(tree, p, check_name, message, fix, where, severity))

    projects = {
        str(p.obj["metadata"]["name"]): p.obj
        for p in placed
        if p.obj.get("kind") == "AppProject" and p.namespace in (argocd_ns, "")
    }
    secrets: set[tuple[str, str]] = set()
    storage_classes = set(builtin_storage_classes)
    for p in placed:
        kind, name = p.obj.get("kind"), str((p.obj.get("metadata") or {}).get("name", ""))
        if kind in SECRET_KINDS:
            secrets.add((p.namespace, name))
            template = ((p.obj.get("spec") or {}).get("template") or {}).get("metadata") or {}
            if template.get("name"):
                secrets.add((str(template.get("namespace") or p.namespace), str(template["name"])))
        elif kind == "Cluster" and str(p.obj.get("apiVersion", "")).startswith("postgresql.cnpg.io/"):
            secrets.update({(p.namespace, f"{name}-app"), (p.namespace, f"{name}-superuser")})
        elif kind == "StorageClass":
            storage_classes.add(name)

    # Argo CD's own setting: where Applications may live besides its namespace.
    app_namespaces: list[str] = []
    for p in placed:
        source = (p.obj.get("spec") or {}).get("source") or {}
        if p.obj.get("kind") == "Application" and source.get("chart") == "argo-cd":
            params = ((((source.get("helm") or {}).get("valuesObject") or {}).get("configs") or {}).get("params")) or {}
            app_namespaces += [n.strip() for n in str(params.get("application.namespaces", "")).split(",") if n.strip()]

    hosts: dict[str, Placed] = {}
    origins: dict[tuple[str, str, str, str], list[Placed]] = {}
    for p in placed:
        obj, kind = p.obj, p.obj.get("kind")
        meta = obj.get("metadata") or {}
        api_group = str(obj.get("apiVersion", "")).rpartition("/")[0]
        others = origins.setdefault((api_group, str(kind), p.namespace, str(meta.get("name"))), [])
        # Two revisions of one directory (an app and its rehearsal copy) may differ: not a clash.
        clash = next((o for o in others if o.entry != p.entry and _same_revision(o, p)), None)
        if clash is not None:
            finding(
                p,
                "duplicate-object",
                f"also deployed from {clash.entry}/; two Applications would fight over it",
                "keep the object in one directory only",
            )
        others.append(p)

        if exposes_plaintext(obj):
            finding(
                p,
                "plaintext-secret",
                "a Secret with its values in clear, committed to git",
                "seal it (SealedConfig / kubeseal) instead",
                "data",
            )

        app = p.app
        if app is not None and app.obj.get("kind") == "Application":
            project_name = str((app.obj.get("spec") or {}).get("project", "default"))
            project = projects.get(project_name)
            if project is not None:
                server = str(((app.obj.get("spec") or {}).get("destination") or {}).get("server", ""))
                if scopes.is_cluster_scoped(str(obj.get("apiVersion", "")), str(kind)):
                    allowed = (project.get("spec") or {}).get("clusterResourceWhitelist") or []
                    if not any(
                        glob(str(w.get("group", "")), api_group) and glob(str(w.get("kind", "")), str(kind))
                        for w in allowed
                    ):
                        finding(
                            p,
                            "project-kinds",
                            f"cluster-scoped {kind} is not in AppProject {project_name}'s clusterResourceWhitelist; Argo CD refuses to sync it",
                            f"add {{group: '{api_group}', kind: {kind}}} to the project's clusterResourceWhitelist",
                        )
                elif p.namespace and not _project_admits(project, p.namespace, server):
                    finding(
                        p,
                        "project-destination",
                        f"lands in namespace {p.namespace}, which AppProject {project_name} does not admit as a destination; Argo CD refuses to sync it",
                        f"add namespace {p.namespace} to the project's destinations, or put the object in the Application's namespace",
                        "metadata.namespace",
                    )

        if kind == "Application":
            findings.extend(_application(p, tree, projects, app_namespaces, argocd_ns))

        for where, name in _secret_refs(obj if kind != "Application" else _values(obj)):
            ns = (
                p.namespace
                if kind != "Application"
                else str(((obj.get("spec") or {}).get("destination") or {}).get("namespace", ""))
            )
            if ns and (ns, name) not in secrets:
                prefix = "spec.source.helm.valuesObject." if kind == "Application" else ""
                finding(
                    p,
                    "secret-ref",
                    f"uses Secret {name!r}, which nothing creates in namespace {ns} (no Secret, SealedSecret or CNPG cluster)",
                    f"seal a secret {ns}/{name} (SealedConfig) or correct the name",
                    prefix + where,
                )
        for where, name in _storage_refs(obj if kind != "Application" else _values(obj)):
            if name not in storage_classes:
                prefix = "spec.source.helm.valuesObject." if kind == "Application" else ""
                finding(
                    p,
                    "storage-class",
                    f"uses StorageClass {name!r}, which the tree does not define and the cluster does not provide",
                    f"define StorageClass {name} (e.g. LonghornStorageClass) or use one of: {', '.join(sorted(storage_classes))}",
                    prefix + where,
                )
        if kind == "Ingress":
            spec = obj.get("spec") or {}
            names = [h for t in spec.get("tls") or [] for h in t.get("hosts") or []]
            names += [r["host"] for r in spec.get("rules") or [] if r.get("host")]
            for host in dict.fromkeys(names):
                first = hosts.setdefault(host, p)
                if first is not p and describe(first.obj, first.namespace) != describe(obj, p.namespace):
                    finding(
                        p,
                        "ingress-host",
                        f"host {host!r} is also used by {describe(first.obj, first.namespace)} ({first.entry}/); "
                        "only one of them gets it",
                        "give each Ingress its own host",
                        "spec.tls",
                    )
    return findings


def placed_finding(
    tree: Tree, p: Placed, check_name: str, message: str, fix: str, where: str = "", severity: str = "error"
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
    return ((((app.get("spec") or {}).get("source") or {}).get("helm") or {}).get("valuesObject")) or {}


def _application(
    p: Placed, tree: Tree, projects: dict[str, dict[str, Any]], app_namespaces: list[str], argocd_ns: str
) -> list[Finding]:
    obj = p.obj
    spec = obj.get("spec") or {}
    out: list[Finding] = []

    def add(check_name: str, message: str, fix: str, where: str, severity: str = "error") -> None:
        out.append(placed_finding(tree, p, check_name, message, fix, where, severity))

    home = p.namespace or argocd_ns
    if home != argocd_ns and not any(glob(n, home) for n in app_namespaces):
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
        pspec = project.get("spec") or {}
        allowed = [normalise_repo(str(r)) for r in pspec.get("sourceRepos") or []]
        for i, source in enumerate(_sources(obj)):
            repo = normalise_repo(str(source.get("repoURL", "")))
            if not any(glob(a, repo) for a in allowed):
                add(
                    "project-source",
                    f"pulls from {source.get('repoURL')}, which AppProject {project_name} does not admit in sourceRepos",
                    f"add {source.get('repoURL')} to the project's sourceRepos",
                    "spec.source.repoURL" if i == 0 and spec.get("source") else f"spec.sources[{i}].repoURL",
                )
        dest = spec.get("destination") or {}
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
    options = (spec.get("syncPolicy") or {}).get("syncOptions") or []
    if spec.get("ignoreDifferences") and "RespectIgnoreDifferences=true" not in options:
        add(
            "ignore-differences",
            "has ignoreDifferences but not the sync option RespectIgnoreDifferences=true: syncs still overwrite those fields",
            "add RespectIgnoreDifferences=true to spec.syncPolicy.syncOptions",
            "spec.ignoreDifferences",
            "warning",
        )
    return out


def build_findings(tree: Tree, builds: dict[str, Build]) -> list[Finding]:
    """A finding per directory that does not build."""
    return [
        Finding(
            entry=b.entry,
            check="build",
            file=tree.kustomization_files.get(b.entry, ""),
            message=f"kubectl kustomize fails: {b.error}",
            fix="fix the kustomization (a missing file, a bad path, a patch that does not apply, YAML syntax)",
        )
        for b in builds.values()
        if b.error
    ]
