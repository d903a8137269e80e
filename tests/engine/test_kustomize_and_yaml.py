"""JSON patches from object differences, and the deterministic YAML writer."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_lib._internal import yaml_io
from homelab.engine import kustomize


def test_json_patch_adds_replaces_and_removes() -> None:
    base = {"spec": {"a": 1, "gone": True, "list": [1, 2], "keep": {"x": 1}}}
    target = {"spec": {"a": 2, "list": [1, 3], "keep": {"x": 1}, "new/key": {"y": 1}}}
    assert kustomize.json_patch(base, target) == [
        {"op": "remove", "path": "/spec/gone"},
        {"op": "replace", "path": "/spec/a", "value": 2},
        {"op": "replace", "path": "/spec/list/1", "value": 3},
        {"op": "add", "path": "/spec/new~1key", "value": {"y": 1}},
    ]
    assert kustomize.json_patch(base, base) == []


def test_json_patch_lists() -> None:
    base = {"containers": [{"name": "a", "image": "x:1", "env": [{"name": "A"}]}]}
    target = {"containers": [{"name": "a", "image": "x:2", "env": [{"name": "A"}, {"name": "B"}, {"name": "C"}]}]}
    assert kustomize.json_patch(base, target) == [
        {"op": "replace", "path": "/containers/0/image", "value": "x:2"},
        {"op": "add", "path": "/containers/0/env/-", "value": {"name": "B"}},
        {"op": "add", "path": "/containers/0/env/-", "value": {"name": "C"}},
    ]
    assert kustomize.json_patch({"l": [1, 2, 3]}, {"l": [1, 3]}) == [{"op": "replace", "path": "/l", "value": [1, 3]}]
    assert kustomize.json_patch({"l": [1, 2]}, {"l": [0, 1, 2]}) == [
        {"op": "replace", "path": "/l", "value": [0, 1, 2]}
    ]


def test_json_patch_type_change_is_a_replace() -> None:
    assert kustomize.json_patch({"a": "1"}, {"a": 1}) == [{"op": "replace", "path": "/a", "value": 1}]


def test_patch_target_of_core_and_grouped_kinds() -> None:
    assert kustomize.patch_target(("v1", "Service", "web", "s")) == {
        "group": "",
        "version": "v1",
        "kind": "Service",
        "name": "s",
        "namespace": "web",
    }
    assert kustomize.patch_target(("apps/v1", "Deployment", "", "d"))["group"] == "apps"


def test_file_names_add_the_namespace_then_the_group_only_where_names_clash() -> None:
    keys = [
        ("v1", "ConfigMap", "ns", "cfg"),
        ("v1", "ConfigMap", "other", "cfg"),
        ("v1", "Service", "ns", "web"),
        ("tailscale.com/v1alpha1", "ProxyClass", "", "edge"),
        ("example.com/v1", "ProxyClass", "", "edge"),
    ]
    assert kustomize.file_names(keys) == [
        "configmap-ns-cfg.yaml",
        "configmap-other-cfg.yaml",
        "service-web.yaml",
        "proxyclass-tailscale.com-edge.yaml",
        "proxyclass-example.com-edge.yaml",
    ]


def test_file_names_that_still_clash_raise() -> None:
    # a/b-c needs its namespace (z/b-c exists), which spells the name of the cluster-wide a-b-c.
    keys = [("v1", "ConfigMap", "a", "b-c"), ("v1", "ConfigMap", "z", "b-c"), ("v1", "ConfigMap", "", "a-b-c")]
    with pytest.raises(
        ValueError, match=r"ConfigMap a/b-c and ConfigMap /a-b-c would both be written to configmap-a-b-c.yaml"
    ):
        kustomize.file_names(keys)


def test_yaml_keeps_ambiguous_strings_strings() -> None:
    data = {"a": "yes", "b": "1.10", "c": "true", "d": "0o17", "e": "1e3", "f": "y", "g": "plain", "n": None, "t": True}
    text = yaml_io.dump(data)
    assert yaml.safe_load(text) == data
    assert '"yes"' in text and '"0o17"' in text and '"1e3"' in text and "g: plain" in text


def test_yaml_multiline_strings_are_literal_blocks() -> None:
    text = yaml_io.dump({"script": "a\nb\n", "spaces": "a \nb"})
    assert "script: |\n  a\n  b\n" in text
    assert yaml.safe_load(text) == {"script": "a\nb\n", "spaces": "a \nb"}


# -- the C emitter writes what the Python emitter writes ---------------------------------------------
_keys = st.one_of(
    st.sampled_from(["name", "spec", "a: b", "- x", "k:", "'q'", '"d"', "?", "#c", "yes", "1", "", "x" * 90]),
    st.text(max_size=12),
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(
        ["", "- item", "a: b", "key:", "line\n- x:\n  y\n", "l1\nl2", "trailing \nspace", "|", "x |", "1.10", "yes"]
    ),
    st.text(max_size=40),
    st.text(alphabet=" ab-:#|'\"\n", max_size=160),
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=25,
)


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML without libyaml: one emitter")
@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_keys, _documents, min_size=1, max_size=5))
def test_the_c_emitter_writes_what_the_python_emitter_writes(data: dict[str, Any]) -> None:
    """Random documents (lists in mappings in lists, block scalars holding YAML-looking lines, keys that
    need quotes, strings long enough to fold): both emitters give the same text, byte for byte."""
    assert yaml_io.dump(data) == yaml_io.dump_python(data)


def test_an_overlay_putting_a_base_object_in_a_namespace_patches_it(tmp_path: Path, kubectl: str) -> None:
    """A delete patch of the base's object (no namespace) would match the overlay's too: it is patched instead."""
    from homelab.engine.data import Directory, Rendered
    from homelab.engine.layout import kustomization

    def rendered(namespace: str | None) -> Rendered:
        meta = {"name": "web", **({"namespace": namespace} if namespace else {})}
        data = {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": {"ports": [{"port": 80}]}}
        return Rendered(data=data, origin="", construct=None)  # type: ignore[arg-type]

    base = [rendered(None)]
    overlay = Directory(path="web/overlays/home", origin="", objects=[rendered("web")], base=base)
    own, doc = kustomization(overlay)
    assert own == [] and "$patch" not in str(doc), doc
    (tmp_path / "base").mkdir()
    (tmp_path / "base/kustomization.yaml").write_text(yaml.safe_dump({"resources": ["web.yaml"]}))
    (tmp_path / "base/web.yaml").write_text(yaml.safe_dump(base[0].data))
    (tmp_path / "overlays/home").mkdir(parents=True)
    (tmp_path / "overlays/home/kustomization.yaml").write_text(yaml.safe_dump(doc))
    built = subprocess.run([kubectl, "kustomize", str(tmp_path / "overlays/home")], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert list(yaml.safe_load_all(built.stdout)) == [overlay.objects[0].data]
