"""The platform as components: the infrastructure a cluster runs, each a construct with its own props.

A cluster lists the components it runs in a :class:`~constructs_lib.platform.platform.PlatformProps`;
:class:`~constructs_lib.platform.platform.Platform` renders them — without a cluster's facts, what is
the same on every cluster (a shared ``base/``); with them (a homelab builder's ``ctx``), also what each
derives from the cluster and its apps. Chart versions are pinned here as ``HelmChart(...)`` literals,
which Renovate keeps current.
"""

from __future__ import annotations

from constructs_lib.platform.argocd import ArgoCd, ArgoCdProps
from constructs_lib.platform.cert_manager import CertManager, CertManagerProps
from constructs_lib.platform.cnpg_operator import CloudNativePg, CloudNativePgProps
from constructs_lib.platform.component import Component, PlatformComponent, PlatformFacts
from constructs_lib.platform.descheduler import Descheduler, DeschedulerProps
from constructs_lib.platform.image_updater import ImageUpdater, ImageUpdaterProps
from constructs_lib.platform.intel_device_plugins import IntelDevicePlugins, IntelDevicePluginsProps
from constructs_lib.platform.kubelet_cert_approver import KubeletCertApprover, KubeletCertApproverProps
from constructs_lib.platform.longhorn import Longhorn, LonghornBackup, LonghornProps
from constructs_lib.platform.metrics_server import MetricsServer, MetricsServerProps
from constructs_lib.platform.platform import Platform, PlatformProps
from constructs_lib.platform.sealed_secrets import SealedSecrets, SealedSecretsProps
from constructs_lib.platform.snapshotter import ExternalSnapshotter, ExternalSnapshotterProps
from constructs_lib.platform.tailscale_operator import TAILSCALE_OAUTH, TailscaleOperator, TailscaleOperatorProps
from constructs_lib.platform.velero import Velero, VeleroProps, VeleroSchedule

__all__ = [
    "TAILSCALE_OAUTH",
    "ArgoCd",
    "ArgoCdProps",
    "CertManager",
    "CertManagerProps",
    "CloudNativePg",
    "CloudNativePgProps",
    "Component",
    "Descheduler",
    "DeschedulerProps",
    "ExternalSnapshotter",
    "ExternalSnapshotterProps",
    "ImageUpdater",
    "ImageUpdaterProps",
    "IntelDevicePlugins",
    "IntelDevicePluginsProps",
    "KubeletCertApprover",
    "KubeletCertApproverProps",
    "Longhorn",
    "LonghornBackup",
    "LonghornProps",
    "MetricsServer",
    "MetricsServerProps",
    "Platform",
    "PlatformComponent",
    "PlatformFacts",
    "PlatformProps",
    "SealedSecrets",
    "SealedSecretsProps",
    "TailscaleOperator",
    "TailscaleOperatorProps",
    "Velero",
    "VeleroProps",
    "VeleroSchedule",
]
