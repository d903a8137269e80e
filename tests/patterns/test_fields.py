"""Workload and database fields without the escape hatch: the fields lab synthesises with no ``set_field``, each
field comes out where the API reads it, a field left unset is not written, an untagged image is allowed where
the API allows it, and a misspelt ``set_field`` pointer is refused at its line with the field it meant."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
import yaml

from constructs_lib.api_object import Manifest
from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.errors import PropsError
from constructs_lib.pod import Container, PodSpec, env_from_secret
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.versions import Image
from homelab import AppSpec, HomelabError, Scope
from homelab.engine.pipeline import Synthesis, synthesise
from homelab.validate.index import created_by
from tests.conftest import ROOT, FakeStore, render_one
from tests.patterns import fields_lab as lab

DIGEST = "sha256:" + "a" * 64


def synth(*apps: AppSpec) -> Synthesis:
    plan = replace(lab.LAB.clusters[0], apps=apps or (lab.DIRECTORY,))
    return synthesise(replace(lab.LAB, clusters=(plan,)), stores={"home": FakeStore()})


def objects(s: Synthesis) -> dict[str, dict[str, Any]]:
    """The base's objects by file name."""
    return {
        path.rpartition("/")[2]: yaml.safe_load(text)
        for path, text in s.files.items()
        if path.startswith("kustomize/directory/base/") and not path.endswith("/kustomization.yaml")
    }


def test_the_fields_lab_synthesises_every_field_with_no_set_field() -> None:
    s = synth()
    assert s.warnings == []
    out = objects(s)
    deployment = out["deployment-directory.yaml"]["spec"]
    assert "replicas" not in deployment
    pod = deployment["template"]["spec"]
    assert pod["initContainers"][0]["image"] == "busybox"
    assert pod["containers"][0]["envFrom"] == [
        {"configMapRef": {"name": "directory-settings"}},
        {"secretRef": {"name": "directory-pg-app"}, "prefix": "DB_"},
    ]
    assert pod["affinity"] == {
        "podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": "topology.kubernetes.io/zone", "labelSelector": {"matchLabels": {"app": "directory"}}}
            ]
        }
    }
    assert out["service-directory-headless.yaml"]["spec"]["clusterIP"] == "None"
    ldap = out["service-directory.yaml"]["spec"]
    assert (ldap["type"], ldap["externalTrafficPolicy"], ldap["externalIPs"]) == (
        "LoadBalancer",
        "Local",
        ["192.0.2.10"],
    )
    claim = out["persistentvolumeclaim-directory-backup.yaml"]["spec"]
    assert claim["selector"] == {"matchLabels": {"volume": "directory-backup"}}
    cluster = out["cluster-directory-pg.yaml"]["spec"]
    assert cluster["storage"] == {"size": "1Gi", "pvcTemplate": {"selector": {"matchLabels": {"tier": "fast"}}}}
    assert cluster["affinity"] == {
        "enablePodAntiAffinity": True,
        "topologyKey": "kubernetes.io/hostname",
        "podAntiAffinityType": "required",
        "nodeSelector": {"storage": "ssd"},
    }
    assert cluster["managed"] == {
        "services": {
            "disabledDefaultServices": ["ro", "r"],
            "additional": [
                {
                    "selectorType": "rw",
                    "serviceTemplate": {"metadata": {"name": "directory-pg-lb"}, "spec": {"type": "LoadBalancer"}},
                }
            ],
        }
    }


def test_cnpg_services_created_follow_managed_services() -> None:
    cluster = render_one(lambda s: CnpgDatabase(s, "db", lab.DB))
    services = sorted(name for kind, _, name in created_by(cluster, "directory") if kind == "Service")
    assert services == ["directory-pg-lb", "directory-pg-rw"]


def deployment(**changes: Any) -> dict[str, Any]:
    pod = PodSpec(containers=(Container(name="c", image=Image(name="busybox", tag="1")),))
    props = DeploymentProps(name="d", selector={"app": "d"}, pod=pod, **changes)
    return render_one(lambda s: Deployment(s, "d", props))["spec"]


def test_replicas_are_written_only_when_set() -> None:
    assert "replicas" not in deployment()
    assert deployment(replicas=0)["replicas"] == 0
    assert deployment(replicas=3)["replicas"] == 3
    with pytest.raises(PropsError, match=r"Deployment 'd': replicas must be 0 or more, got -1"):
        deployment(replicas=-1)


def test_an_image_without_a_tag() -> None:
    assert Image(name="busybox", tag=None).ref == "busybox"
    assert Image(name="busybox", tag=None, digest=DIGEST).ref == f"busybox@{DIGEST}"
    assert Image(name="busybox", tag="1.36", digest=DIGEST).ref == f"busybox:1.36@{DIGEST}"
    assert Image(name="ghcr.io/x/y", tag=None).values() == {"repository": "ghcr.io/x/y"}
    with pytest.raises(PropsError, match=r"Image 'busybox': tag '' must be a bare tag such as '1.2.3'"):
        Image(name="busybox", tag="")


