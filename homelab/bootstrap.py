"""``homelab bootstrap CLUSTER``: the steps that bring a cluster up from nothing, and their offline check.

A cluster starts with no Argo CD. The operator (1) gives the sealed-secrets controller a key whose
certificate the homelab seals with, (2) installs Argo CD with the chart and values the declaration
gives its Argo CD Application, (3) applies the cluster's bootstrap directory, whose root Application
then deploys everything else from the repository — Argo CD included, which from then on manages
itself with the same values. Every path and value printed comes from the declaration.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib._internal import yaml_io
from constructs_lib.annotations import SEALED_CLUSTER_WIDE, SEALED_NAMESPACE_WIDE
from homelab import writer
from homelab.errors import HomelabError
from homelab.homelab import BOOTSTRAP_DIRECTORY, CORE_DIRECTORY, Homelab
from homelab.synth import Synthesiser

ARGO_CD_CHART = "argo-cd"
SCOPE_ANNOTATIONS = {SEALED_CLUSTER_WIDE: "cluster-wide", SEALED_NAMESPACE_WIDE: "namespace-wide"}


@dataclass(frozen=True)
class SecretToSeal:
    """A SealedSecret the cluster's tree contains."""

    ref: str
    """``namespace/name``."""
    keys: tuple[str, ...]
    scope: str


@dataclass
class Bootstrap:
    """Everything the steps of one cluster name."""

    cluster: str
    repo_url: str
    revision: str
    argocd_namespace: str
    chart_repo: str
    chart: str
    chart_version: str
    release: str
    values: dict[str, Any]
    bootstrap_dir: str
    """The bootstrap directory, from the repository root (``dist/kustomize/clusters/overlays/<cluster>``)."""
    core_dir: str
    output: Path
    root_app: str
    cert_path: str
    sealing_namespace: str
    """Namespace of the sealed-secrets controller (its Application's destination; kube-system by default)."""
    secrets: list[SecretToSeal] = field(default_factory=list)


def _argocd_application(objects: list[dict[str, Any]], cluster: str) -> dict[str, Any]:
    for obj in objects:
        source = (obj.get("spec") or {}).get("source") or {}
        if obj.get("kind") == "Application" and source.get("chart") == ARGO_CD_CHART:
            return obj
    raise HomelabError(
        f"cluster {cluster!r}: no Argo CD Application (a HelmArgoApp of chart {ARGO_CD_CHART!r}) among the core "
        "apps; bootstrap installs Argo CD with that Application's chart and values, so declare it in the core app"
    )


def plan(lab: Homelab, cluster: str, output: Path) -> Bootstrap:
    """The bootstrap of ``cluster``, from the declaration, for the tree written to ``output``."""
    cluster_plan = lab.plan(cluster)
    c = cluster_plan.cluster
    synth = Synthesiser(lab, clusters=[cluster], tree_in_repo=lab.tree_in_repo(output))
    synth.files()  # renders every directory of the cluster (and checks the declaration as synth does)
    core = [r.manifest for r in synth.app_objects(lab.core, cluster_plan)]
    app = _argocd_application(core, cluster)
    source = app["spec"]["source"]
    helm = source.get("helm") or {}
    objects = list(core)
    for spec in cluster_plan.apps:
        objects += [r.manifest for r in synth.app_objects(spec, cluster_plan)]
    secrets = []
    for obj in objects:
        if obj.get("kind") == "SealedSecret":
            meta = obj.get("metadata") or {}
            scope = next((s for a, s in SCOPE_ANNOTATIONS.items() if (meta.get("annotations") or {}).get(a)), "strict")
            keys = tuple(sorted((obj.get("spec") or {}).get("encryptedData") or {}))
            secrets.append(SecretToSeal(ref=f"{meta.get('namespace')}/{meta.get('name')}", keys=keys, scope=scope))
    return Bootstrap(
        cluster=cluster,
        repo_url=c.repo_url,
        revision=c.revision,
        argocd_namespace=c.argocd_namespace,
        chart_repo=str(source["repoURL"]),
        chart=str(source["chart"]),
        chart_version=str(source["targetRevision"]),
        release=str(helm.get("releaseName") or app["metadata"]["name"]),
        values=helm.get("valuesObject") or {},
        bootstrap_dir=synth.repo_path(BOOTSTRAP_DIRECTORY, "overlays", cluster),
        core_dir=synth.repo_path(CORE_DIRECTORY, "overlays", cluster),
        output=output,
        root_app=lab.root_app_name,
        cert_path=lab.cert_path(c).relative_to(lab.root).as_posix(),
        sealing_namespace=next(
            (
                str(o["spec"]["destination"].get("namespace") or "kube-system")
                for o in core
                if o.get("kind") == "Application" and (o["spec"].get("source") or {}).get("chart") == "sealed-secrets"
            ),
            "kube-system",
        ),
        secrets=sorted(secrets, key=lambda s: s.ref),
    )


