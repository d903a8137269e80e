"""A generated homelab, written as a real repository's modules: for the scale benchmark.

:func:`write_lab` writes package ``lab/`` into a directory: one module per app (a Helm chart, a
CloudNativePG database, a Tailscale ingress and a sealed config, on 3 clusters), a shared
``lab/site.py`` some apps import, ``lab/clusters.py`` with the clusters' facts and plans. Sealed
values come from a stand-in store (``sealed.json``: fixed ciphertexts), since sealing is not what is
measured. ``homelab --homelab lab:HOMELAB synth`` from that directory builds it.
"""

from __future__ import annotations

from pathlib import Path

CLUSTERS = ("home", "lab", "vps")
REPO_URL = "https://git.example/lab"
"""The repository the generated clusters deploy from."""

INIT = '''"""The generated homelab (scripts/scale_lab.py)."""

from dataclasses import dataclass
from pathlib import Path

from homelab import Cluster, Homelab

from lab.clusters import CORE, PLANS, FixedCiphertexts


@dataclass(frozen=True, kw_only=True)
class ScaleLab(Homelab):
    def sealed_store(self, cluster: Cluster) -> FixedCiphertexts:  # type: ignore[override]
        return FixedCiphertexts(Path(__file__).parent.parent / "sealed.json")


HOMELAB = ScaleLab(root=Path(__file__).parent.parent, core=CORE, clusters=PLANS)
'''

SITE = '''"""Settings several apps share."""

STORAGE_SIZE = "4Gi"
CHART_REPO = "https://charts.example.org"
'''

CLUSTERS_MODULE = '''"""The clusters: their facts, and which apps each runs."""

import base64
import hashlib
import json
from pathlib import Path

from homelab import Cluster, ClusterPlan

from lab.apps import ALL
from lab.core import CORE

TAILNETS = {TAILNETS}
OFF = {OFF}  # cluster -> apps switched off there

CLUSTERS = tuple(Cluster(name=name, repo_url={REPO_URL!r}, tailnet=TAILNETS[name]) for name in TAILNETS)


class FixedCiphertexts:
    """Sealed values without sealing: sealed.json's seed per secret, else a fixed one."""

    def __init__(self, path: Path) -> None:
        self.seeds = json.loads(path.read_text()) if path.exists() else {{}}

    def sealed_values(self, *, namespace, name, sealing_scope, keys):
        seed = self.seeds.get(f"{{namespace}}/{{name}}", "0")
        return {{k: _ciphertext(f"{{seed}}{{namespace}}{{name}}{{k}}".encode()) for k in keys}}


def _ciphertext(text: bytes) -> str:
    """A stand-in shaped as a sealed value (length prefix, "session key", AES part with room for its tag)."""
    key = hashlib.sha256(text).digest()
    return base64.b64encode(len(key).to_bytes(2, "big") + key + text.ljust(16, b".")).decode()


PLANS = tuple(
    ClusterPlan(
        cluster=c,
        apps=tuple(a for a in ALL if a.name not in OFF.get(c.name, ())),
        disabled=tuple(a for a in ALL if a.name in OFF.get(c.name, ())),
    )
    for c in CLUSTERS
)
'''

APP = '''"""App {name}: a chart, its database, its ingress and its sealed settings."""

from dataclasses import replace

from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.helm_values import merge_values
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps
from constructs_lib.tailscale_ingress import TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import HelmChart
from constructs_lib.config_map import ConfigMap, ConfigMapProps
from homelab import AppSpec, Context, Scope
{site_import}
REPLICAS = 1
EXTRA = False
BACKUP = {backup}

CHART = HelmArgoAppProps(
    owned_by="{name}",
    name="{name}-chart",
    release_name="{name}",
    chart=HelmChart(repo_url="https://charts.example.org", chart="chart{chart}", version="1.{chart}.0"),
    values={{"replicaCount": REPLICAS, "persistence": {{"enabled": True, "size": {size}}}, "service": {{"port": 8080}}}},
)
DB = CnpgDatabaseProps(name="{name}-pg", namespace="{name}", storage_size={size})
SETTINGS = SealedConfigProps(name="{name}-settings", namespace="{name}", keys=("SECRET_KEY", "SMTP_PASSWORD"))


def base(scope: Scope) -> None:
    HelmArgoApp(scope, "chart", CHART)
    CnpgDatabase(scope, "db", DB)
    if EXTRA:
        ConfigMap(scope, "extra", ConfigMapProps(name="{name}-extra", namespace="{name}", data={{"A": "1"}}))


def overlay(scope: Scope, ctx: Context) -> None:
    values = {{"ingress": {{"host": f"{name}.{{ctx.cluster.tailnet}}"}}, "db": {{"host": DB.rw_service}}}}
    HelmArgoApp(scope, "chart", replace(CHART, values=merge_values(CHART.values, values)))
    CnpgDatabase(scope, "db", replace(DB, instances=2 if ctx.cluster.name == "home" else 1))
    if EXTRA:
        ConfigMap(scope, "extra", ConfigMapProps(name="{name}-extra", namespace="{name}", data={{"A": "1"}}))
    ingress = TailscaleIngressProps(
        name="{name}", namespace="{name}", funnel=False, hosts=("{name}",), service="{name}", port=8080
    )
    TailscaleIngress(scope, "ingress", ingress)
    SealedConfig(scope, "settings", SETTINGS, store=ctx.sealed)


APP = AppSpec(name="{name}", base=base, overlays={{c: overlay for c in {clusters}}}, backup=BACKUP)
'''


def app_name(i: int) -> str:
    return f"app{i:03d}"


def write_lab(root: Path, apps: int) -> None:
    """Write the homelab of ``apps`` apps as package ``lab/`` under ``root`` (a git repository)."""
    package = root / "lab"
    (package / "apps").mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(INIT)
    (package / "site.py").write_text(SITE)
    (package / "core.py").write_text(
        '"""The core app (none here)."""\n\nfrom homelab import AppSpec\n\n'
        'CORE = AppSpec(name="core-argocd-apps", base=lambda scope: None)\n'
    )
    tailnets = {name: f"tail{i:04d}.ts.net" for i, name in enumerate(CLUSTERS)}
    (package / "clusters.py").write_text(
        CLUSTERS_MODULE.format(TAILNETS=repr(tailnets), OFF=repr({}), REPO_URL=REPO_URL)
    )
    names = [app_name(i) for i in range(apps)]
    for i, name in enumerate(names):
        shared = i % 2 == 0  # every other app takes its storage size from lab/site.py
        (package / "apps" / f"{name}.py").write_text(
            APP.format(
                name=name,
                chart=i % 5,
                backup=i % 3 == 0,
                clusters=repr(CLUSTERS),
                site_import="from lab import site\n" if shared else "",
                size="site.STORAGE_SIZE" if shared else '"2Gi"',
            )
        )
    imports = "".join(f"from lab.apps.{n} import APP as {n.upper()}\n" for n in names)
    (package / "apps" / "__init__.py").write_text(imports + f"\nALL = ({', '.join(n.upper() for n in names)},)\n")
