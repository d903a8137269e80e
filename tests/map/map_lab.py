"""A homelab for the map's tests: one cluster, rooted at $HOMELAB_TEST_ROOT, whose app ``wiki`` has each
thing the map draws (an address, a database, a volume, a sealed secret, a Secret in clear, a Deployment
reading them behind a Service) and whose app ``blog`` is switched off."""

from __future__ import annotations

import os
from pathlib import Path

from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.plain_secret import PlainSecret, PlainSecretProps
from constructs_lib.pod import Container, PodSpec, Port, env_from_secret, env_secret
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import Image
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from homelab import AppSpec, Cluster, ClusterPlan, Context, Homelab, Scope
from tests.engine import minilab

PLAIN_VALUE = "plain-value-never-in-the-map"
"""The value of the PlainSecret's key ``token``."""

CLUSTER = Cluster(
    name="home", repo_url="https://git.example/lab", tailnet="tail0000.ts.net", sealing_cert="certs/home.pem"
)
CREDS = SealedConfigProps(name="creds", namespace="wiki", keys=("user", "password"))
DB = CnpgDatabaseProps(name="wiki-pg", namespace="wiki", instances=2, storage_size="3Gi", storage_class="fast")
LABELS = {"app": "wiki"}


def wiki_base(scope: Scope) -> None:
    """Nothing is the same on every cluster: sealed values are per cluster."""


def wiki(scope: Scope, ctx: Context) -> None:
    SealedConfig(scope, "creds", CREDS, store=ctx.sealed)
    PlainSecret(
        scope,
        "settings",
        PlainSecretProps(
            name="settings", namespace="wiki", string_data={"token": PLAIN_VALUE}, why_not_sensitive="a test"
        ),
    )
    CnpgDatabase(scope, "db", DB)
    VolumeClaim(scope, "data", VolumeClaimProps(name="wiki-data", namespace="wiki", size="5Gi"))
    container = Container(
        name="wiki",
        image=Image(name="example/wiki", tag="1.0"),
        env=(env_secret("DB_PASSWORD", DB.app_secret, "password"),),
        env_from=(env_from_secret("creds"), env_from_secret("settings")),
        ports=(Port(container_port=8080, name="http"),),
    )
    pod = PodSpec(containers=(container,))
    Deployment(scope, "web", DeploymentProps(name="wiki", namespace="wiki", selector=LABELS, pod=pod))
    port = ServicePort(port=80, target_port="http", name="http")
    Service(scope, "svc", ServiceProps(name="wiki", namespace="wiki", selector=LABELS, ports=(port,)))
    ingress = TailscaleIngressProps(name="wiki", namespace="wiki", service="wiki", hosts=("wiki",), funnel=False)
    TailscaleIngress(scope, "ingress", ingress)


def blog(scope: Scope) -> None:
    Service(
        scope,
        "svc",
        ServiceProps(name="blog", namespace="blog", selector={"app": "blog"}, ports=(ServicePort(port=80),)),
    )


WIKI = AppSpec(name="wiki", base=wiki_base, overlays={"home": wiki}, backup=True)
BLOG = AppSpec(name="blog", base=blog)


def lab() -> Homelab:
    """Built on each call: the root comes from the environment the test set."""
    return Homelab(
        root=Path(os.environ["HOMELAB_TEST_ROOT"]),
        core=minilab.CORE,
        clusters=(ClusterPlan(cluster=CLUSTER, apps=(WIKI,), disabled=(BLOG,)),),
        sealed_dir="sealed",
    )
