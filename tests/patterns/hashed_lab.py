"""Hashed config, written the way a user writes apps: a ConfigMap and a Secret named after their content
(kustomize's ``configMapGenerator``/``secretGenerator``), read by a Deployment through ``env``, ``envFrom``,
a volume and a projected volume; the home cluster's overlay changes the settings, so it gets a new name
and the pods roll. A ConfigMap left unhashed keeps its name."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cdk8s_plus_33 import k8s

from constructs_lib.config_map import ConfigMap, ConfigMapProps
from constructs_lib.deployment import Deployment, DeploymentProps
from constructs_lib.plain_secret import PlainSecret, PlainSecretProps
from constructs_lib.pod import Container, PodSpec
from constructs_lib.versions import Image
from homelab import AppSpec, ClusterPlan, Context, Homelab, Scope
from tests.engine import minilab
from tests.patterns.lab import HOME

SETTINGS = ConfigMapProps(
    name="settings", namespace="radio", data={"LOG_LEVEL": "info", "radio.conf": "port = 8000\n"}, hashed=True
)
THEMES = ConfigMapProps(name="themes", namespace="radio", data={"theme": "dark"})
TOKEN = PlainSecretProps(
    name="station",
    namespace="radio",
    string_data={"STATION_ID": "ab-12"},
    why_not_sensitive="the public station id",
    hashed=True,
)


def radio(scope: Scope, settings: ConfigMapProps) -> None:
    """The station: its settings, themes and id, and the Deployment that reads them in every way a pod can."""
    ConfigMap(scope, "settings", settings)
    ConfigMap(scope, "themes", THEMES)
    PlainSecret(scope, "station", TOKEN)
    log_level = {"name": "LOG_LEVEL", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "LOG_LEVEL"}}}
    station = {"name": "STATION_ID", "valueFrom": {"secretKeyRef": {"name": "station", "key": "STATION_ID"}}}
    projected = {
        "name": "all",
        "projected": {"sources": [{"configMap": {"name": "settings"}}, {"secret": {"name": "station"}}]},
    }
    Deployment(
        scope,
        "radio",
        DeploymentProps(
            name="radio",
            namespace="radio",
            selector={"app": "radio"},
            pod=PodSpec(
                containers=(
                    Container(
                        name="radio",
                        image=Image(name="ghcr.io/example/radio", tag="2.1"),
                        env=(log_level, station),
                        env_from_secrets=("station",),
                    ),
                ),
                init_containers=(  # envFrom of a ConfigMap has no prop of Container yet (issue 21 item 5)
                    k8s.Container(
                        name="check",
                        image="ghcr.io/example/radio:2.1",
                        env_from=[
                            k8s.EnvFromSource(config_map_ref=k8s.ConfigMapEnvSource(name="settings")),
                            k8s.EnvFromSource(config_map_ref=k8s.ConfigMapEnvSource(name="themes")),
                        ],
                    ),
                ),
                volumes=({"name": "conf", "configMap": {"name": "settings"}}, projected),
            ),
        ),
    )


def radio_base(scope: Scope) -> None:
    radio(scope, SETTINGS)


def radio_home(scope: Scope, ctx: Context) -> None:
    radio(scope, replace(SETTINGS, data={**SETTINGS.data, "LOG_LEVEL": "debug"}))


RADIO = AppSpec(name="radio", base=radio_base, overlays={"home": radio_home})

LAB = Homelab(
    root=Path(__file__).resolve().parent, core=minilab.CORE, clusters=(ClusterPlan(cluster=HOME, apps=(RADIO,)),)
)
