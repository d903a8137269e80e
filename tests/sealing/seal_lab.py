"""A homelab for the sealing tests: one cluster, rooted at $HOMELAB_TEST_ROOT, with two sealed secrets."""

from __future__ import annotations

import os
from pathlib import Path

from constructs import Construct

from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from homelab import AppSpec, Cluster, ClusterPlan, Context, Homelab
from tests.engine import minilab

CLUSTER = Cluster(name="home", repo_url="https://git.example/lab", sealing_cert="certs/home.pem")
CREDS = SealedConfigProps(name="creds", namespace="wiki", keys=("user", "password"))


def wiki_base(scope: Construct) -> None:
    """Nothing is the same on every cluster: sealed values are per cluster."""


def wiki(scope: Construct, ctx: Context) -> None:
    SealedConfig(scope, "creds", CREDS, store=ctx.sealed)


WIKI = AppSpec(name="wiki", base=wiki_base, overlays={"home": wiki})


def lab() -> Homelab:
    """Built on each call: the root comes from the environment the test set."""
    return Homelab(
        root=Path(os.environ["HOMELAB_TEST_ROOT"]),
        core=minilab.CORE,
        clusters=(ClusterPlan(cluster=CLUSTER, apps=(WIKI,)),),
        sealed_dir="sealed",
    )
