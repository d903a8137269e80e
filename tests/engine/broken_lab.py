"""The mini homelab with a Helm app missing its chart version: synthesis must fail before writing."""

from __future__ import annotations

from dataclasses import replace

from constructs import Construct

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from homelab import App, Context, Deployment
from tests.engine import minilab


def unversioned(scope: Construct, ctx: Context) -> None:
    HelmArgoApp(scope, "x", HelmArgoAppProps(name="x", destination_namespace="x", repo_url="r", chart="c", version=""))


LAB = replace(
    minilab.LAB,
    deployments=(Deployment(cluster=minilab.HOME, apps=(minilab.WIKI_APP, App(name="broken", base=unversioned))),),
)
