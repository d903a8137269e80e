"""Helm charts rendered as Argo CD would, for ``homelab validate --online``: what an Application of a chart
repository deploys (:class:`ChartSource`, read from its ``spec.source``/``spec.sources``), rendered by
``helm template`` (:class:`ChartRenderer`) and kept in the cache beside the schemas'.

A chart is pulled (``helm pull``) and then rendered from the pulled archive, so a chart that cannot be had
(offline, a repository or version that does not exist) is told apart from one that does not render.
Rendered output is cached by repository, chart, version and everything passed to ``helm template`` (values,
release, namespace, Kubernetes version) when the version is exact; a range (``8.x``) is resolved anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from constructs_lib._internal.plaintext import as_mapping
from homelab.validate.content import sources_of

#: A chart version that names one release (not a range such as ``8.x`` or ``^1.2``): its rendering is cached.
EXACT_VERSION = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")
HELM_TIMEOUT = 120


class ChartUnavailable(Exception):
    """The chart could not be fetched (offline, or no such repository, chart or version): helm's words."""


class ChartFailed(Exception):
    """The chart was fetched but ``helm template`` refused it with these values: helm's words."""


@dataclass(frozen=True)
class ChartSource:
    """One chart an Application deploys, with what Argo CD passes to ``helm template``."""

    repo_url: str
    chart: str
    version: str
    release: str
    """``helm.releaseName``, else the Application's name."""
    namespace: str
    """``helm.namespace``, else the destination's namespace."""
    values: str
    """``helm.valuesObject`` (as YAML), else ``helm.values``: Argo CD passes one of them."""
    set_values: tuple[str, ...] = ()
    """``helm.parameters`` as ``--set``/``--set-string`` arguments."""
    kube_version: str = ""
    """``helm.kubeVersion``, when the Application sets one."""
    api_versions: tuple[str, ...] = ()
    skip_crds: bool = False

    @property
    def label(self) -> str:
        """``chart CHART VERSION of REPO`` for messages."""
        return f"chart {self.chart} {self.version} of {self.repo_url}"

    @property
    def reference(self) -> list[str]:
        """What ``helm pull`` takes: the chart of an https repository (``--repo``), or an OCI reference."""
        if re.match(r"^https?://", self.repo_url):
            return [self.chart, "--repo", self.repo_url]
        return [f"oci://{self.repo_url.removeprefix('oci://').rstrip('/')}/{self.chart}"]


def chart_sources(app: dict[str, Any]) -> list[ChartSource]:
    """The charts of chart repositories an Application deploys (a chart in git is part of the tree)."""
    spec = as_mapping(app.get("spec"))
    name = str(as_mapping(app.get("metadata")).get("name", ""))
    namespace = str(as_mapping(spec.get("destination")).get("namespace") or "")
    out = []
    for source in sources_of(app):
        if not source.get("chart") or not source.get("repoURL"):
            continue
        helm = as_mapping(source.get("helm"))
        values_object = helm.get("valuesObject")
        values = yaml.safe_dump(values_object, sort_keys=True) if values_object else str(helm.get("values") or "")
        sets = tuple(
            f"--set{'-string' if p.get('forceString') else ''}={p.get('name')}={p.get('value', '')}"
            for p in helm.get("parameters") or []
            if isinstance(p, dict) and p.get("name")
        )
        out.append(
            ChartSource(
                repo_url=str(source["repoURL"]),
                chart=str(source["chart"]),
                version=str(source.get("targetRevision") or ""),
                release=str(helm.get("releaseName") or name),
                namespace=str(helm.get("namespace") or namespace),
                values=values,
                set_values=sets,
                kube_version=str(helm.get("kubeVersion") or ""),
                api_versions=tuple(str(v) for v in helm.get("apiVersions") or []),
                skip_crds=bool(helm.get("skipCrds")),
            )
        )
    return out


class ChartRenderer:
    """Renders charts with the ``helm`` binary, for Kubernetes ``k8s_version``, cached in ``cache``."""

    def __init__(self, helm: str, cache: Path, k8s_version: str) -> None:
        self.helm, self.cache, self.k8s_version = helm, cache, k8s_version
        self._done: dict[str, list[dict[str, Any]] | Exception] = {}
        """What each chart rendered to (or why not) in this run: a chart several clusters deploy is rendered once."""

    def render(self, source: ChartSource) -> list[dict[str, Any]]:
        """The objects ``source`` renders; raises :class:`ChartUnavailable` or :class:`ChartFailed`."""
        key = json.dumps([source.__dict__, source.kube_version or self.k8s_version], sort_keys=True)
        if key not in self._done:
            try:
                self._done[key] = self._render(source, key)
            except (ChartUnavailable, ChartFailed) as exc:
                self._done[key] = exc
        done = self._done[key]
        if isinstance(done, Exception):
            raise done
        return done

    def _render(self, source: ChartSource, key: str) -> list[dict[str, Any]]:
        kube_version = source.kube_version or self.k8s_version
        cached = self.cache / "rendered" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.yaml"
        exact = bool(EXACT_VERSION.match(source.version))
        if exact and cached.is_file():
            return _documents(cached.read_text())
        with tempfile.TemporaryDirectory() as tmp:
            pull = [*source.reference, "--destination", tmp] + (["--version", source.version] if source.version else [])
            pulled = self._helm(["pull", *pull])
            if pulled.returncode != 0:
                raise ChartUnavailable(_last_line(pulled.stderr))
            archives = list(Path(tmp).glob("*.tgz"))
            if len(archives) != 1:
                raise ChartUnavailable(f"helm pull wrote {len(archives)} chart archives, not one")
            archive = archives[0]
            values = Path(tmp) / "values.yaml"
            values.write_text(source.values)
            args = ["template", source.release, str(archive), "--kube-version", kube_version, "-f", str(values)]
            args += ["--namespace", source.namespace] if source.namespace else []
            args += [] if source.skip_crds else ["--include-crds"]
            args += [a for v in source.api_versions for a in ("--api-versions", v)]
            rendered = self._helm([*args, *source.set_values])
        if rendered.returncode != 0:
            raise ChartFailed(_last_line(rendered.stderr))
        if exact:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp_file = cached.with_name(f".{cached.name}.tmp-{os.getpid()}")
            tmp_file.write_text(rendered.stdout)
            os.replace(tmp_file, cached)
        return _documents(rendered.stdout)

    def _helm(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run([self.helm, *args], capture_output=True, text=True, timeout=HELM_TIMEOUT)
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(args, 1, "", f"helm {args[0]} took over {HELM_TIMEOUT}s")


def _documents(text: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]


def _last_line(stderr: str) -> str:
    """helm's error: its last ``Error:`` line (hints such as ``Use --debug flag`` follow it), else its last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")] or lines
    return errors[-1].removeprefix("Error: ") if errors else "helm failed without a message"
