"""Hashed config: a ConfigMap or Secret with ``hashed=True`` gets kustomize's ``-<hash>`` name, every pod of
its app that reads it follows, an overlay that changes it gets a new name that kustomize builds right, and
``homelab diff`` shows the rename."""

from __future__ import annotations

import json
import subprocess
from base64 import b64encode
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constructs_lib.config_map import ConfigMap
from constructs_lib.errors import PropsError
from homelab import HomelabError
from homelab.engine.diff import Side, compare, write_files
from homelab.engine.hashed import hash_names
from homelab.engine.kustomize import content_hash
from homelab.engine.pipeline import synthesise
from homelab.engine.render import Renderer
from tests.conftest import FakeStore
from tests.patterns import hashed_lab
from tests.patterns.hashed_lab import RADIO, SETTINGS

# Values whose JSON differs between Go and Python unless escaped as Go does, and a file's final newline.
AWKWARD = {"html": "a<b>&c", "unicode": "é ü 日本", "separators": "x\u2028y\u2029z", "ctrl": 't\tq"\\', "file": "k=v\n"}


def synth(lab: Any = hashed_lab.LAB) -> dict[str, bytes]:
    return synthesise(lab, stores={"home": FakeStore()}).files


def doc(files: dict[str, bytes], path: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(files[f"kustomize/radio/{path}"])
    return loaded


def built(kubectl: str, directory: Path) -> list[dict[str, Any]]:
    out = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, check=True).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def base64(text: str) -> str:
    return b64encode(text.encode()).decode()


def generated(kubectl: str, tmp_path: Path, generator: dict[str, Any], data: dict[str, str]) -> dict[str, Any]:
    """What kustomize's generator makes of ``data`` (one file per key, read whole)."""
    for key, value in data.items():
        (tmp_path / key).write_text(value)
    kind = "secretGenerator" if generator.get("type") else "configMapGenerator"
    (tmp_path / "kustomization.yaml").write_text(
        json.dumps({kind: [{"name": "cfg", "files": sorted(data), **generator}]})
    )
    (obj,) = built(kubectl, tmp_path)
    return obj


@pytest.mark.parametrize("data", [AWKWARD, {"one": "1"}, {}], ids=["awkward", "one", "empty"])
def test_the_hashed_name_is_kustomize_s(kubectl: str, tmp_path: Path, data: dict[str, str]) -> None:
    """Each generator's object, named back ``cfg``, hashes to the suffix kustomize gave it."""
    for generator in ({}, {"type": "Opaque"}):
        obj = generated(kubectl, tmp_path, generator, data)
        assert obj.get("data", {}) == (data if not generator else {k: base64(v) for k, v in data.items()})
        name, _, suffix = obj["metadata"]["name"].rpartition("-")
        assert (name, suffix) == ("cfg", content_hash({**obj, "metadata": {"name": "cfg"}}))


