"""core-argocd-apps: the platform every cluster runs, deployed by the cluster's root Application.

The components (Argo CD, sealed-secrets, Longhorn, Velero, ...) are the library's
(:mod:`constructs_lib.platform`); each cluster lists those it runs in its module
(``clusters/thomelab.py``, ``clusters/small_cluster.py``) and this module's :data:`PLATFORM` is the
shared ``base/``: every component with its defaults, the same on every cluster.
"""

from __future__ import annotations

from constructs_lib.platform import (
    ArgoCdProps,
    CertManagerProps,
    CloudNativePgProps,
    DeschedulerProps,
    ExternalSnapshotterProps,
    ImageUpdaterProps,
    IntelDevicePluginsProps,
    KubeletCertApproverProps,
    LonghornProps,
    MetricsServerProps,
    Platform,
    PlatformProps,
    SealedSecretsProps,
    TailscaleOperatorProps,
    VeleroProps,
)
from homelab import Scope

#: Every component the bundled clusters run, with its defaults, in the order the tree lists them.
PLATFORM = PlatformProps(
    components=(
        ArgoCdProps(),
        ImageUpdaterProps(),
        SealedSecretsProps(),
        MetricsServerProps(),
        KubeletCertApproverProps(),
        ExternalSnapshotterProps(),
        LonghornProps(),
        TailscaleOperatorProps(),
        CloudNativePgProps(),
        VeleroProps(),
        CertManagerProps(),
        IntelDevicePluginsProps(),
        DeschedulerProps(),
    )
)


def base(scope: Scope) -> None:
    """The platform's shared base: each component as it is on every cluster."""
    Platform(scope, "platform", PLATFORM)
