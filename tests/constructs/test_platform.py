"""The platform as components: each renders its defaults, a cluster runs any subset of them and gets
nothing of the others, and what they derive (Argo CD's application namespaces, Velero's backed-up
namespaces) comes from the apps whatever the subset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from constructs_lib._internal.construct import BuilderScope
from constructs_lib._internal.objects import objects_of
from constructs_lib._internal.yaml_io import dump
from constructs_lib.api_object import json_of
from constructs_lib.errors import PropsError
from constructs_lib.platform import (
    ArgoCd,
    ArgoCdProps,
    CertManager,
    CertManagerProps,
    CloudNativePg,
    CloudNativePgProps,
    Descheduler,
    DeschedulerProps,
    ExternalSnapshotter,
    ExternalSnapshotterProps,
    ImageUpdater,
    ImageUpdaterProps,
    IntelDevicePlugins,
    IntelDevicePluginsProps,
    KubeletCertApprover,
    KubeletCertApproverProps,
    Longhorn,
    LonghornBackup,
    LonghornProps,
    MetricsServer,
    MetricsServerProps,
    Platform,
    PlatformComponent,
    PlatformProps,
    SealedSecrets,
    SealedSecretsProps,
    TailscaleOperator,
    TailscaleOperatorProps,
    Velero,
    VeleroProps,
    VeleroSchedule,
)
from constructs_lib.platform.component import Component
from constructs_lib.sealed_config import SealedConfigProps
from homelab import AppSpec, Cluster, ClusterPlan, Context, Homelab, HomelabError, Scope
from homelab.engine.pipeline import synthesise
from tests.conftest import FakeStore
from tests.engine.minilab import HOME, WIKI_APP

COMPONENTS: tuple[type[Component], ...] = (
    ArgoCd,
    ImageUpdater,
    SealedSecrets,
    MetricsServer,
    KubeletCertApprover,
    ExternalSnapshotter,
    Longhorn,
    TailscaleOperator,
    CloudNativePg,
    Velero,
    CertManager,
    IntelDevicePlugins,
    Descheduler,
)


@dataclass(frozen=True)
class Facts:
    """A cluster's facts as a homelab ``Context`` gives them to a component."""

    cluster: Cluster = HOME
    sealed: FakeStore = field(default_factory=FakeStore)
    backup_namespaces: tuple[str, ...] = ("wiki",)
    application_namespaces: tuple[str, ...] = ("wiki",)


def rendered(build: Callable[[BuilderScope], object]) -> list[dict[str, Any]]:
    scope = BuilderScope("test")
    build(scope)
    return [json_of(o) for o in objects_of(scope)]


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_each_component_renders_its_defaults(component: type[Component], snapshot: object) -> None:
    """Its shared base (no cluster facts), then on a cluster (with its namespaces and sealed configs)."""
    base = rendered(lambda s: component(s, "c"))  # type: ignore[call-arg]
    on_cluster = rendered(lambda s: component(s, "c", facts=Facts()))  # type: ignore[call-arg]
    assert {"base": dump(base), "cluster": dump(on_cluster)} == snapshot


# -- a cluster running a subset ----------------------------------------------------------------------


def platform_lab(platform: PlatformProps, *, apps: tuple[AppSpec, ...] = (WIKI_APP,)) -> Homelab:
    """A homelab of one cluster running ``platform`` and ``apps`` (the wiki keeps its Application in its
    own namespace and is backed up)."""

    def core_base(scope: Scope) -> None:
        Platform(scope, "platform", platform)

    def core_home(scope: Scope, ctx: Context) -> None:
        Platform(scope, "platform", platform, facts=ctx)

    core = AppSpec(name="core-argocd-apps", base=core_base, overlays={"home": core_home})
    plan = ClusterPlan(cluster=HOME, apps=apps, platform=platform, extra_backup_namespaces=("cert-manager",))
    return Homelab(root=Path("/nonexistent"), core=core, clusters=(plan,), declared_in="tests/constructs/x.py")


