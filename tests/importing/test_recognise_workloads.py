"""Workloads come back with typed pods: ``Deployment``, ``Job``, ``CronJob``, ``Service``, ``ConfigMap``."""

from __future__ import annotations

from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.cron_job import CronJob, CronJobProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.job import Job, JobProps
from constructs_lib.pod import (
    Container,
    Mount,
    PodSpec,
    Port,
    Probe,
    claim_volume,
    env_from_config_map,
    env_secret,
    env_value,
)
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.sync_policy import SyncHook
from constructs_lib.versions import Image
from homelab.importing.recognise.pods import image_of
from tests.importing.recognising import near_miss, only_claim, recognised

POD = PodSpec(
    containers=(
        Container(
            name="web",
            image=Image(name="ghcr.io/example/web", tag="1.2.3"),
            command=("/bin/web",),
            args=("--port", "8080"),
            env=(env_value("MODE", "prod"), env_secret("TOKEN", "web-secrets", "token")),
            env_from=(env_from_config_map("web-config"),),
            ports=(Port(container_port=8080, name="http"),),
            mounts=(Mount(volume="data", path="/data", sub_path="web", read_only=False),),
            liveness=Probe(port="http", http_path="/healthz", initial_delay_seconds=10),
            readiness=Probe(port=8080, period_seconds=5),
            startup=Probe(
                port="http",
                http_path="/started",
                http_scheme="HTTP",
                timeout_seconds=10,
                success_threshold=1,
                failure_threshold=30,
            ),
            requests={"cpu": "100m", "memory": "128Mi"},
            limits={"memory": "256Mi"},
            security_context={"runAsUser": 1000},
        ),
    ),
    init_containers=(Container(name="init", image=Image(name="busybox", tag=None), command=("true",)),),
    volumes=(claim_volume("data", "web-data"),),
    security_context={"fsGroup": 1000},
    node_selector={"disk": "ssd"},
)


def test_a_deployment_is_its_props_with_a_typed_pod() -> None:
    props = DeploymentProps(
        name="web",
        namespace="web",
        selector={"app": "web"},
        pod_labels={"app": "web", "tier": "front"},
        pod=POD,
        replicas=2,
        strategy="Recreate",
        sync_wave=1,
    )
    claim = only_claim(lambda s: Deployment(s, "web", props))
    assert (claim.construct, claim.props) == (Deployment, props)


def test_jobs_services_and_config_maps_are_their_props() -> None:
    job = JobProps(name="check", pod=POD, backoff_limit=1, hook=SyncHook(phase="PostSync"))
    cron = CronJobProps(name="import", pod=POD, schedule="0 18 * * *", concurrency_policy="Forbid", time_zone="UTC")
    service = ServiceProps(
        name="web",
        selector={"app": "web"},
        ports=(ServicePort(port=80, target_port="http", name="http"),),
        type="LoadBalancer",
    )
    config = ConfigMapProps(name="web-config", data={"config.yaml": "a: 1\n"})
    for construct, props in ((Job, job), (CronJob, cron), (Service, service), (ConfigMap, config)):
        claim = only_claim(lambda s, c=construct, p=props: c(s, "x", p))
        assert (claim.construct, claim.props) == (construct, props)


def test_images_are_read_with_their_tag_and_digest() -> None:
    digest = "sha256:" + "a" * 64
    assert image_of("registry:5000/team/app:1.0@" + digest) == Image(
        name="registry:5000/team/app", tag="1.0", digest=digest
    )
    assert image_of("registry:5000/team/app") == Image(name="registry:5000/team/app", tag=None)


def test_what_the_typed_pieces_cannot_say_leaves_the_workload_raw() -> None:
    props = DeploymentProps(name="web", selector={"app": "web"}, pod=POD)
    objects, _ = recognised(lambda s: Deployment(s, "web", props))
    container = dict(objects[0]["spec"]["template"]["spec"]["containers"][0])
    near_miss(
        objects,
        0,
        ("spec", "template", "spec", "containers"),
        [{**container, "livenessProbe": {"exec": {"command": ["true"]}}}],
    )
    near_miss(objects, 0, ("spec", "template", "spec", "tolerations"), [{"operator": "Exists"}])
    near_miss(objects, 0, ("spec", "revisionHistoryLimit"), 2)
