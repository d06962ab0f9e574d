"""A small registry for the Where page and the phone tests: a plain module (tests import it
directly, as they do factories), not a conftest."""

from __future__ import annotations

import copy
from typing import Any

from factories import BASE_RECORDS, SOURCE


def _place(lat: float, lon: float, city: str, state: str, country: str = "US") -> dict[str, Any]:
    return {"city": city, "state": state, "country": country, "latitude": lat, "longitude": lon}


def small_records() -> list[tuple[str, dict[str, Any]]]:
    """The test registry's base records plus brigades and partners with coordinates: two NC
    brigades, one in California, one in Canada (the world panel), partners with coordinates
    (lines) and without (not drawn); Code for Boston has none (listed under the map)."""
    def brigade(i: str, name: str, loc: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return ("brigade", {"id": i, "name": name, "classification": "brigade", "status": "active",
                            "location": loc, "sources": SOURCE})

    def partner(i: str, name: str, cls: str, loc: dict[str, Any] | None) -> tuple[str, dict[str, Any]]:
        return ("partner", {"id": i, "name": name, "classification": cls, "sources": SOURCE,
                            **({"location": loc} if loc else {})})

    def ship(b: str, p: str, status: str) -> tuple[str, dict[str, Any]]:
        return ("partnership", {"id": f"{b}--{p}", "brigade": b, "partner": p, "kind": "project-partnership",
                                "status": status, "sources": SOURCE})

    return [*copy.deepcopy(BASE_RECORDS),
            brigade("open-durham", "Open Durham", _place(35.994, -78.899, "Durham", "NC")),
            brigade("open-raleigh", "Open Raleigh", _place(35.780, -78.639, "Raleigh", "NC")),
            brigade("code-for-sf", "Code for SF", _place(37.775, -122.419, "San Francisco", "CA")),
            brigade("civic-toronto", "Civic Toronto", _place(43.653, -79.383, "Toronto", "ON", "CA")),
            partner("city-of-durham", "City of Durham", "city-government", _place(35.990, -78.900, "Durham", "NC")),
            partner("nc-agency", "NC Agency", "state-agency", _place(35.770, -78.640, "Raleigh", "NC")),
            partner("bay-uni", "Bay University", "university", _place(37.871, -122.273, "Berkeley", "CA")),
            ship("open-durham", "city-of-durham", "active"), ship("open-raleigh", "nc-agency", "prospective"),
            ship("code-for-sf", "bay-uni", "active"), ship("code-for-sf", "code-for-america", "active"),
            ship("open-durham", "open-raleigh", "active")]
