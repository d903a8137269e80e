"""An app module with a misspelt keyword (``chrat=``): the CLI names this file and line, and the fix."""

from __future__ import annotations

from constructs_lib.helm_argo_app import HelmArgoAppProps
from constructs_lib.versions import HelmChart
from tests.engine import minilab

WIKI = HelmArgoAppProps(
    name="wiki",
    destination_namespace="wiki",
    chrat=HelmChart(repo_url="https://c.example", chart="w", version="1"),  # type: ignore[call-arg]
)
LAB = minilab.LAB
