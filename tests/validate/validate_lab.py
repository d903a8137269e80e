"""The homelab the validation CLI tests load: the mini tree's cluster and repository."""

from __future__ import annotations

from dataclasses import replace

from homelab import Cluster, ClusterPlan
from tests.engine import minilab
from tests.validate.minitree import REPO

LAB = replace(
    minilab.LAB,
    clusters=(
        ClusterPlan(cluster=Cluster(name="home", repo_url=REPO, builtin_storage_classes=("longhorn",)), apps=()),
    ),
)
