"""`peernet report html`: the static dashboard's files, without a browser (see tests/browser/ for that)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from peernet_cli.publish import dashboard, dashboard_html, graph
from peernet_cli.query.listings import LinkedRegistry as Network
from peernet_cli.registry.loader import load

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-01-01"


@pytest.fixture(scope="module")
def bundled() -> Network:
    return Network(load(ROOT))


@pytest.fixture(scope="module")
def site(bundled: Network) -> dict[str, str]:
    return dashboard.build_site(bundled, date.fromisoformat(AS_OF))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Refs(HTMLParser):
    """Every address a page refers to, by (tag, attribute), and its ids."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action", "xlink:href", "srcset", "poster", "data") and value is not None:
                self.refs.append((tag, name, value))
            if name == "id" and value:
                self.ids.append(value)


def _refs(text: str) -> _Refs:
    parser = _Refs()
    parser.feed(text)
    return parser


def test_the_site_has_every_page(site: dict[str, str], bundled: Network) -> None:
    brigades = sorted(bundled.reg.of("brigade"))
    assert {"index.html", "map.html", "where.html", "followups.html", "events.html", "assets/dashboard.css",
            "assets/map.js", dashboard.MARKER} <= set(site)
    assert sorted(p[len("brigades/"):-len(".html")] for p in site if p.startswith("brigades/")) == brigades


def test_every_page_shows_the_as_of_date(site: dict[str, str]) -> None:
    for path, text in site.items():
        if path.endswith(".html"):
            assert f'Data as of <time datetime="{AS_OF}">{AS_OF}</time>' in text, path


def test_nothing_is_loaded_from_elsewhere(site: dict[str, str]) -> None:
    """Stylesheets, scripts and images are relative files of the site; the only absolute
    addresses are links a person may follow (a brigade's website), never loaded."""
    for path, text in site.items():
        if path.endswith(".html"):
            for tag, attr, value in _refs(text).refs:
                if tag == "a" and attr == "href":
                    continue
                assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.IGNORECASE), f"{path}: <{tag} {attr}={value}>"
            assert "@import" not in text and "url(" not in text, path
            for tag, attr, value in _refs(text).refs:
                if tag in ("link", "script"):
                    assert _resolve(path, value) in site, f"{path}: {value} is not part of the site"
    css, js = site["assets/dashboard.css"], site["assets/map.js"]
    assert "url(" not in css and "@import" not in css and "http" not in css
    for forbidden in ("fetch(", "XMLHttpRequest", "import(", "http:", "https:", "WebSocket", "eval("):
        assert forbidden not in js, forbidden


def _resolve(page: str, ref: str) -> str:
    parts = Path(page).parent.parts
    out = list(parts)
    for piece in ref.split("/"):
        if piece == "..":
            out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def test_internal_links_resolve(site: dict[str, str]) -> None:
    for path, text in site.items():
        if not path.endswith(".html"):
            continue
        for tag, attr, value in _refs(text).refs:
            if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE):
                assert tag == "a", f"{path}: {value}"
                continue
            target = value.split("#", 1)[0]
            if target:
                assert _resolve(path, target) in site, f"{path}: broken link {value}"


def test_pages_have_unique_ids(site: dict[str, str]) -> None:
    for path, text in site.items():
        if path.endswith(".html"):
            ids = _refs(text).ids
            assert len(ids) == len(set(ids)), path


def test_the_map_embeds_the_svg_and_its_data(site: dict[str, str], bundled: Network) -> None:
    page = site["map.html"]
    reg = bundled.reg
    assert page.count('<g class="node brigade"') == len(reg.of("brigade"))
    assert page.count('<g class="node partner"') == len(reg.of("partner"))
    assert page.count('<line class="edge"') == len(reg.of("partnership"))
    assert '<g id="viewport">' in page and 'id="legend"' in page
    raw = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.DOTALL)
    assert raw
    data = json.loads(raw.group(1))
    assert set(data["nodes"]) == set(reg.of("brigade")) | set(reg.of("partner"))
    assert sorted(s["id"] for s in data["partnerships"]) == sorted(reg.of("partnership"))
    caltrans = next(s for s in data["partnerships"] if s["id"] == "code-for-sacramento--caltrans")
    assert caltrans["status"] == "active" and "Trash Monitoring workgroup" in caltrans["priorities"]
    # every filter value offered exists in the data
    classes = {n["classification"] for n in data["nodes"].values()}
    offered = set(re.findall(r'name="classification" value="([^"]+)"', page))
    assert offered == classes
    assert set(re.findall(r'name="status" value="([^"]+)"', page)) == {s["status"] for s in data["partnerships"]}


