"""Where a CfA organizations.json entry is: city, state, country and coordinates.

- location: city, state (a two-letter postal code in the US: "California" -> CA; elsewhere the
  state or province text, e.g. "ON"), country as ISO 3166-1 alpha-2 ("USA" -> US); the
  `location` object first, then the "City, ST" text; an entry with a US state but no country
  is in the US;
- latitude/longitude parsed from the strings; left out, with a reason, when they do not parse,
  are out of range, are 0,0, disagree between the top-level and location.coordinates copies,
  or put a US city in the eastern hemisphere (positive longitude) or outside latitudes 17-72.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "washington dc": "DC", "washington d c": "DC", "florida": "FL", "georgia": "GA", "hawaii": "HI",
    "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY",
    "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE",
    "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
    "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
    "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
    "puerto rico": "PR", "guam": "GU", "u s virgin islands": "VI", "american samoa": "AS",
    "northern mariana islands": "MP",
}
US_CODES = set(US_STATES.values())

COUNTRIES = {
    "usa": "US", "us": "US", "united states": "US", "united states of america": "US",
    "canada": "CA", "mexico": "MX", "méxico": "MX", "brazil": "BR", "brasil": "BR", "japan": "JP",
    "taiwan": "TW", "south korea": "KR", "korea": "KR", "germany": "DE", "croatia": "HR",
    "poland": "PL", "romania": "RO", "united kingdom": "GB", "uk": "GB", "great britain": "GB",
    "ireland": "IE", "netherlands": "NL", "finland": "FI", "australia": "AU", "new zealand": "NZ",
    "pakistan": "PK", "kenya": "KE", "nigeria": "NG", "ghana": "GH", "south africa": "ZA",
    "jamaica": "JM", "france": "FR", "spain": "ES", "italy": "IT", "india": "IN", "israel": "IL",
    "belgium": "BE", "denmark": "DK", "norway": "NO", "sweden": "SE", "argentina": "AR", "chile": "CL",
    "colombia": "CO", "peru": "PE", "philippines": "PH", "singapore": "SG", "hong kong": "HK",
}


MAX_TEXT_CHARS = 2_000  # one value; the longest in the real list has 168
# Line breaks, other control characters and unpaired surrogates (which no UTF-8 file can hold).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NUMERIC = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def text_of(value: Any) -> str:
    """The stripped text of a string value; "" for anything else."""
    return value.strip() if isinstance(value, str) else ""


def _escaped(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def shown(value: Any) -> str:
    """A JSON value as a message shows it, on one line: 5, true, null, "text", a list (3 items)."""
    if isinstance(value, str):
        return '"' + _escaped(value if len(value) <= 40 else value[:39] + "…") + '"'
    if isinstance(value, float) and not math.isfinite(value):
        return "a number too large to hold"
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return f"a list ({len(value)} item{'' if len(value) == 1 else 's'})"
    return "an object" if isinstance(value, dict) else type(value).__name__


def text_problem(value: Any) -> str | None:
    """Why `value` is not one line of text the import can use, or None."""
    if not isinstance(value, str):
        return f"expected text, got {shown(value)}"
    if len(value) > MAX_TEXT_CHARS:
        return f"text of {len(value):,} characters, more than the {MAX_TEXT_CHARS:,} allowed; shorten it"
    bad = _CONTROL.search(value)
    if bad:
        what = "an unpaired surrogate" if "\ud800" <= bad.group() <= "\udfff" else \
            "a line break" if bad.group() in "\n\r\u2028\u2029" else "a control character"
        return f"contains {what} (\\u{ord(bad.group()):04x}) at character {bad.start() + 1}; remove it"
    return None


def coordinate_problem(value: Any) -> str | None:
    """Why `value` cannot be a latitude or longitude (a number or text), or None. Text that is
    not a number is not a problem here: map_coordinates leaves it out with a note."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return f'expected a number or numeric text such as "42.36", got {shown(value)}'
    if isinstance(value, float) and not math.isfinite(value):
        return "the number is too large to be a coordinate; fix it or leave the field out"
    return text_problem(value) if isinstance(value, str) else None


