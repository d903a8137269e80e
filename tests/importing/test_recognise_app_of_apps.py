"""The app-of-apps triple comes back as ``AppOfApps``; lone namespaces as ``Namespace``; platform components
as themselves; what no construct renders as ``api_object``, each object once."""

from __future__ import annotations

from constructs_lib.api_object import api_object
from constructs_lib.app_of_apps import AppOfApps, AppOfAppsProps
from constructs_lib.argo_application import IgnoreDifference
from constructs_lib.namespace import PRIVILEGED, Namespace
from constructs_lib.platform import CertManager, CertManagerProps, ExternalSnapshotter, ExternalSnapshotterProps
from constructs_lib.sync_policy import SyncPolicy
from homelab.importing.claims import recognise
from tests.importing.recognising import near_miss, only_claim, recognised

APP = AppOfAppsProps(
    name="immich",
    repo_url="https://github.com/o/homelab",
    path="kustomize/immich/overlays/thomelab",
    source_repos=("https://immich-app.github.io/immich-charts",),
    namespace_labels=PRIVILEGED,
    cluster_resource_whitelist=(("storage.k8s.io", "StorageClass"),),
    extra_destinations=("argocd",),
    cascade_delete=True,
    annotations={"notifications.argoproj.io/subscribe.on-sync-failed.ntfy": ""},
    ignore_differences=(IgnoreDifference(kind="Secret", json_pointers=("/data",)),),
    sync=SyncPolicy(options=("CreateNamespace=true",)),
    sync_wave=3,
)


def test_the_triple_is_one_app_of_apps() -> None:
    claim = only_claim(lambda s: AppOfApps(s, "immich", APP))
    assert (claim.construct, claim.props, claim.objects) == (AppOfApps, APP, (0, 1, 2))
    other = AppOfAppsProps(name="wiki", namespace="docs", project="team", repo_url="https://g/r", path="wiki")
    assert only_claim(lambda s: AppOfApps(s, "wiki", other)).props == other


def test_a_triple_that_differs_leaves_the_project_raw_and_the_rest_typed() -> None:
    objects, _ = recognised(lambda s: AppOfApps(s, "immich", APP))
    claims = near_miss(objects, 1, ("spec", "orphanedResources"), {"warn": True})
    assert [c.construct.__name__ for c in claims] == ["Namespace", "api_object", "AppOfApps"]
    assert claims[2].props == AppOfAppsProps(
        **{
            **APP.__dict__,
            "namespace_labels": {},
            "source_repos": (),
            "cluster_resource_whitelist": (),
            "extra_destinations": (),
            "shares_project": True,
        }
    )


def test_namespaces_and_platform_components() -> None:
    claims = recognised(
        lambda s: (
            Namespace(s, "ns", name="media", labels=PRIVILEGED),
            CertManagerProps().add_to(s),
            ExternalSnapshotterProps().add_to(s),
        )
    )[1]
    assert [(c.construct, len(c.objects)) for c in claims] == [
        (Namespace, 1),
        (CertManager, 1),
        (ExternalSnapshotter, 2),
    ]
    assert claims[0].props == {"name": "media", "labels": PRIVILEGED}
    assert claims[1].props == CertManagerProps()


def test_what_no_construct_renders_is_kept_as_it_is() -> None:
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "r", "namespace": "a"},
        "rules": [],
    }
    stamped = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "r", "creationTimestamp": None},
        "data": {"k": "dg=="},
    }
    claims = recognise([role, stamped])
    assert [(c.construct, c.props, c.id, c.typed) for c in claims] == [
        (api_object, role, "r", False),
        (api_object, stamped, "r-secret", False),
    ]
    assert recognise([]) == []
