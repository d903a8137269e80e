"""external-secrets: the External Secrets Operator, which fills the apps' ExternalSecrets from the store
(its chart installs CRDs, ClusterRoles and webhooks: declared so its project admits them)."""

from __future__ import annotations

from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.versions import HelmChart
from homelab import AppSpec, Scope

OPERATOR = HelmArgoAppProps(
    owned_by="external-secrets",
    name="external-secrets",
    chart=HelmChart(repo_url="https://charts.external-secrets.io", chart="external-secrets", version="0.19.2"),
    cluster_resources=(
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    ),
)


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "operator", OPERATOR)


APP = AppSpec(name="external-secrets", base=base)
