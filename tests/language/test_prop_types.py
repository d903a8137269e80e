"""Props and the model's dataclasses refuse a value of the wrong type where it is given
(``constructs_lib._internal.runtime_types``): the message names the field, what it takes and what it got."""

# mypy: disable-error-code="arg-type, dict-item"

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import subprocess
import sys
from collections.abc import Callable

import pytest
import typeguard
from hypothesis import given, settings
from hypothesis import strategies as st

import constructs_lib
import homelab
from constructs_lib._internal import yaml_io
from constructs_lib._internal.construct import BuilderScope
from constructs_lib._internal.plaintext import plaintext_findings
from constructs_lib._internal.runtime_types import _surely_matches, field_hint
from constructs_lib.api_object import api_object
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.cnpg_database import CnpgDatabaseProps, InitDb
from constructs_lib.cron_job import CronJobProps
from constructs_lib.deployment import DeploymentProps
from constructs_lib.errors import PropsError
from constructs_lib.helm_argo_app import HelmArgoAppProps
from constructs_lib.longhorn_storage_class import LonghornStorageClassProps
from constructs_lib.pod import Container, PodSpec, Port
from constructs_lib.sealed_config import SealedConfigProps
from constructs_lib.sync_policy import SyncPolicy
from constructs_lib.tailscale_ingress import IngressPath, TailscaleIngressProps
from constructs_lib.versions import HelmChart, Image
from homelab import AppGroup, AppSpec, Cluster, ClusterPlan, Homelab, RemoteResource
from tests.conftest import ROOT

CHART = HelmChart(repo_url="https://charts.example", chart="wiki", version="1.x")
IMAGE = Image(name="busybox", tag="1.36")
HOME = Cluster(name="home", repo_url="https://git.example/lab")


def _base(scope: object) -> None:
    pass


APP = AppSpec(name="wiki", base=_base)


# -- the reported cases ---------------------------------------------------------------------------


def test_a_string_for_a_tuple_of_hosts_is_not_written_as_letters() -> None:
    with pytest.raises(
        PropsError,
        match=r"^TailscaleIngressProps\.hosts: expected a tuple \(tuple\[str, \.\.\.\]\), got the string 'status'; "
        r"for one item write hosts=\('status',\), with the comma: \('status'\) is the string itself$",
    ):
        TailscaleIngressProps(name="status", funnel=False, service="status", hosts="status")


def test_a_number_for_a_size_is_refused() -> None:
    with pytest.raises(PropsError, match=r"^CnpgDatabaseProps\.storage_size: expected str, got int 2$"):
        CnpgDatabaseProps(name="db", namespace="db", storage_size=2)


def test_a_string_for_a_number_gets_the_type_message_before_the_range_check() -> None:
    with pytest.raises(PropsError, match=r"^CnpgDatabaseProps\.instances: expected int, got str '3'$"):
        CnpgDatabaseProps(name="db", namespace="db", instances="3")
    with pytest.raises(PropsError, match=r"instances must be 1\.\.9, got 0"):  # the construct's own check, after
        CnpgDatabaseProps(name="db", namespace="db", instances=0)


# -- one per family -------------------------------------------------------------------------------

