"""The geographic map and the GeoJSON export: points land inside their state, the projection
agrees with d3.geoAlbersUsa, GeoJSON passes the GeoJSON schema and a real parser reads it, and
nothing without coordinates disappears silently."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import geojson
import jsonschema
import pytest

from peernet_cli.publish import geomap, topojson
from peernet_cli.registry.loader import load

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SRC = [{"document": "001_6fd433e7a95ecce0.txt"}]
SVG = "{http://www.w3.org/2000/svg}"

# Bundled brigades whose recorded coordinates fall outside their recorded state, and why. None
# today; a record added here must really be outside (the test below fails on a stale entry).
KNOWN_OFF: dict[str, str] = {}


def _inside(x: float, y: float, rings: list[list[tuple[float, float]]]) -> bool:
    """Even-odd ray casting over every ring of a (multi)polygon: written here, not taken from
    the code under test."""
    crossings = False
    for ring in rings:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings = not crossings
    return crossings


def _brigade(rid, city, state, lat=None, lon=None, country="US"):
    loc = {"city": city, "state": state, "country": country}
    if lat is not None:
        loc |= {"latitude": lat, "longitude": lon}
    return ("brigade", {"id": rid, "name": rid.replace("-", " ").title(), "status": "active",
                        "location": loc, "sources": SRC})


RECORDS = [
    _brigade("code-for-boston", "Boston", "MA", 42.3601, -71.0589),
    _brigade("code-for-durham", "Durham", "NC", 35.994, -78.8986),
    _brigade("code-for-nowhere", "Somewhere", "NC"),  # no coordinates
    _brigade("code-for-hamburg", "Hamburg", "HH", 53.5511, 9.9937, country="DE"),
    ("partner", {"id": "city-of-boston", "name": "City of Boston", "classification": "city-government",
                 "location": {"city": "Boston", "state": "MA", "country": "US", "latitude": 42.3588,
                              "longitude": -71.0578}, "sources": SRC}),
    ("partner", {"id": "unplaced-partner", "name": "Unplaced Partner", "classification": "nonprofit",
                 "sources": SRC}),
    ("partnership", {"id": "code-for-boston--city-of-boston", "brigade": "code-for-boston",
                     "partner": "city-of-boston", "kind": "project-partnership", "status": "active",
                     "sources": SRC}),
    ("partnership", {"id": "code-for-boston--unplaced-partner", "brigade": "code-for-boston",
                     "partner": "unplaced-partner", "kind": "project-partnership", "status": "prospective",
                     "sources": SRC}),
    ("partnership", {"id": "code-for-durham--code-for-boston", "brigade": "code-for-durham",
                     "partner": "code-for-boston", "kind": "brigade-collaboration", "status": "prospective",
                     "sources": SRC}),
]


@pytest.fixture
def geo(empty_registry):
    for kind, data in RECORDS:
        empty_registry.add(kind, data)
    return empty_registry


# --- where the points land ---------------------------------------------------------------------


def test_every_bundled_us_brigade_lands_inside_its_state_outline():
    m = geomap.geo_map(load(ROOT), min_step=0)  # the outlines exactly as bundled
    outlines = {o.id: o.rings for o in m.outlines if o.panel == "us"}
    checked, outside = 0, {}
    for pin in m.pins:
        p = pin.place
        if p.kind != "brigade" or p.country != "US":
            continue
        checked += 1
        fips = geomap.US_STATES[p.state][0]
        if not _inside(pin.x, pin.y, outlines[fips]):
            outside[p.id] = f"{p.city}, {p.state}: ({p.lat}, {p.lon})"
    assert checked >= 100  # 121 when written: all the US brigades with coordinates
    assert set(outside) == set(KNOWN_OFF), outside


def test_the_projection_agrees_with_d3_geo_albers_usa():
    """us-atlas also ships the states projected by d3.geoAlbersUsa at 975×610; projecting the
    unprojected file ourselves must give the same picture (Alaska and Hawaii insets included)."""
    reference = json.loads((FIXTURES / "us-atlas" / "states-albers-10m.json").read_text(encoding="utf-8"))
    theirs = {s.id: s for s in topojson.decode(reference, "states")}
    worst = 0.0
    for shape in topojson.bundled(topojson.US_STATES, "states"):
        if shape.id not in theirs:  # d3.geoAlbersUsa leaves out the territories (Puerto Rico too)
            continue
        project = geomap.US_PARTS[geomap.PART_OF_STATE.get(shape.id, "lower48")]
        ours = [project(*pt) for poly in shape.polygons for ring in poly for pt in ring]
        ref = [pt for poly in theirs[shape.id].polygons for ring in poly for pt in ring]
        for axis in (0, 1):
            worst = max(worst, abs(min(p[axis] for p in ours) - min(p[axis] for p in ref)),
                        abs(max(p[axis] for p in ours) - max(p[axis] for p in ref)))
    assert len(theirs) == 51 and worst < 1.0  # pixels, on each state's bounding box


def test_topojson_decoding_undoes_the_deltas_and_reverses_arcs():
    topology = {"type": "Topology", "transform": {"scale": [0.5, 2.0], "translate": [10.0, 20.0]},
                "arcs": [[[0, 0], [2, 0], [0, 1]], [[2, 1], [-2, -1]]],
                "objects": {"shapes": {"type": "GeometryCollection", "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "a", "properties": {"name": "A"}},
                    {"type": "Polygon", "arcs": [[~1, ~0]], "id": "b"},
                    {"type": None, "id": "c"}]}}}
    a, b, c = topojson.decode(topology, "shapes")
    assert a.id == "a" and a.name == "A"
    assert a.polygons == [[[(10.0, 20.0), (11.0, 20.0), (11.0, 22.0), (10.0, 20.0)]]]
    assert b.polygons == [[[(10.0, 20.0), (11.0, 22.0), (11.0, 20.0), (10.0, 20.0)]]]
    assert c.polygons == []


def test_rings_across_the_antimeridian_are_split_not_drawn_across_the_world():
    ring = [(179.0, 60.0), (-179.0, 60.0), (-179.0, 62.0), (179.0, 62.0), (179.0, 60.0)]
    east, west = geomap.split_antimeridian(ring)
    assert all(lon in (179.0, 180.0) for lon, _ in east)
    assert all(lon in (-180.0, -179.0) for lon, _ in west)
    assert geomap.split_antimeridian([(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 1.0)]) == [
        [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 1.0)]]


# --- the map from the CLI ----------------------------------------------------------------------


def test_geo_svg_draws_points_lines_and_names_what_it_cannot_place(cli, geo):
    result = cli("report", "map", "--projection", "geo", root=geo.root)
    assert result.exit_code == 0, result.stderr
    svg = ET.fromstring(result.stdout)
    pins = {g.get("data-id"): g for g in svg.iter(f"{SVG}g") if "pin" in (g.get("class") or "").split()}
    assert set(pins) == {"code-for-boston", "code-for-durham", "code-for-hamburg", "city-of-boston"}
    assert pins["code-for-boston"].findtext(f"{SVG}title").startswith("Code For Boston · Boston, MA, US")
    links = [e for e in svg.iter(f"{SVG}line") if e.get("class") == "link"]
    assert {(e.get("data-source"), e.get("data-target")) for e in links} == {
        ("code-for-boston", "city-of-boston"), ("code-for-durham", "code-for-boston")}
    assert {e.get("data-target"): e.get("stroke-dasharray") for e in links}["code-for-boston"] == "4 3"
    caption = " ".join(t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == "caption")
    assert "1 brigade(s) without coordinates: Code For Nowhere" in caption
    assert "1 partner(s) without coordinates" in caption and "1 partnership(s) are not drawn" in caption
    assert "code-for-nowhere" in result.stderr and "1 partner(s) have no coordinates" in result.stderr
    panels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "panel-title"]
    assert panels == ["United States", "Outside the United States"]


def test_geo_map_is_deterministic_and_writes_png(cli, geo, tmp_path):
    first = cli("report", "map", "--projection", "geo", "--format", "svg", root=geo.root).stdout
    assert first == cli("report", "map", "--projection", "geo", root=geo.root).stdout
    png = tmp_path / "where.png"
    result = cli("report", "map", "--projection", "geo", "--format", "png", "--output", str(png), root=geo.root)
    assert result.exit_code == 0, result.stderr
    assert png.read_bytes().startswith(b"\x89PNG")


def test_geo_map_as_data_gives_pixels_for_an_interactive_page(cli, geo):
    data = json.loads(cli("report", "map", "--projection", "geo", "--format", "json", root=geo.root).stdout)
    assert {p["id"] for p in data["panels"]} == {"us", "world"}
    pins = {p["place"]["id"]: p for p in data["pins"]}
    boston = pins["code-for-boston"]
    assert boston["panel"] == "us" and 0 < boston["x"] < data["width"] and 0 < boston["y"] < 610
    assert pins["code-for-hamburg"]["panel"] == "world" and pins["code-for-hamburg"]["y"] > 610
    assert boston["label"]["text"] == "Code For Boston"  # room for it: it is labelled
    assert data["missing_brigades"] == [["code-for-nowhere", "Code For Nowhere"]]


def test_labels_never_overlap_on_the_bundled_map():
    m = geomap.geo_map(load(ROOT))
    boxes = []
    for pin in m.pins:
        if pin.label:
            lb, w = pin.label, geomap.text_width(pin.label.text, pin.label.bold)
            left = lb.x if lb.anchor == "start" else lb.x - w if lb.anchor == "end" else lb.x - w / 2
            boxes.append((left, lb.y - 8, left + w, lb.y + 2))
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert len(boxes) > 80 and clashes == []


@pytest.mark.parametrize("args", [("--format", "dot"), ("--format", "mermaid")])
def test_geo_map_refuses_graph_formats(cli, geo, args):
    result = cli("report", "map", "--projection", "geo", *args, root=geo.root)
    assert result.exit_code == 2 and "svg, png, json" in result.stderr


def test_unknown_projection_is_one_usage_error(cli, geo):
    result = cli("report", "map", "--projection", "mercator", root=geo.root)
    assert result.exit_code == 2 and "--projection must be network or geo" in result.stderr


# --- GeoJSON -----------------------------------------------------------------------------------


def _export(cli, root, tmp_path):
    out = tmp_path / "where.geojson"
    result = cli("export", "--format", "geojson", "--output", str(out), root=root)
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8"), result.stderr


def test_geojson_passes_the_geojson_schema_and_reads_back(cli, geo, tmp_path):
    text, stderr = _export(cli, geo.root, tmp_path)
    schema = json.loads((FIXTURES / "geojson-schema" / "FeatureCollection.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(json.loads(text))
    collection = geojson.loads(text)
    assert isinstance(collection, geojson.FeatureCollection) and collection.is_valid, collection.errors()
    features = {f["id"]: f for f in collection["features"]}
    assert list(features) == ["code-for-boston", "code-for-durham", "code-for-hamburg", "city-of-boston"]
    boston = features["code-for-boston"]
    assert isinstance(boston.geometry, geojson.Point)
    assert boston.geometry.coordinates == [-71.0589, 42.3601]  # RFC 7946: longitude first
    assert boston.properties == {
        "id": "code-for-boston", "name": "Code For Boston", "kind": "brigade", "classification": None,
        "status": "active", "city": "Boston", "state": "MA", "country": "US", "website": None,
        "partners": 3, "networks": [], "marker-color": "#1f4e79"}
    assert features["city-of-boston"].properties["classification"] == "city-government"
    assert "1 brigade(s) have no coordinates and are left out: code-for-nowhere" in stderr
    assert "1 partner(s) have no coordinates" in stderr and "exported 3 brigades, 1 partners" in stderr


def test_bundled_registry_geojson_has_every_located_brigade(cli, tmp_path):
    text, stderr = _export(cli, ROOT, tmp_path)
    collection = geojson.loads(text)
    assert collection.is_valid
    reg = load(ROOT)
    located = [b for b in reg.of("brigade").values() if "latitude" in (b.get("location") or {})]
    assert sum(f.properties["kind"] == "brigade" for f in collection["features"]) == len(located)
    unlocated = len(reg.of("brigade")) - len(located)
    assert f"peernet: {unlocated} brigade(s) have no coordinates" in stderr


def test_geojson_to_stdout_and_bad_coordinates_are_left_out(cli, geo):
    geo.write("registry/partners/nan.yaml", "id: nan\nname: Nan\nclassification: nonprofit\n"
              "location:\n  latitude: .nan\n  longitude: 1.5\nsources: [{document: x}]\n")
    result = cli("export", "--format", "geojson", "--output", "-", root=geo.root)
    assert result.exit_code == 0, result.stderr
    ids = [f["id"] for f in geojson.loads(result.stdout)["features"]]
    assert "nan" not in ids and "city-of-boston" in ids
    assert "2 partner(s) have no coordinates" in result.stderr
    svg = cli("report", "map", "--projection", "geo", root=geo.root)
    assert svg.exit_code == 0 and 'data-id="nan"' not in svg.stdout


def test_a_us_place_outside_the_us_panel_goes_on_the_world_panel(empty_registry):
    """Guam has no inset: its brigade must still be drawn, not projected off the picture."""
    empty_registry.add(*_brigade("code-for-boston", "Boston", "MA", 42.3601, -71.0589))
    only_us = geomap.geo_map(load(empty_registry.root))
    assert [p.id for p in only_us.panels] == ["us"] and only_us.height == geomap.US_HEIGHT
    empty_registry.add(*_brigade("code-for-guam", "Hagåtña", "GU", 13.4757, 144.7489))
    m = geomap.geo_map(load(empty_registry.root))
    panel = {p.place.id: p.panel for p in m.pins}
    assert panel == {"code-for-boston": "us", "code-for-guam": "world"}
    guam = next(p for p in m.pins if p.place.id == "code-for-guam")
    assert 0 < guam.x < m.width and geomap.US_HEIGHT < guam.y < m.height