def location_problems(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for each location value of the wrong type: city, latitude, longitude,
    and location's city, state, country and coordinates."""
    out: list[tuple[str, str]] = []

    def check(where: dict[str, Any], prefix: str, keys: tuple[str, ...],
              problem: Callable[[Any], str | None]) -> None:
        for key in keys:
            if where.get(key) is not None and (message := problem(where[key])):
                out.append((prefix + key, message))

    check(entry, "", ("city",), text_problem)
    check(entry, "", ("latitude", "longitude"), coordinate_problem)
    loc = entry.get("location")
    if loc is not None and not isinstance(loc, dict):
        out.append(("location", f"expected an object (city, state, country, coordinates), got {shown(loc)}"))
    elif isinstance(loc, dict):
        check(loc, "location.", ("city", "state", "country"), text_problem)
        inner = loc.get("coordinates")
        if inner is not None and not isinstance(inner, dict):
            out.append(("location.coordinates", f"expected an object (latitude, longitude), got {shown(inner)}"))
        elif isinstance(inner, dict):
            check(inner, "location.coordinates.", ("latitude", "longitude"), coordinate_problem)
    return out


def compare_key(text: str) -> str:
    """Text for loose comparison: casefolded, punctuation as spaces ("Washington, D.C." -> "washington d c")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def country_code(text: str) -> str | None:
    text = text.strip()
    if re.fullmatch(r"[A-Z]{2}", text):
        return text
    return COUNTRIES.get(text.casefold()) or COUNTRIES.get(compare_key(text))


def us_state(text: str) -> str | None:
    text = text.strip()
    if text.upper() in US_CODES and len(text) == 2:
        return text.upper()
    return US_STATES.get(compare_key(text))


def map_location(entry: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    loc: dict[str, Any] = entry["location"] if isinstance(entry.get("location"), dict) else {}
    city_text = text_of(entry.get("city"))
    first, _, rest = city_text.partition(",") if "," in city_text else (city_text, "", "")
    city = text_of(loc.get("city")) or first.strip()
    state_text = text_of(loc.get("state"))
    country_text = text_of(loc.get("country"))
    country = country_code(country_text) if country_text else None
    if country_text and not country:
        notes.append(f"country '{country_text}' left out (no ISO code known)")
    rest = rest.strip()
    if not state_text and rest:
        state_text = rest
    if not country_text and not loc and city and country_code(city) and not rest:
        country, city = country_code(city), ""  # "Japan": a country, not a city
    out: dict[str, Any] = {}
    us = us_state(state_text) if state_text else None
    if country in (None, "US") and us:
        out_state: str | None = us
        country = "US"
    elif country == "US":
        out_state = None
        if state_text:
            notes.append(f"state '{state_text}' left out (not a US state)")
    else:
        # Outside the US: keep the state/province text, minus a repeated country name.
        out_state = re.split(r"\s+-\s+", state_text)[0].strip() if state_text else None
        if out_state and (country_code(out_state) == country or compare_key(out_state) == compare_key(country_text)):
            out_state = None
    if city and country_code(city) == country and compare_key(city) == compare_key(country_text):
        city = ""
    if city:
        out["city"] = city
    if out_state:
        out["state"] = out_state
    if country:
        out["country"] = country
    coords = map_coordinates(entry, loc, country, notes)
    if coords:
        out["latitude"], out["longitude"] = coords
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = text_of(value)
    return float(text) if _NUMERIC.fullmatch(text) else None  # not "nan", "inf" or "1_0"


def map_coordinates(entry: dict[str, Any], loc: dict[str, Any], country: str | None,
                    notes: list[str]) -> tuple[float, float] | None:
    inner: dict[str, Any] = loc["coordinates"] if isinstance(loc.get("coordinates"), dict) else {}
    pairs = []
    for where, src in (("latitude/longitude", entry), ("location.coordinates", inner)):
        lat_raw, lon_raw = src.get("latitude"), src.get("longitude")
        if text_of(lat_raw) == "" and text_of(lon_raw) == "" and not isinstance(lat_raw, (int, float)):
            continue
        lat, lon = _number(lat_raw), _number(lon_raw)
        if lat is None or lon is None:
            notes.append(f"coordinates left out: {where} '{lat_raw}', '{lon_raw}' are not numbers")
            return None
        pairs.append((lat, lon))
    if not pairs:
        return None
    lat, lon = pairs[0]
    if any(abs(a - lat) > 1e-6 or abs(b - lon) > 1e-6 for a, b in pairs[1:]):
        notes.append(f"coordinates left out: latitude/longitude ({pairs[0][0]}, {pairs[0][1]}) and "
                     f"location.coordinates ({pairs[1][0]}, {pairs[1][1]}) disagree")
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        notes.append(f"coordinates left out: ({lat}, {lon}) is out of range")
        return None
    if lat == 0 and lon == 0:
        notes.append("coordinates left out: 0, 0 is a placeholder")
        return None
    if country == "US" and lon > 0:
        notes.append(f"coordinates left out: positive longitude {lon} puts a US city east of Greenwich")
        return None
    if country == "US" and not 17 <= lat <= 72:
        notes.append(f"coordinates left out: latitude {lat} is outside the US")
        return None
    return lat, lon
