"""Workload and database fields that other homelabs set with the escape hatch, written with props instead:
``envFrom`` from a ConfigMap and a Secret (in the order that decides precedence), pod affinity, an untagged
init-container image, a Deployment whose replicas are left to an autoscaler, a headless Service and a
LoadBalancer one keeping client addresses, a claim bound by label, and a CloudNativePG cluster with its
affinity, its managed Services and its volumes' claim template."""

from __future__ import annotations

from pathlib import Path

from cdk8s_plus_33 import k8s

from constructs_lib.cnpg_database import CnpgAffinity, CnpgDatabase, CnpgDatabaseProps, ManagedService
from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.pod import Container, PodSpec, Port, env_from_config_map, env_from_secret
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.versions import Image
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from homelab import AppSpec, Cluster, ClusterPlan, Homelab, Scope
from tests.engine import minilab

HOME = Cluster(name="home", repo_url="https://git.example/fields")
NS = "directory"
LABELS = {"app": "directory"}
DB = CnpgDatabaseProps(
    name="directory-pg",
    namespace=NS,
    pvc_template={"selector": {"matchLabels": {"tier": "fast"}}},
    affinity=CnpgAffinity(
        enable_pod_anti_affinity=True,
        topology_key="kubernetes.io/hostname",
        pod_anti_affinity_type="required",
        node_selector={"storage": "ssd"},
    ),
    disabled_default_services=("ro", "r"),
    additional_services=(ManagedService(name="directory-pg-lb", selector_type="rw", type="LoadBalancer"),),
)
ZONE_SPREAD = k8s.Affinity(
    pod_anti_affinity=k8s.PodAntiAffinity(
        required_during_scheduling_ignored_during_execution=[
            k8s.PodAffinityTerm(
                topology_key="topology.kubernetes.io/zone", label_selector=k8s.LabelSelector(match_labels=LABELS)
            )
        ]
    )
)


def directory_base(scope: Scope) -> None:
    CnpgDatabase(scope, "db", DB)
    ConfigMap(scope, "settings", ConfigMapProps(name="directory-settings", namespace=NS, data={"LOG_LEVEL": "info"}))
    Deployment(
        scope,
        "directory",
        DeploymentProps(
            name="directory",
            namespace=NS,
            selector=LABELS,
            pod=PodSpec(
                init_containers=(Container(name="wait", image=Image(name="busybox", tag=None), command=("true",)),),
                containers=(
                    Container(
                        name="directory",
                        image=Image(name="ghcr.io/example/directory", tag="2.0"),
                        env_from=(env_from_config_map("directory-settings"), env_from_secret(DB.app_secret, "DB_")),
                        ports=(Port(container_port=389),),
                    ),
                ),
                affinity=ZONE_SPREAD,
            ),
        ),
    )
    Service(
        scope,
        "headless",
        ServiceProps(
            name="directory-headless", namespace=NS, selector=LABELS, cluster_ip="None", ports=(ServicePort(port=389),)
        ),
    )
    Service(
        scope,
        "ldap",
        ServiceProps(
            name="directory",
            namespace=NS,
            selector=LABELS,
            type="LoadBalancer",
            external_traffic_policy="Local",
            external_ips=("192.0.2.10",),
            ports=(ServicePort(port=389),),
        ),
    )
    VolumeClaim(
        scope,
        "backup",
        VolumeClaimProps(
            name="directory-backup",
            namespace=NS,
            size="5Gi",
            storage_class="",
            selector=k8s.LabelSelector(match_labels={"volume": "directory-backup"}),
        ),
    )


DIRECTORY = AppSpec(name="directory", base=directory_base)

LAB = Homelab(
    root=Path(__file__).resolve().parent,
    core=minilab.CORE,
    clusters=(ClusterPlan(cluster=HOME, apps=(DIRECTORY,)),),
)
