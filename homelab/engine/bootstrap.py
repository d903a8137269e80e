"""``homelab bootstrap CLUSTER``: the steps that bring a cluster up from nothing, and their offline check.

A cluster starts with no Argo CD and, on its first day, nothing sealed. The operator installs the
sealed-secrets controller, fetches and records its certificate, seals every value the declaration
needs (listed at once: the steps are printed before anything is sealed), synthesises and pushes,
installs Argo CD with the chart and values the declaration gives its Argo CD Application, and
applies the cluster's bootstrap directory, whose root Application then deploys everything else from
the repository — the controller and Argo CD included, which from then on manage themselves with the
same values. Every path and value printed comes from the declaration.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib._internal import yaml_io
from constructs_lib.sealed_config import SEALING_SCOPE_ANNOTATIONS
from homelab.engine import pipeline, writer
from homelab.engine.layout import repo_path
from homelab.errors import HomelabError
from homelab.model.homelab import BOOTSTRAP_DIRECTORY, CORE_DIRECTORY, Homelab
from homelab.sealing.missing import MissingSeal, MissingSeals

ARGO_CD_CHART = "argo-cd"
SEALED_SECRETS_CHART = "sealed-secrets"
#: The sealing scope an annotation of a SealedSecret says (strict when it has none).
SCOPE_OF_ANNOTATION = {annotation: scope for scope, annotation in SEALING_SCOPE_ANNOTATIONS.items()}


@dataclass(frozen=True)
class SecretToSeal:
    """A SealedSecret the cluster's tree contains."""

    ref: str
    """``namespace/name``."""
    keys: tuple[str, ...]
    scope: str


@dataclass(frozen=True)
class HelmRelease:
    """A chart installed by hand with the chart and values of its declared Application."""

    chart_repo: str
    chart: str
    version: str
    release: str
    namespace: str
    values: dict[str, Any]


def _release(app: dict[str, Any]) -> HelmRelease:
    source = app["spec"]["source"]
    helm = source.get("helm") or {}
    return HelmRelease(
        chart_repo=str(source["repoURL"]),
        chart=str(source["chart"]),
        version=str(source["targetRevision"]),
        release=str(helm.get("releaseName") or app["metadata"]["name"]),
        namespace=str(app["spec"]["destination"].get("namespace") or "kube-system"),
        values=helm.get("valuesObject") or {},
    )


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
    missing: list[MissingSeal] = field(default_factory=list)
    """The sealed values the declaration needs and the store lacks."""
    has_cert: bool = True
    sealing: HelmRelease | None = None
    """The sealed-secrets controller's chart (its Application in the core app), when declared."""


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
    tree_in_repo = lab.tree_in_repo(output)
    core_app = lab.core_of(cluster_plan)
    if core_app is None:
        raise HomelabError(
            f"{lab.origin_of(cluster_plan)}: cluster {cluster!r} runs no core app ("
            f"{'Homelab(core=None)' if lab.core is None else 'ClusterPlan(runs_core=False)'}), and bootstrap installs "
            "Argo CD from the core app's Argo CD Application; install Argo CD by your own means, then apply "
            f"{repo_path(tree_in_repo, BOOTSTRAP_DIRECTORY, 'overlays', cluster)} with kubectl apply -k"
        )
    draft = pipeline.draft(lab, clusters=[cluster], tree_in_repo=tree_in_repo)  # every directory of the cluster
    missing: list[MissingSeal] = []
    try:
        pipeline.finish(draft)  # checked and emitted as synth does
    except MissingSeals as exc:  # a new cluster: what is missing is one of the steps
        missing = exc.missing
    core = [r.data for r in draft.objects(core_app, cluster_plan)]
    app = _argocd_application(core, cluster)
    source = app["spec"]["source"]
    helm = source.get("helm") or {}
    objects = list(core)
    for spec in cluster_plan.apps:
        objects += [r.data for r in draft.objects(spec, cluster_plan)]
    secrets = []
    for obj in objects:
        if obj.get("kind") == "SealedSecret":
            meta = obj.get("metadata") or {}
            scope = next(
                (s for a, s in SCOPE_OF_ANNOTATION.items() if (meta.get("annotations") or {}).get(a)), "strict"
            )
            keys = tuple(sorted((obj.get("spec") or {}).get("encryptedData") or {}))
            secrets.append(SecretToSeal(ref=f"{meta.get('namespace')}/{meta.get('name')}", keys=keys, scope=scope))
    sealing = next(
        (
            _release(o)
            for o in core
            if o.get("kind") == "Application" and (o["spec"].get("source") or {}).get("chart") == SEALED_SECRETS_CHART
        ),
        None,
    )
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
        bootstrap_dir=repo_path(tree_in_repo, BOOTSTRAP_DIRECTORY, "overlays", cluster),
        core_dir=repo_path(tree_in_repo, CORE_DIRECTORY, "overlays", cluster),
        output=output,
        root_app=lab.root_app_name,
        cert_path=lab.cert_path(c).relative_to(lab.root).as_posix(),
        sealing_namespace=sealing.namespace if sealing else "kube-system",
        secrets=sorted(secrets, key=lambda s: s.ref),
        missing=missing,
        has_cert=lab.cert_path(c).is_file(),
        sealing=sealing,
    )


def helm_install(b: Bootstrap) -> str:
    """The ``helm upgrade --install`` command of Argo CD, values inline (a here-document)."""
    return _helm_command(HelmRelease(b.chart_repo, b.chart, b.chart_version, b.release, b.argocd_namespace, b.values))