CASES: list[tuple[Callable[[], object], str]] = [
    # Argo CD applications
    (
        lambda: HelmArgoAppProps(name="w", owned_by="w", chart=CHART, values=[1]),
        r"^HelmArgoAppProps\.values: expected dict\[str, Any\], got list \[1\]$",
    ),
    (
        lambda: HelmChart(repo_url="https://c.example", chart="c", version=1.2),
        r"^HelmChart\.version: expected str, got float 1\.2$",
    ),
    (
        lambda: SyncPolicy(options="CreateNamespace=true"),
        r"^SyncPolicy\.options: expected a tuple .*got the string 'CreateNamespace=true'; for one item write options=\('CreateNamespace=true',\)",
    ),
    (lambda: SyncPolicy(prune="false"), r"^SyncPolicy\.prune: expected bool, got str 'false'$"),
    (
        lambda: IgnoreDifference(kind="Deployment", json_pointers=["/spec/replicas"]),
        r"^IgnoreDifference\.json_pointers: expected tuple\[str, \.\.\.\], got a list; write a tuple: \('/spec/replicas',\)$",
    ),
    (
        lambda: ApplicationSettings(sync="auto"),
        r"^ApplicationSettings\.sync: expected SyncPolicy \| None, got str 'auto'$",
    ),
    # data, secrets and storage
    (
        lambda: InitDb(database="app", owner="app", post_init_sql="CREATE EXTENSION vector"),
        r"^InitDb\.post_init_sql: expected a tuple .*got the string 'CREATE EXTENSION vector'",
    ),
    (
        lambda: SealedConfigProps(name="c", namespace="n", keys="password"),
        r"^SealedConfigProps\.keys: expected a tuple \(tuple\[str, \.\.\.\]\), got the string 'password'",
    ),
    (
        lambda: SealedConfigProps(name="c", namespace="n", keys=("a",), labels={"tier": 1}),
        r"^SealedConfigProps\.labels: expected dict\[str, str\], got dict \{'tier': 1\} \(labels\['tier'\] must be str; got int instead\)$",
    ),
    (
        lambda: LonghornStorageClassProps(name="sc", replicas="2"),
        r"^LonghornStorageClassProps\.replicas: expected int, got str '2'$",
    ),
    # networking and workloads
    (
        lambda: TailscaleIngressProps(name="i", funnel="no", service="s"),
        r"^TailscaleIngressProps\.funnel: expected bool, got str 'no'$",
    ),
    (
        lambda: TailscaleIngressProps(name="i", funnel=False, paths=IngressPath(path="/", service="s", port=80)),
        r"^TailscaleIngressProps\.paths: expected a tuple \(tuple\[IngressPath, \.\.\.\]\), got a single IngressPath; for one item write paths=\(\.\.\.,\), with the comma$",
    ),
    (
        lambda: IngressPath(path="/", service="s", port=80, path_type="prefix"),
        r"^IngressPath\.path_type: expected Literal\['Prefix', 'Exact', 'ImplementationSpecific'\], got str 'prefix'$",
    ),
    (
        lambda: Container(name="web", image=IMAGE, ports=(8080,)),
        r"^Container\.ports: expected tuple\[Port, \.\.\.\], got tuple \(8080,\) \(ports\[0\] must be constructs_lib\.pod\.Port; got int instead\)$",
    ),
    (
        lambda: Container(name="web", image=IMAGE, requests={"cpu": 0.5}),
        r"^Container\.requests: expected Mapping\[str, str\], got dict \{'cpu': 0\.5\}$",
    ),
    (
        lambda: Container(name="web", image=IMAGE, env=("FOO=bar",)),
        r"^Container\.env: expected tuple\[EnvEntry, \.\.\.\], got tuple \('FOO=bar',\) \(env\[0\] must be one of \(cdk8s_plus_33\.k8s\.EnvVar, dict\[str, Any\], collections\.abc\.Mapping\); got str instead\)$",
    ),
    (
        lambda: PodSpec(containers=(Container(name="web", image=IMAGE),), tolerations=({"key": "gpu"},)),
        r"^PodSpec\.tolerations: expected tuple\[k8s\.Toleration, \.\.\.\], got tuple",
    ),
    (
        lambda: DeploymentProps(name="web", selector={"app": "web"}, pod=PodSpec(containers=()), replicas=1.0),
        r"^DeploymentProps\.replicas: expected int \| None, got float 1\.0$",
    ),
    (
        lambda: CronJobProps(name="job", pod=PodSpec(containers=()), schedule=("0 18 * * *",)),
        r"^CronJobProps\.schedule: expected str, got tuple \('0 18 \* \* \*',\)$",
    ),
    (lambda: Port(container_port="8080"), r"^Port\.container_port: expected int, got str '8080'$"),
    # the model
    (
        lambda: Cluster(name="home", repo_url="https://git.example/lab", builtin_storage_classes="standard"),
        r"^Cluster\.builtin_storage_classes: expected a tuple .*got the string 'standard'",
    ),
    (
        lambda: ClusterPlan(cluster=HOME, apps=APP),
        r"^ClusterPlan\.apps: expected a tuple \(tuple\[AppSpec, \.\.\.\]\), got a single AppSpec; for one item write apps=\(\.\.\.,\)",
    ),
    (
        lambda: ClusterPlan(cluster="home", apps=()),
        r"^ClusterPlan\.cluster: expected Cluster, got str 'home'; write Cluster\(name=\.\.\., repo_url=\.\.\.\)$",
    ),
    (lambda: AppSpec(name="wiki", base="wiki"), r"^AppSpec\.base: expected BaseBuilder \| None, got str 'wiki'$"),
    (lambda: AppSpec(name="wiki", base=_base, backup="yes"), r"^AppSpec\.backup: expected bool, got str 'yes'$"),
    (
        lambda: AppGroup(name="kc", namespace_labels={"a": None}),
        r"^AppGroup\.namespace_labels: expected Mapping\[str, str\], got dict \{'a': None\}$",
    ),
    (
        lambda: RemoteResource(url="https://x.example", ref="v1", cluster_resources=("apps", "Deployment")),
        r"^RemoteResource\.cluster_resources: expected a tuple \(tuple\[tuple\[str, str\], \.\.\.\]\), got a single tuple; for one item write cluster_resources=\(\.\.\.,\), with the comma$",
    ),
    (
        lambda: RemoteResource(url="https://x.example", ref="v1", cluster_resources=(("apps", 1),)),
        r"^RemoteResource\.cluster_resources: expected tuple\[tuple\[str, str\], \.\.\.\], got tuple \(\('apps', 1\),\) \(cluster_resources\[0\]\[1\] must be str; got int instead\)$",
    ),
    (
        lambda: Homelab(root="/lab", core=APP, clusters=(ClusterPlan(cluster=HOME, apps=()),)),
        r"^Homelab\.root: expected Path, got str '/lab'$",
    ),
]


