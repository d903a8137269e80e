"""Which kinds have no namespace: the one source the synthesiser and the validator share.

Kubernetes' own cluster-scoped kinds and those of widely used operators are listed here; any
CustomResourceDefinition the tree contains (or that validation is given) adds its ``spec.scope``,
and a declaration can name more (``Homelab.cluster_scoped_kinds``). A kind nobody knows is
namespaced, as most are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

GroupKind = tuple[str, str]
"""(API group, kind); the group is '' for the core API."""

#: Cluster-scoped kinds of the Kubernetes API (1.33).
KUBERNETES: frozenset[GroupKind] = frozenset(
    {
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("", "ComponentStatus"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"),
        ("authentication.k8s.io", "TokenReview"),
        ("authentication.k8s.io", "SelfSubjectReview"),
        ("authorization.k8s.io", "SelfSubjectAccessReview"),
        ("authorization.k8s.io", "SelfSubjectRulesReview"),
        ("authorization.k8s.io", "SubjectAccessReview"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("certificates.k8s.io", "ClusterTrustBundle"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("internal.apiserver.k8s.io", "StorageVersion"),
        ("networking.k8s.io", "IngressClass"),
        ("networking.k8s.io", "IPAddress"),
        ("networking.k8s.io", "ServiceCIDR"),
        ("node.k8s.io", "RuntimeClass"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("resource.k8s.io", "DeviceClass"),
        ("resource.k8s.io", "ResourceSlice"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("storage.k8s.io", "VolumeAttributesClass"),
        ("storagemigration.k8s.io", "StorageVersionMigration"),
    }
)

#: Cluster-scoped custom kinds of operators homelabs commonly run (their CRDs say ``scope: Cluster``).
OPERATORS: frozenset[GroupKind] = frozenset(
    {
        ("snapshot.storage.k8s.io", "VolumeSnapshotClass"),
        ("snapshot.storage.k8s.io", "VolumeSnapshotContent"),
        ("groupsnapshot.storage.k8s.io", "VolumeGroupSnapshotClass"),
        ("groupsnapshot.storage.k8s.io", "VolumeGroupSnapshotContent"),
        ("cert-manager.io", "ClusterIssuer"),
        ("external-secrets.io", "ClusterSecretStore"),
        ("external-secrets.io", "ClusterExternalSecret"),
        ("tailscale.com", "ProxyClass"),
        ("tailscale.com", "ProxyGroup"),
        ("tailscale.com", "Connector"),
        ("tailscale.com", "DNSConfig"),
        ("postgresql.cnpg.io", "ClusterImageCatalog"),
        ("deviceplugin.intel.com", "GpuDevicePlugin"),
        ("deviceplugin.intel.com", "QatDevicePlugin"),
        ("deviceplugin.intel.com", "SgxDevicePlugin"),
        ("deviceplugin.intel.com", "DsaDevicePlugin"),
        ("deviceplugin.intel.com", "DlbDevicePlugin"),
        ("deviceplugin.intel.com", "FpgaDevicePlugin"),
        ("deviceplugin.intel.com", "IaaDevicePlugin"),
        ("gateway.networking.k8s.io", "GatewayClass"),
        ("kyverno.io", "ClusterPolicy"),
        ("metallb.io", "BGPPeer"),
        ("cilium.io", "CiliumClusterwideNetworkPolicy"),
        ("cilium.io", "CiliumNode"),
        ("cilium.io", "CiliumIdentity"),
        ("cilium.io", "CiliumLoadBalancerIPPool"),
        ("monitoring.coreos.com", "ClusterPrometheus"),
    }
)


#: Namespaced custom kinds of operators homelabs commonly run: known, so not reported as unknown (any other
#: custom kind with no CRD in the tree is assumed namespaced, and a finding says so).
NAMESPACED_OPERATORS: frozenset[GroupKind] = frozenset(
    {
        *(("argoproj.io", k) for k in ("Application", "AppProject", "ApplicationSet")),
        ("bitnami.com", "SealedSecret"),
        *(("postgresql.cnpg.io", k) for k in ("Cluster", "Backup", "ScheduledBackup", "Pooler", "Database")),
        *(("cert-manager.io", k) for k in ("Certificate", "Issuer", "CertificateRequest")),
        *(("acme.cert-manager.io", k) for k in ("Order", "Challenge")),
        *(("external-secrets.io", k) for k in ("ExternalSecret", "SecretStore", "PushSecret")),
        *(
            ("gateway.networking.k8s.io", k)
            for k in ("Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute", "ReferenceGrant")
        ),
        *(("velero.io", k) for k in ("Schedule", "Backup", "Restore", "BackupStorageLocation")),
        *(("longhorn.io", k) for k in ("RecurringJob", "Volume", "BackupTarget", "Setting")),
        *(("snapshot.storage.k8s.io", k) for k in ("VolumeSnapshot",)),
        *(("monitoring.coreos.com", k) for k in ("ServiceMonitor", "PodMonitor", "PrometheusRule")),
        *(("traefik.io", k) for k in ("IngressRoute", "Middleware", "TLSOption", "ServersTransport")),
        *(("k8s.keycloak.org", k) for k in ("Keycloak", "KeycloakRealmImport")),
        ("tailscale.com", "Recorder"),
    }
)


def is_custom_group(group: str) -> bool:
    """A group of custom resources: it has a dot and is not one of Kubernetes' own (``*.k8s.io``)."""
    return "." in group and not group.endswith(".k8s.io") and group != "k8s.io"


