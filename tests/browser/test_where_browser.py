"""The Where page (where.html) in real chromium, from file://, offline: points at their
coordinates, hover, click, filters that zoom to what is left, pinch, search, and the list of
brigades without coordinates; on the bundled registry and on a small one built for it
(small_registry.py). Also: the network map's state filter zooms too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from peernet_cli.publish.export_geojson import coordinates
from peernet_cli.registry.loader import load

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
REG = load(ROOT)
LOCATED = sorted(r.id for kind in ("brigade", "partner") for r in REG.of(kind).values() if coordinates(r))
UNLOCATED = sorted(b.id for b in REG.of("brigade").values() if not coordinates(b))
RECORDS = {**REG.of("brigade"), **REG.of("partner")}

SHOWN = """sel => Array.from(document.querySelectorAll(sel))
  .filter(el => getComputedStyle(el).display !== 'none').map(el => el.dataset.id).sort()"""
BOXES = """sel => Array.from(document.querySelectorAll(sel))
  .filter(el => getComputedStyle(el).display !== 'none')
  .map(el => { const r = el.querySelector('circle, rect').getBoundingClientRect();
               return [r.left, r.top, r.right, r.bottom]; })"""


def _open(page: Any, site: Path, rel: str) -> Any:
    path, _, fragment = rel.partition("#")
    page.goto((site / path).as_uri() + (f"#{fragment}" if fragment else ""))
    page.wait_for_selector("body[data-map-ready=true]")
    return page


def _scale(page: Any) -> float:
    match = re.search(r"scale\(([-\d.]+)\)", page.get_attribute("#viewport", "transform") or "")
    return float(match.group(1)) if match else 1.0


def _assert_zoomed_to(page: Any, svg: str, node: str) -> None:
    """Every shown node is inside the map, and the view is centred on their bounding box."""
    boxes = page.evaluate(BOXES, f"#{svg} {node}")
    frame = page.locator(f"#{svg}").bounding_box()
    assert boxes
    for left, top, right, bottom in boxes:
        assert frame["x"] <= left and right <= frame["x"] + frame["width"]
        assert frame["y"] <= top and bottom <= frame["y"] + frame["height"]
    cx = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2
    cy = (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2
    # centred on the nodes with their labels (labels run to one side): within a fifth of the frame
    assert abs(cx - (frame["x"] + frame["width"] / 2)) < frame["width"] / 5
    assert abs(cy - (frame["y"] + frame["height"] / 2)) < frame["height"] / 5


def test_where_page_shows_every_located_record_and_lists_the_rest(page: Any, site: Path, watch: Any) -> None:
    _open(page, site, "where.html")
    assert page.evaluate(SHOWN, "#geo-map g.pin") == LOCATED
    assert page.locator("#visible-count").inner_text() == str(len(LOCATED))
    assert UNLOCATED, "the bundled registry has brigades without coordinates"
    listed = page.locator("#unlocated li a")
    assert sorted(a.split("/")[-1][:-len(".html")] for a in listed.evaluate_all("els => els.map(a => a.href)")) \
        == UNLOCATED
    assert page.locator("#unlocated h2").inner_text() == f"Brigades without coordinates ({len(UNLOCATED)})"
    assert page.locator("#geo-map path.outline").count() > 50  # states and countries, embedded
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "where.png"))


def test_hover_shows_the_name_and_click_opens_the_record(page: Any, site: Path, watch: Any) -> None:
    _open(page, site, "where.html")
    pin = page.locator('#geo-map g.pin[data-id="code-for-sacramento"] circle')
    pin.hover()
    tip = page.locator("#tooltip")
    assert tip.is_visible() and tip.inner_text().startswith("Code for Sacramento")
    page.mouse.move(5, 5)
    assert tip.is_hidden()
    pin.click()
    panel = page.locator("#panel")
    assert panel.locator("h2").inner_text() == "Code for Sacramento"
    assert panel.locator("p.muted").first.inner_text().startswith("Brigade")
    assert "Caltrans" in panel.inner_text()  # its partners
    panel.locator("text=Brigade profile").click()
    assert page.url.endswith("/brigades/code-for-sacramento.html")


def test_state_filter_hides_the_others_and_zooms(page: Any, site: Path, watch: Any) -> None:
    _open(page, site, "where.html")
    before = page.get_attribute("#viewport", "transform")
    page.select_option("#filter-state", "CA")
    california = sorted(i for i in LOCATED if (RECORDS[i].get("location") or {}).get("state") == "CA")
    assert len(california) >= 5
    assert page.evaluate(SHOWN, "#geo-map g.pin") == california
    assert page.evaluate(SHOWN, "#geo-map text.label") == [i for i in page.evaluate(
        "() => Array.from(document.querySelectorAll('#geo-map text.label')).map(t => t.dataset.id).sort()")
        if i in california]
    assert page.get_attribute("#viewport", "transform") != before and _scale(page) > 2
    _assert_zoomed_to(page, "geo-map", "g.pin")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "where-california.png"))
    page.click("#filters-reset")
    assert len(page.evaluate(SHOWN, "#geo-map g.pin")) == len(LOCATED) and _scale(page) == 1


def test_search_and_a_link_to_a_brigade_without_coordinates(page: Any, site: Path, watch: Any) -> None:
    _open(page, site, "where.html")
    page.fill("#search", "open maine")
    page.press("#search", "Enter")
    assert page.locator("#geo-map g.pin.focused").get_attribute("data-id") == "open-maine"
    assert _scale(page) >= 2.5
    # a brigade that is not on the map still opens in the panel, saying so
    _open(page, site, f"where.html#{UNLOCATED[0]}")
    assert page.locator("#panel h2").inner_text() == RECORDS[UNLOCATED[0]].name
    assert "not on this map" in page.locator("#panel").inner_text()


def test_small_registry_lines_partners_and_filters(page: Any, small_site: Path, watch: Any) -> None:
    _open(page, small_site, "where.html")
    pins = ["bay-uni", "city-of-durham", "civic-toronto", "code-for-sf", "nc-agency", "open-durham", "open-raleigh"]
    assert page.evaluate(SHOWN, "#geo-map g.pin") == pins
    lines = page.evaluate("""() => Array.from(document.querySelectorAll('#geo-map line.link'))
        .filter(l => getComputedStyle(l).display !== 'none').map(l => l.dataset.source + '--' + l.dataset.target).sort()""")
    assert lines == ["code-for-sf--bay-uni", "open-durham--city-of-durham", "open-durham--open-raleigh",
                     "open-raleigh--nc-agency"]
    assert page.locator('#geo-map g.pin[data-id="civic-toronto"]').get_attribute("data-country") == "CA"
    assert [a.inner_text() for a in page.locator("#unlocated li a").all()] == ["Code for Boston"]
    # only active partnerships: the prospective one's line and its partner go
    page.uncheck('input[name=status][value="prospective"]')
    assert "nc-agency" not in page.evaluate(SHOWN, "#geo-map g.pin")
    assert "open-raleigh--nc-agency" not in page.evaluate(
        "() => Array.from(document.querySelectorAll('#geo-map line.link:not(.hidden)')).map(l => l.dataset.source + '--' + l.dataset.target)")
    page.click("#filters-reset")
    page.select_option("#filter-state", "NC")
    assert page.evaluate(SHOWN, "#geo-map g.pin") == ["city-of-durham", "nc-agency", "open-durham", "open-raleigh"]
    assert _scale(page) > 3  # four points a few miles apart: zoomed right in
    _assert_zoomed_to(page, "geo-map", "g.pin")
    page.click("#classes-none")
    page.check('input[name=classification][value="university"]')
    assert page.evaluate(SHOWN, "#geo-map g.pin") == []  # the state filter still holds: no NC university


def test_pinch_zooms_about_the_fingers(page: Any, small_site: Path, watch: Any) -> None:
    _open(page, small_site, "where.html")
    box = page.locator("#geo-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, spread: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": cx - spread, "y": cy, "id": 1}, {"x": cx + spread, "y": cy, "id": 2}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 40)
    for spread in (60, 80, 100, 120):
        touch("touchMove", spread)
    touch("touchEnd", 0)
    assert _scale(page) == pytest.approx(3.0, rel=0.05)  # fingers three times as far apart
    assert page.locator("#panel").is_hidden()  # a pinch is not a click


def test_network_map_state_filter_zooms(page: Any, site: Path, watch: Any) -> None:
    _open(page, site, "map.html")
    page.select_option("#filter-state", "NC")
    assert _scale(page) != 1
    _assert_zoomed_to(page, "network-map", "g.node")
    page.select_option("#filter-state", "")
    assert _scale(page) == 1