@pytest.mark.parametrize(("make", "message"), CASES)
def test_each_family_names_the_field_what_it_takes_and_what_it_got(make: Callable[[], object], message: str) -> None:
    with pytest.raises(PropsError, match=message):
        make()


def test_right_types_pass_and_a_mapping_that_is_not_a_dict_is_a_mapping() -> None:
    from types import MappingProxyType

    Container(name="web", image=IMAGE, requests=MappingProxyType({"cpu": "100m"}), ports=(Port(container_port=80),))
    AppSpec(name="wiki", base=_base, overlays={"home": lambda scope, ctx: None})
    TailscaleIngressProps(name="i", funnel=False, service="s", port=8080, hosts=("status",))


# -- every checked class, every field -------------------------------------------------------------


def _language_classes() -> list[type]:
    """Every class the modules of ``constructs_lib`` and ``homelab`` define, their subpackages included."""
    modules = [
        importlib.import_module(m.name)
        for package in (constructs_lib, homelab)
        for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
        if not m.name.endswith("__main__")
    ]
    return [v for m in modules for v in vars(m).values() if isinstance(v, type) and v.__module__ == m.__name__]


CLASSES = _language_classes()
CHECKED = [cls for cls in CLASSES if dataclasses.is_dataclass(cls) and hasattr(cls.__init__, "__wrapped__")]


FIELDS = [(cls, f.name) for cls in CHECKED for f in dataclasses.fields(cls) if f.init]


def test_every_props_and_model_class_is_checked() -> None:
    names = {cls.__name__ for cls in CHECKED}
    assert {
        "TailscaleIngressProps",
        "CnpgDatabaseProps",
        "HelmArgoAppProps",
        "Container",
        "AppSpec",
        "Homelab",
    } <= names
    for cls in CLASSES:  # every frozen keyword-only dataclass of the language: props, pieces, the model
        if dataclasses.is_dataclass(cls) and all(f.kw_only for f in dataclasses.fields(cls)):
            assert cls in CHECKED, f"{cls.__name__} is not @type_checked"


