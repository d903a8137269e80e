"""Proton Mail Bridge: IMAP and SMTP to a Proton mailbox for the other apps, exposed on the tailnet."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.pod import Container, Mount, PodSpec, Port, Probe, claim_volume
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.versions import Image
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from homelab import AppSpec, Context, Scope

NAMESPACE = "protonmail-bridge"
LABELS = {"app": "protonmail-bridge"}

STORAGE = LonghornStorageClassProps(name="protonmail-bridge-sc", replicas=2)
DATA = VolumeClaimProps(name="protonmail-bridge-pvc", size="5Gi")
BRIDGE = Container(
    name="protonmail-bridge-container",
    image=Image(name="shenxn/protonmail-bridge", tag="latest"),
    mounts=(Mount(volume="protonmail-data", path="/root/"),),
    ports=(Port(container_port=25, name="smtp", protocol="TCP"), Port(container_port=143, name="imap", protocol="TCP")),
    liveness=Probe(port=25, initial_delay_seconds=30, period_seconds=30),
    readiness=Probe(port=25, initial_delay_seconds=15, period_seconds=10),
)
SERVICE = ServiceProps(
    name="protonmail-bridge",
    namespace=NAMESPACE,
    selector=LABELS,
    type="ClusterIP",
    ports=(
        ServicePort(name="smtp", port=25, target_port=25, protocol="TCP"),
        ServicePort(name="imap", port=143, target_port=143, protocol="TCP"),
    ),
)


def _bridge(scope: Scope, data: VolumeClaimProps, bridge: Container, service: ServiceProps) -> None:
    VolumeClaim(scope, "data", data)
    pod = PodSpec(containers=(bridge,), volumes=(claim_volume("protonmail-data", data.name),))
    Deployment(
        scope, "bridge", DeploymentProps(name="protonmail-bridge-deployment", selector=LABELS, replicas=1, pod=pod)
    )
    Service(scope, "service", service)


def base(scope: Scope) -> None:
    _bridge(scope, DATA, BRIDGE, SERVICE)


def thomelab(scope: Scope, ctx: Context) -> None:
    """Bridge 3.19.0 on a two-replica Longhorn volume; its Service exposed on the tailnet."""
    LonghornStorageClass(scope, "storage", STORAGE)
    _bridge(
        scope,
        replace(DATA, storage_class=STORAGE.name),
        replace(BRIDGE, image=Image(name="shenxn/protonmail-bridge", tag="3.19.0-build")),
        replace(SERVICE, annotations={"tailscale.com/expose": "true"}),
    )


APP = AppSpec(name="protonmail-bridge", base=base, overlays={"thomelab": thomelab}, backup=True)