def test_map_layout_keeps_every_node_and_no_labels_overlap(bundled: Network) -> None:
    g = graph.build(bundled.reg)
    pos = graph.layout(g)
    assert set(pos) == {n["id"] for n in g.nodes}
    nodes = {n["id"]: n for n in g.nodes}
    boxes = [(x - 0.1, y - 0.12, x + graph._label_units(nodes[n]), y + 0.12) for n, (x, y) in pos.items()]
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert not clashes
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    assert 1.0 < (max(xs) - min(xs)) / (max(ys) - min(ys)) < 2.5  # screen-shaped, not a long strip


def test_json_in_the_page_cannot_close_its_script_element() -> None:
    text = dashboard_html.json_script("x", {"name": "</script><script>alert(1)</script>"})
    assert text.count("</script>") == 1
    assert json.loads(text.split(">", 1)[1].rsplit("<", 1)[0]) == {"name": "</script><script>alert(1)</script>"}


def test_names_are_escaped(registry, cli, tmp_path: Path) -> None:
    registry.add("partner", {"id": "tag-soup", "name": "<b>Tag</b> & \"Soup\"", "classification": "nonprofit",
                             "sources": [{"document": "001_6fd433e7a95ecce0.txt"}]})
    registry.add("partnership", {"id": "code-for-boston--tag-soup", "brigade": "code-for-boston",
                                 "partner": "tag-soup", "kind": "project-partnership", "status": "active",
                                 "priorities": ["<i>x</i>"], "sources": [{"document": "001_6fd433e7a95ecce0.txt"}]})
    out = tmp_path / "site"
    assert cli("report", "html", "--output", str(out), "--as-of", AS_OF, root=registry.root).exit_code == 0
    for page in ("map.html", "brigades/code-for-boston.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "<b>Tag</b>" not in text and "<i>x</i>" not in text
        assert "&lt;b&gt;Tag&lt;/b&gt; &amp; &quot;Soup&quot;" in text or "\\u003cb\\u003eTag" in text


def test_cli_writes_byte_identical_sites(cli, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    result = cli("report", "html", "--output", str(a), "--as-of", AS_OF, root=ROOT)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and result.stdout == ""
    # the second in a process of its own, with other hash seeds: no set order leaks into the files
    done = subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(ROOT), "report", "html",
                           "--output", str(b), "--as-of", AS_OF], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert done.returncode == 0, done.stderr
    files_a = _files(a)
    assert files_a == _files(b)
    assert len([p for p in files_a if p.startswith("brigades/")]) == len(load(ROOT).of("brigade"))
    # a second run over the same folder replaces it, no --force needed, same bytes
    assert cli("report", "html", "--output", str(a), "--as-of", AS_OF, root=ROOT).exit_code == 0
    assert _files(a) == files_a
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folders left


def test_as_of_changes_the_pages(registry, cli, tmp_path: Path) -> None:
    for day in ("2025-06-01", "2026-01-01"):
        assert cli("report", "html", "-o", str(tmp_path / day), "--as-of", day, root=registry.root).exit_code == 0
        assert f"Data as of <time datetime=\"{day}\">" in (tmp_path / day / "events.html").read_text(encoding="utf-8")


def test_refuses_a_folder_that_is_not_a_dashboard(registry, cli, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me\n", encoding="utf-8")
    result = cli("report", "html", "--output", str(out), root=registry.root)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a peernet dashboard" in lines[0] and "--force" in lines[0]
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    # --force writes the site alongside, keeping the folder's own files
    assert cli("report", "html", "--output", str(out), "--force", root=registry.root).exit_code == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me\n"
    assert (out / "index.html").is_file() and (out / "brigades" / "code-for-boston.html").is_file()


def test_a_dashboard_with_extra_files_is_not_replaced(registry, cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert cli("report", "html", "--output", str(out), root=registry.root).exit_code == 0
    (out / "mine.txt").write_text("x", encoding="utf-8")
    assert cli("report", "html", "--output", str(out), root=registry.root).exit_code == 2
    assert (out / "mine.txt").exists()


def test_an_empty_folder_and_a_new_one_are_fine(registry, cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "empty", tmp_path / "new" / "deeper"):
        assert cli("report", "html", "--output", str(out), root=registry.root).exit_code == 0
        assert (out / "map.html").is_file()


def test_output_is_required_and_must_not_be_a_file(registry, cli, tmp_path: Path) -> None:
    assert cli("report", "html", root=registry.root).exit_code == 2
    file = tmp_path / "file.html"
    file.write_text("x", encoding="utf-8")
    result = cli("report", "html", "--output", str(file), root=registry.root)
    assert result.exit_code == 2 and "is a file" in result.stderr
    result = cli("report", "html", "--output", str(tmp_path / "x"), "--as-of", "soon", root=registry.root)
    assert result.exit_code == 2 and "--as-of" in result.stderr


def test_an_empty_registry_still_makes_a_site(empty_registry, cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = cli("report", "html", "--output", str(out), "--as-of", AS_OF, root=empty_registry.root)
    assert result.exit_code == 0, result.stderr
    assert "No events recorded." in (out / "events.html").read_text(encoding="utf-8")
    assert '<g id="viewport">' in (out / "map.html").read_text(encoding="utf-8")


def test_bar_chart_is_plain_svg() -> None:
    svg = dashboard.bar_chart("Counts", {"a": 3, "a very long label " * 4: 1})
    assert svg.count('class="bar"') == 2 and 'data-count="3"' in svg
    assert "…" in svg and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


# --- the Where page, network facts, phones (the browser tests are in tests/browser/) --------


def _map_json(page: str) -> dict[str, Any]:
    raw = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.DOTALL)
    assert raw
    return dict(json.loads(raw.group(1)))


def test_where_page_embeds_points_outlines_and_the_unlocated(site: dict[str, str], bundled: Network) -> None:
    from peernet_cli.publish.export_geojson import coordinates

    page = site["where.html"]
    reg = bundled.reg
    located = {r.id for kind in ("brigade", "partner") for r in reg.of(kind).values() if coordinates(r)}
    assert set(re.findall(r'<g class="pin \w+" data-id="([^"]+)"', page)) == located
    assert page.count('<path class="outline"') > 50 and "<title>North Carolina</title>" in page
    unlocated = sorted(b.id for b in reg.of("brigade").values() if not coordinates(b))
    section = page.split('<section id="unlocated">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'href="brigades/([^"]+)\.html"', section) == unlocated
    data = _map_json(page)
    assert data["svg"]["id"] == "geo-map" and set(data["nodes"]) == set(reg.of("brigade")) | set(reg.of("partner"))
    # the outlines are embedded, simplified: the page stays small enough to open on a phone
    assert len(page.encode("utf-8")) < 400_000


def _decode(path: str) -> list[list[tuple[float, float]]]:
    """compact_path's rings read back: M x y, then l dx dy pairs, z."""
    rings = []
    for part in filter(None, path.split("z")):
        start, _, rest = part[1:].partition("l")
        nums = [float(n) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", start + " " + rest)]
        x, y = nums[0], nums[1]
        ring = [(x, y)]
        for dx, dy in zip(nums[2::2], nums[3::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((round(x, 1), round(y, 1)))
        rings.append(ring)
    return rings


def test_compact_outline_paths_read_back_to_the_rounded_points() -> None:
    from peernet_cli.publish.dashboard_where import compact_path

    rings = [[(648.04, 492.41), (651.8, 491.5), (651.8, 491.5), (650.0, 500.06), (648.04, 492.41)],
             [(0.06, 9.0), (-3.2, 10.0), (0.5, 0.5)]]
    text = compact_path(rings)
    assert " -" not in text and "L" not in text
    expected = [[(648.0, 492.4), (651.8, 491.5), (650.0, 500.1), (648.0, 492.4)], [(0.1, 9.0), (-3.2, 10.0), (0.5, 0.5)]]
    assert _decode(text) == expected


def test_every_page_links_the_where_page(site: dict[str, str]) -> None:
    for path, text in site.items():
        if path.endswith(".html"):
            assert re.search(r'<nav>.*href="(\.\./)?where\.html"', text), path


def test_summary_page_shows_network_facts(site: dict[str, str], bundled: Network) -> None:
    from peernet_cli.query.network_facts import network_facts

    page, facts = site["index.html"], network_facts(bundled)
    assert f'<strong id="group-count">{facts["groups"]}</strong>' in page
    section = page.split('<section id="network-facts">', 1)[1].split("</section>", 1)[0]
    biggest = facts["largest_groups"][0]
    assert biggest["hub_name"] in section and f"<div>{biggest['organisations']}</div>" in section
    for row in facts["connectors"]["brigades"]:
        assert f'href="brigades/{row["id"]}.html"' in section
    # brigades with no recorded partnership, by state: the chart adds up to the list
    chart = page.split('id="chart-unpartnered-state"', 1)[1].split("</figure>", 1)[0]
    lonely = summary_data(bundled)["brigades_without_partnership"]
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', chart)) == len(lonely) > 0


def summary_data(bundled: Network) -> dict[str, Any]:
    from peernet_cli.query.summary import summary

    return summary(bundled, date.fromisoformat(AS_OF))


def test_tables_reflow_on_a_phone(site: dict[str, str]) -> None:
    """Every cell names its column (the phone layout shows it beside the value)."""
    page = site["brigades/code-for-chicago.html"]
    assert '<table class="reflow">' in page and '<div class="table-scroll">' in page
    assert page.count("<td ") == page.count('<td data-label="') > 0
    assert '<td data-label="Partner"><div>' in page