def group_of(api_version: str) -> str:
    """``apps/v1`` → ``apps``; ``v1`` → '' (the core group)."""
    return api_version.rpartition("/")[0]


class KindScopes:
    """Answers "is this kind cluster-scoped?" from the tables above, CRDs and declared extras."""

    def __init__(self, cluster_scoped: Iterable[GroupKind] = (), namespaced: Iterable[GroupKind] = ()) -> None:
        """``cluster_scoped`` adds kinds; ``namespaced`` overrides the tables (a CRD that says so)."""
        self._namespaced = frozenset(namespaced)
        self._cluster = (KUBERNETES | OPERATORS | frozenset(cluster_scoped)) - self._namespaced

    def is_cluster_scoped(self, api_version: str, kind: str) -> bool:
        return (group_of(api_version), kind) in self._cluster

    def is_known(self, api_version: str, kind: str) -> bool:
        """Whether the kind's scope is known (the tables, a CRD, a declaration), not assumed."""
        key = (group_of(api_version), kind)
        return key in self._cluster or key in self._namespaced or key in NAMESPACED_OPERATORS

    def with_crds(self, manifests: Iterable[dict[str, Any]]) -> KindScopes:
        """These scopes, with what every CustomResourceDefinition among ``manifests`` says."""
        cluster: set[GroupKind] = set(self._cluster)
        namespaced: set[GroupKind] = set(self._namespaced)
        for crd in manifests:
            if crd.get("kind") != "CustomResourceDefinition" or not isinstance(crd.get("spec"), dict):
                continue
            spec = crd["spec"]
            names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
            key = (str(spec.get("group", "")), str(names.get("kind", "")))
            if spec.get("scope") == "Cluster":
                cluster.add(key)
                namespaced.discard(key)
            elif spec.get("scope") == "Namespaced":
                namespaced.add(key)
                cluster.discard(key)
        return KindScopes(cluster, namespaced)


#: The tables alone, for callers with no CRDs at hand.
DEFAULT = KindScopes()


_CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")
_RBAC = (("rbac.authorization.k8s.io", "ClusterRole"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"))
_WEBHOOKS = (
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
)

#: Cluster-scoped kinds that widely used Helm charts (by chart name) install with their defaults: an
#: Application of one whose project does not admit them fails its first sync. Known cases, not a guess about
#: other charts: a chart missing here is simply not checked.
CHART_CLUSTER_KINDS: dict[str, tuple[GroupKind, ...]] = {
    "cert-manager": (_CRD, *_RBAC, *_WEBHOOKS),
    "cloudnative-pg": (_CRD, *_RBAC, *_WEBHOOKS),
    "external-secrets": (_CRD, *_RBAC, *_WEBHOOKS),
    "sealed-secrets": (_CRD, *_RBAC),
    "tailscale-operator": (_CRD, *_RBAC, ("networking.k8s.io", "IngressClass")),
    "longhorn": (_CRD, *_RBAC, ("storage.k8s.io", "StorageClass"), ("scheduling.k8s.io", "PriorityClass")),
    "velero": (_CRD, *_RBAC),
    "traefik": (_CRD, *_RBAC, ("networking.k8s.io", "IngressClass")),
    "ingress-nginx": (*_RBAC, *_WEBHOOKS, ("networking.k8s.io", "IngressClass")),
}