def _helm_command(r: HelmRelease) -> str:
    """The ``helm upgrade --install`` command of ``r``, values inline (a here-document)."""
    chart = (
        ["--repo", r.chart_repo, r.chart] if "://" in r.chart_repo else [f"oci://{r.chart_repo.rstrip('/')}/{r.chart}"]
    )
    words = ["helm", "upgrade", "--install", r.release, *chart, "--version", r.version]
    words += ["--namespace", r.namespace, "--create-namespace", "--values", "-"]
    return f"{shlex.join(words)} <<'VALUES'\n{yaml_io.dump(r.values) if r.values else ''}VALUES"


def controller_name(r: HelmRelease) -> str:
    """The controller's Service name, as the sealed-secrets chart names it (its ``fullname``):
    ``fullnameOverride``, else the release name when it contains the chart's, else both joined."""
    override = r.values.get("fullnameOverride")
    if override:
        return str(override)
    return r.release if SEALED_SECRETS_CHART in r.release else f"{r.release}-{SEALED_SECRETS_CHART}"


def _seal_text(b: Bootstrap) -> str:
    """Step 3's commands: the values not sealed yet, then (commented) those sealed already."""
    missing = {(m.ref, m.key) for m in b.missing}
    todo: list[str] = []
    done: list[str] = []
    for s in b.secrets:
        scope = "" if s.scope == "strict" else f" --scope {s.scope}"
        for key in s.keys:
            command = f"homelab seal {b.cluster} {s.ref} --stdin {key}{scope}"
            (todo if (s.ref, key) in missing else done).append(command)
    if not b.secrets:
        return "# (this cluster's tree has no SealedSecret)"
    lines = [f"#    Not sealed yet ({len(todo)}):", *todo] if todo else ["#    Every value is sealed."]
    if done:
        lines.append("#    Sealed already (reseal them if `homelab cert` said the certificate changed):")
        lines += [f"#      {command}" for command in done]
    return "\n".join(lines)


def steps(b: Bootstrap) -> str:
    """The copy-pasteable steps, as text."""
    namespace = b.sealing_namespace
    create_namespace = (
        ""
        if namespace == "kube-system"
        else f"#      kubectl create namespace {namespace} --dry-run=client -o yaml | kubectl apply -f -\n"
    )
    if b.sealing is not None:
        install = f"""# 1. The sealed-secrets controller, with the chart and values of its declared Application
#    (Argo CD takes it over in step 5).
{_helm_command(b.sealing)}"""
        controller = controller_name(b.sealing)
    else:
        install = f"""# 1. The sealed-secrets controller: the core app declares no Application of chart {SEALED_SECRETS_CHART!r};
#    install it in {namespace} (https://github.com/bitnami-labs/sealed-secrets#installation)."""
        controller = "sealed-secrets-controller"
    cert_dir = b.cert_path.rpartition("/")[0]
    cert_state = (
        f"{b.cert_path} is recorded; fetch it again when the controller's key is new.\n"
        if b.has_cert
        else f"{b.cert_path} does not exist yet: this writes it.\n" + (f"mkdir -p {cert_dir}\n" if cert_dir else "")
    )
    return f"""# Bootstrap of cluster {b.cluster!r}, from the repository root, with kubectl pointing at the cluster.
#
# To seal before the controller runs (to try things, or to keep the sealing key yourself): make the key
# first and give it to the controller before step 1 (it keeps an existing active key), then record
# sealing.crt in step 2 instead of fetching it:
#      openssl req -x509 -nodes -newkey rsa:4096 -days 3650 -subj "/CN=sealed-secret/O=sealed-secret" \\
#        -keyout sealing.key -out sealing.crt          # keep sealing.key out of git
{create_namespace}#      kubectl -n {namespace} create secret tls sealed-secrets-bootstrap-key --cert=sealing.crt --key=sealing.key
#      kubectl -n {namespace} label secret sealed-secrets-bootstrap-key sealedsecrets.bitnami.com/sealed-secrets-key=active
#      homelab cert {b.cluster} sealing.crt

{install}

# 2. Its certificate, which the homelab seals with: fetch it, then check and record it.
#    {cert_state}kubeseal --fetch-cert --controller-namespace {namespace} --controller-name {controller} > {b.cert_path}
homelab cert {b.cluster} {b.cert_path}

# 3. Seal the values the cluster's secrets need: each command reads one value from standard input
#    (paste, then Ctrl-D), or `homelab seal {b.cluster} --missing` asks for every missing one in turn.
{_seal_text(b)}

# 4. Synthesise, commit and push: Argo CD reads the tree from the repository.
homelab synth && git add -A && git commit -m "Bootstrap {b.cluster}" && git push

# 5. Argo CD, with the chart and values of the declared Argo CD Application (it manages itself afterwards).
{helm_install(b)}

# 6. The cluster's bootstrap directory: the root Application ({b.root_app} → {b.core_dir})
#    and one Application per app, all read from {b.repo_url} at {b.revision}.
kubectl apply -k {b.bootstrap_dir}

# Moving a live cluster whose Applications point at an older tree: step 6 alone re-points them
# (the root Application and every app-of-apps Application) at {b.bootstrap_dir.rsplit("/clusters/", 1)[0]}/.
# Or keep the old paths: write the tree where the old one was (Cluster(tree_path="") and
# `homelab synth --dist kustomize` after `git rm -r kustomize`), then nothing in the cluster moves.
"""


def check(b: Bootstrap, lab: Homelab, kubectl: str) -> list[str]:
    """What can be verified offline: the tree on disk is the declaration's, every directory named
    builds, and the values printed are the Argo CD Application's as built."""
    problems = []
    files = pipeline.synthesise(lab, tree_in_repo=lab.tree_in_repo(b.output)).files
    if not writer.compare(b.output, files).clean:
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
