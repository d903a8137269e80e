"""The mini homelab with a Helm app missing its chart version: synthesis must fail before writing."""

from __future__ import annotations

from dataclasses import replace

from constructs import Construct

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.versions import HelmChart
from homelab import AppSpec, ClusterPlan, Homelab
from tests.engine import minilab


def unversioned(scope: Construct) -> None:
    HelmArgoApp(
        scope,
        "x",
        HelmArgoAppProps(name="x", destination_namespace="x", chart=HelmChart(repo_url="r", chart="c", version="")),
    )


def lab_from_env() -> Homelab:
    """Rooted at ``$HOMELAB_TEST_ROOT``, like :func:`tests.engine.minilab.lab_from_env`."""
    return replace(
        minilab.lab_from_env(),
        clusters=(
            ClusterPlan(cluster=minilab.HOME, apps=(minilab.WIKI_APP, AppSpec(name="broken", base=unversioned))),
        ),
    )
