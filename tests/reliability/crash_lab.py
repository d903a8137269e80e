"""A homelab for the crash and concurrency tests, rooted at ``$HOMELAB_TEST_ROOT``.

``$CRASH_LAB_VERSION`` (``old`` or ``new``) picks one of two declarations whose trees differ in
every way a synth can change ``dist/``: files added, changed and removed, directories added and
removed.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from constructs import Construct

from constructs_lib.api_object import api_object
from homelab import AppSpec, ClusterPlan, Context, Homelab
from tests.engine import minilab


def _app(name: str, version: str) -> AppSpec:
    def base(scope: Construct) -> None:
        for i in range(6):
            api_object(
                scope, f"cm{i}", api_version="v1", kind="ConfigMap", metadata={"name": f"{name}-{i}"}, data={"v": "1"}
            )

    def home(scope: Construct, ctx: Context) -> None:
        for i in range(6):
            data = {"v": version, "cluster": ctx.cluster.name}
            api_object(scope, f"cm{i}", api_version="v1", kind="ConfigMap", metadata={"name": f"{name}-{i}"}, data=data)

    return AppSpec(name=name, base=base, overlays={"home": home})


def lab() -> Homelab:
    version = os.environ.get("CRASH_LAB_VERSION", "old")
    names = ("alpha", "beta", "gamma") if version == "old" else ("beta", "gamma", "delta")
    apps = tuple(_app(n, version) for n in names)
    return replace(
        minilab.lab(Path(os.environ["HOMELAB_TEST_ROOT"])), clusters=(ClusterPlan(cluster=minilab.HOME, apps=apps),)
    )
