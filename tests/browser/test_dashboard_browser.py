"""The dashboard in a real browser (chromium, from file://, offline): pages load cleanly, and
the network map's pan/zoom, filters, search and side panel work on the bundled registry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from peernet_cli.registry.loader import load

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"  # git-ignored: screenshots to look at
AS_OF = "2026-01-01"  # the site fixture (conftest.py) builds the dashboard as of this day
REG = load(ROOT)
BRIGADES = REG.of("brigade")
PARTNERS = REG.of("partner")
SHIPS = REG.of("partnership")

VISIBLE = """() => {
  const shown = sel => Array.from(document.querySelectorAll(sel))
    .filter(el => !el.classList.contains('hidden') && getComputedStyle(el).display !== 'none');
  return {nodes: shown('#network-map g.node').map(el => el.dataset.id).sort(),
          edges: shown('#network-map line.edge').map(el => el.dataset.source + '--' + el.dataset.target).sort()};
}"""


def _transform(page: Any) -> str:
    return page.get_attribute("#viewport", "transform") or ""


def _scale(page: Any) -> float:
    match = re.search(r"scale\(([-\d.]+)\)", _transform(page))
    return float(match.group(1)) if match else 1.0


def _centre(box: dict[str, float]) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _ships_of(node_id: str) -> list[Any]:
    return [s for s in SHIPS.values() if node_id in (s.get("brigade"), s.get("partner"))]


def _name(record_id: str) -> str:
    record = BRIGADES.get(record_id) or PARTNERS.get(record_id)
    return record.name if record else record_id


@pytest.mark.parametrize("rel", ["index.html", "map.html", "followups.html", "events.html",
                                 "brigades/code-for-chicago.html", "brigades/code-for-sacramento.html"])
def test_page_loads_offline_without_errors(open_page: Any, rel: str) -> None:
    page = open_page(rel)
    assert page.locator("header .as-of time").inner_text() == AS_OF
    assert page.locator("link[rel=stylesheet]").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "flex"  # CSS applied


def _sample_brigades() -> list[str]:
    """A few brigade pages of every shape (all of them are checked without a browser in
    tests/test_dashboard.py): first and last, most partners, none, a brigade-to-brigade link."""
    ids = sorted(BRIGADES)
    count = {b: len(_ships_of(b)) for b in ids}
    picks = [ids[0], ids[-1], max(ids, key=lambda b: (count[b], b))]
    picks += [b for b in ids if count[b] == 0][:1]
    picks += [str(s.get("partner")) for s in SHIPS.values() if s.get("partner") in BRIGADES][:1]
    return sorted(set(picks))


def test_brigade_pages_load(page: Any, site: Path, watch: Any) -> None:
    for brigade in _sample_brigades():
        page.goto((site / "brigades" / f"{brigade}.html").as_uri())
        assert page.locator("h1").inner_text() == BRIGADES[brigade].name
        assert page.locator("h2", has_text="Partners").inner_text() == f"Partners ({len(_ships_of(brigade))})"
    watch.assert_clean()


def test_summary_charts_and_links(open_page: Any) -> None:
    page = open_page("index.html")
    bars = page.locator("#chart-status g.bar")
    statuses = {bars.nth(i).get_attribute("data-label"): int(bars.nth(i).get_attribute("data-count") or 0)
                for i in range(bars.count())}
    expected: dict[str, int] = {}
    for s in SHIPS.values():
        expected[str(s.get("status"))] = expected.get(str(s.get("status")), 0) + 1
    assert statuses == expected
    page.click("text=Explore the network map")
    page.wait_for_selector("body[data-map-ready=true]")
    assert page.url.endswith("/map.html")


def test_map_shows_one_node_per_brigade_and_partner(open_page: Any) -> None:
    page = open_page("map.html")
    shown = page.evaluate(VISIBLE)
    assert shown["nodes"] == sorted(set(BRIGADES) | set(PARTNERS))
    assert len(shown["nodes"]) == len(BRIGADES) + len(PARTNERS)
    assert len(shown["edges"]) == len(SHIPS)
    assert page.locator("#visible-count").inner_text() == str(len(BRIGADES) + len(PARTNERS))
    assert page.locator("#legend").is_visible()


def test_classification_filter(open_page: Any) -> None:
    page = open_page("map.html")
    page.click("#classes-none")
    assert page.evaluate(VISIBLE) == {"nodes": [], "edges": []}
    page.check('input[name=classification][value="university"]')
    universities = sorted(p for p, r in PARTNERS.items() if r.get("classification") == "university")
    assert universities and page.evaluate(VISIBLE) == {"nodes": universities, "edges": []}
    assert page.locator("#visible-count").inner_text() == str(len(universities))
    # with brigades back, exactly the brigade–university links show
    page.check('input[name=classification][value="brigade"]')
    shown = page.evaluate(VISIBLE)
    assert shown["nodes"] == sorted(set(universities) | set(BRIGADES))
    visible = set(universities) | set(BRIGADES)
    assert shown["edges"] == sorted(f"{s.get('brigade')}--{s.get('partner')}" for s in SHIPS.values()
                                    if s.get("partner") in visible)
    assert any(s.get("partner") in universities for s in SHIPS.values())


def test_state_filter(open_page: Any) -> None:
    page = open_page("map.html")
    page.select_option("#filter-state", "NC")
    nc = {b for b, r in BRIGADES.items() if (r.get("location") or {}).get("state") == "NC"}
    expected = nc | {str(s.get("partner")) for s in SHIPS.values() if s.get("brigade") in nc}
    expected |= {p for p, r in PARTNERS.items() if (r.get("location") or {}).get("state") == "NC"}
    assert len(nc) >= 2
    assert page.evaluate(VISIBLE)["nodes"] == sorted(expected)
    page.select_option("#filter-state", "")
    assert len(page.evaluate(VISIBLE)["nodes"]) == len(BRIGADES) + len(PARTNERS)


def test_status_filter(open_page: Any) -> None:
    page = open_page("map.html")
    for status in ("prospective", "unknown"):
        page.uncheck(f'input[name=status][value="{status}"]')
    active = [s for s in SHIPS.values() if s.get("status") == "active"]
    shown = page.evaluate(VISIBLE)
    assert shown["edges"] == sorted(f"{s.get('brigade')}--{s.get('partner')}" for s in active)
    assert shown["nodes"] == sorted({str(s.get(k)) for s in active for k in ("brigade", "partner")})
    page.click("#filters-reset")
    assert len(page.evaluate(VISIBLE)["edges"]) == len(SHIPS)


@pytest.mark.parametrize("typed, expected", [("Caltrans", "caltrans"), ("code for sacramento", "code-for-sacramento"),
                                             ("mattapan", "greater-mattapan-neighborhood-council")])
def test_search_focuses_the_node(open_page: Any, typed: str, expected: str) -> None:
    page = open_page("map.html")
    page.fill("#search", typed)
    page.press("#search", "Enter")
    focused = page.locator("#network-map g.node.focused")
    assert focused.count() == 1 and focused.get_attribute("data-id") == expected
    assert _scale(page) > 1.5
    # centred: the node's square or circle sits in the middle of the map's part the panel leaves open
    shape = page.locator(f'#network-map g.node[data-id="{expected}"] :is(rect, circle)')
    nx, ny = _centre(shape.bounding_box())
    frame, panel = page.locator("#network-map").bounding_box(), page.locator("#panel").bounding_box()
    mx, my = (frame["x"] + panel["x"]) / 2, frame["y"] + frame["height"] / 2
    assert abs(nx - mx) < 6 and abs(ny - my) < 6
    assert page.locator("#panel h2").inner_text() == _name(expected)


def test_search_with_no_match_says_so(open_page: Any) -> None:
    page = open_page("map.html")
    page.fill("#search", "zzz no such organisation")
    page.press("#search", "Enter")
    assert "No organisation matches" in page.locator("#search-message").inner_text()
    assert page.locator("#network-map g.node.focused").count() == 0


def test_clicking_a_node_lists_its_partnerships(open_page: Any) -> None:
    page = open_page("map.html")
    assert page.locator("#panel").is_hidden()
    page.locator('#network-map g.node[data-id="code-for-chicago"] rect').click()
    panel = page.locator("#panel")
    assert panel.is_visible()
    assert panel.locator("h2").inner_text() == "Code for Chicago"
    ships = _ships_of("code-for-chicago")
    items = panel.locator("ul.partnerships > li")
    assert items.count() == len(ships) >= 5
    for s in ships:
        item = panel.locator(f'li[data-partnership="{s.id}"]')
        assert item.locator(".other").inner_text() == _name(str(s.get("partner")))
        assert item.locator(".status").inner_text() == s.get("status")
        assert str(s.get("kind") or "unknown") in item.locator(".meta").inner_text()
        for priority in s.get("priorities") or []:
            assert priority in item.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network-map-panel.png"))
    # a partner's panel lists its brigades, with their priorities
    page.click("#panel-close")
    assert panel.is_hidden()
    page.fill("#search", "Caltrans")
    page.press("#search", "Enter")
    page.locator('#network-map g.node[data-id="caltrans"] circle').click()
    caltrans = panel.locator('li[data-partnership="code-for-sacramento--caltrans"]')
    assert caltrans.locator(".other").inner_text() == "Code for Sacramento"
    assert "Trash Monitoring workgroup" in caltrans.inner_text()
    # the other party is a button that moves the map to it
    caltrans.locator(".other").click()
    assert page.locator("#network-map g.node.focused").get_attribute("data-id") == "code-for-sacramento"


def test_the_panel_never_covers_the_clicked_node(open_page: Any) -> None:
    page = open_page("map.html")
    rightmost = page.evaluate("""() => Array.from(document.querySelectorAll('#network-map g.node'))
        .map(g => [g.querySelector('rect, circle').getBoundingClientRect().right, g.dataset.id])
        .sort((a, b) => b[0] - a[0])[0][1]""")
    shape = page.locator(f'#network-map g.node[data-id="{rightmost}"] :is(rect, circle)')
    shape.click()
    assert page.locator("#panel h2").inner_text() == _name(rightmost)
    assert shape.bounding_box()["x"] + shape.bounding_box()["width"] < page.locator("#panel").bounding_box()["x"]


def test_pan_and_zoom(open_page: Any) -> None:
    page = open_page("map.html")
    box = page.locator("#network-map").bounding_box()
    cx, cy = _centre(box)
    page.click("#zoom-in")
    assert _scale(page) == pytest.approx(1.5)
    page.click("#zoom-out")
    page.click("#zoom-out")
    assert _scale(page) == pytest.approx(1 / 1.5, rel=1e-3)
    page.click("#zoom-reset")
    assert _scale(page) == 1
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, -400)
    page.wait_for_function("document.getElementById('viewport').getAttribute('transform').indexOf('scale(1.0000)') < 0")
    assert _scale(page) > 1.2
    before = _transform(page)
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx - 150, cy - 80, steps=5)
    page.mouse.up()
    after = _transform(page)
    assert after != before and re.search(r"scale\(([\d.]+)\)", after).group(1) == \
        re.search(r"scale\(([\d.]+)\)", before).group(1)
    assert page.locator("#panel").is_hidden()  # a drag is not a click


def test_brigade_page_links_to_its_node_on_the_map(open_page: Any) -> None:
    page = open_page("brigades/code-for-boston.html")
    page.click("text=Show on the network map")
    page.wait_for_selector("body[data-map-ready=true]")
    assert page.locator("#network-map g.node.focused").get_attribute("data-id") == "code-for-boston"
    assert "Greater Mattapan Neighborhood Council" in page.locator("#panel").inner_text()


def test_screenshot_of_the_map(open_page: Any) -> None:
    page = open_page("map.html")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "network-map.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 50_000
