"""wiki: a web app using every pattern at once.

- a cert-manager ``Certificate`` whose Secret the Deployment mounts (cert-manager creates it);
- a CloudNativePG database with its affinity, managed Services and volumes' claim template, reached from
  outside through the Gateway's TCP listener (a TCPRoute to the ``-rw`` Service it creates);
- settings in a ConfigMap named by a hash of its content (synced in an earlier wave), which the home
  cluster's overlay changes: there it gets another name, and the pods roll;
- ExternalSecrets: the database credentials with a templated URL, OAuth settings whose keys the store
  decides (``data_from``), a CA merged into the Secret the database operator creates;
- a SOPS-encrypted SMTP Secret, carried as it is;
- a Deployment reading all of it (``env_from`` a ConfigMap then a Secret, keys, a volume), spread by pod
  affinity, with an init container of an untagged image and no replica count (an autoscaler's);
- a Service, a headless Service and a LoadBalancer keeping client addresses; a claim bound by label;
- a Traefik Ingress with a certificate cert-manager issues, and an HTTPRoute rewriting, changing headers
  and mirroring to the headless Service;
- a migration Job run after each sync (a PostSync hook), and an Application whose sync options add to and
  remove from the cluster's, in a later sync wave.
"""

from __future__ import annotations

from dataclasses import replace

from cdk8s_plus_33 import k8s

from constructs_lib.api_object import api_object
from constructs_lib.application_settings import ApplicationSettings
from constructs_lib.cnpg_database import CnpgAffinity, CnpgDatabase, CnpgDatabaseProps, ManagedService
from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.external_secret import (
    ExternalSecret,
    ExternalSecretData,
    ExternalSecretProps,
    ExtractFrom,
    RewriteRegexp,
    SecretStoreRef,
    SecretTemplate,
)
from constructs_lib.http_route import BackendRef, HTTPRoute, HTTPRouteMatch, HTTPRouteProps, HTTPRouteRule, ParentRef
from constructs_lib.http_route_filter import (
    PathModifier,
    RequestHeaderModifier,
    RequestMirror,
    ResponseHeaderModifier,
    URLRewrite,
)
from constructs_lib.ingress import Ingress, IngressPath, IngressProps, IngressTls
from constructs_lib.job import Job, JobProps
from constructs_lib.pod import (
    Container,
    Mount,
    PodSpec,
    Port,
    env_from_config_map,
    env_from_secret,
    env_secret,
    secret_volume,
)
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.sync_policy import SyncHook, SyncOptions, SyncPolicy
from constructs_lib.tcp_route import TCPRoute, TCPRouteProps
from constructs_lib.tls_route import StreamRouteRule
from constructs_lib.versions import Image
from constructs_lib.volume_claim import VolumeClaim, VolumeClaimProps
from homelab import AppSpec, Context, Scope
from tests.patterns.all_patterns_lab.apps import edge

NS = "wiki"
LABELS = {"app": "wiki"}
IMAGE = Image(name="ghcr.io/example/wiki", tag="3.2.0")
STORE = SecretStoreRef(name="vault", kind="ClusterSecretStore")

