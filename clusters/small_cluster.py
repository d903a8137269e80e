"""The core apps of a small cluster (minikube, the VPS): what the apps need, without the home extras.

No Intel GPU plugins, descheduler, Velero backups or kubelet certificate approver; otherwise the
core as every cluster runs it (:func:`clusters.apps.core.on_cluster`).
"""

from __future__ import annotations

from clusters.apps import core
from homelab import Context, Scope

DROPPED = ("intel-device-plugins-operator", "descheduler", "velero", "kubelet-serving-certificate-approver")


def core_overlay(scope: Scope, ctx: Context) -> None:
    core.on_cluster(scope, ctx, apps=core.without(*DROPPED))