def test_every_annotation_resolves_at_run_time() -> None:
    """Names imported only for the type checker included (``k8s.Probe``), without loading them."""
    for cls, name in FIELDS:
        assert field_hint(cls, name) is not None, f"{cls.__name__}.{name}"


#: Values no field of the language takes.
WRONG = st.one_of(st.floats(allow_nan=False), st.binary(max_size=3), st.frozensets(st.integers(), max_size=2))


@settings(max_examples=200, deadline=None)
@given(field=st.sampled_from(FIELDS), value=WRONG)
def test_a_wrong_value_for_any_field_names_that_field(field: tuple[type, str], value: object) -> None:
    cls, name = field
    with pytest.raises(PropsError, match=rf"^{cls.__name__}\.{name}: expected .*, got {type(value).__name__} "):
        cls(**{name: value})


#: Values of every shape the annotations speak of, right or wrong for a given field.
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3) | st.sampled_from([IMAGE, CHART, APP, "Prefix"]),
    lambda inner: (
        st.tuples(inner)
        | st.tuples(inner, inner)
        | st.lists(inner, max_size=2)
        | st.dictionaries(st.text(max_size=2) | st.integers(), inner, max_size=2)
    ),
    max_leaves=5,
)


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(FIELDS), value=ANY_VALUE)
def test_the_quick_test_accepts_only_what_typeguard_accepts(field: tuple[type, str], value: object) -> None:
    written_hint = field_hint(*field)
    assert written_hint is not None
    hint = written_hint[1]
    if _surely_matches(value, hint):
        typeguard.check_type(field[1], value, hint)


def test_names_for_the_type_checker_only_are_checked_without_loading_them() -> None:
    """``k8s.Toleration`` is checked, yet neither cdk8s nor (for right values) typeguard is loaded."""
    code = (
        "import sys\n"
        "import clusters\n"
        "assert 'typeguard' not in sys.modules, 'typeguard loaded for right values'\n"
        "from constructs_lib.errors import PropsError\n"
        "from constructs_lib.pod import PodSpec\n"
        "try:\n"
        "    PodSpec(containers=(), tolerations=({'key': 'gpu'},))\n"
        "except PropsError as exc:\n"
        "    print(exc)\n"
        "assert not any(m.startswith(('cdk8s', 'jsii')) for m in sys.modules), 'cdk8s loaded'\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(
        "PodSpec.tolerations: expected tuple[k8s.Toleration, ...], got tuple ({'key': 'gpu'},)"
    )


def test_typed_pieces_pass_once_cdk8s_is_loaded() -> None:
    from cdk8s_plus_33 import k8s

    pod = PodSpec(containers=(k8s.Container(name="web", image="busybox"),), tolerations=(k8s.Toleration(key="gpu"),))
    assert pod.tolerations[0].key == "gpu"
    with pytest.raises(PropsError, match=r"^PodSpec\.tolerations: expected tuple\[k8s\.Toleration, \.\.\.\]"):
        PodSpec(containers=(), tolerations=(k8s.EnvVar(name="x"),))


# -- a bool is not a number; Helm values are JSON data ----------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: CnpgDatabaseProps(name="db", namespace="db", instances=True),
            "CnpgDatabaseProps.instances: expected int, got bool True",
        ),
        (
            lambda: LonghornStorageClassProps(name="fast", replicas=False),
            "LonghornStorageClassProps.replicas: expected int, got bool False",
        ),
        (
            lambda: CnpgDatabaseProps(name="db", namespace="db", start_delay=True),
            r"CnpgDatabaseProps.start_delay: expected int \| None, got bool True",
        ),
    ],
)
def test_a_bool_is_refused_where_a_number_is_expected(make: Callable[[], object], message: str) -> None:
    with pytest.raises(PropsError, match=f"^{message}$"):
        make()


def test_a_bool_passes_where_the_union_takes_one() -> None:
    assert CnpgDatabaseProps(name="db", namespace="db", enable_alter_system=True).enable_alter_system is True


