"""The geographic map: where the brigades (and partners with coordinates) are.

`geo_map(reg)` projects everything once into a `GeoMap` of plain values (outlines as pixel
rings, pins, partnership lines, placed labels, and what could not be placed); geodraw.py draws
it as SVG or PNG, and `to_data` gives it as JSON for an interactive page. No tiles, no network:
the outlines are the bundled us-atlas and world-atlas files (peernet_cli/data/NOTICE.md).

Two panels. The United States, in d3.geoAlbersUsa's layout: an Albers equal-area conic for
the lower 48 (parallels 29.5° and 45.5°, centred near 96.6°W 38.7°N), with Alaska (at 0.35
scale) and Hawaii moved into insets at the lower left, and Puerto Rico (which
d3.geoAlbersUsa leaves out) in an inset at the lower right; the other territories' outlines are
not drawn. A record is in the US panel when its country is US (or, without a country, its
state is a US state code) and it lands inside the panel; its inset follows from its
coordinates. Everything else goes on a world panel (Natural Earth projection, Antarctica left
out), drawn only when there is something on it. Partnerships are lines when both ends are on
the same panel.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from peernet_cli.publish import topojson
from peernet_cli.publish.export_geojson import Place, missing, places
from peernet_cli.registry.loader import Registry

Project = Callable[[float, float], tuple[float, float]]
XY = tuple[float, float]

WIDTH = 975.0
US_HEIGHT = 610.0
K, US_X, US_Y = 1300.0, 487.5, 305.0  # scale and centre: us-atlas's own fit of d3.geoAlbersUsa to 975×610
WORLD_TOP, WORLD_BOTTOM = 84.0, -58.0  # latitudes shown on the world panel
LABEL_SIZE = 10.0

# Postal code -> (FIPS code, name) for the states, DC and territories in us-atlas.
US_STATES: dict[str, tuple[str, str]] = {
    "AL": ("01", "Alabama"), "AK": ("02", "Alaska"), "AZ": ("04", "Arizona"), "AR": ("05", "Arkansas"),
    "CA": ("06", "California"), "CO": ("08", "Colorado"), "CT": ("09", "Connecticut"), "DE": ("10", "Delaware"),
    "DC": ("11", "District of Columbia"), "FL": ("12", "Florida"), "GA": ("13", "Georgia"), "HI": ("15", "Hawaii"),
    "ID": ("16", "Idaho"), "IL": ("17", "Illinois"), "IN": ("18", "Indiana"), "IA": ("19", "Iowa"),
    "KS": ("20", "Kansas"), "KY": ("21", "Kentucky"), "LA": ("22", "Louisiana"), "ME": ("23", "Maine"),
    "MD": ("24", "Maryland"), "MA": ("25", "Massachusetts"), "MI": ("26", "Michigan"), "MN": ("27", "Minnesota"),
    "MS": ("28", "Mississippi"), "MO": ("29", "Missouri"), "MT": ("30", "Montana"), "NE": ("31", "Nebraska"),
    "NV": ("32", "Nevada"), "NH": ("33", "New Hampshire"), "NJ": ("34", "New Jersey"), "NM": ("35", "New Mexico"),
    "NY": ("36", "New York"), "NC": ("37", "North Carolina"), "ND": ("38", "North Dakota"), "OH": ("39", "Ohio"),
    "OK": ("40", "Oklahoma"), "OR": ("41", "Oregon"), "PA": ("42", "Pennsylvania"), "RI": ("44", "Rhode Island"),
    "SC": ("45", "South Carolina"), "SD": ("46", "South Dakota"), "TN": ("47", "Tennessee"), "TX": ("48", "Texas"),
    "UT": ("49", "Utah"), "VT": ("50", "Vermont"), "VA": ("51", "Virginia"), "WA": ("53", "Washington"),
    "WV": ("54", "West Virginia"), "WI": ("55", "Wisconsin"), "WY": ("56", "Wyoming"), "AS": ("60", "American Samoa"),
    "GU": ("66", "Guam"), "MP": ("69", "Northern Mariana Islands"), "PR": ("72", "Puerto Rico"),
    "VI": ("78", "United States Virgin Islands"),
}
NOT_DRAWN = {"60", "66", "69", "78"}  # Pacific and Caribbean territories other than Puerto Rico


def conic_equal_area(rotate: float, center: XY, parallels: XY, scale: float, at: XY) -> Project:
    """Albers equal-area conic on the sphere (Snyder 14-1..14-6, as d3.geoConicEqualArea):
    longitudes turned by `rotate` degrees, `center` (in the turned frame) lands on `at`."""
    s1, s2 = (math.sin(math.radians(p)) for p in parallels)
    n = (s1 + s2) / 2
    c = 1 + s1 * (2 * n - s1)
    r0 = math.sqrt(c) / n

    def raw(lam: float, phi: float) -> XY:
        r = math.sqrt(max(c - 2 * n * math.sin(phi), 0.0)) / n
        return r * math.sin(lam * n), r0 - r * math.cos(lam * n)

    cx, cy = raw(math.radians(center[0]), math.radians(center[1]))

    def project(lon: float, lat: float) -> XY:
        turned = (lon + rotate + 180.0) % 360.0 - 180.0  # keeps the Aleutians beyond 180° on the map
        x, y = raw(math.radians(turned), math.radians(lat))
        return at[0] + scale * (x - cx), at[1] - scale * (y - cy)

    return project


# The US panel's parts: d3.geoAlbersUsa's lower 48, Alaska and Hawaii (its constants), and
# Puerto Rico, which it leaves out, put beside Florida at the lower right with its own conic.
US_PARTS: dict[str, Project] = {
    "lower48": conic_equal_area(96, (-0.6, 38.7), (29.5, 45.5), K, (US_X, US_Y)),
    "alaska": conic_equal_area(154, (-2, 58.5), (55, 65), 0.35 * K, (US_X - 0.307 * K, US_Y + 0.201 * K)),
    "hawaii": conic_equal_area(157, (-3, 19.9), (8, 18), K, (US_X - 0.205 * K, US_Y + 0.212 * K)),
    "puerto-rico": conic_equal_area(66, (0, 18), (8, 18), K, (US_X + 0.35 * K, US_Y + 0.224 * K)),
}
PART_OF_STATE = {"02": "alaska", "15": "hawaii", "72": "puerto-rico"}


def us_part(lon: float, lat: float) -> str:
    """Which part of the US panel a point is drawn in, from its coordinates."""
    if lat > 50 and (lon < -129 or lon > 170):
        return "alaska"
    if 18 < lat < 23 and -161 < lon < -154:
        return "hawaii"
    if 17.5 < lat < 18.7 and -68 < lon < -65:
        return "puerto-rico"
    return "lower48"


def natural_earth(lon: float, lat: float) -> XY:
    """Natural Earth projection, unit sphere (Šavrič et al. 2011; d3.geoNaturalEarth1Raw), y up."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2, p4 = phi * phi, phi**4
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def world_projection(top: float) -> tuple[Project, float]:
    """The world panel's projection (its top edge at pixel `top`) and the panel's height."""
    k = (WIDTH - 20) / (2 * natural_earth(180, 0)[0])
    y_top, y_bottom = natural_earth(0, WORLD_TOP)[1], natural_earth(0, WORLD_BOTTOM)[1]

    def project(lon: float, lat: float) -> XY:
        x, y = natural_earth(lon, lat)
        return WIDTH / 2 + k * x, top + 10 + k * (y_top - y)

    return project, k * (y_top - y_bottom) + 20


