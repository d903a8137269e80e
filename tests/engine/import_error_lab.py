"""A declaration that fails while it is imported (a misspelt core app): the CLI reports one line."""

from __future__ import annotations

from dataclasses import replace

from clusters.apps import core
from tests.engine import minilab

SMALL = core.without("descheduller")
LAB = replace(minilab.LAB)
