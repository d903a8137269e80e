"""A homelab whose secrets live outside git and whose sync is ordered, written the way a user writes apps:
an ExternalSecret read by a Deployment, a SOPS-encrypted Secret carried as it is, a ConfigMap synced in an
earlier wave, a PostSync Job, and an app whose sync options add to and remove from the cluster's."""

from __future__ import annotations

from pathlib import Path

from constructs_lib.api_object import api_object
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.external_secret import ExternalSecret, ExternalSecretData, ExternalSecretProps, SecretStoreRef
from constructs_lib.job import Job, JobProps
from constructs_lib.pod import Container, PodSpec, env_secret
from constructs_lib.sync_policy import SyncHook, SyncOptions, SyncPolicy
from constructs_lib.versions import Image
from homelab import AppSpec, Cluster, ClusterPlan, Homelab, Scope
from tests.engine import minilab

HOME = Cluster(name="home", repo_url="https://git.example/secrets")
IMAGE = Image(name="ghcr.io/example/wiki", tag="2.5.1")

DB_SECRET = ExternalSecretProps(
    name="wiki-db",
    namespace="wiki",
    store=SecretStoreRef(name="vault", kind="ClusterSecretStore"),
    data=(
        ExternalSecretData(secret_key="username", remote_key="homelab/wiki/db", property="username"),
        ExternalSecretData(secret_key="password", remote_key="homelab/wiki/db", property="password"),
    ),
    refresh_interval="1h",
)


def wiki(scope: Scope, secret: ExternalSecretProps) -> None:
    """The wiki, its database credentials filled by ``secret`` (the Deployment reads Secret ``wiki-db``)."""
    ExternalSecret(scope, "db-secret", secret)
    ConfigMap(
        scope, "settings", ConfigMapProps(name="wiki-settings", namespace="wiki", data={"TZ": "UTC"}, sync_wave=-1)
    )
    container = Container(
        name="wiki",
        image=IMAGE,
        env=(
            env_secret("DB_USER", "wiki-db", "username"),
            env_secret("DB_PASSWORD", "wiki-db", "password"),
        ),
    )
    Deployment(
        scope,
        "wiki",
        DeploymentProps(name="wiki", namespace="wiki", selector={"app": "wiki"}, pod=PodSpec(containers=(container,))),
    )
    migrate = Container(name="migrate", image=IMAGE, args=("migrate",), env=container.env)
    Job(
        scope,
        "migrate",
        JobProps(
            name="wiki-migrate",
            namespace="wiki",
            pod=PodSpec(containers=(migrate,), restart_policy="Never"),
            hook=SyncHook(phase="PostSync", delete_policy=("HookSucceeded", "BeforeHookCreation")),
        ),
    )


def wiki_base(scope: Scope) -> None:
    wiki(scope, DB_SECRET)


#: What ``sops --encrypt`` writes for a Secret: every value of ``data`` encrypted, a ``sops`` block beside.
SOPS_SECRET: dict[str, object] = {
    "data": {
        "password": "ENC[AES256_GCM,data:Zm9vYmFyYmF6cXV4,iv:AAAAAAAAAAAAAAAAAAAAAA==,tag:BBBBBBBBBBBBBBBBBBBBBB==,type:str]",
    },
    "sops": {
        "age": [
            {
                "recipient": "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
                "enc": "-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCg==\n-----END AGE ENCRYPTED FILE-----\n",
            }
        ],
        "lastmodified": "2025-01-01T00:00:00Z",
        "mac": "ENC[AES256_GCM,data:bWFjbWFjbWFj,iv:CCCCCCCCCCCCCCCCCCCCCC==,tag:DDDDDDDDDDDDDDDDDDDDDD==,type:str]",
        "encrypted_regex": "^(data|stringData)$",
        "version": "3.9.0",
    },
}


def vault_base(scope: Scope) -> None:
    """A Secret encrypted with SOPS, carried as it is (KSOPS or the Argo CD plugin decrypts it)."""
    api_object(
        scope,
        "token",
        api_version="v1",
        kind="Secret",
        metadata={"name": "backup-token", "namespace": "backup"},
        **SOPS_SECRET,
    )


WIKI = AppSpec(
    name="wiki",
    base=wiki_base,
    application=ApplicationSettings(
        sync=SyncPolicy(options=SyncOptions(add=("PruneLast=true",), remove=("ServerSideApply",))), sync_wave=2
    ),
)
BACKUP = AppSpec(name="backup", base=vault_base)

LAB = Homelab(
    root=Path(__file__).resolve().parent,
    core=minilab.CORE,
    clusters=(ClusterPlan(cluster=HOME, apps=(WIKI, BACKUP)),),
)