ALLOWED = r"; allowed: str, a finite number, bool, None, a list or a dict with string keys$"


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"auth": {"adminPassword": b"hunter2"}}, r"values\['auth'\]\['adminPassword'\] is bytes"),
        ({"ports": {1, 2}}, r"values\['ports'\] is set"),
        ({"ratio": float("nan")}, r"values\['ratio'\] is float nan, not a finite number"),
        ({"limit": [1, float("inf")]}, r"values\['limit'\]\[1\] is float inf, not a finite number"),
        ({"hook": object()}, r"values\['hook'\] is object"),
        ({"ports": {80: "http"}}, r"values\['ports'\] has a key of type int, not str"),
    ],
)
def test_helm_values_that_are_not_json_are_refused_where_given(values: dict[str, object], problem: str) -> None:
    with pytest.raises(PropsError, match=rf"^HelmArgoAppProps\.values: {problem}{ALLOWED}") as caught:
        HelmArgoAppProps(name="wiki", owned_by="wiki", chart=CHART, values=values)
    assert "hunter2" not in str(caught.value) and "aHVudGVy" not in str(caught.value)


def test_json_values_and_typed_pieces_pass_in_helm_values() -> None:
    from cdk8s_plus_33 import k8s

    volume = k8s.Volume(name="data", empty_dir=k8s.EmptyDirVolumeSource(size_limit=k8s.Quantity.from_string("1Gi")))
    values = {"a": [1, 2.5, None, True, "x", ("t",)], "extraVolumes": [volume], "b": {"c": {}}}
    assert HelmArgoAppProps(name="wiki", owned_by="wiki", chart=CHART, values=values).values == values


def test_a_pasted_kubernetes_piece_that_is_not_json_is_refused() -> None:
    with pytest.raises(PropsError, match=rf"^PodSpec\.volumes: volumes\[1\]\['nfs'\]\['path'\] is bytes{ALLOWED}"):
        PodSpec(containers=(), volumes=({"name": "a"}, {"name": "b", "nfs": {"path": b"/x"}}))


def test_an_api_object_or_set_field_value_that_is_not_json_is_refused() -> None:
    scope = BuilderScope("app")
    with pytest.raises(PropsError, match=rf"^ConfigMap \(app/cm\): data\['key'\] is bytes{ALLOWED}"):
        api_object(scope, "cm", api_version="v1", kind="ConfigMap", metadata={"name": "cm"}, data={"key": b"x"})
    with pytest.raises(PropsError, match=rf"^ConfigMap \(app/cm2\): metadata\['labels'\] is set{ALLOWED}"):
        api_object(scope, "cm2", api_version="v1", kind="ConfigMap", metadata={"name": "cm", "labels": {"a"}})
    cm = api_object(scope, "cm3", api_version="v1", kind="ConfigMap", metadata={"name": "cm"})
    with pytest.raises(
        PropsError, match=r"^ConfigMap \(app/cm3\): set_field\('/data'\): value\['k'\] is float nan, not a finite"
    ):
        cm.set_field("/data", {"k": float("nan")})


@pytest.mark.parametrize(
    ("value", "problem"),
    [(b"hunter2", "is bytes"), (frozenset({1}), "is frozenset"), (float("-inf"), "is float -inf, not a finite number")],
)
def test_yaml_writes_json_data_only(value: object, problem: str) -> None:
    """The backstop where manifests become text: YAML would write !!binary, !!set, -.inf."""
    manifest = {"kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"k": [value]}}
    with pytest.raises(PropsError, match=rf"^ConfigMap 'cm': data\['k'\]\[0\] {problem}{ALLOWED}"):
        yaml_io.dump(manifest)


def test_bytes_under_a_secret_name_are_plaintext() -> None:
    manifest = {"kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"adminPassword": b"hunter2"}}
    assert plaintext_findings(manifest) == [
        ("data.adminPassword", "'adminPassword' is named like a secret and holds a literal value")
    ]
