"""Errors the homelab program reports to its user."""

from __future__ import annotations


class HomelabError(Exception):
    """A problem in the user's homelab declaration or ``dist/``; the message says where and how to fix it."""
