"""The README's screenshot of the bundled homelab's map: ``docs/map.png``, and beside it the digest of the
page it shows (``docs/map.png.sha256``: the map's data with the page's script and styles).

    python scripts/map_screenshot.py          # regenerate both (./dev map-screenshot)
    python scripts/map_screenshot.py --check  # exit 1 when the map changed and the PNG was not regenerated

The check compares digests, not pixels (which differ from one Chromium to the next); the test suite runs it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PNG = ROOT / "docs" / "map.png"
DIGEST = PNG.with_name(PNG.name + ".sha256")
SHOWN_APP = ("thomelab", "immich")
"""The app whose details the screenshot shows (cluster, app)."""


def bundled_page() -> str:
    """The map page of the bundled homelab, as ``homelab map`` writes it."""
    sys.path.insert(0, str(ROOT))
    from homelab.declaration import load_homelab
    from homelab.engine.pipeline import draft
    from homelab.map.html import page
    from homelab.map.model import build_map

    here = Path.cwd()
    os.chdir(ROOT)
    try:
        return page(build_map(draft(load_homelab())))
    finally:
        os.chdir(here)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_digest() -> str:
    return DIGEST.read_text(encoding="utf-8").strip() if DIGEST.exists() else "(none)"


def screenshot(text: str, png: Path) -> None:
    """Open the page in headless Chromium, show :data:`SHOWN_APP`'s details, and save the visible part."""
    sys.path.insert(0, str(ROOT))
    from scripts.map_browser import browser, missing

    reason = missing()
    if reason:
        raise SystemExit(f"map_screenshot: {reason}")
    with tempfile.TemporaryDirectory() as tmp, browser() as chromium:
        path = Path(tmp) / "map.html"
        path.write_text(text, encoding="utf-8")
        tab = chromium.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(path.as_uri())
        cluster, app = SHOWN_APP
        tab.click(f'section[data-cluster="{cluster}"] button[data-name="{app}"]')
        tab.screenshot(path=str(png))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check that docs/map.png shows the current map")
    args = parser.parse_args()
    text = bundled_page()
    if args.check:
        if digest(text) != stored_digest():
            print(
                f"{PNG.relative_to(ROOT)} is out of date: the bundled homelab's map changed (page digest "
                f"{digest(text)[:12]}, recorded {stored_digest()[:12]}); run ./dev map-screenshot and commit both files",
                file=sys.stderr,
            )
            return 1
        print(f"{PNG.relative_to(ROOT)} shows the current map")
        return 0
    screenshot(text, PNG)
    DIGEST.write_text(digest(text) + "\n", encoding="utf-8")
    print(f"wrote {PNG.relative_to(ROOT)} and {DIGEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