def test_cloudnativepg_refuses_an_untagged_image() -> None:
    with pytest.raises(
        PropsError,
        match=r"CnpgDatabase 'pg': image_name 'ghcr.io/x/pg' has no tag; CloudNativePG reads the PostgreSQL version "
        r"from it: give one, e.g. Image\(name='ghcr.io/x/pg', tag='16'\)",
    ):
        CnpgDatabaseProps(name="pg", namespace="app", image_name=Image(name="ghcr.io/x/pg", tag=None))


def _renovate_image_regex() -> re.Pattern[str]:
    config = json.loads((ROOT / "renovate.json").read_text())
    (manager,) = [m for m in config["customManagers"] if m.get("datasourceTemplate") == "docker"]
    (pattern,) = manager["matchStrings"]
    return re.compile(pattern.replace("(?<", "(?P<"))  # JavaScript's named groups in Python's spelling


def test_renovate_tracks_tagged_images_and_skips_untagged_ones() -> None:
    regex = _renovate_image_regex()
    tagged = regex.search(f'Image(name="ghcr.io/x/y", tag="v1.2.0", digest="{DIGEST}")')
    assert tagged is not None
    assert tagged.group("depName", "currentValue", "currentDigest") == ("ghcr.io/x/y", "v1.2.0", DIGEST)
    untagged = 'Image(name="busybox", tag=None)\nImage(name="busybox", tag=None, digest="' + DIGEST + '")'
    assert regex.search(untagged) is None
    assert regex.search(lab.__loader__.get_source(lab.__name__) or "") is not None  # type: ignore[union-attr]


def test_env_from_and_env_from_secrets_together_are_refused() -> None:
    with pytest.raises(
        PropsError,
        match=r"Container 'c': env_from and env_from_secrets both set, and their order decides which value a "
        r"repeated key takes; fix: drop env_from_secrets and list env_from_secret\('s'\) in env_from",
    ):
        Container(
            name="c", image=Image(name="busybox", tag=None), env_from=(env_from_secret("t"),), env_from_secrets=("s",)
        )


def test_external_traffic_policy_needs_an_external_service() -> None:
    with pytest.raises(
        PropsError,
        match=r"Service 'web': external_traffic_policy='Local' applies only to an external Service, and type is "
        r"None; the API server refuses it: set type='LoadBalancer'",
    ):
        ServiceProps(name="web", selector={"a": "b"}, ports=(ServicePort(port=80),), external_traffic_policy="Local")


def app_setting(build: Callable[[Scope], int]) -> tuple[AppSpec, list[int]]:
    """An app whose base runs ``build``, which returns the line of its ``set_field`` call."""
    lines: list[int] = []

    def base(scope: Scope) -> None:
        lines.append(build(scope))

    return AppSpec(name="directory", base=base), lines


def web(scope: Scope) -> Deployment:
    """A Deployment, the Service in front of it is :func:`service`'s."""
    pod = PodSpec(containers=(Container(name="c", image=Image(name="busybox", tag=None)),))
    return Deployment(scope, "d", DeploymentProps(name="d", namespace="directory", selector={"a": "b"}, pod=pod))


def service(scope: Scope) -> Manifest:
    web(scope)
    props = ServiceProps(name="web", namespace="directory", selector={"a": "b"}, ports=(ServicePort(port=80),))
    return Service(scope, "web", props).resource


def test_a_misspelt_set_field_pointer_is_refused_at_its_line_with_the_field_meant() -> None:
    def build(scope: Scope) -> int:
        service(scope).set_field("/spec/externalTraficPolicy", "Local")
        return sys._getframe().f_lineno - 1

    app, lines = app_setting(build)
    with pytest.raises(HomelabError) as caught:
        synth(app)
    assert re.match(
        rf"tests/patterns/test_fields.py:{lines[0]}: Service directory/web \(directory/web/Resource\) in "
        r"directory/base: set_field\('/spec/externalTraficPolicy'\): Service has no field "
        r"spec.externalTraficPolicy: spec has no 'externalTraficPolicy'; did you mean 'externalTrafficPolicy'\? Fix: correct the pointer \(the API's field names\), or use the construct's prop",
        str(caught.value),
    ), str(caught.value)
    assert str(caught.value).count("\n") == 0  # said once, though the base is rendered in the overlay too


