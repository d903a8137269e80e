"""A declaration that fails while it is imported (a component misspelt as a string): the CLI reports one line."""

from __future__ import annotations

from dataclasses import replace

from constructs_lib.platform import ArgoCdProps, PlatformProps
from tests.engine import minilab

SMALL = PlatformProps(components=(ArgoCdProps(), "descheduller"))  # type: ignore[arg-type]
LAB = replace(minilab.LAB)
