"""A builder giving api_object a misspelt top-level field (``sepc``): told at its line, with did-you-mean."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.api_object import api_object
from homelab import AppSpec, ClusterPlan, Scope
from tests.engine import minilab


def base(scope: Scope) -> None:
    api_object(scope, "x", api_version="v1", kind="ConfigMap", metadata={"name": "x"}, sepc={})


APP = AppSpec(name="app", base=base)
LAB = replace(minilab.LAB, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(APP,)),))
