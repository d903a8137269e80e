"""Overlay objects matched to the base objects they are through what the overlay's kustomize transformers
did to them (``namespace:``, ``namePrefix:``, ``nameSuffix:``), so the overlay builder reads as the difference
it is: ``replace(BLOG_DEPLOYMENT, name="home-blog", ...)``; and the constants' names."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from constructs_lib.config_map import ConfigMap, ConfigMapProps
from homelab.importing.arrange import Arranger
from homelab.importing.matching import twins
from tests.importing.foreign import HTTPS
from tests.importing.public import overlay_repo
from tests.importing.test_public_shapes import _clean

Import = Callable[..., tuple[int, str]]


def test_a_name_prefix_overlay_is_written_as_the_difference_it_is(tmp_path: Path, imported: Import) -> None:
    status, out = imported(overlay_repo(tmp_path / "repo"), tmp_path / "new", repo=HTTPS)
    assert status == 0, out
    assert "✓ apps/blog (home): 4/4 identical" in out and "✓ apps/forum (home): 3/3 identical" in out, out
    module = (tmp_path / "new/clusters/apps/blog.py").read_text()
    for props in ("ConfigMapProps(", "ServiceProps(", "DeploymentProps("):
        assert module.count(props) == 1, module  # the base's, once; the overlay's are replace() of it
    assert (
        'BLOG_DEPLOYMENT_HOME = replace(\n    BLOG_DEPLOYMENT,\n    name="home-blog",\n    namespace="blog",' in module
    )
    assert re.search(
        r'BLOG_SERVICE_HOME = replace\(\n    BLOG_SERVICE,\n    name="home-blog",(.|\n)*type="Load', module
    )
    home = module[module.index("def home(") :]
    # The same construct ids as the base's: the overlay declares the base's objects, changed.
    assert 'Deployment(scope, "blog-deployment", BLOG_DEPLOYMENT_HOME)' in home, home
    assert module.startswith('"""blog: Deployment blog.\n'), module
    # forum's overlay is its base as it is: no builder of its own (AppSpec gives the base to the cluster).
    forum = (tmp_path / "new/clusters/apps/forum.py").read_text()
    assert "def home(" not in forum and "overlays=" not in forum and "Context" not in forum, forum
    _clean(tmp_path / "new")


def _keys(names: list[str], kind: str = "Deployment", namespace: str = "") -> list[str]:
    return [f"{kind} {namespace}/{n}" for n in names]


def test_twins_by_key_then_through_namespace_and_affixes() -> None:
    base = [*_keys(["blog", "db"]), "Service /blog", "ConfigMap /blog-config"]
    overlay = ["Deployment blog/home-blog-v2", "Deployment blog/home-db-v2", "Service blog/home-blog-v2"]
    overlay += ["ConfigMap blog/home-blog-config-v2", "ServiceMonitor blog/home-app-v2"]
    assert twins(overlay, base) == {
        "Deployment blog/home-blog-v2": "Deployment /blog",
        "Deployment blog/home-db-v2": "Deployment /db",
        "Service blog/home-blog-v2": "Service /blog",
        "ConfigMap blog/home-blog-config-v2": "ConfigMap /blog-config",
    }  # the ServiceMonitor is the overlay's own (a component's)
    # An exact key first; a base object is one overlay object's twin at most.
    assert twins(["Deployment a/x", "Deployment b/x"], ["Deployment a/x"]) == {"Deployment a/x": "Deployment a/x"}
    # namespace: over a base naming one; the namespace-less base object is nearer than one of another namespace.
    assert twins(["Deployment b/x"], ["Deployment a/x"]) == {"Deployment b/x": "Deployment a/x"}
    assert twins(["Deployment b/x"], ["Deployment a/x", "Deployment /x"]) == {"Deployment b/x": "Deployment /x"}
    # Two equally near: neither (declared whole, as an object of the overlay's own).
    assert twins(["Deployment c/x"], ["Deployment a/x", "Deployment b/x"]) == {}
    assert twins(["Deployment /x"], ["Service /x"]) == {}  # never across kinds


names = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)


@given(
    base=st.lists(names, min_size=1, max_size=6, unique=True),
    prefix=st.from_regex(r"([a-z]{1,4}-)?", fullmatch=True),
    suffix=st.from_regex(r"(-[a-z0-9]{1,4})?", fullmatch=True),
    namespace=st.sampled_from(["", "apps"]),
)
def test_every_object_kustomize_renamed_finds_its_base_object(
    base: list[str], prefix: str, suffix: str, namespace: str
) -> None:
    """What ``namePrefix``/``nameSuffix``/``namespace`` make of every base object maps back to it (kustomize
    renames each object of the base the same way)."""
    renamed = [f"{prefix}{n}{suffix}" for n in base]
    found = twins(_keys(renamed, namespace=namespace), _keys(base))
    assert found == dict(zip(_keys(renamed, namespace=namespace), _keys(base), strict=True))


def _config_map(name: str, data: dict[str, str], namespace: str | None = None) -> dict[str, object]:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


def test_constants_say_their_kind_only_when_names_collide_and_never_take_app() -> None:
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            },
        },
    }
    base = [deployment, _config_map("web", {"a": "1"}), _config_map("app", {"b": "2"}), _config_map("cache", {})]
    overlays = {
        cluster: [
            deployment,
            _config_map("web", {"a": cluster}),
            _config_map("app", {"b": "2"}),
            _config_map("cache", {}),
        ]
        for cluster in ("home", "lab")
    }
    overlays["work"] = [deployment, _config_map("web", {"a": "1"}), _config_map("app", {"b": "2"})]
    built = Arranger().app(base, overlays)
    constants = {name: type(value).__name__ for name, value in built.constants.items()}
    assert constants == {
        "WEB_DEPLOYMENT": "DeploymentProps",
        "WEB_CONFIG_MAP": "ConfigMapProps",
        "APP_CONFIG_MAP": "ConfigMapProps",  # APP is the module's AppSpec
        "CACHE": "ConfigMapProps",
        "WEB_CONFIG_MAP_HOME": "Replaced",
        "WEB_CONFIG_MAP_LAB": "Replaced",
    }
    assert built.overlays["home"].calls_base is False and built.overlays["work"].calls_base is False
    assert isinstance(built.base[1].claim.props, ConfigMapProps) and built.base[1].claim.construct is ConfigMap