def helm_install(b: Bootstrap) -> str:
    """The ``helm upgrade --install`` command of Argo CD, values inline (a here-document)."""
    chart = (
        ["--repo", b.chart_repo, b.chart] if "://" in b.chart_repo else [f"oci://{b.chart_repo.rstrip('/')}/{b.chart}"]
    )
    words = ["helm", "upgrade", "--install", b.release, *chart, "--version", b.chart_version]
    words += ["--namespace", b.argocd_namespace, "--create-namespace", "--values", "-"]
    return f"{shlex.join(words)} <<'VALUES'\n{yaml_io.dump(b.values) if b.values else ''}VALUES"


def steps(b: Bootstrap) -> str:
    """The copy-pasteable steps, as text."""
    seal_lines = []
    for s in b.secrets:
        scope = "" if s.scope == "strict" else f" --scope {s.scope}"
        for key in s.keys:
            seal_lines.append(f"homelab seal {b.cluster} {s.ref} --stdin {key}{scope}   # paste, then Ctrl-D")
    seal_text = "\n".join(seal_lines) or "# (this cluster's tree has no SealedSecret)"
    create_namespace = (
        ""
        if b.sealing_namespace == "kube-system"
        else f"kubectl create namespace {b.sealing_namespace} --dry-run=client -o yaml | kubectl apply -f -\n"
    )
    return f"""# Bootstrap of cluster {b.cluster!r}, from the repository root, with kubectl pointing at the cluster.

# 1. Sealing: give the sealed-secrets controller a key before it starts (it keeps an existing
#    active key), record its certificate, seal the cluster's secrets, synthesise and push.
#    (A cluster whose controller already runs: `kubeseal --fetch-cert > sealing.crt` instead.)
openssl req -x509 -nodes -newkey rsa:4096 -days 3650 -subj "/CN=sealed-secret/O=sealed-secret" \\
  -keyout sealing.key -out sealing.crt
{create_namespace}kubectl -n {b.sealing_namespace} create secret tls sealed-secrets-bootstrap-key --cert=sealing.crt --key=sealing.key
kubectl -n {b.sealing_namespace} label secret sealed-secrets-bootstrap-key sealedsecrets.bitnami.com/sealed-secrets-key=active
homelab cert {b.cluster} sealing.crt            # writes {b.cert_path}; keep sealing.key out of git
{seal_text}
homelab synth && git add -A && git commit -m "Bootstrap {b.cluster}" && git push

# 2. Argo CD, with the chart and values of the declared Argo CD Application (it manages itself afterwards).
{helm_install(b)}

# 3. The cluster's bootstrap directory: the root Application ({b.root_app} → {b.core_dir})
#    and one Application per app, all read from {b.repo_url} at {b.revision}.
kubectl apply -k {b.bootstrap_dir}

# Moving a live cluster whose Applications point at an older tree: step 3 alone re-points them
# (the root Application and every app-of-apps Application) at {b.bootstrap_dir.rsplit("/clusters/", 1)[0]}/.
# Or keep the old paths: write the tree where the old one was (Cluster(tree_path="") and
# `homelab synth --dist kustomize` after `git rm -r kustomize`), then nothing in the cluster moves.
"""


def check(b: Bootstrap, lab: Homelab, kubectl: str) -> list[str]:
    """What can be verified offline: the tree on disk is the declaration's, every directory named
    builds, and the values printed are the Argo CD Application's as built."""
    problems = []
    files = Synthesiser(lab, tree_in_repo=lab.tree_in_repo(b.output)).files()
    if not writer.plan(b.output, files).clean:
        problems.append(f"{b.output} is not in sync with the declaration: run `homelab synth` (and push) first")
    built: dict[str, list[dict[str, Any]]] = {}
    for directory in (b.bootstrap_dir, b.core_dir):
        run = subprocess.run(
            [kubectl, "kustomize", str(lab.root / directory)], capture_output=True, text=True, timeout=120
        )
        if run.returncode != 0:
            problems.append(f"{directory} does not build: {run.stderr.strip().splitlines()[-1:]}")
            continue
        built[directory] = [d for d in yaml_io.load_all(run.stdout) if isinstance(d, dict)]
    if b.core_dir in built:
        app = _argocd_application(built[b.core_dir], b.cluster)
        declared = ((app["spec"]["source"].get("helm") or {}).get("valuesObject")) or {}
        printed = helm_install(b).split("<<'VALUES'\n", 1)[1].rsplit("VALUES", 1)[0]
        if (yaml_io.load(printed) or {}) != declared:
            problems.append(f"the printed Argo CD values differ from the Application in {b.core_dir}")
        source = app["spec"]["source"]
        if (source["repoURL"], source["chart"], source["targetRevision"]) != (b.chart_repo, b.chart, b.chart_version):
            problems.append(f"the printed chart differs from the Application in {b.core_dir}")
    if b.bootstrap_dir in built:
        roots = [o for o in built[b.bootstrap_dir] if o.get("kind") == "Application"]
        paths = [str((o["spec"].get("source") or {}).get("path", "")) for o in roots]
        for path in paths:
            if path and not (lab.root / path / "kustomization.yaml").is_file():
                problems.append(f"{b.bootstrap_dir}: an Application points at {path}, which does not exist")
        if b.core_dir not in paths:
            problems.append(f"{b.bootstrap_dir}: no Application deploys {b.core_dir}")
    return problems
