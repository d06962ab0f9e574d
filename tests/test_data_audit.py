"""Issue 14, point 8: the fixes an audit of the bundled registry against the seeds asked for, and
the two checks it showed `validate` lacked: duplicates that share a website or social profile,
and coordinates far from the city a record names."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from peernet_cli.check.coordinates import FAR_KM, load_gazetteer
from peernet_cli.check.duplicates import normalised_url
from peernet_cli.registry import yamlio

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [{"document": "cfa-brigade-information-organizations.json"}]
BOSTON = (42.3601, -71.0589)
CHICAGO = (41.8781, -87.6298)


def findings(result, rule: str) -> list[dict]:
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == rule]


def brigade(slug: str, **extra) -> dict:
    return {"id": slug, "name": slug.replace("-", " ").title(), "status": "unknown", "sources": SOURCES, **extra}


# --- duplicates sharing a website or a social profile -------------------------------------------


def test_urls_compare_without_scheme_www_trailing_slash_or_case():
    assert normalised_url("http://www.GitHub.com/CodeForBrazil/") == normalised_url("https://github.com/codeforbrazil")
    assert normalised_url("not a url") == ""


def test_two_brigades_sharing_a_github_profile_get_one_warning_naming_both(registry, validate):
    registry.add("brigade", brigade("code-for-indianapolis", social={"github": "https://github.com/open-indy"}))
    registry.add("brigade", brigade("open-indy", social={"github": "http://www.GitHub.com/Open-Indy/",
                                                         "meetup": "https://www.meetup.com/Open-Indy-Brigade/"}))

    result = validate(registry.root, "--format", "json")

    assert result.exit_code == 0
    [warning] = findings(result, "duplicate")
    assert warning["severity"] == "warning"
    assert (warning["file"], warning["field"]) == ("registry/brigades/open-indy.yaml", "social.github")
    assert warning["message"].startswith("may duplicate registry/brigades/code-for-indianapolis.yaml "
                                         "(same github: github.com/open-indy)")


def test_everything_a_pair_shares_is_in_one_warning(registry, validate):
    shared = {"github": "https://github.com/codeforbrazil", "meetup": "http://www.meetup.com/openbrazil/"}
    registry.add("brigade", brigade("code-for-brazil", website="http://openbrazil.org/", social=shared))
    registry.add("brigade", brigade("open-brazil", website="https://www.openbrazil.org", social=shared))

    [warning] = findings(validate(registry.root, "--format", "json"), "duplicate")

    assert warning["file"] == "registry/brigades/open-brazil.yaml"
    assert ("(same github: github.com/codeforbrazil; same meetup: meetup.com/openbrazil; "
            "same website: openbrazil.org)") in warning["message"]


@pytest.mark.parametrize("link", [
    pytest.param({"status": "merged", "successor": "code-for-indianapolis"}, id="successor"),
    pytest.param({"other_names": [{"name": "Code for Indianapolis"}]}, id="other-names-both-ways"),
])
def test_a_pair_linked_by_successor_or_other_names_is_not_flagged(link, registry, validate):
    """The link says someone has already looked at the pair; the other names, each the other
    record's name, would otherwise be 'same name' warnings too."""
    github = {"github": "https://github.com/open-indy"}
    registry.add("brigade", brigade("code-for-indianapolis", name="Code for Indianapolis", social=github,
                                    other_names=[{"name": "Open Indy"}]))
    registry.add("brigade", {**brigade("open-indy", social=github), **link})

    assert findings(validate(registry.root, "--format", "json"), "duplicate") == []


def test_an_other_name_on_one_side_only_is_still_a_duplicate(registry, validate):
    registry.add("brigade", brigade("code-for-indianapolis", name="Code for Indianapolis",
                                    other_names=[{"name": "Open Indy"}]))
    registry.add("brigade", brigade("open-indy"))

    [warning] = findings(validate(registry.root, "--format", "json"), "duplicate")
    assert "(same name: open indy)" in warning["message"]


