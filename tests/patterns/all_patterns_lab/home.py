"""home: the cluster's facts, its platform and the apps it runs."""

from __future__ import annotations

from constructs_lib.platform import ArgoCdProps, CertManagerProps, CloudNativePgProps, Platform, PlatformProps
from homelab import Cluster, ClusterPlan, Context, Scope
from tests.patterns.all_patterns_lab.apps import edge, external_secrets, sso, wiki

CLUSTER = Cluster(name="home", repo_url="https://git.example/all-patterns", builtin_storage_classes=("local-path",))

PLATFORM = PlatformProps(
    components=(ArgoCdProps(tailnet_ingress=False), CertManagerProps(), CloudNativePgProps()),
)

PLAN = ClusterPlan(cluster=CLUSTER, apps=(edge.APP, external_secrets.APP, sso.APP, wiki.APP), platform=PLATFORM)


def core_overlay(scope: Scope, ctx: Context) -> None:
    """The platform on home, with what it derives from the cluster and its apps."""
    Platform(scope, "platform", PLATFORM, facts=ctx)
