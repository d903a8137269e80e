"""An app with an invalid name: the CLI names this file and line."""

from __future__ import annotations

from homelab import AppSpec
from tests.engine import minilab

APP = AppSpec(name="My_Wiki", base=lambda scope: None)
LAB = minilab.LAB
