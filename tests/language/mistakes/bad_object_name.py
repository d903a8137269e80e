"""A builder naming an object against Kubernetes's rules (``UPPER``), found when synth runs it: told at its line."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.api_object import api_object
from homelab import AppSpec, ClusterPlan, Scope
from tests.engine import minilab


def base(scope: Scope) -> None:
    api_object(scope, "x", api_version="v1", kind="ConfigMap", metadata={"name": "UPPER"}, data={})


APP = AppSpec(name="app", base=base)
LAB = replace(minilab.LAB, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(APP,)),))
