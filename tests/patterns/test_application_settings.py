"""The fields of an app's Application that real Argo CD Applications carry: a sync retry, the namespace's
managed metadata, ``info``, ``revisionHistoryLimit``, a destination cluster by name, and an Application the
cluster's own objects declare as written (``in_cluster_objects``)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

import pytest
import yaml

from constructs_lib.api_object import api_object
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.errors import PropsError
from constructs_lib.sync_policy import Backoff, ManagedNamespaceMetadata, SyncPolicy, SyncRetry
from homelab import ClusterPlan, Context, HomelabError, Scope
from tests.patterns import secrets_lab as lab
from tests.patterns.test_sync_and_secrets import synth, text_of

RETRY = SyncRetry(limit=5, backoff=Backoff(duration="5s", factor=2, max_duration="3m"))
SETTINGS = ApplicationSettings(
    sync=SyncPolicy(
        allow_empty=True,
        retry=RETRY,
        managed_namespace_metadata=ManagedNamespaceMetadata(labels={"team": "wiki"}),
    ),
    info={"url": "https://wiki.example.org", "owner": "me"},
    revision_history_limit=3,
    destination_name="nas",
)


def test_the_settings_are_written_into_the_application_and_its_project() -> None:
    s = synth(replace(lab.WIKI, application=SETTINGS), lab.BACKUP)
    application = yaml.safe_load(text_of(s, "clusters/overlays/home/application-wiki.yaml"))
    spec = application["spec"]
    assert spec["syncPolicy"] == {
        "automated": {"prune": True, "selfHeal": True, "allowEmpty": True},
        "syncOptions": ["ApplyOutOfSyncOnly=true", "ServerSideApply=true", "CreateNamespace=true"],
        "retry": {"limit": 5, "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"}},
        "managedNamespaceMetadata": {"labels": {"team": "wiki"}},
    }
    assert spec["info"] == [{"name": "url", "value": "https://wiki.example.org"}, {"name": "owner", "value": "me"}]
    assert spec["revisionHistoryLimit"] == 3
    assert spec["destination"] == {"name": "nas", "namespace": "wiki"}  # by name, no server
    project = yaml.safe_load(text_of(s, "clusters/overlays/home/appproject-wiki.yaml"))
    assert project["spec"]["destinations"] == [{"namespace": "wiki", "name": "nas"}]


def test_left_out_the_settings_write_nothing() -> None:
    spec = yaml.safe_load(text_of(synth(), "clusters/overlays/home/application-wiki.yaml"))["spec"]
    assert not {"info", "revisionHistoryLimit"} & set(spec) and set(spec["destination"]) == {"server", "namespace"}
    assert not {"retry", "managedNamespaceMetadata"} & set(spec["syncPolicy"])
    assert SyncRetry().render() == {} and SyncRetry(limit=-1).render() == {"limit": -1}


def test_a_cluster_s_settings_fall_back_to_the_app_s_per_field() -> None:
    plan = ClusterPlan(
        cluster=lab.HOME,
        apps=(replace(lab.WIKI, application=SETTINGS),),
        application_settings={"wiki": ApplicationSettings(info={"owner": "ops"}, revision_history_limit=0)},
    )
    got = plan.settings_of(plan.apps[0])
    assert got.info == {"url": "https://wiki.example.org", "owner": "ops"}
    assert (got.revision_history_limit, got.destination_name, got.in_cluster_objects) == (0, "nas", None)
    assert got.sync is not None and got.sync.retry == RETRY


def _own_application(scope: Scope, ctx: Context, path: str = "dist/kustomize/wiki/overlays/home") -> None:
    """The wiki's Application as a hand-kept tree has it, with a field no setting names."""
    api_object(
        scope,
        "wiki",
        api_version="argoproj.io/v1alpha1",
        kind="Application",
        metadata={"name": "wiki", "namespace": "argocd"},
        spec={
            "project": "default",
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "wiki"},
            "source": {"repoURL": lab.HOME.repo_url, "targetRevision": "main", "path": path},
            "syncPolicy": {"automated": {}, "syncOptions": ["CreateNamespace=true"]},
            "operation": {"sync": {"prune": True}},
        },
    )


def test_an_application_in_the_cluster_objects_deploys_the_app_and_nothing_is_derived() -> None:
    plan = replace(
        lab.LAB.clusters[0],
        cluster_objects=_own_application,
        application_settings={"wiki": ApplicationSettings(in_cluster_objects=True)},
    )
    s = synth(plan=plan)
    files = {str(path) for path in s.files}
    assert not any(f.endswith(("appproject-wiki.yaml", "namespace-wiki.yaml")) for f in files), files
    assert any(f.endswith("wiki/overlays/home/kustomization.yaml") for f in files)  # the app's overlay
    assert "operation:" in text_of(s, "clusters/overlays/home/application-wiki.yaml")  # the declared one
    assert any(f.endswith("appproject-backup.yaml") for f in files)  # the others still derived
    # An Application that does not deploy the app's overlay is what validate finds wrong.
    wrong = replace(plan, cluster_objects=partial(_own_application, path="wiki/overlays/home"))
    with pytest.raises(HomelabError, match=r"\[application-path\] points at 'wiki/overlays/home'"):
        synth(plan=wrong)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Backoff(duration="5 seconds"), r"Backoff: duration '5 seconds' is not a duration; write e.g."),
        (lambda: Backoff(max_duration="3min"), r"Backoff: max_duration '3min' is not a duration"),
        (lambda: Backoff(factor=0), r"Backoff: factor must be 1 or more \(each wait times it\), got 0"),
        (lambda: SyncRetry(limit=True), r"SyncRetry.limit"),
        (
            lambda: ApplicationSettings(revision_history_limit=-1),
            r"ApplicationSettings: revision_history_limit must be 0 or more, got -1",
        ),
        (
            lambda: ApplicationSettings(destination_name=" nas"),
            r"ApplicationSettings: destination_name ' nas' must be the name of a cluster known to Argo CD",
        ),
        (lambda: ApplicationSettings(info={"": "x"}), r"ApplicationSettings: info has an entry with no name"),
        (lambda: ApplicationSettings(info={"url": 1}), r"ApplicationSettings.info"),
    ],
)
def test_a_wrong_application_setting_is_refused(make: Any, message: str) -> None:
    with pytest.raises(PropsError, match=message):
        make()
