"""A generated homelab for the scale benchmark, declared through the public API: N Helm apps, each
with a CloudNativePG database, a Tailscale ingress and a sealed config, on 3 clusters.

``homelab --homelab scripts.scale_lab:from_env synth`` builds it for ``$SCALE_APPS`` apps rooted at
``$SCALE_ROOT`` (a git repository the benchmark creates). Sealed values come from a stand-in store
(fixed ciphertexts): sealing is not what the benchmark measures.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.helm_values import merge_values
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import HelmChart
from homelab import AppSpec, Cluster, ClusterPlan, Context, Homelab, Scope

CLUSTERS = tuple(
    Cluster(name=name, repo_url="https://git.example/lab", tailnet=f"tail{i:04d}.ts.net")
    for i, name in enumerate(("home", "lab", "vps"))
)


class FixedCiphertexts:
    """Sealed values without sealing: the same ciphertext-shaped string for every key."""

    def sealed_values(self, *, namespace: str, name: str, scope: str, keys: tuple[str, ...]) -> Mapping[str, str]:
        return {k: "AgB" + f"{namespace}{name}{k}".encode().hex() * 4 for k in keys}


@dataclass(frozen=True, kw_only=True)
class ScaleLab(Homelab):
    """The generated homelab, its sealed stores stood in for."""

    def sealed_store(self, cluster: Cluster) -> FixedCiphertexts:  # type: ignore[override]
        return FixedCiphertexts()


def app(i: int) -> AppSpec:
    """App number ``i``: a chart, its database, its ingress and its sealed settings."""
    name = f"app{i:03d}"
    chart = HelmArgoAppProps(
        owned_by=name,
        name=f"{name}-chart",
        chart=HelmChart(repo_url="https://charts.example.org", chart=f"chart{i % 7}", version=f"1.{i % 5}.0"),
        release_name=name,
        values={"replicaCount": 1, "persistence": {"enabled": True, "size": "2Gi"}, "service": {"port": 8080}},
    )
    db = CnpgDatabaseProps(name=f"{name}-pg", namespace=name, storage_size="4Gi")
    settings = SealedConfigProps(name=f"{name}-settings", namespace=name, keys=("SECRET_KEY", "SMTP_PASSWORD"))

    def base(scope: Scope) -> None:
        HelmArgoApp(scope, "chart", chart)
        CnpgDatabase(scope, "db", db)

    def overlay(scope: Scope, ctx: Context) -> None:
        values = {"ingress": {"host": f"{name}.{ctx.cluster.tailnet}"}, "db": {"host": db.rw_service}}
        HelmArgoApp(scope, "chart", replace(chart, values=merge_values(chart.values, values)))
        CnpgDatabase(scope, "db", replace(db, instances=2 if ctx.cluster.name == "home" else 1))
        ingress = TailscaleIngressProps(name=name, namespace=name, funnel=False, hosts=(name,), service=name, port=8080)
        TailscaleIngress(scope, "ingress", ingress)
        SealedConfig(scope, "settings", settings, store=ctx.sealed)

    return AppSpec(name=name, base=base, overlays={c.name: overlay for c in CLUSTERS}, backup=i % 3 == 0)


def lab(root: Path, apps: int) -> ScaleLab:
    """The generated homelab of ``apps`` apps rooted at ``root``."""
    specs = tuple(app(i) for i in range(apps))
    core = AppSpec(name="core-argocd-apps", base=lambda scope: None)
    plans = tuple(ClusterPlan(cluster=c, apps=specs, declared_in="scripts/scale_lab.py") for c in CLUSTERS)
    return ScaleLab(root=root, core=core, clusters=plans, declared_in="scripts/scale_lab.py")


def from_env() -> ScaleLab:
    """The homelab of ``$SCALE_APPS`` apps rooted at ``$SCALE_ROOT``."""
    return lab(Path(os.environ["SCALE_ROOT"]), int(os.environ["SCALE_APPS"]))
