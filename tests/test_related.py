"""`peernet brigades related`: brigades worth a call, ranked by reasons a person can check.

Each test builds a registry that isolates one signal, so a change of weights that breaks the
order people expect fails here, named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from factories import SOURCE, RegistryBuilder

from peernet_cli.check.coordinates import km
from peernet_cli.query.related import WEIGHTS, interest_words


def brigade(bid: str, city: str, state: str, lat: float | None = None, lon: float | None = None,
            **extra: Any) -> dict[str, Any]:
    loc: dict[str, Any] = {"city": city, "state": state, "country": "US"}
    if lat is not None:
        loc |= {"latitude": lat, "longitude": lon}
    return {"id": bid, "name": bid.replace("-", " ").title(), "classification": "brigade", "status": "active",
            "location": loc, "sources": SOURCE, **extra}


def partner(pid: str, classification: str, **extra: Any) -> dict[str, Any]:
    return {"id": pid, "name": pid.replace("-", " ").title(), "classification": classification,
            "sources": SOURCE, **extra}


def ship(b: str, p: str, **extra: Any) -> dict[str, Any]:
    return {"id": f"{b}--{p}", "brigade": b, "partner": p, "status": "active", "sources": SOURCE, **extra}


def related(cli: Any, root: Path, name: str) -> list[dict[str, Any]]:
    result = cli("brigades", "related", name, "--format", "json", root=root)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def carolinas(tmp_path: Path) -> Path:
    """Chapel Hill collaborates with a regional brigade far off; a brigade 2,000 km away works
    with a city government too, as Chapel Hill does; Durham is next door."""
    reg = RegistryBuilder(tmp_path)
    reg.add("brigade", brigade("code-for-chapel-hill", "Chapel Hill", "NC", 35.91, -79.06))
    reg.add("brigade", brigade("code-for-the-carolinas", "Charleston", "SC", 32.78, -79.93,
                               classification="regional-network"))
    reg.add("brigade", brigade("code-for-durham", "Durham", "NC", 35.99, -78.90))
    reg.add("brigade", brigade("code-for-denver", "Denver", "CO", 39.74, -104.99))
    reg.add("partner", partner("town-of-chapel-hill", "city-government"))
    reg.add("partner", partner("city-of-denver", "city-government"))
    reg.add("partnership", ship("code-for-chapel-hill", "town-of-chapel-hill"))
    reg.add("partnership", ship("code-for-denver", "city-of-denver"))
    reg.add("partnership", ship("code-for-the-carolinas", "code-for-chapel-hill", kind="brigade-collaboration"))
    return tmp_path


def test_a_direct_collaboration_ranks_first_and_says_so(cli, carolinas):
    rows = related(cli, carolinas, "code-for-chapel-hill")
    assert rows[0]["id"] == "code-for-the-carolinas"
    assert rows[0]["reasons"][0] == "partners with you directly (brigade-collaboration, active)"


def test_the_collaboration_shows_from_the_other_side_too(cli, carolinas):
    rows = related(cli, carolinas, "code-for-the-carolinas")
    assert rows[0]["id"] == "code-for-chapel-hill"


def test_nearer_beats_a_shared_partner_kind_far_away(cli, carolinas):
    ids = [r["id"] for r in related(cli, carolinas, "code-for-chapel-hill")]
    assert ids.index("code-for-durham") < ids.index("code-for-denver")
    durham = next(r for r in related(cli, carolinas, "code-for-chapel-hill") if r["id"] == "code-for-durham")
    assert durham["reasons"] == ["17 km away (Durham, NC)"]


def test_a_far_away_match_on_partner_kind_alone_is_weak_and_named(cli, carolinas):
    denver = next(r for r in related(cli, carolinas, "code-for-chapel-hill") if r["id"] == "code-for-denver")
    assert denver["score"] == WEIGHTS["same_kind"]
    assert denver["reasons"] == ["both work with a city-government: Town Of Chapel Hill / City Of Denver"]


def test_a_shared_partner_beats_nearness(tmp_path, cli):
    reg = RegistryBuilder(tmp_path)
    reg.add("brigade", brigade("code-for-a", "A", "NC", 35.0, -79.0))
    reg.add("brigade", brigade("code-for-near", "Near", "NC", 35.05, -79.0))
    reg.add("brigade", brigade("code-for-far", "Far", "OR", 45.5, -122.7))
    reg.add("partner", partner("unc", "university"))
    reg.add("partnership", ship("code-for-a", "unc"))
    reg.add("partnership", ship("code-for-far", "unc"))
    rows = related(cli, tmp_path, "code-for-a")
    assert [r["id"] for r in rows] == ["code-for-far", "code-for-near"]
    assert rows[0]["reasons"] == ["both partner with Unc"]


def test_without_coordinates_the_same_state_counts_as_near(tmp_path, cli):
    reg = RegistryBuilder(tmp_path)
    reg.add("brigade", brigade("code-for-a", "A", "CA"))
    reg.add("brigade", brigade("code-for-b", "B", "CA"))
    reg.add("brigade", brigade("code-for-c", "C", "NY"))
    rows = related(cli, tmp_path, "code-for-a")
    assert [(r["id"], r["reasons"]) for r in rows] == [("code-for-b", ["also in CA"])]


def test_shared_interests_match_words_not_only_exact_tags(tmp_path, cli):
    reg = RegistryBuilder(tmp_path)
    reg.add("brigade", brigade("code-for-a", "A", "PA", topics=["food-security"]))
    reg.add("brigade", brigade("code-for-b", "B", "OK"))
    reg.add("partner", partner("food-bank", "nonprofit"))
    reg.add("partnership", ship("code-for-b", "food-bank", priorities=["Food insecurity in rural counties"]))
    rows = related(cli, tmp_path, "code-for-a")
    assert rows[0]["id"] == "code-for-b"
    assert rows[0]["reasons"] == ["shared interests: food"]


def test_a_shared_regional_network_counts_the_national_one_does_not(tmp_path, cli):
    reg = RegistryBuilder(tmp_path)
    reg.add("network", {"id": "big", "name": "Everyone", "classification": "brigade-network", "sources": SOURCE})
    reg.add("network", {"id": "region", "name": "The Region", "classification": "regional-network",
                        "sources": SOURCE})
    member = [{"network": "region", "role": "member"}, {"network": "big", "role": "member"}]
    reg.add("brigade", brigade("code-for-a", "A", "TX", networks=member))
    reg.add("brigade", brigade("code-for-b", "B", "WA", networks=member))
    for n in range(45):  # the national network: more members than a reason to call
        reg.add("brigade", brigade(f"code-for-x{n}", "X", "ME", networks=[{"network": "big", "role": "member"}]))
    rows = related(cli, tmp_path, "code-for-a")
    assert [(r["id"], r["reasons"]) for r in rows] == [("code-for-b", ["both in The Region"])]


def test_distance_is_great_circle():
    boston, new_york = (42.36, -71.06), (40.71, -74.01)
    assert 300 < km(*boston, *new_york) < 310
    assert km(*boston, *boston) == 0


def test_interest_words_fold_plurals_and_drop_filler():
    assert interest_words(["Open data portals", "parks-and-recreation"]) == {"open", "data", "portal", "park",
                                                                            "recreation"}


def test_bundled_registry_chapel_hill_and_sacramento(cli):
    """The issue's expectations, on the bundled registry."""
    root = Path(__file__).resolve().parents[1]
    chapel = [r["id"] for r in related(cli, root, "code-for-chapel-hill")]
    assert chapel[0] == "code-for-the-carolinas"
    assert {"code-for-durham", "open-raleigh", "code-for-greensboro"} <= set(chapel[:8])
    sacramento = related(cli, root, "code-for-sacramento")
    top = [r for r in sacramento[:8]]
    assert all("CA)" in " ".join(r["reasons"]) for r in top), top
