"""Durations as Kubernetes objects spell them (Go's ``time.ParseDuration``)."""

from __future__ import annotations

import re

#: A Go duration: ``1h``, ``30m``, ``1h30m``, ``0``.
GO_DURATION = re.compile(r"^(0|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$")