@dataclass
class Panel:
    id: str
    title: str
    x: float
    y: float
    width: float
    height: float


@dataclass
class Outline:
    id: str
    name: str
    panel: str
    rings: list[list[XY]]
    has_brigades: bool = False


@dataclass
class Label:
    text: str
    x: float  # the baseline's anchor point
    y: float
    anchor: str  # start, middle or end, as SVG's text-anchor
    bold: bool = False  # brigades with a partnership stand out


@dataclass
class Pin:
    place: Place
    panel: str
    x: float
    y: float
    r: float
    label: Label | None = None


@dataclass
class Link:
    id: str
    source: str
    target: str
    status: str | None
    a: XY
    b: XY


@dataclass
class GeoMap:
    width: float
    height: float
    panels: list[Panel] = field(default_factory=list)
    outlines: list[Outline] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    missing_brigades: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    missing_partners: int = 0
    links_not_drawn: int = 0  # partnerships with an end that is not on the same panel


def in_us(place: Place) -> bool:
    if place.country:
        return place.country == "US"
    return place.state in US_STATES


def split_antimeridian(ring: list[XY]) -> list[list[XY]]:
    """A ring that crosses 180° (Russia, Fiji) as one ring per side of the world map: the
    longitudes made continuous, then drawn once as they are and once a turn round, each
    clamped to ±180° (which follows the map's curved edge), so no band runs across the map."""
    lons, turn = [ring[0][0]], 0.0
    for (a, _), (b, _) in itertools.pairwise(ring):
        turn += 360.0 if a - b > 180 else -360.0 if b - a > 180 else 0.0
        lons.append(b + turn)
    if all(-180 <= x <= 180 for x in lons):
        return [ring]
    shift = -360.0 if max(lons) > 180 else 360.0
    return [[(max(-180.0, min(180.0, x + d)), lat) for x, (_, lat) in zip(lons, ring)] for d in (0.0, shift)]


