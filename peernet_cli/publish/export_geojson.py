"""`peernet export --format geojson`: where the brigades and partners are, for map tools.

One GeoJSON FeatureCollection (RFC 7946): a Point feature per brigade and per partner that has
`location.latitude` and `location.longitude`, in [longitude, latitude] order as the RFC
requires, brigades first, each kind by id. The feature's `id` is the record id; its
properties are flat values a map tool can filter and style by (QGIS, geojson.io, kepler.gl):

- `id`, `name`, `kind` (brigade or partner), `classification`, `status`, `city`, `state`,
  `country`, `website` (null when the record has none);
- `partners`: how many partnerships the record takes part in (on either side);
- `networks`: the ids of the networks it belongs to (a list; empty for none);
- `marker-color`: the colour the network map gives it (the simplestyle convention that
  GitHub's and geojson.io's map previews read).

Records without coordinates are not features (GeoJSON has no place for them); `missing` names
them so the CLI can say so. `places` is also what the geographic map draws (geomap.py).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peernet_cli.publish.formats import json_text
from peernet_cli.publish.graph import COLORS, color_for
from peernet_cli.registry.loader import Record, Registry

KINDS = ("brigade", "partner")


@dataclass(frozen=True)
class Place:
    """A brigade or partner with coordinates, and what a map shows about it."""

    id: str
    kind: str
    name: str
    lon: float
    lat: float
    classification: str | None
    status: str | None
    city: str | None
    state: str | None
    country: str | None
    website: str | None
    partners: int
    networks: tuple[str, ...]

    @property
    def color(self) -> str:
        return COLORS["brigade"] if self.kind == "brigade" else color_for(self.classification)


def coordinates(record: Record) -> tuple[float, float] | None:
    """(longitude, latitude) when the record has both as finite numbers in range, else None."""
    loc = record.get("location")
    if not isinstance(loc, dict):
        return None
    lon, lat = _number(loc.get("longitude")), _number(loc.get("latitude"))
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None  # validate reports a bad one; a map cannot place it
    return lon, lat


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def partnership_counts(reg: Registry) -> Counter[str]:
    """Partnerships per record id, counting both ends (a partner may be another brigade)."""
    counts: Counter[str] = Counter()
    for s in reg.of("partnership").values():
        for end in {s.get("brigade"), s.get("partner")}:
            if isinstance(end, str):
                counts[end] += 1
    return counts


def places(reg: Registry) -> list[Place]:
    """Every brigade and partner with coordinates: brigades first, then partners, each by id."""
    counts = partnership_counts(reg)
    found = []
    for kind in KINDS:
        for rid in sorted(reg.of(kind)):
            record = reg.of(kind)[rid]
            where = coordinates(record)
            if where is None:
                continue
            loc = record.get("location") or {}
            nets = tuple(str(m.get("network")) for m in record.get("networks") or [] if isinstance(m, dict))
            found.append(Place(rid, kind, record.name, where[0], where[1], record.get("classification"),
                               record.get("status"), loc.get("city"), loc.get("state"), loc.get("country"),
                               record.get("website"), counts[rid], nets))
    return found


def missing(reg: Registry, kind: str) -> list[Record]:
    """The records of `kind` a map cannot place, by id."""
    return [reg.of(kind)[i] for i in sorted(reg.of(kind)) if coordinates(reg.of(kind)[i]) is None]


def missing_message(reg: Registry, on_map: bool = False) -> list[str]:
    """The stderr lines for records without coordinates: brigades by id, partners counted.
    `on_map`: the geographic map, whose caption names the brigades and counts the partners."""
    lines = []
    brigades = missing(reg, "brigade")
    if brigades:
        ids = ", ".join(r.id for r in brigades[:10]) + (", …" if len(brigades) > 10 else "")
        what = "are listed under the map" if on_map else "are left out"
        lines.append(f"peernet: {len(brigades)} brigade(s) have no coordinates and {what}: {ids}")
    partners = missing(reg, "partner")
    if partners:
        what = "are not drawn (counted under the map)" if on_map else "are left out"
        lines.append(f"peernet: {len(partners)} partner(s) have no coordinates and {what}")
    return lines


def feature(place: Place) -> dict[str, Any]:
    props = {"id": place.id, "name": place.name, "kind": place.kind, "classification": place.classification,
             "status": place.status, "city": place.city, "state": place.state, "country": place.country,
             "website": place.website, "partners": place.partners, "networks": list(place.networks),
             "marker-color": place.color}
    return {"type": "Feature", "id": place.id, "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            "properties": props}


def to_geojson(found: list[Place]) -> str:
    """The FeatureCollection of `places(reg)` as text: the same registry gives the same bytes."""
    return json_text({"type": "FeatureCollection", "features": [feature(p) for p in found]}) + "\n"


def write_geojson(reg: Registry, tmp: Path) -> dict[str, int]:
    """Fill `tmp` (files.publish_file renames it into place); features per kind."""
    found = places(reg)
    tmp.write_text(to_geojson(found), encoding="utf-8")
    kinds = Counter(p.kind for p in found)
    return {"brigades": kinds["brigade"], "partners": kinds["partner"]}
