"""Merging Helm values: how a per-cluster overlay adds to a base's values."""

from __future__ import annotations

import copy
from typing import Any


def merge_values(base: dict[str, Any], *overrides: dict[str, Any]) -> dict[str, Any]:
    """A new dict: ``base`` with each override merged in, recursively for nested dicts.

    Lists and scalars in an override replace the base's value; inputs are never modified.
    """
    out = copy.deepcopy(base)
    for override in overrides:
        for key, value in override.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge_values(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
    return out
