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

import re
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


def text_of(value: Any) -> str:
    """The stripped text of a string value; "" for anything else."""
    return value.strip() if isinstance(value, str) else ""


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
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


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
