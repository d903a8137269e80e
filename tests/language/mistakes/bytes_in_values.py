"""An app module putting bytes in Helm values (``b"hunter2"``): told at this line, the bytes never shown."""

from __future__ import annotations

from constructs_lib.helm_argo_app import HelmArgoAppProps
from constructs_lib.versions import HelmChart
from tests.engine import minilab

CHART = HelmChart(repo_url="https://charts.example", chart="wiki", version="1.0.0")
WIKI = HelmArgoAppProps(name="wiki", owned_by="wiki", chart=CHART, values={"auth": {"adminPassword": b"hunter2"}})
LAB = minilab.LAB
