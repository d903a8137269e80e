"""``homelab map [--cluster NAME] [--out FILE] [--since REV]``: the homelab in one self-contained HTML page.

The model is :mod:`homelab.map.model`'s, the page :mod:`homelab.map.html`'s, the comparison with a revision
:mod:`homelab.map.since`'s; this module chooses what to draw and where to write it."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from homelab.declaration import load_homelab
from homelab.errors import HomelabError

DEFAULT_OUT = "homelab-map.html"


@dataclass(frozen=True)
class MapOptions:
    homelab: str | None
    """The declaration as MODULE:ATTRIBUTE (`--homelab`); the repository's `[tool.homelab]` when None."""
    clusters: list[str] | None
    out: str
    """Where to write the page (``-``: standard output)."""
    since: str | None
    """A git revision whose map the page is compared with."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> MapOptions:
        return cls(homelab=args.homelab, clusters=args.cluster, out=args.out, since=args.since)


def _writable(path: Path) -> None:
    """Refuse to replace a file that is not a map this command wrote: nothing the user wrote is overwritten."""
    from homelab.map.html import GENERATOR

    if path.is_dir():
        raise HomelabError(f"--out {path}: is a directory; give a file name, e.g. {path / DEFAULT_OUT}")
    if path.exists():
        with path.open("rb") as handle:
            head = handle.read(2048)
        if f'<meta name="generator" content="{GENERATOR}">'.encode() not in head:
            raise HomelabError(
                f"--out {path}: the file exists and is not a map written by homelab map; "
                "give another file name, or remove it first"
            )


def run(options: MapOptions) -> int:
    from homelab.engine.pipeline import draft
    from homelab.map import since
    from homelab.map.html import page
    from homelab.map.model import build_map
    from homelab.safe_fs import atomic_write

    lab = load_homelab(options.homelab)
    for name in options.clusters or []:
        lab.plan(name)
    out = None if options.out == "-" else Path(options.out)
    if out is not None:
        _writable(out)
    key = since.new_key() if options.since else None
    model = build_map(draft(lab, clusters=options.clusters), key=key)
    if options.since:
        old = since.map_at(lab.root, options.since, key or b"", options.homelab)
        if options.clusters:
            old["clusters"] = [c for c in old["clusters"] if c["name"] in options.clusters]
        model = since.compare(old, model, options.since)
    text = page(model)
    if out is None:
        sys.stdout.write(text)
        return 0
    atomic_write(out, text.encode("utf-8"))
    apps = sum(len(g["apps"]) for c in model["clusters"] for g in c["groups"])
    print(
        f"wrote {out}: {len(model['clusters'])} clusters, {apps} apps"
        + (f"; {model['summary']}" if options.since else "")
    )
    return 0
