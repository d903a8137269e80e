"""Summarise a Renovate extract report (``./dev renovate``): the homelab's chart and image versions Renovate
tracks (its custom regex managers over ``clusters/``), by datasource.

    python scripts/renovate_report.py .renovate-report.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def homelab_deps(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The dependencies the ``custom.regex`` managers extracted (``HelmChart``, ``Image`` and ``RemoteResource`` literals)."""
    files = report["repositories"]["local"]["packageFiles"].get("regex") or []
    return [{**dep, "packageFile": f["packageFile"]} for f in files for dep in f["deps"]]


def main(path: str) -> int:
    deps = homelab_deps(json.loads(Path(path).read_text()))
    counts = Counter(d.get("datasource") for d in deps)
    print(
        f"Renovate tracks {len(deps)} versions in clusters/: "
        + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    )
    for d in deps:
        registry = ", ".join(d.get("registryUrls") or [])
        print(
            f"  {d['packageFile']}: {d['datasource']} {d['depName']} {d['currentValue']}"
            + (f" ({registry})" if registry else "")
        )
    return 0 if deps else 1


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the listing quietly
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".renovate-report.json"))
