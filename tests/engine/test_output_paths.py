"""Nothing leaves the output directory: names checked where declared, every path proven inside ``dist/``,
long names shortened, YAML line-break characters kept exact (issue 18, item 2)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from constructs_lib._internal import yaml_io
from constructs_lib._internal.k8s_names import manifest_problems
from constructs_lib.api_object import api_object
from constructs_lib.errors import PropsError
from homelab import AppSpec, Cluster, ClusterPlan, Context, Homelab, HomelabError
from homelab.engine import kustomize, writer
from homelab.engine.pipeline import synthesise
from homelab.user_errors import describe
from tests.engine import minilab

# -- helpers ----------------------------------------------------------------------------------------


def config_map(name: Any = "settings", *, namespace: Any = "wiki", labels: Any = None, **data: str) -> Callable:
    """A base builder making one ConfigMap through api_object (no construct checks its props)."""
    metadata: dict[str, Any] = {"name": name, "namespace": namespace}
    if labels is not None:
        metadata["labels"] = labels

    def build(scope: Any) -> None:
        api_object(scope, "cm", api_version="v1", kind="ConfigMap", metadata=metadata, data=data or {"k": "v"})

    return build


#: The line of the api_object call in config_map: where a bad name is reported.
API_OBJECT_LINE = next(
    i for i, line in enumerate(Path(__file__).read_text().splitlines(), 1) if 'api_object(scope, "cm"' in line
)


def lab(root: Path, app: AppSpec) -> Homelab:
    """The mini homelab with ``app`` enabled on cluster home."""
    return minilab.lab(root, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(minilab.WIKI_APP, app)),))


def synth_into(root: Path, homelab: Homelab) -> dict[str, bytes]:
    """Render ``homelab`` and write it to ``root/dist`` as ``homelab synth`` does; the files written."""
    files = synthesise(homelab).files
    writer.write(root / "dist", writer.compare(root / "dist", files))
    return files


def tree(root: Path, skip: Path | None = None) -> dict[str, bytes | str]:
    """Every entry under ``root`` (a link as its target, a directory as ``'dir'``), ``skip`` left out."""
    out: dict[str, bytes | str] = {}
    for directory, subdirectories, names in os.walk(root):
        if skip is not None and Path(directory) == skip:
            subdirectories[:] = []
            continue
        for name in [*subdirectories, *names]:
            path = Path(directory, name)
            if skip is not None and path == skip:
                continue
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = path.read_bytes()
    return out


# -- 1. declarations: AppSpec directories and object names ------------------------------------------


@pytest.mark.parametrize(
    "directory", ["../../victimdir", "../../../../../../tmp/x", "/tmp/x", "wiki/../..", "a//b", "Wiki", "a\\b", "ünï"]
)
def test_an_app_directory_outside_the_tree_is_refused_where_declared(directory: str) -> None:
    with pytest.raises(
        HomelabError,
        match=r"AppSpec 'victim': directory .* is not a directory of the tree: use a "
        r"relative path of DNS labels separated by '/'.*Fix: AppSpec\(name='victim', directory='victim'",
    ):
        AppSpec(name="victim", directory=directory, base=config_map())


def test_a_bad_directory_is_reported_at_the_line_of_the_declaration() -> None:
    with pytest.raises(HomelabError) as caught:
        AppSpec(name="victim", directory="../../victimdir", base=config_map())
    assert describe(caught.value).startswith("tests/engine/test_output_paths.py:")
    assert "directory '../../victimdir' is not a directory of the tree" in describe(caught.value)


def test_nested_directories_are_allowed_but_not_inside_another_app(tmp_path: Path) -> None:
    nested = AppSpec(name="jellyfin", directory="media/jellyfin", base=config_map(namespace="jellyfin"))
    out = synth_into(tmp_path, lab(tmp_path, nested))
    assert "kustomize/media/jellyfin/base/configmap-settings.yaml" in out
    inside = AppSpec(name="inner", directory="wiki/base", base=config_map(namespace="inner"))
    with pytest.raises(HomelabError, match=r"AppSpec 'inner' uses directory 'wiki/base', inside AppSpec 'wiki'"):
        lab(tmp_path, inside)
    reserved = AppSpec(name="sneaky", directory="clusters/overlays", base=config_map(namespace="sneaky"))
    with pytest.raises(HomelabError, match=r"inside the reserved directory 'clusters'"):
        lab(tmp_path, reserved)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("namespace", "Wiki", r"AppSpec 'wiki2': namespace 'Wiki' is not a valid Kubernetes name: use at most 63"),
        ("project", "a/b", r"AppSpec 'wiki2': project 'a/b' is not a valid Kubernetes name: use at most 253"),
        ("namespace_labels", {"a b": "x"}, r"namespace_labels key 'a b' is not a valid label key"),
        ("namespace_labels", {"team": "-x"}, r"namespace_labels\['team'\] '-x' is not a valid label value"),
    ],
)
def test_app_namespace_project_and_labels_are_checked(field: str, value: Any, message: str) -> None:
    with pytest.raises(HomelabError, match=message):
        AppSpec(name="wiki2", base=config_map(), **{field: value})


def test_cluster_name_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(HomelabError, match=r"Cluster 'home\\n': name must be a lower-case DNS label"):
        Cluster(name="home\n", repo_url="https://git.example/lab")


@pytest.mark.parametrize("tree_path", ["/abs", "a/../..", "a/./b", "a//b", "a/", ".", "x\0"])
def test_a_tree_path_outside_the_output_directory_is_refused(tree_path: str) -> None:
    with pytest.raises(HomelabError, match=r"tree_path .* must be a relative directory of the output directory"):
        Cluster(name="home", repo_url="https://git.example/lab", tree_path=tree_path)


@pytest.mark.parametrize(
    "name", ["../../../../../../../../tmp/pwned5", "", "UPPER", "ünïcode", "a" * 254, "dot.", "with space", "x\n"]
)
def test_a_bad_object_name_is_refused_with_origin_construct_and_fix(tmp_path: Path, name: str) -> None:
    app = AppSpec(name="victim", base=config_map(name))
    with pytest.raises(HomelabError) as caught:
        synth_into(tmp_path, lab(tmp_path, app))
    message = str(caught.value)
    assert message.startswith(
        f"tests/engine/test_output_paths.py:{API_OBJECT_LINE}: victim/base: ConfigMap (victim/cm): "
    )
    assert f"metadata.name {name!r} is not a valid name for a ConfigMap: use at most 253 lower-case" in message
    assert "fix: rename it where it is declared: its props' name=/namespace=/labels=, or api_object(" in message
    assert not (tmp_path / "dist").exists()
    assert not Path("/tmp/pwned5.yaml").exists()


def test_a_name_set_by_set_field_is_refused_at_its_line(tmp_path: Path) -> None:
    def build(scope: Any) -> None:
        cm = api_object(scope, "cm", api_version="v1", kind="ConfigMap", metadata={"name": "ok"}, data={})
        cm.set_field("/metadata/name", "Not/Ok")

    line = build.__code__.co_firstlineno + 2
    with pytest.raises(
        HomelabError,
        match=rf"^tests/engine/test_output_paths\.py:{line}: victim/base: ConfigMap \(victim/cm\): "
        r"metadata\.name 'Not/Ok' is not a valid name for a ConfigMap",
    ):
        synth_into(tmp_path, lab(tmp_path, AppSpec(name="victim", base=build)))


def test_a_cdk8s_construct_name_is_checked_too(tmp_path: Path) -> None:
    from cdk8s_plus_33 import k8s

    def build(scope: Any) -> None:
        k8s.KubeConfigMap(scope.chart, "cm", metadata=k8s.ObjectMeta(name="../../pwned", namespace="wiki"))

    with pytest.raises(HomelabError, match=r"victim/base: ConfigMap \(victim/cm\): metadata.name '../../pwned' is not"):
        synth_into(tmp_path, lab(tmp_path, AppSpec(name="victim", base=build)))
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"name": "ok", "namespace": "../x"}, r"metadata.namespace '../x' is not a valid namespace: use at most 63"),
        ({"name": "ok", "labels": {"app": "a" * 64}}, r"metadata.labels\['app'\] 'aaa.*' is not a valid label value"),
        ({"name": "ok", "labels": {"bad/key/x": "v"}}, r"metadata.labels key 'bad/key/x' is not a valid label key"),
        (
            {"name": "ok", "labels": {"Example.com/x": "v"}},
            r"metadata.labels key 'Example\.com/x' is not a valid label key",
        ),
    ],
)
def test_namespace_and_labels_of_objects_are_checked(metadata: dict[str, Any], message: str) -> None:
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata}
    assert any(re.search(message, problem) for problem in manifest_problems(manifest))


@pytest.mark.parametrize(
    ("api_version", "kind", "name", "ok"),
    [
        ("rbac.authorization.k8s.io/v1", "ClusterRole", "system:metrics-reader", True),
        ("rbac.authorization.k8s.io/v1", "RoleBinding", "Ünï Code:Ok", True),
        ("rbac.authorization.k8s.io/v1", "ClusterRole", "..", False),
        ("rbac.authorization.k8s.io/v1", "ClusterRole", "a/b", False),
        ("rbac.authorization.k8s.io/v1", "ClusterRole", "100%", False),
        ("v1", "ConfigMap", "system:metrics-reader", False),
        ("v1", "Namespace", "a.b", False),
        ("v1", "Service", "1st", False),
        ("v1", "Service", "first", True),
        ("tailscale.com/v1alpha1", "ProxyClass", "a" * 253, True),
        ("apps/v1", "Deployment", "a" * 254, False),
    ],
)
def test_object_name_rules_follow_the_kind(api_version: str, kind: str, name: str, ok: bool) -> None:
    problems = manifest_problems({"apiVersion": api_version, "kind": kind, "metadata": {"name": name}})
    assert (problems == []) is ok, problems


@pytest.mark.parametrize(
    ("api_version", "kind", "message"),
    [
        ("../../x/v1", "ConfigMap", r"apiVersion '../../x/v1' is not an API version"),
        ("v1", "../../Map", r"kind '../../Map' is not a kind: use at most 63 letters"),
    ],
)
def test_api_version_and_kind_are_checked_they_name_files_too(api_version: str, kind: str, message: str) -> None:
    problems = manifest_problems({"apiVersion": api_version, "kind": kind, "metadata": {"name": "ok"}})
    assert any(re.search(message, problem) for problem in problems), problems


# -- 2. the writer proves every path inside dist/ ----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("../../victimdir/base/kustomization.yaml", r"has an empty, '\.' or '\.\.' segment"),
        ("/tmp/x.yaml", "is absolute"),
        ("kustomize/./x.yaml", r"has an empty, '\.' or '\.\.' segment"),
        ("kustomize//x.yaml", r"has an empty, '\.' or '\.\.' segment"),
        ("kustomize/x\0.yaml", "contains a NUL character"),
        ("kustomize/" + "a" * 256, "has a segment longer than 255 bytes"),
        ("kustomize/\ud800.yaml", r"is not valid Unicode \(a lone surrogate\)"),
    ],
)
def test_the_writer_refuses_a_path_outside_dist_and_writes_nothing(tmp_path: Path, path: str, why: str) -> None:
    dist = tmp_path / "repo" / "dist"
    before = tree(tmp_path)
    files = {"kustomize/ok.yaml": b"ok\n", path: b"pwned\n"}
    with pytest.raises(
        HomelabError, match=rf"path\(s\) would not be files inside it; nothing was written:\n  .*: {why}"
    ):
        writer.compare(dist, files)
    with pytest.raises(HomelabError, match=f"nothing was written:\n  .*: {why}"):
        writer.write(dist, writer.Changes(added=list(files), result=files))
    assert tree(tmp_path) == before


def test_a_symlink_planted_in_dist_is_refused_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "kustomization.yaml").write_bytes(b"mine\n")
    files = synthesise(minilab.lab(tmp_path)).files
    dist = tmp_path / "dist"
    writer.write(dist, writer.compare(dist, files))
    wiki = dist / "kustomize/wiki/base"
    for path in wiki.iterdir():
        path.unlink()
    wiki.rmdir()
    wiki.symlink_to(outside, target_is_directory=True)  # the next synth would write its base through it
    before = tree(tmp_path)
    with pytest.raises(
        HomelabError,
        match=r"kustomize/wiki/base: a symbolic link or special file, which synth never "
        r"follows nor writes through; remove it",
    ):
        writer.write(dist, writer.compare(dist, files))
    assert tree(tmp_path) == before
    assert (outside / "kustomization.yaml").read_bytes() == b"mine\n"


# -- 3. a long valid name gets a shorter file name ---------------------------------------------------


def test_a_valid_253_character_name_gets_a_short_file_name(tmp_path: Path) -> None:
    long = ".".join(["a" * 63] * 4)[:253]
    assert len(long) == 253
    app = AppSpec(name="long", base=config_map(long, namespace="long"))
    out = synth_into(tmp_path, lab(tmp_path, app))
    digest = hashlib.sha256(f"configmap-{long}".encode()).hexdigest()[:16]
    (name,) = [p for p in out if p.startswith("kustomize/long/base/configmap-")]
    file = name.rsplit("/", 1)[1]
    assert file.endswith(f"-{digest}.yaml") and len(file.encode()) == 255
    assert f"configmap-{long}"[:100] in file
    assert (tmp_path / "dist" / name).read_bytes() == out[name]
    kustomization = yaml.safe_load(out["kustomize/long/base/kustomization.yaml"])
    assert kustomization["resources"] == [file]


def test_file_names_that_fit_are_unchanged_and_long_ones_are_distinct() -> None:
    fits = "x" * (255 - len("configmap-.yaml"))
    assert kustomize.file_names([("v1", "ConfigMap", "", fits)]) == [f"configmap-{fits}.yaml"]
    long = ["a" * 250 + "-one", "a" * 250 + "-two"]
    names = kustomize.file_names([("v1", "ConfigMap", "", n) for n in long])
    assert len(set(names)) == 2 and all(len(n.encode()) == 255 for n in names)
    assert names == kustomize.file_names([("v1", "ConfigMap", "", n) for n in long])  # deterministic
    wide = kustomize.fitting_file_name("clusterrole-" + "ü" * 200)  # never cut inside a character
    assert len(wide.encode()) <= 255 and wide.encode().decode() == wide


# -- 4. YAML line-break characters round-trip exactly ------------------------------------------------

BREAKS = [
    "a\x85b",
    "\x85",
    "x\u2028y",
    "p\u2029q",
    "a\nb\x85c\n",
    "c1\x80\x9f",
    "tab\tcr\r",
    "bom\ufeff",
    "z" * 120 + "\x85",
]


@pytest.mark.parametrize("value", BREAKS)
def test_line_break_characters_round_trip_in_the_emitter(value: str) -> None:
    for dump in (yaml_io.dump, yaml_io.dump_python):
        text = dump({"data": {"k": value}})
        assert "\x85" not in text and "\u2028" not in text and "\u2029" not in text
        assert yaml.safe_load(text) == {"data": {"k": value}}
        assert yaml_io.dump(yaml.safe_load(text)) == yaml_io.dump_python({"data": {"k": value}})


def test_nel_round_trips_through_base_and_overlay(tmp_path: Path) -> None:
    def overlay(scope: Any, ctx: Context) -> None:
        config_map(k="o\x85verlay\u2028", other="\x85")(scope)

    app = AppSpec(name="nel", base=config_map(k="b\x85ase"), overlays={"home": overlay}, namespace="wiki2")
    out = synth_into(tmp_path, lab(tmp_path, app))
    base = yaml.safe_load(out["kustomize/nel/base/configmap-settings.yaml"])
    assert base["data"] == {"k": "b\x85ase"}
    kustomization = yaml.safe_load(out["kustomize/nel/overlays/home/kustomization.yaml"])
    (patch,) = kustomization["patches"]
    ops = yaml.safe_load(patch["patch"])
    assert ops == [
        {"op": "replace", "path": "/data/k", "value": "o\x85verlay\u2028"},
        {"op": "add", "path": "/data/other", "value": "\x85"},
    ]


def test_a_lone_surrogate_is_refused_clearly() -> None:
    with pytest.raises(PropsError, match=r"a string holds '\\ud800', a lone surrogate: not a Unicode character"):
        yaml_io.dump({"k": "a\ud800b"})


# -- 5. property: random adversarial declarations never write outside dist/ --------------------------

_PIECES = st.sampled_from(["..", ".", "/", "\\", "~", "\0", "ü", "-", "a", "x1", "tmp", "\n", " ", "%", ":", "\x85"])
_ADVERSARIAL = st.one_of(
    st.lists(_PIECES, min_size=0, max_size=8).map("".join),
    st.sampled_from(["../../outside/x", "/tmp/x", "." * 3, "a" * 300, ".hidden", "sentinel", "ok"]),
    st.text(max_size=12),
)
_VALIDISH = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)


def _sometimes(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``bad`` now and then, else ``good``: some runs get as far as writing."""
    return st.integers(0, 4).flatmap(lambda i: bad if i == 0 else good)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    directory=_sometimes(st.one_of(st.none(), _VALIDISH), _ADVERSARIAL),
    name=_sometimes(st.one_of(_VALIDISH, st.just(".".join(["a" * 63] * 4)[:253])), _ADVERSARIAL),
    namespace=_sometimes(_VALIDISH, _ADVERSARIAL),
    kind=st.sampled_from([("v1", "ConfigMap"), ("rbac.authorization.k8s.io/v1", "ClusterRole"), ("v1", "Namespace")]),
    link=_sometimes(
        st.none(),
        st.sampled_from(["kustomize", "kustomize/x", "kustomize/x/base", "kustomize/x/base/configmap-a.yaml"]),
    ),
)
def test_no_declaration_writes_outside_dist(
    tmp_path_factory: pytest.TempPathFactory,
    directory: str | None,
    name: str,
    namespace: str,
    kind: tuple[str, str],
    link: str | None,
) -> None:
    top = tmp_path_factory.mktemp("prop")
    root, sentinel = top / "repo", top / "sentinel"
    sentinel.mkdir()
    (sentinel / "keep.yaml").write_bytes(b"keep\n")
    (root / "dist").mkdir(parents=True)
    if link is not None:  # a symlink planted in the output directory, leading outside
        (root / "dist" / link).parent.mkdir(parents=True, exist_ok=True)
        (root / "dist" / link).symlink_to(sentinel / "keep.yaml" if link.endswith(".yaml") else sentinel)
    before, before_sentinel = tree(top, skip=root / "dist"), tree(sentinel)

    def build(scope: Any) -> None:
        api_object(scope, "obj", api_version=kind[0], kind=kind[1], metadata={"name": name, "namespace": namespace})

    try:
        app = AppSpec(name="x", directory=directory, base=build)
        files = synth_into(root, lab(root, app))
    except (HomelabError, PropsError) as exc:
        event(f"refused: {str(exc).splitlines()[0][-60:]}")
        files = None
    assert tree(top, skip=root / "dist") == before
    assert tree(sentinel) == before_sentinel
    if files is not None:
        event("written")
        assert link is None
        for rel in files:
            assert (root / "dist" / rel).resolve().is_relative_to((root / "dist").resolve())
            assert (root / "dist" / rel).read_bytes() == files[rel]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paths=st.lists(st.one_of(_ADVERSARIAL, _VALIDISH).map(lambda p: f"kustomize/{p}"), min_size=1, max_size=4))
def test_the_writer_alone_never_writes_outside_dist(tmp_path_factory: pytest.TempPathFactory, paths: list[str]) -> None:
    """Past the declaration checks (a bug, another caller): the writer is the last line of defence."""
    top = tmp_path_factory.mktemp("writer")
    dist = top / "repo" / "dist"
    dist.mkdir(parents=True)
    files = {p: b"x\n" for p in paths}
    before = tree(top, skip=dist)
    try:
        writer.write(dist, writer.compare(dist, files))
    except HomelabError:
        assert tree(dist) == {}
    else:
        for rel in files:
            assert (dist / rel).resolve().is_relative_to(dist.resolve())
    assert tree(top, skip=dist) == before
