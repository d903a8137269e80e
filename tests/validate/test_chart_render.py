"""``homelab validate --online`` renders each Helm Application's chart (helm template) and checks that its
AppProject admits what it renders (``chart-admits``).

The chart is this test's own, packaged into a chart repository served from this machine
(``http.server`` on 127.0.0.1): no internet. The tests that render need helm (``./dev setup`` installs
it: ``python -m homelab.validate.helm install``) and skip without it.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from homelab.validate import Finding, ValidateOptions, validate
from homelab.validate import helm as helm_module
from homelab.validate.charts import ChartRenderer
from tests.validate import crd_schemas, minitree

CHART_FILES = {
    "Chart.yaml": "apiVersion: v2\nname: operator\nversion: 1.2.3\n",
    "values.yaml": "watchNamespace: ''\nfail: false\n",
    "crds/widgets.yaml": """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.org}
spec:
  group: example.org
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
""",
    "templates/operator.yaml": """
{{- if .Values.fail }}{{ fail "fail is set" }}{{ end }}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: {{ .Release.Name }}-operator}
rules: [{apiGroups: [example.org], resources: [widgets], verbs: [get, list, watch]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: {{ .Release.Name }}-operator, namespace: {{ .Release.Namespace }}}
spec:
  selector: {matchLabels: {app: operator}}
  template:
    metadata: {labels: {app: operator}}
    spec: {containers: [{name: operator, image: "example/operator:1.2.3"}]}
---
apiVersion: example.org/v1
kind: Widget
metadata: {name: default}
{{- if .Values.watchNamespace }}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: watched, namespace: {{ .Values.watchNamespace }}}
data: {watching: "yes"}
{{- end }}
""",
}
PROJECT = "clusters/overlays/home/wiki-app-of-apps.yaml"
CHART_APP = "wiki/overlays/home/chart.yaml"
CLUSTER_KINDS_FIX = (
    "declare them on the app: HelmArgoAppProps(cluster_resources=(('apiextensions.k8s.io', "
    "'CustomResourceDefinition'), ('rbac.authorization.k8s.io', 'ClusterRole'),)) (added to what its project admits; "
    "AppSpec(cluster_resources=...) for the app's own project); in a hand-written tree, add them to the project's "
    "clusterResourceWhitelist"
)


@pytest.fixture(scope="module")
def helm() -> str:
    found = helm_module.helm_path()
    if found is None:
        pytest.skip(f"no helm binary, charts cannot be rendered: {helm_module.HOW_TO_INSTALL}")
    return found


@pytest.fixture(scope="module")
def repo_url(helm: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A chart repository on 127.0.0.1 serving the chart ``operator`` 1.2.3 (packaged, with its index.yaml)."""
    root = tmp_path_factory.mktemp("charts")
    for rel, text in CHART_FILES.items():
        (root / "operator" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "operator" / rel).write_text(text.lstrip("\n"))
    served = root / "repo"
    subprocess.run([helm, "package", str(root / "operator"), "-d", str(served)], check=True, capture_output=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(served)))
    url = f"http://127.0.0.1:{server.server_address[1]}"
    subprocess.run([helm, "repo", "index", str(served), "--url", url], check=True, capture_output=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


def the_chart(url: str, version: str = "1.2.3", helm_block: str = "valuesObject: {watchNamespace: elsewhere}") -> str:
    return f"""
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: wiki-operator, namespace: wiki}}
spec:
  project: wiki
  source:
    repoURL: {url}
    chart: operator
    targetRevision: {version}
    helm:
      {helm_block}
  destination: {{server: https://kubernetes.default.svc, namespace: wiki}}
"""


def project(url: str, extra: str = "") -> str:
    text = minitree.FILES[PROJECT].replace("https://charts.example]", f"https://charts.example, {url}]")
    return text.replace("  namespaceResourceWhitelist:", f"{extra}  namespaceResourceWhitelist:")


def run(tmp_path: Path, changes: dict[str, str | None], **options: object) -> list[Finding]:
    tree = minitree.write(tmp_path, changes)
    opts = ValidateOptions(
        tree=tree,
        repos={minitree.REPO},
        crd_schema_dirs=[crd_schemas.write(tmp_path / "crd-schemas")],
        builtin_storage_classes={"home": {"longhorn"}},
        chart_cache=tmp_path / "cache",
        **{"online": True, **options},  # type: ignore[arg-type]
    )
    return validate(opts).unique()


def of(findings: list[Finding], *checks: str) -> list[Finding]:
    return [f for f in findings if f.check in checks]


def test_what_a_chart_renders_must_be_admitted_by_its_project(tmp_path: Path, repo_url: str) -> None:
    """Before: only charts of a table were known to need cluster kinds; what a chart writes elsewhere was unseen."""
    found = of(run(tmp_path, {CHART_APP: the_chart(repo_url), PROJECT: project(repo_url)}), "chart-admits")
    assert [(f.object, f.field, f.severity) for f in found] == [
        ("Application wiki/wiki-operator", "spec.destination.namespace", "error"),
        ("Application wiki/wiki-operator", "spec.source.chart", "error"),
    ]
    namespaces, kinds = found
    assert kinds.message == (
        f"chart operator 1.2.3 of {repo_url} renders cluster-scoped CustomResourceDefinition, ClusterRole, which "
        "AppProject wiki does not admit; Argo CD would refuse to sync them"
    )
    assert kinds.fix == CLUSTER_KINDS_FIX
    assert namespaces.message == (
        f"chart operator 1.2.3 of {repo_url} writes into namespace(s) elsewhere, which AppProject wiki does not "
        "admit; Argo CD would refuse to sync them (not among its destinations)"
    )
    assert namespaces.fix.startswith("declare them on the app: HelmArgoAppProps(namespaces=('elsewhere',))")
    assert kinds.acceptance == '- {check: chart-admits, object: "Application wiki/wiki-operator", reason: "..."}'


def test_a_chart_its_project_admits_has_no_finding(tmp_path: Path, repo_url: str) -> None:
    admitting = project(repo_url).replace(
        'clusterResourceWhitelist: [{group: "", kind: PersistentVolume}]',
        'clusterResourceWhitelist: [{group: "*", kind: "*"}]',
    )
    admitting = admitting.replace(
        "destinations: [{namespace: wiki,", "destinations: [{namespace: elsewhere}, {namespace: wiki,"
    )
    found = run(tmp_path, {CHART_APP: the_chart(repo_url), PROJECT: admitting})
    assert of(found, "chart-admits", "chart-render", "needs-network") == []


def test_parameters_override_the_values_and_namespaced_kinds_meet_the_blacklist(tmp_path: Path, repo_url: str) -> None:
    helm_block = "valuesObject: {watchNamespace: elsewhere}\n      parameters: [{name: watchNamespace, value: other}]"
    blacklist = '  namespaceResourceBlacklist: [{group: "", kind: ConfigMap}]\n'
    changes = {CHART_APP: the_chart(repo_url, helm_block=helm_block), PROJECT: project(repo_url, blacklist)}
    found = of(run(tmp_path, changes), "chart-admits")
    assert [f.message.split(" renders ", 1)[-1].split(" writes into ", 1)[-1] for f in found] == [
        "namespace(s) other, which AppProject wiki does not admit; Argo CD would refuse to sync them (not among its "
        "destinations)",
        "ConfigMap, which AppProject wiki does not admit; Argo CD would refuse to sync them (its namespace resource "
        "lists)",
        "cluster-scoped CustomResourceDefinition, ClusterRole, which AppProject wiki does not admit; Argo CD would "
        "refuse to sync them",
    ]
    assert found[1].fix.startswith(
        "admit them in the project: add {group: '', kind: ConfigMap} to its namespaceResourceWhitelist, or take them "
        "out of its namespaceResourceBlacklist"
    )


def test_a_rendered_chart_is_cached_and_not_rendered_again(
    tmp_path: Path, repo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    changes = {CHART_APP: the_chart(repo_url), PROJECT: project(repo_url)}
    first = of(run(tmp_path, changes), "chart-admits")
    assert len(list((tmp_path / "cache" / "rendered").glob("*.yaml"))) == 1

    def no_helm(self: ChartRenderer, args: list[str]) -> None:
        raise AssertionError(f"helm {args[0]} ran: the cached rendering was not used")

    monkeypatch.setattr(ChartRenderer, "_helm", no_helm)
    assert of(run(tmp_path, changes), "chart-admits") == first


def test_a_version_range_is_resolved_anew_not_cached(tmp_path: Path, repo_url: str) -> None:
    found = of(run(tmp_path, {CHART_APP: the_chart(repo_url, "1.x"), PROJECT: project(repo_url)}), "chart-admits")
    assert len(found) == 2 and "chart operator 1.x of" in found[0].message
    assert not list((tmp_path / "cache").glob("rendered/*.yaml"))


def test_a_chart_that_cannot_be_fetched_is_one_note(tmp_path: Path, repo_url: str) -> None:
    gone = f"{repo_url}/nowhere"
    findings = run(tmp_path, {CHART_APP: the_chart(gone), PROJECT: project(gone)})
    (f,) = of(findings, "needs-network", "chart-admits", "chart-render")
    assert (f.check, f.severity, f.field) == ("needs-network", "info", "spec.source.repoURL")
    assert f.message.startswith(f"chart operator 1.2.3 of {gone} could not be fetched (")
    assert f.message.endswith("), so what it deploys was not checked against its AppProject")


def test_a_chart_that_does_not_render_with_its_values_is_a_warning(tmp_path: Path, repo_url: str) -> None:
    changes = {CHART_APP: the_chart(repo_url, helm_block="valuesObject: {fail: true}"), PROJECT: project(repo_url)}
    (f,) = of(run(tmp_path, changes), "chart-render", "chart-admits")
    assert (f.check, f.severity, f.field) == ("chart-render", "warning", "spec.source")
    assert "does not render with the Application's values (" in f.message and "fail is set" in f.message


def test_without_helm_online_says_once_that_charts_were_not_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(helm_module, "helm_path", lambda: None)
    (f,) = of(run(tmp_path, {}), "chart-render", "chart-admits", "needs-network")
    assert (f.entry, f.severity) == (".", "info")
    assert f.message == (
        "charts were not rendered: no helm binary beside this Python nor on PATH, so what 2 chart(s) (argo-cd, "
        "search) deploy was not checked against their AppProjects"
    )
    assert f.fix.startswith("install helm: `python -m homelab.validate.helm install`")
    assert of(run(tmp_path / "offline", {}, online=False), "chart-render") == []