DATABASE = CnpgDatabaseProps(
    name="wiki-pg",
    namespace=NS,
    instances=2,
    storage_size="10Gi",
    pvc_template={"selector": {"matchLabels": {"tier": "fast"}}},
    affinity=CnpgAffinity(enable_pod_anti_affinity=True, topology_key="kubernetes.io/hostname"),
    disabled_default_services=("r",),
    additional_services=(ManagedService(name="wiki-pg-lb", selector_type="rw", type="LoadBalancer"),),
)
SETTINGS = ConfigMapProps(
    name="wiki-settings", namespace=NS, data={"LOG_LEVEL": "info", "WIKI_TITLE": "Home"}, hashed=True, sync_wave=-1
)
CREDENTIALS = ExternalSecretProps(
    name="wiki-db",
    namespace=NS,
    store=STORE,
    data=(
        ExternalSecretData(secret_key="username", remote_key="homelab/wiki/db", property="username"),
        ExternalSecretData(secret_key="password", remote_key="homelab/wiki/db", property="password"),
    ),
    deletion_policy="Delete",
    template=SecretTemplate(
        type="Opaque",
        labels={"app": "wiki"},
        data={"DATABASE_URL": "postgres://{{ .username }}:{{ .password }}@wiki-pg-rw:5432/wiki"},
        merge_policy="Merge",
    ),
    refresh_interval="1h",
)
OAUTH = ExternalSecretProps(
    name="wiki-oauth",
    namespace=NS,
    store=STORE,
    data_from=(ExtractFrom(remote_key="homelab/wiki/oauth", rewrite=(RewriteRegexp(source="^", target="OAUTH_"),)),),
    creation_policy="Orphan",
)
DATABASE_CA = ExternalSecretProps(
    name="wiki-pg-ca",
    namespace=NS,
    store=STORE,
    target=DATABASE.app_secret,
    data=(ExternalSecretData(secret_key="ca.crt", remote_key="homelab/pki/ca", property="certificate"),),
    creation_policy="Merge",
)

