"""Storage (Longhorn class, NFS volume, claims), Namespace and the raw-manifest workloads."""

from __future__ import annotations

import pytest

from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.cron_job import CronJob, CronJobProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.errors import PropsError
from constructs_lib.job import Job, JobProps
from constructs_lib.longhorn_storage_class import LonghornStorageClass, LonghornStorageClassProps
from constructs_lib.namespace import PRIVILEGED, Namespace
from constructs_lib.nfs_volume import NfsVolume, NfsVolumeProps
from constructs_lib.pod import (
    Container,
    Mount,
    PodSpec,
    Port,
    Probe,
    claim_volume,
    env_secret,
    env_value,
    secret_volume,
)
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.versions import Image
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from constructs_lib.volume_snapshot_class import VolumeSnapshotClass, VolumeSnapshotClassProps
from tests.conftest import render, render_one


def test_longhorn_storage_class_defaults() -> None:
    m = render_one(lambda s: LonghornStorageClass(s, "sc", LonghornStorageClassProps(name="fast")))
    assert m == {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": "fast"},
        "provisioner": "driver.longhorn.io",
        "allowVolumeExpansion": True,
        "reclaimPolicy": "Retain",
        "volumeBindingMode": "Immediate",
        "parameters": {"numberOfReplicas": "3", "fromBackup": "", "fsType": "ext4", "dataLocality": "disabled"},
    }


def test_longhorn_storage_class_overrides() -> None:
    props = LonghornStorageClassProps(
        name="db", replicas=1, stale_replica_timeout=30, reclaim_policy="Delete", binding_mode="WaitForFirstConsumer"
    )
    m = render_one(lambda s: LonghornStorageClass(s, "sc", props))
    assert m["parameters"]["numberOfReplicas"] == "1" and m["parameters"]["staleReplicaTimeout"] == "30"
    assert m["reclaimPolicy"] == "Delete" and m["volumeBindingMode"] == "WaitForFirstConsumer"


def test_longhorn_replicas_bounds() -> None:
    with pytest.raises(PropsError, match=r"LonghornStorageClass 'x': replicas must be 1..20, got 0"):
        LonghornStorageClassProps(name="x", replicas=0)


def test_nfs_volume_with_claim() -> None:
    props = NfsVolumeProps(name="pv-media", server="nas.lan", path="/export/media", size="1Ti", claim_name="media")
    pv, pvc = render(lambda s: NfsVolume(s, "v", props))
    assert pv["spec"] == {
        "capacity": {"storage": "1Ti"},
        "accessModes": ["ReadWriteMany"],
        "persistentVolumeReclaimPolicy": "Retain",
        "nfs": {"server": "nas.lan", "path": "/export/media"},
    }
    assert pvc["metadata"] == {"name": "media"}
    assert pvc["spec"] == {
        "volumeName": "pv-media",
        "accessModes": ["ReadWriteMany"],
        "resources": {"requests": {"storage": "1Ti"}},
        "storageClassName": "",
    }


def test_nfs_volume_alone() -> None:
    props = NfsVolumeProps(name="pv", server="nas", path="/x", size="1Gi")
    assert [m["kind"] for m in render(lambda s: NfsVolume(s, "v", props))] == ["PersistentVolume"]


def test_nfs_volume_needs_a_server() -> None:
    with pytest.raises(PropsError, match=r"NfsVolume 'pv': server is required"):
        NfsVolumeProps(name="pv", server="", path="/x", size="1Gi")


def test_nfs_path_must_be_absolute() -> None:
    with pytest.raises(PropsError, match=r"path 'export' must be the absolute exported path"):
        NfsVolumeProps(name="pv", server="nas", path="export", size="1Gi")


def test_volume_claim() -> None:
    m = render_one(lambda s: VolumeClaim(s, "c", VolumeClaimProps(name="data", size="5Gi", storage_class="fast")))
    assert m["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "5Gi"}},
        "storageClassName": "fast",
    }
    with pytest.raises(PropsError, match=r"VolumeClaim 'data': size 'lots' must be a quantity"):
        VolumeClaimProps(name="data", size="lots")


def test_namespace() -> None:
    m = render_one(lambda s: Namespace(s, "n", name="media", labels=PRIVILEGED))
    assert m["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "privileged"
    with pytest.raises(PropsError, match=r"Namespace 'Media': name 'Media' is not a valid Kubernetes name"):
        render(lambda s: Namespace(s, "n", name="Media"))


WEB = Container(
    name="web",
    image=Image(name="nginx", tag="1.27"),
    env=(env_value("A", "1"), env_secret("B", "creds")),
    env_from_secrets=("more",),
    ports=(Port(container_port=80, name="http"),),
    mounts=(Mount(volume="data", path="/data", read_only=True),),
    liveness=Probe(http_path="/", port=80, initial_delay_seconds=5),
    readiness=Probe(port=80, period_seconds=3),
    requests={"cpu": "100m"},
    security_context={"runAsUser": 1000},
)


def test_deployment() -> None:
    props = DeploymentProps(
        name="web",
        namespace="site",
        selector={"app": "web"},
        strategy="Recreate",
        pod=PodSpec(containers=(WEB,), volumes=(claim_volume("data", "web-data"),), restart_policy="Always"),
    )
    m = render_one(lambda s: Deployment(s, "d", props))
    assert m["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert m["spec"]["strategy"] == {"type": "Recreate"}
    assert m["spec"]["template"]["metadata"] == {"labels": {"app": "web"}}
    (c,) = m["spec"]["template"]["spec"]["containers"]
    assert c["env"] == [
        {"name": "A", "value": "1"},
        {"name": "B", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "B"}}},
    ]
    assert c["envFrom"] == [{"secretRef": {"name": "more"}}]
    assert c["livenessProbe"] == {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5}
    assert c["readinessProbe"] == {"tcpSocket": {"port": 80}, "periodSeconds": 3}
    assert c["volumeMounts"] == [{"name": "data", "mountPath": "/data", "readOnly": True}]
    assert c["resources"] == {"requests": {"cpu": "100m"}} and c["securityContext"] == {"runAsUser": 1000}


