"""Reading TopoJSON (the bundled us-atlas and world-atlas outlines) into plain polygons.

TopoJSON stores each border once, as an "arc", and a shape as a list of arc indexes; quantized
files store each arc as integer steps from the previous point plus one `transform` for the
whole file. Decoding is three steps: undo the steps and the transform for every arc, join each
ring's arcs (a negative index ~i means arc i reversed; neighbouring arcs share an end point,
kept once), and group the rings into polygons. Pure Python, because the files are small
(about 30,000 points) and a map library would be a large dependency for this.
See the TopoJSON specification, section 2 (topology objects, transforms, arcs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

Point = tuple[float, float]  # (longitude, latitude) in degrees
Ring = list[Point]
Polygon = list[Ring]  # the outer ring first, then any holes

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
US_STATES = "us-atlas/states-10m.json"  # object "states": id is the state FIPS code
WORLD = "world-atlas/countries-110m.json"  # object "countries": id is the ISO 3166 numeric code


@dataclass(frozen=True)
class Shape:
    """One geometry of a TopoJSON object: its id, its name and its polygons."""

    id: str
    name: str
    polygons: list[Polygon]


def decode(topology: dict[str, Any], name: str) -> list[Shape]:
    """Every geometry of the object `name`, in file order, as polygons of (lon, lat)."""
    arcs = _arcs(topology)
    shapes = []
    for geom in topology["objects"][name].get("geometries", []):
        props = geom.get("properties") or {}
        shapes.append(Shape(str(geom.get("id", "")), str(props.get("name", "")), _polygons(geom, arcs)))
    return shapes


@cache
def bundled(rel: str, name: str) -> tuple[Shape, ...]:
    """A bundled file's object, decoded once per process (see peernet_cli/data/NOTICE.md)."""
    topology = json.loads((DATA_DIR / rel).read_text(encoding="utf-8"))
    return tuple(decode(topology, name))


def _arcs(topology: dict[str, Any]) -> list[list[Point]]:
    transform = topology.get("transform")
    if transform is None:  # not quantized: positions are already degrees
        return [[(float(p[0]), float(p[1])) for p in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for p in arc:
            x += p[0]
            y += p[1]
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[Point]]) -> Ring:
    ring: Ring = []
    for k, i in enumerate(indexes):
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points[1:] if k else points)  # the first point repeats the previous arc's last
    return ring


def _polygons(geom: dict[str, Any], arcs: list[list[Point]]) -> list[Polygon]:
    kind = geom.get("type")
    if kind == "Polygon":
        return [[_ring(r, arcs) for r in geom["arcs"]]]
    if kind == "MultiPolygon":
        return [[_ring(r, arcs) for r in polygon] for polygon in geom["arcs"]]
    if kind == "GeometryCollection":
        return [p for g in geom.get("geometries", []) for p in _polygons(g, arcs)]
    return []  # points, lines and null geometries have no outline to draw
