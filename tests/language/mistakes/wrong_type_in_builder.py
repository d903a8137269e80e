"""A builder giving a string where a number goes (``instances="3"``), found when synth runs it: told at its line."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.cnpg_database import CnpgDatabase, CnpgDatabaseProps
from homelab import AppSpec, ClusterPlan, Scope
from tests.engine import minilab


def base(scope: Scope) -> None:
    CnpgDatabase(scope, "db", CnpgDatabaseProps(name="db", namespace="db", instances="3"))  # type: ignore[arg-type]


APP = AppSpec(name="db", base=base)
LAB = replace(minilab.LAB, clusters=(ClusterPlan(cluster=minilab.HOME, apps=(APP,)),))