def tree_objects(platform: PlatformProps, **changes: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, name) → manifest of every object of the synthesised tree, each patch of a kustomization
    applied over its target by name (the overlays' values)."""
    files = synthesise(platform_lab(platform, **changes), stores={"home": FakeStore()}).files
    found: dict[tuple[str, str], dict[str, Any]] = {}
    patches: list[tuple[str, str, Any]] = []
    for path, data in sorted(files.items()):
        doc = yaml.safe_load(data)
        if path.endswith("kustomization.yaml"):
            patches += [
                (p["target"]["kind"], p["target"]["name"], yaml.safe_load(p["patch"])) for p in doc.get("patches") or []
            ]
        else:
            found[(doc["kind"], doc["metadata"]["name"])] = doc
    for kind, name, patch in patches:
        for op in patch if isinstance(patch, list) else []:
            target: Any = found[(kind, name)]
            *parents, last = op["path"].strip("/").split("/")
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = op["value"]
    return found


#: The objects each component alone adds to a tree (its Applications, namespaces, sealed and other objects).
def own_objects(component: Any) -> set[tuple[str, str]]:
    return {(m["kind"], m["metadata"]["name"]) for m in rendered(lambda s: component.add_to(s, facts=Facts()))}


ARGOCD = ArgoCdProps()
LONGHORN = LonghornProps(
    tailnet_ingress=True,
    backup=LonghornBackup(
        target="s3://longhorn@nas/",
        credentials=SealedConfigProps(name="backup-creds", namespace="longhorn-system", keys=("AWS_ACCESS_KEY_ID",)),
    ),
)
VELERO = VeleroProps(
    schedule=VeleroSchedule(),
    credentials=SealedConfigProps(name="credentials-velero", namespace="velero", keys=("cloud",)),
)
#: Every component, the optional parts of Longhorn and Velero switched on.
EVERY: tuple[PlatformComponent, ...] = (
    ARGOCD,
    ImageUpdaterProps(),
    SealedSecretsProps(),
    MetricsServerProps(),
    KubeletCertApproverProps(),
    ExternalSnapshotterProps(),
    LONGHORN,
    TailscaleOperatorProps(),
    CloudNativePgProps(),
    VELERO,
    CertManagerProps(),
    IntelDevicePluginsProps(),
    DeschedulerProps(),
)


def test_every_component_is_listed() -> None:
    assert {type(c).__name__.removesuffix("Props") for c in EVERY} == {c.__name__ for c in COMPONENTS}


def test_a_cluster_with_only_argocd_and_sealed_secrets_renders_nothing_of_the_others() -> None:
    kept = (ARGOCD, SealedSecretsProps())
    tree = tree_objects(PlatformProps(components=kept))
    others = set().union(*(own_objects(c) for c in EVERY if c not in kept))
    assert others, "the other components render something"
    assert not others & set(tree)
    assert set().union(*(own_objects(c) for c in kept)) <= set(tree)
    assert not [key for key in tree if key[0] in ("SealedSecret", "VolumeSnapshotClass")]
    assert [key for key in tree if key[0] == "Namespace"] == [("Namespace", "wiki")]  # the app's own


def test_velero_without_longhorn_backs_up_the_apps_marked_backup() -> None:
    tree = tree_objects(PlatformProps(components=(ARGOCD, VELERO)))
    values = tree[("Application", "velero")]["spec"]["source"]["helm"]["valuesObject"]
    assert values["schedules"]["basebackup"]["template"]["includedNamespaces"] == ["wiki", "cert-manager"]
    assert ("SealedSecret", "credentials-velero") in tree
    assert not own_objects(LONGHORN) & set(tree)


def test_longhorn_without_velero() -> None:
    tree = tree_objects(PlatformProps(components=(ARGOCD, LONGHORN)))
    values = tree[("Application", "longhorn")]["spec"]["source"]["helm"]["valuesObject"]
    assert values["defaultBackupStore"] == {
        "backupTarget": "s3://longhorn@nas/",
        "backupTargetCredentialSecret": "backup-creds",
    }
    assert values["ingress"]["host"] == "home-longhorn"
    assert {
        ("Namespace", "longhorn-system"),
        ("SealedSecret", "backup-creds"),
        ("VolumeSnapshotClass", "longhorn"),
    } <= set(tree)
    assert tree[("Application", "longhorn")]["metadata"]["annotations"] == {
        "homelab/provides-storage-classes": "longhorn"
    }
    assert not own_objects(VELERO) & set(tree)


@pytest.mark.parametrize(
    "others",
    [(), (SealedSecretsProps(),), (LONGHORN, VELERO), EVERY[1:]],
    ids=["argocd-alone", "with-sealed-secrets", "with-storage-and-backups", "every-component"],
)
def test_argocd_is_told_where_the_apps_keep_their_applications(others: tuple[PlatformComponent, ...]) -> None:
    tree = tree_objects(PlatformProps(components=(ARGOCD, *others)))
    params = tree[("Application", "argocd")]["spec"]["source"]["helm"]["valuesObject"]["configs"]["params"]
    assert params == {"server.insecure": True, "application.namespaces": "wiki"}
    without_the_wiki = tree_objects(PlatformProps(components=(ARGOCD, *others)), apps=())
    params = without_the_wiki[("Application", "argocd")]["spec"]["source"]["helm"]["valuesObject"]["configs"]["params"]
    assert params == {"server.insecure": True}


def test_an_empty_platform_renders_nothing() -> None:
    assert rendered(lambda s: Platform(s, "p", PlatformProps(), facts=Facts())) == []


def test_an_app_named_like_a_component_application_names_the_component_to_drop() -> None:
    cnpg = replace(WIKI_APP, name="cnpg")
    with pytest.raises(
        HomelabError,
        match=r"AppSpec 'cnpg' on cluster 'home' would deploy the Application argocd/cnpg, which the platform "
        r"component CloudNativePgProps \(listed in tests/constructs/x.py\) deploys too; two Applications would fight over it\. "
        r"Drop CloudNativePgProps\(\.\.\.\) from that cluster's platform",
    ):
        platform_lab(PlatformProps(components=(ARGOCD, CloudNativePgProps())), apps=(cnpg,))
    platform_lab(PlatformProps(components=(ARGOCD,)), apps=(cnpg,))  # left out: the app is the cluster's own


def test_two_components_deploying_one_application_are_refused() -> None:
    with pytest.raises(PropsError, match=r"ArgoCdProps and ArgoCdProps both deploy the Application 'argocd'; list one"):
        PlatformProps(components=(ARGOCD, ArgoCdProps(values={"a": 1})))


def test_a_component_must_be_component_props() -> None:
    with pytest.raises(
        PropsError,
        match=r"PlatformProps.components: .*components\[1\] \(str\) is not compatible with the PlatformComponent",
    ):
        PlatformProps(components=(ARGOCD, "velero"))  # type: ignore[arg-type]


def test_a_platform_listed_but_not_rendered_by_the_core_overlay_is_refused() -> None:
    lab = platform_lab(PlatformProps(components=(ARGOCD,)))
    plan = replace(lab.clusters[0], platform=PlatformProps(components=(ARGOCD, CloudNativePgProps())))
    with pytest.raises(
        HomelabError,
        match=r"tests/constructs/x.py: cluster 'home' lists CloudNativePgProps in its platform, but "
        r"core-argocd-apps/overlays/home \(tests/constructs/test_platform.py\) deploys no Application 'cnpg'; "
        r"render the plan's platform there",
    ):
        synthesise(replace(lab, clusters=(plan,)), stores={"home": FakeStore()})
