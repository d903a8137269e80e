"""The bundled homelab: thomelab (primary), minikube and vps, and what runs on each.

``HOMELAB`` is what ``python -m homelab synth`` compiles.
"""

from __future__ import annotations

from pathlib import Path

from clusters import thomelab
from clusters.apps import core
from constructs_lib.sync_policy import SyncPolicy
from homelab import App, Deployment, Homelab

#: The app-of-apps Applications sync automatically, without extra sync options.
APP_OF_APPS_SYNC = SyncPolicy(options=())

CORE = App(name="core-argocd-apps", base=core.base, overlays={"thomelab": thomelab.core_overlay})

HOMELAB = Homelab(
    root=Path(__file__).resolve().parent.parent,
    core=CORE,
    deployments=(
        Deployment(
            cluster=thomelab.CLUSTER,
            apps=(),
            cluster_objects=thomelab.cluster_objects,
            app_sync=APP_OF_APPS_SYNC,
            extra_backup_namespaces=("cert-manager",),
        ),
    ),
)
