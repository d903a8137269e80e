"""The map in headless Chromium (Debian's ``chromium`` driven by Playwright; skipped with the reason where
either is absent): the bundled homelab's map shows every app of every cluster and an app's addresses and
databases on a click, ``--since`` highlights the changed app, and a 200-app map renders in under two seconds."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.map.conftest import CHANGED_APP, data_of, entries

sys.path.insert(0, str(ROOT))
from scripts.map_browser import browser, missing

pytestmark = pytest.mark.skipif(missing() is not None, reason=str(missing()))


def _open(chromium: Any, text: str, tmp_path: Path) -> Any:
    path = tmp_path / "map.html"
    path.write_text(text, encoding="utf-8")
    tab = chromium.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(path.as_uri())
    assert not errors, errors
    return tab


def _button(cluster: str, app: str) -> str:
    return f'section[data-cluster="{cluster}"] button[data-name="{app}"]'


def test_the_bundled_map_shows_every_app_and_an_apps_addresses_and_databases(bundled_page: str, tmp_path: Path) -> None:
    model = data_of(bundled_page)
    with browser() as chromium:
        tab = _open(chromium, bundled_page, tmp_path)
        tab.screenshot(path=str(tmp_path / "map.png"), full_page=True)
        assert (tmp_path / "map.png").stat().st_size > 10_000
        for cluster in model["clusters"]:
            for name in entries(model, cluster["name"]):
                assert tab.locator(_button(cluster["name"], name)).count() == 1, (cluster["name"], name)
        cluster, app = next(
            (c["name"], a)
            for c in model["clusters"]
            for a in entries(model, c["name"]).values()
            if a["addresses"] and a["databases"]
        )
        tab.click(_button(cluster, app["name"]))
        details = tab.locator("#details")
        assert details.locator("h3").inner_text().startswith(app["name"])
        links = details.locator('[data-section="addresses"] a')
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
            a["url"] for a in app["addresses"]
        ]
        databases = details.locator('[data-section="databases"]').inner_text()
        assert all(db["name"] in databases and db["size"] in databases for db in app["databases"])
        tab.screenshot(path=str(tmp_path / "clicked.png"))


def test_the_filter_hides_what_does_not_match_and_print_expands_everything(bundled_page: str, tmp_path: Path) -> None:
    model = data_of(bundled_page)
    cluster = model["clusters"][0]["name"]
    name = next(iter(entries(model, cluster)))
    with browser() as chromium:
        tab = _open(chromium, bundled_page, tmp_path)
        tab.fill("#search", f"{name} {cluster}")
        assert tab.locator(_button(cluster, name)).is_visible()
        visible = tab.locator("button.entry:visible").count()
        assert 1 <= visible < tab.locator("button.entry").count()
        tab.fill("#search", "")
        tab.emulate_media(media="print")
        tab.evaluate("window.homelabMap.expandForPrint()")
        assert tab.locator("details:not([open])").count() == 0
        assert tab.locator(".print-details .card").count() == tab.locator("button.entry").count()
        assert tab.locator("#details").is_hidden()


def test_since_highlights_the_changed_app(since_page: str, tmp_path: Path) -> None:
    with browser() as chromium:
        tab = _open(chromium, since_page, tmp_path)
        changed = tab.locator("button.entry.changed")
        assert {changed.nth(i).get_attribute("data-name") for i in range(changed.count())} == {CHANGED_APP}
        button = tab.locator(_button("home", CHANGED_APP))
        assert button.is_visible() and "changed" in button.inner_text()
        colour = button.evaluate("b => getComputedStyle(b).borderLeftColor")
        plain = tab.locator(_button("home", "app000")).evaluate("b => getComputedStyle(b).borderLeftColor")
        assert colour != plain
        tab.screenshot(path=str(tmp_path / "since.png"), full_page=True)
        button.click()
        assert "changed" in tab.locator('#details [data-section="objects"] li.changed').inner_text()


@pytest.mark.slow
def test_a_200_app_map_renders_in_under_two_seconds(tmp_path: Path) -> None:
    from scripts.map_benchmark import measure

    median, times = measure(200, 5, tmp_path)
    print(f"map of 200 apps × 3 clusters: median {median:.3f} s to render ({', '.join(f'{t:.3f}' for t in times)})")
    assert median < 2.0
