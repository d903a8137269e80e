"""The README's picture of the bundled homelab's map (docs/map.png) shows the current map: the digest of the
page it was taken of (docs/map.png.sha256) is the digest of the page `homelab map` writes now."""

from __future__ import annotations

import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
from scripts.map_screenshot import DIGEST, PNG, bundled_page, digest, stored_digest


def test_the_readme_screenshot_shows_the_current_map() -> None:
    assert PNG.exists() and PNG.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{PNG} is missing: run ./dev map-screenshot"
    assert digest(bundled_page()) == stored_digest(), (
        f"the bundled homelab's map changed since {PNG.name} was taken ({DIGEST.name} is stale): "
        "run ./dev map-screenshot and commit docs/map.png and docs/map.png.sha256"
    )


def test_the_readme_shows_the_screenshot() -> None:
    assert "](docs/map.png)" in (ROOT / "README.md").read_text()