def test_a_profile_shared_by_three_brigades_is_a_shared_account(registry, validate):
    """Neighbouring brigades co-host one meetup group (the Triangle group lists five)."""
    for slug in ("code-for-cary", "code-for-durham", "open-raleigh"):
        registry.add("brigade", brigade(slug, social={"meetup": "https://www.meetup.com/Triangle-Code-for-America/"}))

    assert findings(validate(registry.root, "--format", "json"), "duplicate") == []


# --- coordinates far from the city --------------------------------------------------------------


def located(lat: float, lon: float, city: str = "Boston") -> dict:
    return brigade("code-for-boston", name="Code for Boston",
                   location={"city": city, "state": "MA", "country": "US", "latitude": lat, "longitude": lon})


def test_a_boston_brigade_placed_in_chicago_warns(registry, validate):
    registry.add("brigade", located(*CHICAGO))

    result = validate(registry.root, "--format", "json")

    assert result.exit_code == 0
    [warning] = findings(result, "coordinates")
    assert (warning["file"], warning["field"], warning["severity"]) == (
        "registry/brigades/code-for-boston.yaml", "location.latitude", "warning")
    assert warning["line"] is not None
    assert warning["message"].startswith(f"coordinates ({CHICAGO[0]}, {CHICAGO[1]}) are 1366 km from Boston, MA, US")
    assert f"more than {FAR_KM:.0f} km" in warning["message"]


def test_a_boston_brigade_placed_in_boston_does_not_warn(registry, validate):
    registry.add("brigade", located(*BOSTON))

    assert findings(validate(registry.root, "--format", "json"), "coordinates") == []


def test_a_city_the_gazetteer_does_not_know_is_not_checked(registry, validate):
    registry.add("brigade", located(*CHICAGO, city="Example City"))

    assert findings(validate(registry.root, "--format", "json"), "coordinates") == []


def test_a_city_named_like_a_prefecture_is_not_measured_against_the_city(registry, validate):
    # Code for Ibaraki: its coordinates are in Ibaraki prefecture, 467 km from Ibaraki in Osaka.
    registry.add("brigade", brigade("code-for-ibaraki", name="Code for Ibaraki", location={
        "city": "Ibaraki", "country": "JP", "latitude": 36.34, "longitude": 140.45}))
    registry.add("brigade", brigade("code-for-yokohama", name="Code for Yokohama", location={  # a city only
        "city": "Yokohama", "country": "JP", "latitude": 36.34, "longitude": 140.45}))

    warned = findings(validate(registry.root, "--format", "json"), "coordinates")
    assert [w["file"] for w in warned] == ["registry/brigades/code-for-yokohama.yaml"]


def test_the_state_picks_among_cities_of_one_name(registry, validate):
    """Springfield, MA is not Springfield, IL: only same-named cities in the record's state count."""
    gazetteer = load_gazetteer()
    assert gazetteer is not None
    assert {"MA", "IL"} <= {state for state, _, _ in gazetteer.places("US", "springfield")}
    registry.add("partner", {"id": "springfield-library", "name": "Springfield Library", "classification": "other",
                             "location": {"city": "Springfield", "state": "MA", "country": "US",
                                          "latitude": 39.7817, "longitude": -89.6501}, "sources": SOURCES})

    [warning] = findings(validate(registry.root, "--format", "json"), "coordinates")

    assert warning["file"] == "registry/partners/springfield-library.yaml"
    assert " km from Springfield, MA, US " in warning["message"]


def test_accents_and_case_do_not_hide_a_city():
    gazetteer = load_gazetteer()
    assert gazetteer is not None
    assert gazetteer.places("BR", "Brasilia") == gazetteer.places("BR", "BRASÍLIA") != []


def test_the_gazetteer_is_kept_in_the_cache_folder(registry, validate, tmp_path, monkeypatch):
    monkeypatch.setenv("PEERNET_CACHE_DIR", str(tmp_path / "cache"))
    load_gazetteer.cache_clear()
    try:
        registry.add("brigade", located(*CHICAGO))
        assert findings(validate(registry.root, "--format", "json"), "coordinates")
        [kept] = (tmp_path / "cache" / "gazetteer").glob("geonames-*.bin")
        load_gazetteer.cache_clear()
        assert load_gazetteer() is not None and kept.stat().st_size > 100_000
    finally:
        load_gazetteer.cache_clear()


