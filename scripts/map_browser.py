"""Headless Chromium for the map's screenshot, benchmark and tests: Debian's ``chromium`` driven by Playwright
for Python (no browser of Playwright's own is downloaded), with flags that keep it off the network.

:func:`missing` says why it cannot run here (the tests skip with it); :func:`browser` starts it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    """Chromium's executable: ``$CHROMIUM``, else ``chromium`` (Debian) or ``chromium-browser`` on PATH."""
    given = os.environ.get("CHROMIUM")
    return given or shutil.which("chromium") or shutil.which("chromium-browser")


def missing() -> str | None:
    """Why the browser cannot run here (None when it can)."""
    if chromium_path() is None:
        return "chromium is not installed (apt-get install chromium; CI's .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]'; ./dev setup does)"
    return None


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium (Playwright's ``Browser``), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=list(FLAGS))
        try:
            yield launched
        finally:
            launched.close()
