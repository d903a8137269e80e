"""A small homelab declared in a test module: two clusters, a core app and one Helm app."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from constructs import Construct

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.versions import HelmChart
from homelab import AppSpec, Cluster, ClusterPlan, Context, Homelab

HOME = Cluster(name="home", repo_url="https://git.example/lab", tailnet="tail0000.ts.net")
LAPTOP = Cluster(name="laptop", repo_url="https://git.example/lab")

WIKI = HelmArgoAppProps(
    name="wiki-chart",
    namespace="wiki",
    project="wiki",
    destination_namespace="wiki",
    chart=HelmChart(repo_url="https://charts.example", chart="wiki", version="1.x"),
)
TOOLS = HelmArgoAppProps(
    name="tools", destination_namespace="tools", chart=HelmChart(repo_url="https://t.example", chart="t", version="2.x")
)


def wiki_base(scope: Construct) -> None:
    HelmArgoApp(scope, "wiki", WIKI)


def wiki_home(scope: Construct, ctx: Context) -> None:
    HelmArgoApp(scope, "wiki", replace(WIKI, values={"host": f"wiki.{ctx.cluster.tailnet}"}))


def core_base(scope: Construct) -> None:
    HelmArgoApp(scope, "tools", TOOLS)


def core_home(scope: Construct, ctx: Context) -> None:
    HelmArgoApp(scope, "tools", replace(TOOLS, values={"namespaces": ",".join(ctx.application_namespaces)}))


WIKI_APP = AppSpec(name="wiki", base=wiki_base, overlays={"home": wiki_home}, backup=True)
CORE = AppSpec(name="core-argocd-apps", base=core_base, overlays={"home": core_home})


def lab(root: Path, **changes: object) -> Homelab:
    """The mini homelab rooted at ``root``; ``changes`` replace Homelab fields."""
    base = Homelab(
        root=root,
        core=CORE,
        clusters=(
            ClusterPlan(cluster=HOME, apps=(WIKI_APP,)),
            ClusterPlan(cluster=LAPTOP, apps=(), disabled=(WIKI_APP,)),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


#: The mini homelab as the CLI loads it (``--homelab tests.engine.minilab:LAB``).
LAB = lab(Path(__file__).resolve().parent)


def lab_from_env() -> Homelab:
    """The mini homelab rooted at ``$HOMELAB_TEST_ROOT`` (``--homelab tests.engine.minilab:lab_from_env``):
    tests that write a tree write it inside that repository, as synth requires."""
    import os

    return lab(Path(os.environ["HOMELAB_TEST_ROOT"]))