def test_the_hash_is_of_the_content_only() -> None:
    """Kind and content count; the name, namespace, labels and annotations do not (as in kustomize)."""
    base = {"kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}}
    assert content_hash(base) == content_hash({**base, "metadata": {"name": "b", "labels": {"x": "y"}}})
    assert content_hash(base) != content_hash({**base, "data": {"k": "w"}})
    assert content_hash(base) != content_hash({**base, "binaryData": {"b": "AA=="}})
    secret = {"kind": "Secret", "metadata": {"name": "a"}, "stringData": {"k": "v"}}
    assert content_hash(secret) != content_hash({**secret, "type": "kubernetes.io/basic-auth"})
    assert content_hash(secret) != content_hash({**secret, "kind": "ConfigMap"})


def test_every_reference_in_the_app_follows_the_hashed_names() -> None:
    files = synth()
    settings = f"settings-{content_hash({'kind': 'ConfigMap', 'data': dict(SETTINGS.data)})}"
    config = doc(files, f"base/configmap-{settings}.yaml")
    assert config["metadata"]["name"] == settings
    station = next(p for p in files if "radio/base/secret-station-" in p).rpartition("/")[2][len("secret-") : -5]
    assert doc(files, "base/configmap-themes.yaml")["metadata"]["name"] == "themes"  # not hashed: as declared
    pod = doc(files, "base/deployment-radio.yaml")["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    (init,) = pod["initContainers"]
    assert [e["valueFrom"] for e in container["env"]] == [
        {"configMapKeyRef": {"name": settings, "key": "LOG_LEVEL"}},
        {"secretKeyRef": {"name": station, "key": "STATION_ID"}},
    ]
    assert container["envFrom"] == [{"secretRef": {"name": station}}]
    assert init["envFrom"] == [{"configMapRef": {"name": settings}}, {"configMapRef": {"name": "themes"}}]
    assert pod["volumes"] == [
        {"name": "conf", "configMap": {"name": settings}},
        {"name": "all", "projected": {"sources": [{"configMap": {"name": settings}}, {"secret": {"name": station}}]}},
    ]


def test_a_name_with_no_room_for_the_hash_is_refused() -> None:
    renderer = Renderer(hashed_lab.LAB, {})
    long = replace(SETTINGS, name="a" * 243)
    with pytest.raises(
        HomelabError,
        match=r"test_hashed\.py:\d+: radio/base: ConfigMap 'a{243}': hashed=True adds '-<hash>' \(11 characters\) to the name, and a name has at most 253; name= is 243 characters: shorten it to at most 242, or leave hashed out",
    ):
        renderer.run("radio/base", lambda scope: ConfigMap(scope, "settings", long), "lab.py", chart="radio")
    renderer.run(
        "radio/base", lambda scope: ConfigMap(scope, "settings", replace(long, name="a" * 242)), "lab.py", chart="radio"
    )
    with pytest.raises(PropsError, match=r"PlainSecret 'radio/b{243}': hashed=True adds .* shorten it to at most 242"):
        replace(hashed_lab.TOKEN, name="b" * 243)


def test_the_construct_keeps_its_declared_name_and_other_namespaces_are_not_rewritten() -> None:
    renderer = Renderer(hashed_lab.LAB, {})

    def base(scope: Any) -> None:
        ConfigMap(scope, "settings", SETTINGS)
        ConfigMap(scope, "elsewhere", replace(SETTINGS, namespace="other", hashed=False))

    rendered = renderer.run("radio/base", base, "lab.py", chart="radio")
    assert rendered[0].construct.to_json()["metadata"]["name"] == "settings"
    assert rendered[0].data["metadata"]["name"].startswith("settings-")
    assert rendered[1].data["metadata"]["name"] == "settings"
    pod = {
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "other"},
        "spec": {"containers": [{"envFrom": [{"configMapRef": {"name": "settings"}}]}]},
    }
    other = replace(rendered[1], data=pod)
    hash_names([rendered[0], other])
    assert other.data["spec"]["containers"][0]["envFrom"] == [{"configMapRef": {"name": "settings"}}]


def test_an_overlay_that_changes_the_content_gets_the_new_name_and_builds(kubectl: str, tmp_path: Path) -> None:
    files = synth()
    write_files(files, tmp_path)
    changed = f"settings-{content_hash({'kind': 'ConfigMap', 'data': {**SETTINGS.data, 'LOG_LEVEL': 'debug'}})}"
    objects = built(kubectl, tmp_path / "kustomize/radio/overlays/home")
    config_maps = [o for o in objects if o["kind"] == "ConfigMap" and o["metadata"]["name"].startswith("settings")]
    assert [c["metadata"]["name"] for c in config_maps] == [changed]
    assert config_maps[0]["data"]["LOG_LEVEL"] == "debug"
    (deployment,) = [o for o in objects if o["kind"] == "Deployment"]
    text = json.dumps(deployment)
    assert text.count(f'"{changed}"') == 4  # env, init envFrom, volume, projected source
    assert '"settings-' not in text.replace(f'"{changed}"', "")
    base = built(kubectl, tmp_path / "kustomize/radio/base")
    original = f"settings-{content_hash({'kind': 'ConfigMap', 'data': dict(SETTINGS.data)})}"
    assert [o["metadata"]["name"] for o in base if o["kind"] == "ConfigMap"] == [original, "themes"]


def test_an_overlay_that_keeps_the_content_patches_nothing() -> None:
    same = replace(RADIO, overlays={"home": lambda scope, ctx: hashed_lab.radio_base(scope)})
    files = synth(replace(hashed_lab.LAB, clusters=(replace(hashed_lab.LAB.clusters[0], apps=(same,)),)))
    kustomization = yaml.safe_load(files["kustomize/radio/overlays/home/kustomization.yaml"])
    assert kustomization["resources"] == ["../../base"] and "patches" not in kustomization


def test_diff_shows_the_rename(tmp_path: Path) -> None:
    def with_data(data: dict[str, str]) -> Any:
        def base(scope: Any) -> None:
            hashed_lab.radio(scope, replace(SETTINGS, data=data))

        return replace(
            hashed_lab.LAB,
            clusters=(replace(hashed_lab.LAB.clusters[0], apps=(replace(RADIO, base=base, overlays={}),)),),
        )

    old_name, new_name = (
        f"settings-{content_hash({'kind': 'ConfigMap', 'data': d})}" for d in ({"a": "1"}, {"a": "2"})
    )
    old = Side(write_files(synth(with_data({"a": "1"})), tmp_path / "old") / "kustomize", "old")
    new = Side(write_files(synth(with_data({"a": "2"})), tmp_path / "new") / "kustomize", "new")
    text = compare(old, new).text()
    assert f"- ConfigMap radio/{old_name}" in text
    assert f"+ ConfigMap radio/{new_name}" in text
    assert "~ Deployment radio/radio" in text
    assert f'spec.template.spec.volumes[0].configMap.name: "{old_name}" → "{new_name}"' in text


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"), max_size=20))
def test_any_text_hashes_as_kustomize_does(kubectl: str, tmp_path: Path, value: str) -> None:
    """Any text kustomize takes in a file (it refuses control characters but tab and newline)."""
    obj = generated(kubectl, tmp_path, {}, {"value": value})
    suffix = obj["metadata"]["name"].rpartition("-")[2]
    assert obj["data"] == {"value": value}
    assert suffix == content_hash({"kind": "ConfigMap", "data": {"value": value}})
