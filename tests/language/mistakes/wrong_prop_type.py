"""An app module giving a string where a tuple of hosts goes (``hosts=("status")``): told at this line."""

from __future__ import annotations

from constructs_lib.tailscale_ingress import TailscaleIngressProps
from tests.engine import minilab

INGRESS = TailscaleIngressProps(
    name="status",
    funnel=False,
    service="status",
    hosts=("status"),  # type: ignore[arg-type]
)
LAB = minilab.LAB