#: What ``sops --encrypt`` writes for a Secret: its values encrypted, SOPS's block beside them.
SMTP_SOPS: dict[str, object] = {
    "stringData": {
        "password": "ENC[AES256_GCM,data:c210cHBhc3N3b3Jk,iv:AAAAAAAAAAAAAAAAAAAAAA==,tag:BBBBBBBBBBBBBBBBBBBBBB==,type:str]",
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

SPREAD = k8s.Affinity(
    pod_anti_affinity=k8s.PodAntiAffinity(
        preferred_during_scheduling_ignored_during_execution=[
            k8s.WeightedPodAffinityTerm(
                weight=100,
                pod_affinity_term=k8s.PodAffinityTerm(
                    topology_key="kubernetes.io/hostname", label_selector=k8s.LabelSelector(match_labels=LABELS)
                ),
            )
        ]
    )
)


def secrets(scope: Scope) -> None:
    """The certificate, the ExternalSecrets and the SOPS-encrypted Secret."""
    api_object(
        scope,
        "certificate",
        api_version="cert-manager.io/v1",
        kind="Certificate",
        metadata={"name": "wiki-internal", "namespace": NS},
        spec={
            "secretName": "wiki-internal-tls",
            "dnsNames": ["wiki.wiki.svc.cluster.local"],
            "issuerRef": {"name": "internal-ca", "kind": "ClusterIssuer"},
        },
    )
    for props in (CREDENTIALS, OAUTH, DATABASE_CA):
        ExternalSecret(scope, props.name, props)
    api_object(
        scope, "smtp", api_version="v1", kind="Secret", metadata={"name": "wiki-smtp", "namespace": NS}, **SMTP_SOPS
    )


def workload(scope: Scope) -> None:
    """The Deployment, its migration hook and its claim."""
    wiki = Container(
        name="wiki",
        image=IMAGE,
        env_from=(env_from_config_map(SETTINGS.name), env_from_secret(OAUTH.target_name)),
        env=(
            env_secret("DATABASE_URL", CREDENTIALS.target_name, "DATABASE_URL"),
            env_secret("DATABASE_CA", DATABASE.app_secret, "ca.crt"),
            env_secret("OAUTH_CLIENT_ID", OAUTH.target_name, "OAUTH_CLIENT_ID"),
            env_secret("SMTP_PASSWORD", "wiki-smtp", "password"),
        ),
        ports=(Port(container_port=3000, name="http"),),
        mounts=(Mount(volume="tls", path="/tls", read_only=True), Mount(volume="uploads", path="/uploads")),
    )
    Deployment(
        scope,
        "wiki",
        DeploymentProps(
            name="wiki",
            namespace=NS,
            selector=LABELS,
            pod=PodSpec(
                init_containers=(Container(name="wait-db", image=Image(name="busybox", tag=None), command=("true",)),),
                containers=(wiki,),
                volumes=(
                    secret_volume("tls", "wiki-internal-tls"),
                    {"name": "uploads", "persistentVolumeClaim": {"claimName": "wiki-uploads"}},
                ),
                affinity=SPREAD,
            ),
        ),
    )
    migrate = Container(name="migrate", image=IMAGE, args=("migrate",), env=wiki.env[:1])
    Job(
        scope,
        "migrate",
        JobProps(
            name="wiki-migrate",
            namespace=NS,
            pod=PodSpec(containers=(migrate,), restart_policy="Never"),
            hook=SyncHook(phase="PostSync", delete_policy=("HookSucceeded", "BeforeHookCreation")),
        ),
    )
    VolumeClaim(
        scope,
        "uploads",
        VolumeClaimProps(
            name="wiki-uploads",
            namespace=NS,
            size="20Gi",
            storage_class="",
            selector=k8s.LabelSelector(match_labels={"volume": "wiki-uploads"}),
        ),
    )


def services(scope: Scope) -> None:
    """Its Services, the Ingress and the Gateway routes."""
    http = (ServicePort(port=80, target_port="http"),)
    Service(scope, "service", ServiceProps(name="wiki", namespace=NS, selector=LABELS, ports=http))
    Service(
        scope,
        "headless",
        ServiceProps(name="wiki-headless", namespace=NS, selector=LABELS, cluster_ip="None", ports=http),
    )
    Service(
        scope,
        "lb",
        ServiceProps(
            name="wiki-lb",
            namespace=NS,
            selector=LABELS,
            type="LoadBalancer",
            external_traffic_policy="Local",
            external_ips=("192.0.2.20",),
            ports=http,
        ),
    )
    Ingress(
        scope,
        "ingress",
        IngressProps(
            name="wiki",
            namespace=NS,
            ingress_class_name="traefik",
            cluster_issuer="letsencrypt",
            tls=(IngressTls(hosts=("wiki.example.net",), secret_name="wiki-tls"),),
            paths=(IngressPath(host="wiki.example.net", path="/", service="wiki", port=80),),
        ),
    )
    HTTPRoute(
        scope,
        "route",
        HTTPRouteProps(
            name="wiki",
            namespace=NS,
            parent_refs=(edge.HTTPS,),
            hostnames=("wiki.example.org",),
            rules=(
                HTTPRouteRule(
                    matches=(HTTPRouteMatch(path="/api/v1"),),
                    filters=(
                        URLRewrite(path=PathModifier(type="ReplacePrefixMatch", value="/api")),
                        RequestHeaderModifier(set={"X-Forwarded-Proto": "https"}, remove=("X-Debug",)),
                        RequestMirror(service="wiki-headless", port=80),
                    ),
                    backend_refs=(BackendRef(service="wiki", port=80),),
                ),
                HTTPRouteRule(
                    filters=(ResponseHeaderModifier(add={"Strict-Transport-Security": "max-age=31536000"}),),
                    backend_refs=(BackendRef(service="wiki", port=80),),
                ),
            ),
        ),
    )
    TCPRoute(
        scope,
        "database-route",
        TCPRouteProps(
            name="wiki-pg",
            namespace=NS,
            parent_refs=(ParentRef(name=edge.GATEWAY.name, namespace=edge.NAMESPACE, section_name="postgres"),),
            rules=(StreamRouteRule(backend_refs=(BackendRef(service=DATABASE.rw_service, port=5432),)),),
        ),
    )


def wiki(scope: Scope, settings: ConfigMapProps) -> None:
    """The whole app, with ``settings``."""
    CnpgDatabase(scope, "database", DATABASE)
    ConfigMap(scope, "settings", settings)
    secrets(scope)
    workload(scope)
    services(scope)


def base(scope: Scope) -> None:
    wiki(scope, SETTINGS)


def home(scope: Scope, ctx: Context) -> None:
    """On home the wiki logs more: its settings change, so their name does."""
    wiki(scope, replace(SETTINGS, data={**SETTINGS.data, "LOG_LEVEL": "debug"}))


APP = AppSpec(
    name="wiki",
    base=base,
    overlays={"home": home},
    application=ApplicationSettings(
        sync=SyncPolicy(options=SyncOptions(add=("PruneLast=true",), remove=("ServerSideApply",))), sync_wave=2
    ),
)