# --- attendance that the source gives as "more than" --------------------------------------------


def convening(**attendance) -> dict:
    return {"id": "peer-convening-2015", "name": "Peer convening 2015", "type": "peer-convening",
            "start_date": "2015", "attendance": attendance, "sources": SOURCES}


def test_more_than_attendance_validates_and_is_shown_and_exported(registry, validate, cli, tmp_path):
    registry.add("event", convening(people_more_than=100, note="more than 100 representatives"))

    result = validate(registry.root, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []

    shown = cli("events", "show", "peer-convening-2015", "--format", "json", root=registry.root)
    assert json.loads(shown.stdout)["record"]["attendance"] == {"people_more_than": 100,
                                                                "note": "more than 100 representatives"}
    table = cli("events", "show", "peer-convening-2015", "--format", "table", root=registry.root)
    assert "more than: 100" in table.stdout and "{" not in table.stdout

    out = tmp_path / "csv"
    assert cli("export", "--format", "csv", "--output", str(out), root=registry.root).exit_code == 0
    [row] = [r for r in csv.DictReader((out / "events.csv").open(encoding="utf-8")) if r["id"] == "peer-convening-2015"]
    assert (row["attendance_people"], row["attendance_people_more_than"]) == ("", "100")


def test_a_count_and_a_lower_bound_together_are_an_error(registry, validate):
    registry.add("event", convening(people=120, people_more_than=100))

    result = validate(registry.root, "--format", "json")

    assert result.exit_code == 1
    [error] = findings(result, "attendance")
    assert error["field"] == "attendance.people_more_than"
    assert "either people (a count) or people_more_than" in error["message"]


# --- the bundled registry -----------------------------------------------------------------------


def bundled(folder: str, slug: str) -> dict:
    data, error = yamlio.parse_text((ROOT / "registry" / folder / f"{slug}.yaml").read_text(encoding="utf-8"))
    assert error is None and isinstance(data, dict)
    return data


def test_the_bundled_registry_says_what_the_seeds_say():
    gmnc = bundled("partnerships", "code-for-boston--greater-mattapan-neighborhood-council")
    assert "sasaki-foundation" not in gmnc["projects"][0]["partners"]
    assert any("Sasaki Foundation grant" in m["description"] for m in gmnc["milestones"])
    [dated_2014] = [m for m in gmnc["milestones"] if m.get("date") == "2014"]
    assert "Ungentry" in dated_2014["description"] and "inspire" not in dated_2014["description"]
    for year in ("2015", "2016"):
        assert bundled("events", f"nrn-peer-convening-{year}")["attendance"]["people_more_than"] == 100
    assert "founding_date" not in bundled("networks", "cfa-peer-network")
    assert "founding_date" not in bundled("networks", "california-state-resource-network")
    assert "kicked off in 2018" in bundled("networks", "new-jersey-state-resource-network")["description"]
    ndoch = bundled("events", "national-day-of-civic-hacking")
    assert "code-for-america" not in ndoch.get("organizers", []) and "code-for-america" in ndoch["participants"]


def test_the_bundled_registry_validates_with_the_expected_warnings(validate):
    result = validate(ROOT, "--format", "json")

    assert result.exit_code == 0, result.stdout
    found = json.loads(result.stdout)["findings"]
    assert [f for f in found if f["severity"] == "error"] == []
    far = {f["file"] for f in found if f["rule"] == "coordinates"}
    assert {"registry/brigades/california-civic-lab.yaml", "registry/brigades/open-nc-collaborative.yaml"} <= far
    flagged = {f["file"] for f in found if f["rule"] == "duplicate"}
    assert not flagged & {f"registry/brigades/{s}.yaml" for s in ("code-for-brazil", "open-brazil",
                                                                 "code-for-indianapolis", "open-indy")}