@pytest.mark.parametrize(
    ("pointer", "problem"),
    [
        ("/spec/template/spec/containers/0/tyy", r"spec.template.spec.containers\[0\].tyy: .*did you mean 'tty'\?"),
        ("/spec/template/spec/affinty", r"did you mean 'affinity'\?"),
        ("/spec/replicas/x", r"Deployment field spec.replicas is of type integer: it has no field 'x'"),
    ],
)
def test_set_field_pointers_in_a_pod(pointer: str, problem: str) -> None:
    def build(scope: Scope) -> int:
        web(scope).resource.set_field(pointer, 1)
        return sys._getframe().f_lineno - 1

    app, lines = app_setting(build)
    with pytest.raises(HomelabError, match=problem) as caught:
        synth(app)
    assert str(caught.value).startswith(f"tests/patterns/test_fields.py:{lines[0]}: Deployment directory/d ")


def test_a_custom_resources_set_field_pointer_is_checked_against_its_schema() -> None:
    def build(scope: Scope) -> int:
        CnpgDatabase(scope, "db", lab.DB).resource.set_field("/spec/managed/servics", {})
        return sys._getframe().f_lineno - 1

    app, lines = app_setting(build)
    with pytest.raises(
        HomelabError, match=r"Cluster has no field spec.managed.servics: .*did you mean 'services'\?"
    ) as caught:
        synth(app)
    assert str(caught.value).startswith(f"tests/patterns/test_fields.py:{lines[0]}: Cluster directory/directory-pg ")


def test_set_field_pointers_the_schema_has_pass() -> None:
    def build(scope: Scope) -> int:
        resource = service(scope)
        resource.set_field("/spec/externalIPs/-", "192.0.2.1")
        resource.set_field("/metadata/annotations/example.org~1note", "x")
        CnpgDatabase(scope, "db", lab.DB).resource.set_field("/spec/managed/services/additional", [])
        return 0

    app, _ = app_setting(build)
    (web,) = [yaml.safe_load(t) for p, t in synth(app).files.items() if p.endswith("/service-web.yaml")]
    assert web["spec"]["externalIPs"] == ["192.0.2.1"]
    assert web["metadata"]["annotations"] == {"example.org/note": "x"}


@pytest.mark.parametrize(
    ("on", "pointer", "value", "problem"),
    [
        (
            "deployment",
            "/spec/replicas",
            "3",
            r"spec.replicas must be an integer \(int\), got a string \(str\) '3'",
        ),
        (
            "service",
            "/spec/externalIPs",
            {"ip": "192.0.2.1"},
            r"spec.externalIPs must be a list, got a mapping \(dict\) \{'ip': '192.0.2.1'\}",
        ),
        (
            "service",
            "/spec/ports/0/port",
            "80",
            r"spec.ports\[0\].port must be an integer \(int\), got a string \(str\) '80'",
        ),
        (  # before: "must be a string (str) or None or a number (int or float) or None" (each of anyOf's types)
            "deployment",
            "/spec/template/spec/containers/0/resources/limits/cpu",
            True,
            r"spec.template.spec.containers\[0\].resources.limits.cpu must be a string \(str\) or a number \(int or "
            r"float\), got a boolean \(bool\) True",
        ),
        (
            "database",
            "/spec/primaryUpdateStrategy",
            "manual",
            r"spec.primaryUpdateStrategy must be one of 'unsupervised', 'supervised', got a string \(str\) 'manual'",
        ),
    ],
)
def test_a_set_field_value_of_the_wrong_type_is_refused_at_its_line(
    on: str, pointer: str, value: Any, problem: str
) -> None:
    """Before: the pointer was checked, the value was not; a string for an integer reached the API server."""

    def build(scope: Scope) -> int:
        target = {
            "deployment": lambda: web(scope).resource,
            "service": lambda: service(scope),
            "database": lambda: CnpgDatabase(scope, "db", lab.DB).resource,
        }[on]()
        target.set_field(pointer, value)
        return sys._getframe().f_lineno - 1

    app, lines = app_setting(build)
    with pytest.raises(HomelabError) as caught:
        synth(app)
    message = str(caught.value)
    assert re.match(rf"tests/patterns/test_fields.py:{lines[0]}: \w+ directory/[\w-]+ ", message), message
    assert re.search(
        rf"in directory/base: set_field\({re.escape(repr(pointer))}\): {problem}\. Fix: give set_field a value of "
        r"the type the field takes, or use the construct's prop for the field where it has one$",
        message,
    ), message
    assert message.count("\n") == 0


def test_set_field_values_of_the_right_type_pass() -> None:
    def build(scope: Scope) -> int:
        web(scope).resource.set_field("/spec/replicas", 3)
        CnpgDatabase(scope, "db", lab.DB).resource.set_field("/spec/primaryUpdateStrategy", "supervised")
        return 0

    app, _ = app_setting(build)
    files = synth(app).files
    (deployment,) = [yaml.safe_load(t) for p, t in files.items() if p.endswith("/base/deployment-d.yaml")]
    assert deployment["spec"]["replicas"] == 3
