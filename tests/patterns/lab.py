"""A homelab of patterns found in other people's repositories, written the way a user writes apps: objects
that controllers create (a cert-manager Certificate's Secret, an Ingress's TLS Secret issued by
cert-manager, an operator's own Service and Secret) are declared, never accepted away."""

from __future__ import annotations

from pathlib import Path

from constructs_lib.annotations import Creates
from constructs_lib.api_object import api_object
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.pod import Container, PodSpec, Port
from constructs_lib.service import Service, ServicePort, ServiceProps
from constructs_lib.versions import HelmChart, Image
from homelab import AppGroup, AppSpec, Cluster, ClusterPlan, Homelab, Scope
from tests.engine import minilab

HOME = Cluster(name="home", repo_url="https://git.example/patterns")
IMAGE = Image(name="ghcr.io/lldap/lldap", tag="v0.6.1")


def ingress(
    scope: Scope, namespace: str, host: str, service: str, tls_secret: str, issuer: str | None = "letsencrypt"
) -> None:
    """A Traefik Ingress whose TLS Secret cert-manager issues (ingress-shim) when ``issuer`` is given."""
    api_object(
        scope,
        "ingress",
        api_version="networking.k8s.io/v1",
        kind="Ingress",
        metadata={
            "name": service,
            "namespace": namespace,
            "annotations": {"cert-manager.io/cluster-issuer": issuer} if issuer else {},
        },
        spec={
            "ingressClassName": "traefik",
            "tls": [{"hosts": [host], "secretName": tls_secret}],
            "rules": [
                {
                    "host": host,
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": service, "port": {"number": 80}}},
                            }
                        ]
                    },
                }
            ],
        },
    )


def lldap_certificate(scope: Scope) -> None:
    """The certificate cert-manager issues into Secret ``lldap-cert``."""
    api_object(
        scope,
        "cert",
        api_version="cert-manager.io/v1",
        kind="Certificate",
        metadata={"name": "lldap", "namespace": "lldap"},
        spec={"secretName": "lldap-cert", "dnsNames": ["ldap.example.org"], "issuerRef": {"name": "letsencrypt"}},
    )


def lldap_workload(scope: Scope) -> None:
    """A directory service serving LDAPS with the certificate's Secret, and its Service."""
    tls_key = {
        "name": "LLDAP_LDAPS_OPTIONS__KEY",
        "valueFrom": {"secretKeyRef": {"name": "lldap-cert", "key": "tls.key"}},
    }
    Deployment(
        scope,
        "lldap",
        DeploymentProps(
            name="lldap",
            namespace="lldap",
            selector={"app": "lldap"},
            pod=PodSpec(
                containers=(Container(name="lldap", image=IMAGE, env=(tls_key,), ports=(Port(container_port=17170),)),),
                volumes=({"name": "cert", "secret": {"secretName": "lldap-cert"}},),
            ),
        ),
    )
    Service(
        scope,
        "service",
        ServiceProps(
            name="lldap", namespace="lldap", selector={"app": "lldap"}, ports=(ServicePort(port=80, target_port=17170),)
        ),
    )


def lldap_base(scope: Scope) -> None:
    lldap_certificate(scope)
    lldap_workload(scope)
    ingress(scope, "lldap", "ldap.example.org", "lldap", "lldap-tls")


KEYCLOAK_GROUP = AppGroup(name="keycloak")
OPERATOR = HelmArgoAppProps(
    owned_by="keycloak",
    name="keycloak-operator",
    chart=HelmChart(repo_url="https://charts.example/keycloak", chart="keycloak-operator", version="26.0.0"),
    creates=(
        Creates(kind="Service", name="keycloak-service"),
        Creates(kind="Secret", name="keycloak-initial-admin"),
    ),
    cluster_resources=(
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
    ),
)


def operator_base(scope: Scope) -> None:
    """The Keycloak operator, which creates the instance's Service and its first admin's Secret."""
    HelmArgoApp(scope, "operator", OPERATOR)


def keycloak_base(scope: Scope) -> None:
    """The instance: a ``Keycloak`` the operator runs, a Job reading the admin Secret it makes, an Ingress to its Service."""
    api_object(
        scope,
        "keycloak",
        api_version="k8s.keycloak.org/v2alpha1",
        kind="Keycloak",
        metadata={"name": "keycloak", "namespace": "keycloak"},
        spec={"instances": 1, "hostname": {"hostname": "sso.example.org"}},
    )
    admin = {
        "name": "ADMIN_PASSWORD",
        "valueFrom": {"secretKeyRef": {"name": "keycloak-initial-admin", "key": "password"}},
    }
    Deployment(
        scope,
        "realm-sync",
        DeploymentProps(
            name="realm-sync",
            namespace="keycloak",
            selector={"app": "realm-sync"},
            pod=PodSpec(
                containers=(
                    Container(name="sync", image=Image(name="ghcr.io/example/realm-sync", tag="1.0"), env=(admin,)),
                )
            ),
        ),
    )
    ingress(scope, "keycloak", "sso.example.org", "keycloak-service", "keycloak-tls")


LLDAP = AppSpec(name="lldap", base=lldap_base)
KEYCLOAK_OPERATOR = AppSpec(name="keycloak-operator", base=operator_base, group=KEYCLOAK_GROUP)
KEYCLOAK = AppSpec(name="keycloak", base=keycloak_base, group=KEYCLOAK_GROUP)

LAB = Homelab(
    root=Path(__file__).resolve().parent,
    core=minilab.CORE,
    clusters=(ClusterPlan(cluster=HOME, apps=(LLDAP, KEYCLOAK_OPERATOR, KEYCLOAK)),),
)
