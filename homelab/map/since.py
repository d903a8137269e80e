"""``homelab map --since REV``: the map with what the change since ``REV`` adds, removes and changes marked.

The declaration at ``REV`` is extracted (``git archive``) into a temporary directory and drawn there by
this module run as a script in a subprocess — with this language, so a revision older than ``homelab map``
is drawn too — which writes its map as JSON. Both sides key their objects' digests with one random key
given to the subprocess (``HOMELAB_MAP_KEY``) and forgotten after: a digest says nothing of a Secret's values.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
from copy import deepcopy
from pathlib import Path
from typing import Any

import homelab
from homelab.errors import HomelabError

KEY_VARIABLE = "HOMELAB_MAP_KEY"

IDENTITY = {
    "addresses": ("url",),
    "databases": ("name",),
    "volumes": ("kind", "name"),
    "secrets": ("kind", "name"),
    "charts": ("application", "repo"),
    "links": ("from", "to", "why"),
    "objects": ("id",),
}
"""What names an item of each list of an entry, on both sides."""

STATUSES = ("added", "removed", "changed")


def new_key() -> bytes:
    """A random key for one comparison's digests."""
    return secrets.token_bytes(32)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, cwd=cwd, capture_output=True, timeout=120)


def map_at(root: Path, revision: str, key: bytes, homelab_spec: str | None) -> dict[str, Any]:
    """The map model of the declaration committed at ``revision`` of the repository holding ``root``."""
    from homelab.engine.diff import git_tree

    top = _run(["git", "rev-parse", "--show-toplevel", "--show-prefix"], root)
    if top.returncode != 0:
        raise HomelabError(f"--since {revision}: {root} is not in a git repository; run homelab map inside it")
    toplevel, prefix = [*top.stdout.decode().splitlines(), ""][:2]
    language = str(Path(homelab.__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory(prefix="homelab-map-") as tmp:
        checkout = git_tree(Path(toplevel), revision, ".", Path(tmp) / "checkout")
        out = Path(tmp) / "map.json"
        command = [sys.executable, "-P", "-m", "homelab.map.since", "--out", str(out)]
        if homelab_spec:
            command += ["--homelab", homelab_spec]
        env = {
            **os.environ,
            KEY_VARIABLE: key.hex(),
            "PYTHONPATH": os.pathsep.join(filter(None, [language, os.environ.get("PYTHONPATH")])),
        }
        run = subprocess.run(command, cwd=checkout / prefix, env=env, capture_output=True, text=True, timeout=900)
        if run.returncode != 0:
            lines = run.stderr.strip().splitlines()
            errors = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
            told = (errors or lines or [f"exit {run.returncode}"])[-1]
            raise HomelabError(
                f"--since {revision}: the declaration at {revision} could not be drawn: {told}; "
                "fix it there, or give another revision"
            )
        model: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return model


def _identity(name: str, item: Any) -> Any:
    keys = IDENTITY.get(name)
    return tuple(item.get(k) for k in keys) if keys and isinstance(item, dict) else json.dumps(item, sort_keys=True)


def _mark_list(name: str, old: list[Any], new: list[Any]) -> list[Any]:
    """``new``'s items marked added or changed against ``old``, then ``old``'s removed ones marked removed."""
    before = {_identity(name, item): item for item in old}
    after = {_identity(name, item) for item in new}
    out = []
    for item in new:
        previous = before.get(_identity(name, item))
        if isinstance(item, dict) and previous != item:
            item = {**item, "status": "added" if previous is None else "changed"}
        out.append(item)
    out += [
        {**item, "status": "removed"} for ident, item in before.items() if ident not in after and isinstance(item, dict)
    ]
    return out


def _mark_entry(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """``new`` (an app, a component, the cluster's own objects) with its lists marked and its status."""
    if old is None:
        return {**new, "status": "added"}
    out = dict(new)
    for name in IDENTITY:
        out[name] = _mark_list(name, old.get(name, []), new.get(name, []))
    if old != new:
        out["status"] = "changed"
    return out


def _removed(entry: dict[str, Any]) -> dict[str, Any]:
    marked = {name: [{**i, "status": "removed"} for i in entry.get(name, [])] for name in IDENTITY}
    return {**entry, **marked, "status": "removed"}


def _mark_cluster(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """``new`` (one cluster's map) with every entry marked against ``old``, the removed apps and components kept."""
    if old is None:
        return {**new, "status": "added", "changes": "the cluster is new"}
    out = dict(new)
    old_platform = {c["name"]: c for c in old["platform"]}
    out["platform"] = [_mark_entry(old_platform.pop(c["name"], None), c) for c in new["platform"]]
    out["platform"] += [_removed(c) for c in old_platform.values()]
    old_apps = {a["name"]: (g["name"], a) for g in old["groups"] for a in g["apps"]}
    groups: dict[str, list[dict[str, Any]]] = {}
    for g in new["groups"]:
        groups[g["name"]] = [_mark_entry(old_apps.pop(a["name"], (None, None))[1], a) for a in g["apps"]]
    for group, app in old_apps.values():
        groups.setdefault(group, []).append(_removed(app))
    out["groups"] = [{"name": name, "apps": apps} for name, apps in groups.items()]
    out["own"] = _mark_entry(old["own"], new["own"])
    out["storage_classes"] = _mark_list("storage_classes", old["storage_classes"], new["storage_classes"])
    counts = {status: 0 for status in STATUSES}
    objects = {status: 0 for status in STATUSES}
    for entry in [*out["platform"], *(a for g in out["groups"] for a in g["apps"]), out["own"]]:
        if entry.get("status"):
            counts[entry["status"]] += 1
        for obj in entry["objects"]:
            if obj.get("status"):
                objects[obj["status"]] += 1
    said = [f"{n} {s}" for s, n in counts.items() if n]
    said_objects = [f"{n} {s}" for s, n in objects.items() if n]
    if said:
        out["status"] = "changed"
        out["changes"] = f"apps and components: {', '.join(said)}; objects: {', '.join(said_objects) or 'none'}"
    else:
        out["changes"] = "no change"
    return out


def _without_digests(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_digests(v) for k, v in node.items() if k != "digest"}
    if isinstance(node, list):
        return [_without_digests(v) for v in node]
    return node


def compare(old: dict[str, Any], new: dict[str, Any], revision: str) -> dict[str, Any]:
    """``new`` marked against ``old`` cluster by cluster (statuses ``added``, ``removed``, ``changed``), the
    removed clusters kept, the digests dropped (the page needs none)."""
    if old.get("version") != new.get("version"):
        raise HomelabError(f"--since {revision}: its map is of another version ({old.get('version')}); redraw it")
    before = {c["name"]: c for c in old["clusters"]}
    clusters = [_mark_cluster(before.pop(c["name"], None), c) for c in new["clusters"]]
    for gone in before.values():
        removed = {**gone, "status": "removed", "changes": "the cluster is gone"}
        removed["platform"] = [_removed(c) for c in gone["platform"]]
        removed["groups"] = [{"name": g["name"], "apps": [_removed(a) for a in g["apps"]]} for g in gone["groups"]]
        clusters.append(removed)
    summary = "; ".join(f"{c['name']}: {c['changes']}" for c in clusters)
    return _without_digests({**deepcopy(new), "clusters": clusters, "since": revision, "summary": summary})


def main(argv: list[str] | None = None) -> int:
    """The subprocess of :func:`map_at`: the map of the declaration found from the working directory, as JSON."""
    parser = argparse.ArgumentParser(prog="python -m homelab.map.since")
    parser.add_argument("--out", required=True)
    parser.add_argument("--homelab")
    args = parser.parse_args(argv)
    from constructs_lib._internal.node_runtime import ensure_jsii_node

    ensure_jsii_node()
    from homelab import user_errors
    from homelab.declaration import load_homelab
    from homelab.engine.pipeline import draft
    from homelab.map.model import build_map

    key = bytes.fromhex(os.environ[KEY_VARIABLE])
    try:
        model = build_map(draft(load_homelab(args.homelab)), key=key)
    except HomelabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a mistake in the declaration at that revision: told at its line
        user_errors.report(exc)
        return 1
    Path(args.out).write_text(json.dumps(model), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
