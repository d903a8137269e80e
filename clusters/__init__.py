"""The bundled homelab: thomelab (primary), minikube and vps, and what runs on each.

``HOMELAB`` is what ``python -m homelab synth`` compiles.
"""

from __future__ import annotations

from pathlib import Path

from clusters import minikube, small_cluster, thomelab, vps
from clusters.apps import core
from homelab import AppSpec, Homelab

CORE = AppSpec(
    name="core-argocd-apps",
    base=core.base,
    overlays={
        "thomelab": thomelab.core_overlay,
        "minikube": small_cluster.core_overlay,
        "vps": small_cluster.core_overlay,
    },
)

HOMELAB = Homelab(
    root=Path(__file__).resolve().parent.parent,
    core=CORE,
    clusters=(thomelab.PLAN, minikube.PLAN, vps.PLAN),
)
