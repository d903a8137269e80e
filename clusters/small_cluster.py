"""The platform of a small cluster (minikube, the VPS): what the apps need, without the home extras.

No Intel GPU plugins, descheduler, Velero backups or kubelet certificate approver; the other
components with their defaults.
"""

from __future__ import annotations

from constructs_lib.platform import (
    ArgoCdProps,
    CertManagerProps,
    CloudNativePgProps,
    ExternalSnapshotterProps,
    ImageUpdaterProps,
    LonghornProps,
    MetricsServerProps,
    Platform,
    PlatformProps,
    SealedSecretsProps,
    TailscaleOperatorProps,
)
from homelab import Context, Scope

PLATFORM = PlatformProps(
    components=(
        ArgoCdProps(),
        ImageUpdaterProps(),
        SealedSecretsProps(),
        MetricsServerProps(),
        ExternalSnapshotterProps(),
        LonghornProps(),
        TailscaleOperatorProps(),
        CloudNativePgProps(),
        CertManagerProps(),
    ),
)


def core_overlay(scope: Scope, ctx: Context) -> None:
    """The platform on a small cluster (:data:`PLATFORM`)."""
    Platform(scope, "platform", PLATFORM, facts=ctx)