def _rings(shape: topojson.Shape, project: Project, min_step: float, world: bool = False) -> list[list[XY]]:
    rings = []
    for polygon in shape.polygons:
        for whole in polygon:
            for ring in split_antimeridian(whole) if world else [whole]:
                rings += _projected(ring, project, min_step)
    return rings


def _projected(ring: list[XY], project: Project, min_step: float) -> list[list[XY]]:
    """The ring in pixels, without points closer than min_step to the last one kept; [] when
    too little is left to draw."""
    pts = [project(lon, lat) for lon, lat in ring]
    kept = [pts[0]]
    for p in pts[1:-1]:
        if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= min_step:
            kept.append(p)
    kept.append(pts[-1])
    return [kept] if len(kept) >= 4 else []


def _us_outlines(states_with_brigades: set[str], min_step: float) -> list[Outline]:
    out = []
    for shape in topojson.bundled(topojson.US_STATES, "states"):
        if shape.id in NOT_DRAWN:
            continue
        project = US_PARTS[PART_OF_STATE.get(shape.id, "lower48")]
        out.append(Outline(shape.id, shape.name, "us", _rings(shape, project, min_step),
                           shape.id in states_with_brigades))
    return out


def _world_outlines(project: Project, min_step: float) -> list[Outline]:
    return [Outline(s.id, s.name, "world", _rings(s, project, min_step, world=True))
            for s in topojson.bundled(topojson.WORLD, "countries") if s.name != "Antarctica"]


def _pin(place: Place, panel: str, xy: XY) -> Pin:
    r = 3.5 + min(place.partners, 6) * 0.6 if place.kind == "brigade" else 3.5
    return Pin(place, panel, round(xy[0], 1), round(xy[1], 1), r)


def geo_map(reg: Registry, min_step: float = 0.7) -> GeoMap:
    """The projected map of `reg`. `min_step`: outline points closer than this (pixels) to the
    previous one are dropped, which keeps the SVG small without a visible change (0 keeps all)."""
    m = GeoMap(WIDTH, US_HEIGHT)
    m.panels.append(Panel("us", "United States", 0, 0, WIDTH, US_HEIGHT))
    abroad, fips = [], set()
    for p in places(reg):
        x, y = US_PARTS[us_part(p.lon, p.lat)](p.lon, p.lat)
        if not (in_us(p) and 0 <= x <= WIDTH and 0 <= y <= US_HEIGHT):
            abroad.append(p)  # also a US territory in the Pacific, which has no inset
            continue
        m.pins.append(_pin(p, "us", (x, y)))
        if p.kind == "brigade" and p.state in US_STATES:
            fips.add(US_STATES[p.state][0])
    m.outlines += _us_outlines(fips, min_step)
    if abroad:
        project, height = world_projection(US_HEIGHT)
        m.panels.append(Panel("world", "Outside the United States", 0, US_HEIGHT, WIDTH, height))
        m.outlines += _world_outlines(project, min_step)
        m.pins += [_pin(p, "world", project(p.lon, min(WORLD_TOP, max(WORLD_BOTTOM, p.lat)))) for p in abroad]
        m.height += height
    _add_links(reg, m)
    m.missing_brigades = [(r.id, r.name) for r in missing(reg, "brigade")]
    m.missing_partners = len(missing(reg, "partner"))
    place_labels(m)
    return m