def test_volume_snapshot_class() -> None:
    m = render_one(
        lambda s: VolumeSnapshotClass(s, "c", VolumeSnapshotClassProps(name="longhorn", driver="driver.longhorn.io"))
    )
    assert m == {
        "apiVersion": "snapshot.storage.k8s.io/v1",
        "kind": "VolumeSnapshotClass",
        "metadata": {"name": "longhorn"},
        "driver": "driver.longhorn.io",
        "deletionPolicy": "Delete",
    }
    props = VolumeSnapshotClassProps(
        name="backup",
        driver="driver.longhorn.io",
        deletion_policy="Retain",
        parameters={"type": "bak"},
        labels={"a": "b"},
    )
    m = render_one(lambda s: VolumeSnapshotClass(s, "c", props))
    assert (m["deletionPolicy"], m["parameters"], m["metadata"]["labels"]) == ("Retain", {"type": "bak"}, {"a": "b"})
    with pytest.raises(PropsError, match=r"VolumeSnapshotClass 'x': driver is required: the CSI driver's name"):
        VolumeSnapshotClassProps(name="x", driver="")
    with pytest.raises(PropsError, match=r"VolumeSnapshotClass 'Bad_Name'"):
        VolumeSnapshotClassProps(name="Bad_Name", driver="d")


def test_a_probe_with_its_scheme_timings_and_thresholds() -> None:
    probe = Probe(
        http_path="/q/health/live",
        port=8080,
        http_scheme="HTTPS",
        timeout_seconds=10,
        success_threshold=1,
        failure_threshold=5,
    )
    assert probe.render() == {
        "httpGet": {"path": "/q/health/live", "port": 8080, "scheme": "HTTPS"},
        "timeoutSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 5,
    }
    assert Probe(port=25, failure_threshold=1).render() == {"tcpSocket": {"port": 25}, "failureThreshold": 1}
    with pytest.raises(
        PropsError, match=r"Probe on port 25: http_scheme='HTTPS' is for an HTTP probe; give http_path="
    ):
        Probe(port=25, http_scheme="HTTPS")


def test_deployment_errors() -> None:
    pod = PodSpec(containers=(WEB,), volumes=(claim_volume("data", "x"),))
    with pytest.raises(PropsError, match=r"Deployment 'web': pod_labels must include the selector's"):
        DeploymentProps(name="web", selector={"app": "web"}, pod_labels={"app": "other"}, pod=pod)
    with pytest.raises(PropsError, match=r"Container 'web' mounts volume 'data', which the pod does not declare"):
        render(
            lambda s: Deployment(
                s, "d", DeploymentProps(name="web", selector={"a": "b"}, pod=PodSpec(containers=(WEB,)))
            )
        )
    with pytest.raises(
        PropsError, match=r"Container.image: expected Image, got str 'nginx:1.27'; write Image\(name=..., tag=...\)$"
    ):
        Container(name="web", image="nginx:1.27")  # type: ignore[arg-type]


def test_service() -> None:
    props = ServiceProps(
        name="web",
        selector={"app": "web"},
        type="ClusterIP",
        ports=(ServicePort(port=80, target_port="http", name="http"),),
    )
    assert render_one(lambda s: Service(s, "s", props))["spec"] == {
        "type": "ClusterIP",
        "selector": {"app": "web"},
        "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
    }
    with pytest.raises(PropsError, match=r"Service 'web': ports must hold at least one ServicePort"):
        ServiceProps(name="web", selector={"a": "b"}, ports=())


def test_job_and_cronjob() -> None:
    pod = PodSpec(
        containers=(
            Container(
                name="run",
                image=Image(name="busybox", tag="1.36"),
                command=("true",),
                mounts=(Mount(volume="s", path="/s"),),
            ),
        ),
        volumes=(secret_volume("s", "creds", ("a.json",)),),
        restart_policy="Never",
    )
    job = render_one(
        lambda s: Job(s, "j", JobProps(name="once", pod=pod, backoff_limit=0, ttl_seconds_after_finished=60))
    )
    assert job["spec"]["backoffLimit"] == 0 and job["spec"]["ttlSecondsAfterFinished"] == 60
    assert job["spec"]["template"]["spec"]["volumes"] == [
        {"name": "s", "secret": {"secretName": "creds", "items": [{"key": "a.json", "path": "a.json"}]}}
    ]
    cron = render_one(lambda s: CronJob(s, "c", CronJobProps(name="daily", pod=pod, schedule="0 18 * * *")))
    assert cron["spec"]["schedule"] == "0 18 * * *"
    assert cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    with pytest.raises(PropsError, match=r"CronJob 'daily': schedule 'daily' must have 5 fields"):
        CronJobProps(name="daily", pod=pod, schedule="daily")


def test_config_map() -> None:
    m = render_one(lambda s: ConfigMap(s, "c", ConfigMapProps(name="ca", data={"ca.pem": "x\n"})))
    assert m["data"] == {"ca.pem": "x\n"}
