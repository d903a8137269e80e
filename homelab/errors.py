"""Errors the homelab program reports to its user: the one root, :class:`HomelabError`, defined with the
construct library's :class:`~constructs_lib.errors.PropsError` (a kind of it) in :mod:`constructs_lib.errors`."""

from __future__ import annotations

from constructs_lib.errors import HomelabError, PropsError

__all__ = ["HomelabError", "PropsError"]
