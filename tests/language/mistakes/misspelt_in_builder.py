"""A builder with a misspelt typed field, found only when synth runs it: told at the builder's line."""

from __future__ import annotations

from dataclasses import replace

from cdk8s_plus_33 import k8s

from homelab import AppSpec, ClusterPlan, Scope
from tests.engine import minilab


def base(scope: Scope) -> None:
    k8s.KubeConfigMap(scope.chart, "c", metadata=k8s.ObjectMeta(nmae="c"))  # type: ignore[call-arg]


APP = AppSpec(name="cm", base=base)
LAB = replace(minilab.LAB, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(APP,)),))
