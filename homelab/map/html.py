"""The map as one self-contained HTML page: the model embedded as JSON, the script and styles of ``assets/``
inlined, and a Content-Security-Policy that allows no network at all (no CDN, no fetch, no font)."""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any

GENERATOR = "homelab map"
"""The page's ``<meta name="generator">``: ``homelab map --out`` replaces only a file that has it."""

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def _asset(name: str) -> str:
    return resources.files("homelab.map").joinpath("assets", name).read_text(encoding="utf-8")


def embedded_json(model: dict[str, Any]) -> str:
    """``model`` as JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` (so no ``</script>``, no ``<!--``)
    and ASCII only (no U+2028 line separators), each escaped as JSON reads it back."""
    text = json.dumps(model, ensure_ascii=True, sort_keys=False, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def page(model: dict[str, Any]) -> str:
    """The map page of ``model`` (:func:`homelab.map.model.build_map`, perhaps marked by :mod:`homelab.map.since`)."""
    title = html.escape(f"homelab map — {model.get('title', '')}")
    policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{GENERATOR}">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<title>{title}</title>
<style>
{_asset("map.css")}</style>
</head>
<body>
<header><h1 id="title">{title}</h1>
<input id="search" type="search" placeholder="Filter by name, namespace or cluster" aria-label="Filter">
<span id="count"></span><div id="summary"></div></header>
<main><div id="clusters"></div><aside id="details" aria-live="polite"></aside></main>
<script type="application/json" id="map-data">{embedded_json(model)}</script>
<script>
{_asset("map.js")}</script>
</body>
</html>
"""
