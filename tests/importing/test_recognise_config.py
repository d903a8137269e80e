"""ConfigMaps come back as ``ConfigMap`` and Secrets in clear marked not sensitive as ``PlainSecret``; hashed
ones (named by their content, as the engine and kustomize's generators name them) as ``hashed=True`` under
their declared name, and the pods of the build referencing them name that name, as their props declare it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_lib._internal.construct import BuilderScope
from constructs_lib._internal.objects import objects_of
from constructs_lib.api_object import api_object, json_of
from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.plain_secret import PlainSecret, PlainSecretProps
from constructs_lib.pod import (
    Container,
    PodSpec,
    config_map_volume,
    env_from_config_map,
    env_secret,
)
from constructs_lib.versions import Image
from homelab.engine.data import Rendered
from homelab.engine.hashed import hash_names
from homelab.importing.claims import recognise
from tests.importing.recognising import near_miss, only_claim, recognised

keys = st.from_regex(r"[a-z][a-z0-9._-]{0,10}", fullmatch=True)
data = st.dictionaries(keys, st.text(max_size=30), min_size=1, max_size=3)


def built(build: Callable[[BuilderScope], Any]) -> list[dict[str, Any]]:
    """What ``build`` renders in one directory, as the engine writes it: hashed config renamed, the pods'
    references to it rewritten (the engine's own step)."""
    scope = BuilderScope("test")
    build(scope)
    objects = [Rendered(data=json_of(o), origin="test", construct=o) for o in objects_of(scope)]
    hash_names(objects)
    return [o.data for o in objects]


@settings(max_examples=20, deadline=None)
@given(data, st.booleans())
def test_a_config_map_hashed_or_not_is_its_props(values: dict[str, str], hashed: bool) -> None:
    props = ConfigMapProps(name="web-config", namespace="web", data=values, hashed=hashed)
    (obj,) = built(lambda s: ConfigMap(s, "config", props))
    assert obj["metadata"]["name"] != "web-config" or not hashed
    (claim,) = recognise([obj])
    assert (claim.construct, claim.props) == (ConfigMap, props)


@settings(max_examples=20, deadline=None)
@given(data, st.booleans())
def test_a_plain_secret_hashed_or_not_is_its_props(values: dict[str, str], hashed: bool) -> None:
    props = PlainSecretProps(
        name="web-env", namespace="web", string_data=values, why_not_sensitive="public URLs", hashed=hashed
    )
    (claim,) = recognise(built(lambda s: PlainSecret(s, "env", props)))
    assert (claim.construct, claim.props) == (PlainSecret, props)


CONFIG = ConfigMapProps(name="web-config", namespace="web", data={"MODE": "prod"}, hashed=True)
ENV = PlainSecretProps(
    name="web-env", namespace="web", string_data={"URL": "https://x"}, why_not_sensitive="public", hashed=True
)
WEB = DeploymentProps(
    name="web",
    namespace="web",
    selector={"app": "web"},
    pod=PodSpec(
        containers=(
            Container(
                name="web",
                image=Image(name="nginx", tag="1.27"),
                env=(env_secret("URL", "web-env"),),
                env_from=(env_from_config_map("web-config"),),
            ),
        ),
        volumes=(config_map_volume("config", "web-config"),),
    ),
)


def app(scope: BuilderScope) -> None:
    ConfigMap(scope, "config", CONFIG)
    PlainSecret(scope, "env", ENV)
    Deployment(scope, "web", WEB)


def test_the_pods_of_an_app_name_its_hashed_config_by_its_declared_name() -> None:
    objects = built(app)
    pod = objects[2]["spec"]["template"]["spec"]
    assert pod["volumes"][0]["configMap"]["name"] == objects[0]["metadata"]["name"] != "web-config"
    claims = recognise(objects)
    assert [(c.construct, c.props, c.objects, c.id) for c in claims] == [
        (ConfigMap, CONFIG, (0,), "web-config"),
        (PlainSecret, ENV, (1,), "web-env"),
        (Deployment, WEB, (2,), "web"),
    ]


def test_a_raw_pod_names_the_declared_name_too_as_the_engine_rewrites_it() -> None:
    objects = built(app)
    objects[2]["spec"]["revisionHistoryLimit"] = 3  # no prop says it: the Deployment stays raw
    claims = recognise(objects)
    assert [c.typed for c in claims] == [True, True, False]
    raw = claims[2].props
    assert isinstance(raw, dict) and raw["spec"]["template"]["spec"]["volumes"][0]["configMap"]["name"] == "web-config"
    assert json.dumps(raw) != json.dumps(objects[2])


def test_a_pod_naming_the_declared_name_itself_keeps_the_config_unhashed() -> None:
    objects = built(app)
    pod = objects[2]["spec"]["template"]["spec"]
    pod["volumes"][0]["configMap"]["name"] = "web-config"  # a reference the engine would rewrite: not ours
    claims = recognise(objects)
    full = objects[0]["metadata"]["name"]
    assert claims[0].props == ConfigMapProps(name=full, namespace="web", data={"MODE": "prod"})
    assert claims[2].construct is Deployment
    assert claims[2].props.pod.volumes == (config_map_volume("config", "web-config"),)  # type: ignore[attr-defined]
    assert claims[2].props.pod.containers[0].env_from == (env_from_config_map(full),)  # type: ignore[attr-defined]


def test_a_declared_name_another_object_has_is_not_taken_back() -> None:
    objects = built(app)
    full = objects[0]["metadata"]["name"]
    twin = {**objects[0], "metadata": {**objects[0]["metadata"], "name": "web-config"}}
    claims = recognise([*objects, twin])
    assert claims[0].props == ConfigMapProps(name=full, namespace="web", data={"MODE": "prod"})
    assert claims[3].props == ConfigMapProps(name="web-config", namespace="web", data={"MODE": "prod"})


def test_kustomizes_generated_config_map_is_hashed_config(tmp_path: Path, kubectl: str) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "namespace: web\nconfigMapGenerator:\n  - name: web-config\n    literals: [MODE=prod, LEVEL=debug]\n"
    )
    out = subprocess.run([kubectl, "kustomize", str(tmp_path)], check=True, capture_output=True, text=True)
    generated = yaml.safe_load(out.stdout)
    assert generated["metadata"]["name"].startswith("web-config-")
    (claim,) = recognise([generated])
    assert claim.props == ConfigMapProps(
        name="web-config", namespace="web", data={"MODE": "prod", "LEVEL": "debug"}, hashed=True
    )


def test_a_secret_that_plain_secret_does_not_render_stays_raw() -> None:
    objects, _ = recognised(lambda s: PlainSecret(s, "env", ENV))
    near_miss(objects, 0, ("type",), "Opaque")
    near_miss(objects, 0, ("data",), {"TOKEN": "c2VjcmV0"})
    unmarked = api_object(
        BuilderScope("x"), "s", api_version="v1", kind="Secret", metadata={"name": "s", "namespace": "a"}
    )
    assert not recognise([{**json_of(unmarked), "stringData": {"a": "b"}}])[0].typed
    plain = only_claim(lambda s: ConfigMap(s, "c", ConfigMapProps(name="c", data={"a": "b"})))
    assert plain.props == ConfigMapProps(name="c", data={"a": "b"})
