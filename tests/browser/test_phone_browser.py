"""The dashboard on a phone (390×844, chromium): no page is wider than the screen, the charts
and tables fit, and on both maps the map comes first with the filters folded under it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
PHONE = {"width": 390, "height": 844}
WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth]"


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, errors


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def _assert_fits(page: Any, site: Path, pages: list[str]) -> None:
    too_wide = []
    for rel in pages:
        page.goto((site / rel).as_uri())
        scroll, client, inner = page.evaluate(WIDTH)
        if not scroll == client == inner == PHONE["width"]:
            too_wide.append((rel, scroll))
    assert not too_wide, f"wider than the phone: {too_wide}"


def test_every_page_of_a_small_dashboard_fits_a_phone(phone: Any, small_site: Path) -> None:
    pages = _pages(small_site)
    assert {"index.html", "map.html", "where.html", "followups.html", "events.html",
            "brigades/open-durham.html"} <= set(pages)
    _assert_fits(phone, small_site, pages)


def test_every_page_of_the_bundled_dashboard_fits_a_phone(phone: Any, site: Path) -> None:
    pages = _pages(site)
    assert len([p for p in pages if p.startswith("brigades/")]) > 150
    _assert_fits(phone, site, pages)


@pytest.mark.parametrize("rel, name", [("index.html", "summary"), ("followups.html", "followups"),
                                       ("brigades/code-for-chicago.html", "brigade"), ("events.html", "events")])
def test_charts_and_tables_fit_on_a_phone(phone: Any, site: Path, rel: str, name: str) -> None:
    phone.goto((site / rel).as_uri())
    overflowing = phone.evaluate("""() => Array.from(document.querySelectorAll('figure.chart svg, table, .card'))
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5).length""")
    assert overflowing == 0
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"))


@pytest.mark.parametrize("rel", ["map.html", "where.html"])
def test_on_a_phone_the_map_comes_first_and_the_filters_fold(phone: Any, site: Path, rel: str) -> None:
    phone.goto((site / rel).as_uri())
    phone.wait_for_selector("body[data-map-ready=true]")
    frame, controls = phone.locator("#map-frame").bounding_box(), phone.locator(".controls").bounding_box()
    assert frame["y"] + frame["height"] <= controls["y"]  # the map, then the controls
    assert frame["y"] < PHONE["height"] / 3 and frame["height"] >= 200  # on the first screen, not microscopic
    assert frame["width"] >= PHONE["width"] - 40
    assert phone.evaluate("document.getElementById('filters').open") is False
    assert phone.locator("#filter-state").is_hidden()
    phone.click("#filters summary")
    assert phone.locator("#filter-state").is_visible()
    # Unfolded, the controls push what follows down rather than run over it.
    below = phone.evaluate("""() => {
        const controls = document.querySelector('.controls').getBoundingClientRect();
        const layout = document.querySelector('.map-layout').getBoundingClientRect();
        let next = document.querySelector('.map-layout').nextElementSibling;
        while (next && next.getBoundingClientRect().height === 0) next = next.nextElementSibling;
        return [controls.bottom, layout.bottom, next ? next.getBoundingClientRect().top : null];
    }""")
    assert below[0] <= below[1] + 0.5 and (below[2] is None or below[2] >= below[1] - 0.5), below
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / f"phone-{rel.removesuffix('.html')}.png"), full_page=True)


def test_tapping_a_point_on_a_phone_opens_the_record_over_the_map(phone: Any, site: Path) -> None:
    phone.goto((site / "where.html").as_uri())
    phone.wait_for_selector("body[data-map-ready=true]")
    phone.click("#filters summary")
    phone.select_option("#filter-state", "CA")
    phone.locator('#geo-map g.pin[data-id="code-for-sacramento"] circle').tap()
    panel = phone.locator("#panel")
    assert panel.locator("h2").inner_text() == "Code for Sacramento"
    box, frame = panel.bounding_box(), phone.locator("#map-frame").bounding_box()
    assert box["x"] >= frame["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    assert phone.evaluate(WIDTH)[0] == PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "phone-where-panel.png"))
