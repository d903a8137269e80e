"""ApplicationSets expanded from the tree (:mod:`homelab.validate.appsets`), and followed by validate as the
Applications they generate; a Helm chart of the tree and a ``ref`` source of values are no missing path."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from homelab.kinds import KindScopes
from homelab.validate.appsets import expand
from homelab.validate.follow import follow
from homelab.validate.tree import Tree

REPO = "https://github.com/me/lab"
KEYS = {"github.com/me/lab"}
DIRECTORIES = ["apps", "apps/wiki", "apps/web", "apps/web/base", "apps/old", "infra", "infra/dns"]


def _appset(generators: list[dict[str, Any]], template: dict[str, Any], go: bool = True) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": "apps", "namespace": "argocd"},
        "spec": {"goTemplate": go, "generators": generators, "template": template},
    }


def _template(name: str, path: str, namespace: str) -> dict[str, Any]:
    return {
        "metadata": {"name": name},
        "spec": {
            "project": "default",
            "source": {"repoURL": REPO, "targetRevision": "HEAD", "path": path},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": namespace},
        },
    }


GIT = {"git": {"repoURL": REPO + ".git", "revision": "HEAD", "directories": [{"path": "k8s/apps/*"}]}}


def test_git_directories_with_go_template_and_exclude() -> None:
    git = {"git": {**GIT["git"], "directories": [{"path": "k8s/apps/*"}, {"path": "k8s/apps/old", "exclude": True}]}}
    template = _template("{{.path.basename}}", "{{.path.path}}", "{{ index .path.segments 2 }}")
    found = expand(_appset([git], template), DIRECTORIES, KEYS, "k8s")
    assert found.reason == ""
    assert [(a["metadata"], a["spec"]["source"]["path"]) for a in found.applications] == [
        ({"name": "web", "namespace": "argocd"}, "k8s/apps/web"),
        ({"name": "wiki", "namespace": "argocd"}, "k8s/apps/wiki"),
    ]
    assert found.applications[0]["spec"]["destination"]["namespace"] == "web"


def test_default_template_parameters_and_a_list_generator() -> None:
    git = {"git": {**GIT["git"], "directories": [{"path": "infra/*"}]}}
    template = _template("{{path.basename}}", "{{path}}", "{{path[0]}}")
    found = expand(_appset([git], template, go=False), DIRECTORIES, KEYS, "")
    assert [a["spec"]["source"]["path"] for a in found.applications] == ["infra/dns"]
    assert found.applications[0]["spec"]["destination"]["namespace"] == "infra"
    listed = {"list": {"elements": [{"name": "a", "dir": "apps/wiki"}, {"name": "b", "dir": "apps/web"}]}}
    found = expand(_appset([listed], _template("{{.name}}", "{{.dir}}", "x")), DIRECTORIES, KEYS, "")
    assert [a["metadata"]["name"] for a in found.applications] == ["a", "b"]


@pytest.mark.parametrize(
    ("generators", "template", "reason"),
    [
        ([{"clusters": {}}], None, "its clusters generator depends on more than the tree"),
        ([{"git": {**GIT["git"], "repoURL": "https://github.com/other/x"}}], None, "git generator reads another"),
        ([{"git": {"repoURL": REPO, "files": [{"path": "a/config.json"}]}}], None, "lists files, not directories"),
        ([GIT], _template("{{.path.basename | upper}}", "{{.path.path}}", "x"), r"uses {{.path.basename \| upper}}"),
        ([GIT], _template("{{.cluster}}", "{{.path.path}}", "x"), "uses {{.cluster}}, which the tree does not tell"),
    ],
)
def test_what_the_tree_does_not_tell_is_not_expanded(
    generators: list[dict[str, Any]], template: dict[str, Any] | None, reason: str
) -> None:
    found = expand(_appset(generators, template or _template("x", "y", "z")), DIRECTORIES, KEYS, "k8s")
    assert found.applications == []
    assert re.search(reason, found.reason), found.reason


def _write(root: Path, files: dict[str, object]) -> Tree:
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump_all(content) if isinstance(content, list) else yaml.safe_dump(content)
        (root / rel).write_text(content if isinstance(content, str) else text)
    return Tree(root)


def test_follow_deploys_what_an_applicationset_generates(tmp_path: Path, kubectl: str) -> None:
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "wiki"}, "data": {"a": "1"}}
    git = {"git": {"repoURL": REPO, "revision": "HEAD", "directories": [{"path": "apps/*"}]}}
    multi = _template("grafana", "", "monitoring")
    multi["spec"]["sources"] = [
        {"repoURL": "https://grafana.github.io/helm-charts", "chart": "grafana", "targetRevision": "8.5.1"},
        {"repoURL": REPO, "targetRevision": "HEAD", "ref": "values"},
    ]
    del multi["spec"]["source"]
    chart = _template("monitoring", "charts/monitoring", "monitoring")
    tree = _write(
        tmp_path,
        {
            "root/apps.yaml": _appset([git], _template("{{.path.basename}}", "{{.path.path}}", "x")),
            "root/more.yaml": [
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", **multi},
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", **chart},
            ],
            "apps/wiki/kustomization.yaml": "resources: [cm.yaml]\n",
            "apps/wiki/cm.yaml": config_map,
            "charts/monitoring/Chart.yaml": "apiVersion: v2\nname: monitoring\nversion: 1.0.0\n",
        },
    )
    content = follow(tree, "home", ["root"], KEYS, "", KindScopes())
    assert content.entries == ["root", "apps/wiki"]
    assert [(p.entry, p.obj["kind"], p.obj["metadata"]["name"]) for p in content.placed] == [
        ("root", "ApplicationSet", "apps"),
        ("root", "Application", "wiki"),
        ("root", "Application", "grafana"),
        ("root", "Application", "monitoring"),
        ("apps/wiki", "ConfigMap", "wiki"),
    ]
    # No missing path: the ref source deploys nothing, the chart is noted as not rendered.
    assert [(f.check, f.severity) for f in content.findings] == [("helm-chart", "info")]
