"""Round trip, as a property: for random app declarations, what kustomize builds is what was declared.

Each generated homelab has two clusters and one or two apps of random custom objects. A base builder
declares some objects; each cluster's overlay builder declares them changed at random (values
replaced, keys added and removed, list items changed, appended or dropped, objects dropped or
added). After synthesis, ``kubectl kustomize`` of every app's base must equal the base builder's
objects, and of every overlay the overlay builder's, object for object and field for field.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import yaml
from constructs import Construct
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constructs_lib.api_object import api_object
from homelab import AppSpec, Cluster, ClusterPlan, Context, Homelab
from homelab.engine.pipeline import synthesise
from tests.conftest import FakeStore
from tests.engine import minilab

CLUSTERS = (
    Cluster(name="home", repo_url="https://git.example/lab"),
    Cluster(name="away", repo_url="https://git.example/lab"),
)

# Keys with the characters JSON pointers escape ('/', '~') and YAML cares about ('.', '-', ':').
keys = st.text(alphabet="abcxyz/~.-:", min_size=1, max_size=5).filter(lambda k: k.strip() == k)
# Strings YAML would read as something else unless quoted, and text with quotes, colons, newlines.
tricky = st.sampled_from(["yes", "no", "on", "null", "~", "1.10", "1e3", "0o17", "12:30", "", " lead", "a: b", "#x"])
text = st.text(alphabet="ab:#'\"\n -/é", max_size=8)
scalars = st.one_of(tricky, text, st.integers(-1000, 1000), st.booleans())
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, min_size=1, max_size=3) | st.dictionaries(keys, inner, min_size=1, max_size=3),
    max_leaves=6,
)
specs = st.dictionaries(keys, values, min_size=1, max_size=4)
names = st.from_regex(r"[a-z][a-z0-9]{0,4}", fullmatch=True)


@st.composite
def changed(draw: st.DrawFn, value: Any) -> Any:
    """``value`` as an overlay might change it: kept, replaced, or changed inside."""
    choice = draw(st.sampled_from(["keep", "keep", "replace", "inside"]))
    if choice == "keep":
        return value
    if choice == "replace" or not isinstance(value, dict | list):
        return draw(values)
    if isinstance(value, list):
        items = [draw(changed(v)) for v in value]
        tail = draw(st.sampled_from(["same", "append", "drop"]))
        if tail == "append":
            return items + draw(st.lists(values, min_size=1, max_size=2))
        return items[:-1] if tail == "drop" and len(items) > 1 else items
    out = {k: draw(changed(v)) for k, v in value.items() if draw(st.integers(0, 4))}  # drop a key now and then
    out.update(draw(st.dictionaries(keys, values, max_size=2)))
    return out or {"k": 1}


def manifest(kind: str, name: str, spec: dict[str, Any], app: int) -> dict[str, Any]:
    return {
        "apiVersion": "example.com/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": f"rt{app}"},
        "spec": spec,
    }


@st.composite
def apps(draw: st.DrawFn) -> list[tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]]:
    """One app or two (mostly one: each costs a kustomize build): the base's manifests and, per cluster, the overlay's."""
    out = []
    for app in range(draw(st.sampled_from([1, 1, 1, 2]))):
        ids = draw(
            st.lists(st.tuples(st.sampled_from(["Widget", "Gadget"]), names), min_size=1, max_size=4, unique=True)
        )
        base = [manifest(kind, name, draw(specs), app) for kind, name in ids]
        overlays = {}
        for cluster in CLUSTERS:
            objects = [m for m in base if draw(st.integers(0, 5))]  # drop an object now and then
            objects = [{**m, "spec": draw(changed(m["spec"]))} for m in objects]
            extra = draw(st.lists(st.tuples(st.just("Extra"), names), max_size=1, unique=True))
            objects += [manifest(kind, name, draw(specs), app) for kind, name in extra]
            overlays[cluster.name] = objects
        out.append((base, overlays))
    return out


def builder(objects: list[dict[str, Any]]) -> Any:
    def build(scope: Construct, ctx: Context | None = None) -> None:
        for i, m in enumerate(objects):
            api_object(
                scope, str(i), api_version=m["apiVersion"], kind=m["kind"], metadata=m["metadata"], spec=m["spec"]
            )

    return build


def declare(generated: list[Any]) -> Homelab:
    specs_ = []
    for n, (base, overlays) in enumerate(generated):
        specs_.append(
            AppSpec(
                name=f"app{n}",
                namespace=f"rt{n}",
                base=builder(base),
                overlays={cluster: builder(objects) for cluster, objects in overlays.items()},
            )
        )
    plans = tuple(ClusterPlan(cluster=c, apps=tuple(specs_)) for c in CLUSTERS)
    return Homelab(root=Path("/nonexistent"), core=minilab.CORE, clusters=plans)


def by_id(objects: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(o["kind"], o["metadata"]["name"]): o for o in objects}


def kustomize_all(kubectl: str, root: Path, directories: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every directory built by one ``kubectl kustomize`` (which costs ~0.1 s a run): each is wrapped
    in a kustomization that prefixes its objects' names with ``d<i>.``, so they cannot collide."""
    top = root / "all"
    for i, directory in enumerate(directories):
        wrapper = top / f"d{i}"
        wrapper.mkdir(parents=True)
        (wrapper / "kustomization.yaml").write_text(
            yaml.safe_dump({"resources": [f"../../{directory}"], "namePrefix": f"d{i}."})
        )
    (top / "kustomization.yaml").write_text(yaml.safe_dump({"resources": [f"d{i}" for i in range(len(directories))]}))
    run = subprocess.run([kubectl, "kustomize", str(top)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    built: dict[str, list[dict[str, Any]]] = {d: [] for d in directories}
    for obj in yaml.load_all(run.stdout, Loader=yaml.CSafeLoader):
        prefix, _, name = obj["metadata"]["name"].partition(".")
        obj["metadata"]["name"] = name
        built[directories[int(prefix[1:])]].append(obj)
    return built


#: Homelabs per example: one ``kubectl kustomize`` run (~0.15 s, mostly start-up) checks them all.
PER_EXAMPLE = 4


@settings(
    max_examples=int(os.environ.get("ROUND_TRIPS", "200")) // PER_EXAMPLE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(labs=st.lists(apps(), min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
def test_every_overlay_builds_to_what_its_builder_declared(kubectl: str, labs: list[list[Any]]) -> None:
    """200 generated homelabs (``ROUND_TRIPS``), each synthesised and built back."""
    expected: dict[str, list[dict[str, Any]]] = {}
    with TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i, generated in enumerate(labs):
            files = synthesise(declare(generated), stores={c.name: FakeStore() for c in CLUSTERS}).files
            for path, data in files.items():
                (root / f"lab{i}" / path).parent.mkdir(parents=True, exist_ok=True)
                (root / f"lab{i}" / path).write_bytes(data)
            for n, (base, overlays) in enumerate(generated):
                expected[f"lab{i}/kustomize/app{n}/base"] = base
                expected |= {f"lab{i}/kustomize/app{n}/overlays/{c}": objects for c, objects in overlays.items()}
        built = kustomize_all(kubectl, root, list(expected))
    for directory, objects in expected.items():
        assert by_id(built[directory]) == by_id(objects), directory
