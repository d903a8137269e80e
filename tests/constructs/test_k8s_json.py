"""Typed cdk8s-plus-33 pieces as JSON, read in Python from what jsii keeps on its structs (pinned in pyproject)."""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

from cdk8s_plus_33 import k8s

from constructs_lib._internal.k8s_json import API_NAMES, name_of, to_json


def test_a_typed_struct_is_its_json_with_the_apis_names_and_only_the_fields_set() -> None:
    pod = k8s.PodSpec(
        host_ipc=True,  # jsii's name is hostIpc: the API's is hostIPC
        containers=[
            k8s.Container(
                image="busybox:1.36",
                name="c",
                env_from=[k8s.EnvFromSource(secret_ref=k8s.SecretEnvSource(name="s"))],
                resources=k8s.ResourceRequirements(limits={"memory": k8s.Quantity.from_string("64Mi")}),
            )
        ],
        volumes=[k8s.Volume(name="v", persistent_volume_claim=k8s.PersistentVolumeClaimVolumeSource(claim_name="d"))],
    )
    assert to_json(pod) == {
        "containers": [
            {
                "name": "c",
                "envFrom": [{"secretRef": {"name": "s"}}],
                "image": "busybox:1.36",
                "resources": {"limits": {"memory": "64Mi"}},
            }
        ],
        "hostIPC": True,
        "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "d"}}],
    }
    assert list(to_json(pod)["containers"][0]) == ["name", "envFrom", "image", "resources"]  # name first
    assert name_of(pod.volumes[0]) == "v"  # type: ignore[index]


def test_mappings_and_sequences_are_taken_as_written_with_typed_pieces_inside() -> None:
    values = {"b": None, "a": (k8s.EnvVar(name="X", value="1"),), "n": 2}
    assert to_json(values) == {"b": None, "a": [{"name": "X", "value": "1"}], "n": 2}
    assert to_json(k8s.IntOrString.from_number(8080)) == 8080


def test_the_renamed_fields_are_those_cdk8s_plus_renames() -> None:
    """cdk8s-plus turns its structs into the API's JSON in Node.js (``'hostIPC': obj.hostIpc``); the table
    that does it in Python holds exactly its renames, each the same in every struct."""
    import cdk8s_plus_33

    (bundle,) = (Path(cdk8s_plus_33.__file__).parent / "_jsii").glob("*.tgz")
    with tarfile.open(bundle) as tar:
        source = tar.extractfile("package/lib/imports/k8s.js").read().decode()  # type: ignore[union-attr]
    pairs = set(re.findall(r"'([^']+)': obj\.(\w+)", source))
    renamed = {jsii: api for api, jsii in pairs if api != jsii}
    assert renamed == API_NAMES
    assert not [(api, jsii) for api, jsii in pairs if jsii in API_NAMES and api != API_NAMES[jsii]]