def _add_links(reg: Registry, m: GeoMap) -> None:
    pins = {p.place.id: p for p in m.pins}
    for sid in sorted(reg.of("partnership")):
        s = reg.of("partnership")[sid]
        a, b = pins.get(s.get("brigade")), pins.get(s.get("partner"))
        if a is None or b is None or a.panel != b.panel:
            m.links_not_drawn += 1
            continue
        m.links.append(Link(sid, a.place.id, b.place.id, s.get("status"), (a.x, a.y), (b.x, b.y)))


# --- labels: greedy placement, most-connected first ------------------------------------------

Box = tuple[float, float, float, float]
CELL = 40.0


class _Grid:
    """Boxes already taken, bucketed by a coarse grid so each test looks at a few neighbours."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, b: Box) -> list[tuple[int, int]]:
        return [(i, j) for i in range(int(b[0] // CELL), int(b[2] // CELL) + 1)
                for j in range(int(b[1] // CELL), int(b[3] // CELL) + 1)]

    def free(self, b: Box) -> bool:
        return not any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3]
                       for k in self._keys(b) for o in self.cells.get(k, ()))

    def add(self, b: Box) -> None:
        for k in self._keys(b):
            self.cells.setdefault(k, []).append(b)


def text_width(text: str, bold: bool = False, size: float = LABEL_SIZE) -> float:
    """A generous estimate of the width of `text`: DejaVu Sans (the PNG's font, wider than
    Helvetica) averages 0.54 em a character, bold 0.61; these cover nine names in ten."""
    return (0.68 if bold else 0.6) * size * len(text)


def _candidates(pin: Pin) -> list[tuple[Label, Box]]:
    """The 8 positions around the pin, in the order a reader expects: right, left, then the corners."""
    bold = pin.place.kind == "brigade" and pin.place.partners > 0
    w, h, gap = text_width(pin.place.name, bold), LABEL_SIZE, pin.r + 2
    out = []
    for dx, dy, anchor in ((1, 0, "start"), (-1, 0, "end"), (1, -1, "start"), (1, 1, "start"),
                           (-1, -1, "end"), (-1, 1, "end"), (0, -1, "middle"), (0, 1, "middle")):
        x = pin.x + dx * gap * (0.7 if dy else 1)
        base = pin.y + h * 0.35 + dy * (gap + h * 0.45)
        left = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
        out.append((Label(pin.place.name, round(x, 1), round(base, 1), anchor, bold),
                    (left, base - h * 0.8, left + w, base + h * 0.2)))
    return out


def place_labels(m: GeoMap) -> None:
    """Give each pin the first free label position; a pin with none keeps its name only in its
    hover title. Brigades come first, then by partnerships, so the connected ones get names."""
    grid = _Grid()
    for p in m.pins:
        grid.add((p.x - p.r, p.y - p.r, p.x + p.r, p.y + p.r))
    panels = {p.id: p for p in m.panels}
    order = sorted(m.pins, key=lambda p: (p.place.kind != "brigade", -p.place.partners, p.place.name, p.place.id))
    for pin in order:
        frame = panels[pin.panel]
        for label, box in _candidates(pin):
            inside = frame.x <= box[0] and box[2] <= frame.x + frame.width and frame.y <= box[1] and box[3] <= frame.y + frame.height
            if inside and grid.free(box):
                pin.label = label
                grid.add(box)
                break


def to_data(m: GeoMap) -> dict[str, Any]:
    """The map as JSON-ready values (pixel coordinates), for an interactive page."""
    return asdict(m)
