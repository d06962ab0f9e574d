"""Listing filters that mean what they say: places with countries (SC is South Carolina and
Santa Catarina), enum filters that refuse an unknown value, and brigade topics found through
their partnerships. Small registries in tmp_path, the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from factories import SOURCE, RegistryBuilder, assert_one_line_error

from peernet_cli.registry import places
from peernet_cli.registry.schemas import enum_values

REPO = Path(__file__).resolve().parent.parent


def brigade(id_: str, city: str, state: str | None, country: str | None, **extra: Any) -> tuple[str, dict[str, Any]]:
    location = {k: v for k, v in (("city", city), ("state", state), ("country", country)) if v}
    return ("brigade", {"id": id_, "name": id_.replace("-", " ").title(), "classification": "brigade",
                        "status": "active", "location": location, "sources": SOURCE, **extra})


WORLD = [
    brigade("code-for-greenville", "Greenville", "SC", "US"),
    brigade("code-for-floripa", "Florianópolis", "SC", "BR"),
    brigade("code-for-puerto-rico", "San Juan", "PR", "US"),
    brigade("code-for-curitiba", "Curitiba", "PR", "BR"),
    brigade("open-raleigh", "Raleigh", "NC", "US", status="inactive"),
    brigade("code-for-durham", "Durham", "NC", None),  # no country: matched by its state alone
    brigade("civic-tech-toronto", "Toronto", "ON", "CA"),
    ("partner", {"id": "city-of-raleigh", "name": "City of Raleigh", "classification": "city-government",
                 "location": {"city": "Raleigh", "state": "NC", "country": "US"}, "sources": SOURCE}),
    ("partner", {"id": "prefeitura-de-curitiba", "name": "Prefeitura de Curitiba",
                 "classification": "city-government",
                 "location": {"city": "Curitiba", "state": "PR", "country": "BR"}, "sources": SOURCE}),
    ("partner", {"id": "food-bank", "name": "Food Bank", "classification": "nonprofit",
                 "topics": ["food-security"], "sources": SOURCE}),
    ("partner", {"id": "school-board", "name": "School Board", "classification": "school", "sources": SOURCE}),
    ("partnership", {"id": "code-for-greenville--food-bank", "brigade": "code-for-greenville",
                     "partner": "food-bank", "kind": "project-partnership", "status": "active", "sources": SOURCE}),
    ("partnership", {"id": "open-raleigh--school-board", "brigade": "open-raleigh", "partner": "school-board",
                     "kind": "informal", "status": "prospective", "topics": ["school-food"], "sources": SOURCE}),
    ("partnership", {"id": "open-raleigh--city-of-raleigh", "brigade": "open-raleigh",
                     "partner": "city-of-raleigh", "kind": "informal", "status": "active", "sources": SOURCE}),
    ("partnership", {"id": "code-for-durham--code-for-greenville", "brigade": "code-for-durham",
                     "partner": "code-for-greenville", "kind": "brigade-collaboration", "status": "active",
                     "sources": SOURCE}),
    ("event", {"id": "encontro-curitiba", "name": "Encontro Curitiba", "type": "meetup", "start_date": "2016",
               "location": {"city": "Curitiba", "state": "PR", "country": "BR"}, "sources": SOURCE}),
    ("event", {"id": "san-juan-hack-night", "name": "San Juan hack night", "type": "hack-night",
               "start_date": "2016", "location": {"city": "San Juan", "state": "PR", "country": "US"},
               "sources": SOURCE}),
    ("event", {"id": "webinar", "name": "A webinar", "type": "webinar", "start_date": "2016", "online": True,
               "sources": SOURCE}),
]


@pytest.fixture
def world(empty_registry: RegistryBuilder) -> RegistryBuilder:
    for kind, data in WORLD:
        empty_registry.add(kind, data)
    return empty_registry


def ids(cli: Any, root: Path, *args: str) -> list[str]:
    result = cli(*args, "--format", "json", root=root)
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def refused(cli: Any, root: Path, *args: str) -> str:
    """The one error line of a command that must exit 2 with nothing on stdout."""
    result = cli(*args, root=root)
    return assert_one_line_error(SimpleNamespace(returncode=result.exit_code, stdout=result.stdout,
                                                 stderr=result.stderr), 2)  # type: ignore[arg-type]


# --- places -------------------------------------------------------------------------------


def test_world_registry_is_valid(cli: Any, world: RegistryBuilder) -> None:
    result = cli("validate", root=world.root)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_state_code_without_a_country_matches_in_every_country_and_the_country_column_tells(
        cli: Any, world: RegistryBuilder) -> None:
    result = cli("brigades", "list", "--state", "SC", "--format", "json", root=world.root)
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"code-for-greenville", "code-for-floripa"}
    assert (rows["code-for-greenville"]["country"], rows["code-for-floripa"]["country"]) == ("US", "BR")
    assert set(ids(cli, world.root, "brigades", "list", "--state", "PR")) == {"code-for-puerto-rico",
                                                                             "code-for-curitiba"}
    header = cli("brigades", "list", "--format", "csv", root=world.root).stdout.splitlines()[0]
    assert header.split(",")[4:6] == ["state", "country"]


@pytest.mark.parametrize("country", ["BR", "br", "BRA", "Brazil", "brazil", "Federative Republic of Brazil"])
def test_country_by_code_or_name_keeps_a_state_code_within_it(cli: Any, world: RegistryBuilder, country: str) -> None:
    assert ids(cli, world.root, "brigades", "list", "--state", "SC", "--country", country) == ["code-for-floripa"]
    assert ids(cli, world.root, "brigades", "list", "--country", country) == ["code-for-curitiba", "code-for-floripa"]


def test_several_countries_mean_any_of_them(cli: Any, world: RegistryBuilder) -> None:
    found = ids(cli, world.root, "brigades", "list", "--country", "United States", "--country", "CA",
                "--state", "PR", "--state", "ON")
    assert found == ["civic-tech-toronto", "code-for-puerto-rico"]


@pytest.mark.parametrize(("state", "expected"), [
    ("Santa Catarina", ["code-for-floripa"]),
    ("south carolina", ["code-for-greenville"]),
    ("Parana", ["code-for-curitiba"]),  # accents aside: Paraná
    ("Puerto Rico", ["code-for-puerto-rico"]),
    ("North Carolina", ["code-for-durham", "open-raleigh"]),
])
def test_a_full_state_name_resolves_to_its_code(cli: Any, world: RegistryBuilder, state: str,
                                               expected: list[str]) -> None:
    assert ids(cli, world.root, "brigades", "list", "--state", state) == expected


def test_a_location_without_a_country_is_left_out_by_a_country_filter(cli: Any, world: RegistryBuilder) -> None:
    assert ids(cli, world.root, "brigades", "list", "--state", "NC", "--country", "US") == ["open-raleigh"]


def test_an_unknown_state_is_a_usage_error_with_a_did_you_mean(cli: Any, world: RegistryBuilder) -> None:
    line = refused(cli, world.root, "brigades", "list", "--state", "Nort Carolina")
    assert "--state 'Nort Carolina' is not a state or province code or name in any country" in line
    assert "did you mean: North Carolina (US-NC)" in line
    # SC names a state in the US and in Brazil, but none in Canada.
    assert "in CA" in refused(cli, world.root, "brigades", "list", "--state", "SC", "--country", "Canada")
    assert "did you mean: Ontario (CA-ON)" in refused(cli, world.root, "brigades", "list", "--state", "Ontaro",
                                                      "--country", "CA")


def test_an_unknown_country_is_a_usage_error_with_a_did_you_mean(cli: Any, world: RegistryBuilder) -> None:
    line = refused(cli, world.root, "brigades", "list", "--country", "Brasil")
    assert line == "peernet: error: --country 'Brasil' is not a country code or name; did you mean: Brazil (BR)?"


def test_partners_and_events_filter_on_their_own_location(cli: Any, world: RegistryBuilder) -> None:
    assert ids(cli, world.root, "partners", "list", "--country", "BR") == ["prefeitura-de-curitiba"]
    assert ids(cli, world.root, "partners", "list", "--state", "North Carolina") == ["city-of-raleigh"]
    assert ids(cli, world.root, "events", "list", "--state", "PR") == ["encontro-curitiba", "san-juan-hack-night"]
    assert ids(cli, world.root, "events", "list", "--state", "PR", "--country", "US") == ["san-juan-hack-night"]
    assert "webinar" not in ids(cli, world.root, "events", "list", "--country", "US")  # held online
    assert "Guernsey" in refused(cli, world.root, "events", "list", "--country", "Germny")


def test_the_bundled_registry_finds_its_north_carolina_brigades(cli: Any) -> None:
    from peernet_cli.registry.loader import load

    reg = load(REPO)
    in_nc = sorted(b.id for b in reg.of("brigade").values()
                   if (b.get("location") or {}).get("state") == "NC" and (b.get("location") or {}).get("country") == "US")
    assert in_nc and ids(cli, REPO, "brigades", "list", "--state", "North Carolina") == in_nc
    sc = ids(cli, REPO, "brigades", "list", "--state", "SC")
    assert {"code-for-greenville", "code-for-floripa"} <= set(sc)
    assert "code-for-floripa" not in ids(cli, REPO, "brigades", "list", "--state", "SC", "--country", "US")


def test_places_reads_iso_3166() -> None:
    assert places.country_code("united states") == places.country_code("USA") == "US"
    assert places.country_code("South Korea") == "KR"  # the common name, not "Korea, Republic of"
    found = {(s.country, s.code) for s in places.subdivisions("sc")}
    assert {("US", "SC"), ("BR", "SC")} <= found
    assert [(s.country, s.code) for s in places.subdivisions("São Paulo", ["BR"])] == [("BR", "SP")]
    assert places.fold("  São   Paulo ") == "sao paulo"


def _modules_after(*args: str) -> set[str]:
    """The modules a whole `peernet` process imported (its own process, so other tests' imports
    do not count)."""
    code = ("import sys\nfrom peernet_cli.cli.app import main\nsys.argv = ['peernet', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint(' '.join(sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code, "--registry", str(REPO), *args],
                            capture_output=True, text=True, check=False)
    return set(result.stderr.split())


def test_the_iso_tables_are_read_only_when_a_place_filter_is_used() -> None:
    reader = "peernet_cli.registry.places"
    assert reader not in _modules_after("brigades", "list", "--format", "json")
    assert reader not in _modules_after("--help")
    filtered = _modules_after("brigades", "list", "--state", "NC", "--format", "json")
    assert reader in filtered and "pycountry" not in filtered  # its data files, without its import cost


# --- enum filters -------------------------------------------------------------------------

ENUM_FILTERS = [
    (["brigades", "list"], "--status", "brigade", "status", "activ", "active"),
    (["brigades", "list"], "--classification", "brigade", "classification", "regional", "regional-network"),
    (["partners", "list"], "--classification", "partner", "classification", "nonprofitt", "nonprofit"),
    (["partners", "list"], "--status", "partnership", "status", "prospectiv", "prospective"),
    (["partners", "list"], "--kind", "partnership", "kind", "informl", "informal"),
    (["partnerships", "list"], "--status", "partnership", "status", "endd", "ended"),
    (["partnerships", "list"], "--kind", "partnership", "kind", "sponsorshp", "sponsorship"),
    (["partnerships", "list"], "--classification", "partner", "classification", "schol", "school"),
    (["events", "list"], "--type", "event", "type", "webinr", "webinar"),
]


@pytest.mark.parametrize(("command", "flag", "kind", "field", "typo", "meant"), ENUM_FILTERS)
def test_an_unknown_enum_value_lists_the_allowed_ones(cli: Any, world: RegistryBuilder, command: list[str],
                                                      flag: str, kind: str, field: str, typo: str,
                                                      meant: str) -> None:
    line = refused(cli, world.root, *command, flag, "foo")
    assert line.startswith(f"peernet: error: {flag} 'foo' is not one of: {', '.join(enum_values(kind, field))}")
    assert f"did you mean: {meant}" in refused(cli, world.root, *command, flag, typo)
    assert cli(*command, flag, meant.upper(), root=world.root).exit_code == 0  # case aside


def test_the_brigades_classification_error_reads_as_the_issue_asks(cli: Any, world: RegistryBuilder) -> None:
    assert refused(cli, world.root, "brigades", "list", "--classification", "foo") == \
        "peernet: error: --classification 'foo' is not one of: brigade, regional-network"


def test_partnerships_accept_brigade_as_a_partners_classification(cli: Any, world: RegistryBuilder) -> None:
    assert ids(cli, world.root, "partnerships", "list", "--classification", "brigade") == [
        "code-for-durham--code-for-greenville"]
    assert "brigade" not in refused(cli, world.root, "partners", "list", "--classification", "foo").split(": ")[-1]


def test_other_filter_values_that_match_nothing_are_refused(cli: Any, world: RegistryBuilder) -> None:
    assert "--year '16' is not a year" in refused(cli, world.root, "events", "list", "--year", "16")
    assert "no network named 'nrn'" in refused(cli, world.root, "brigades", "list", "--network", "nrn")


# --- brigade topics -----------------------------------------------------------------------


def test_brigade_topic_matches_its_partnerships_and_partners(cli: Any, world: RegistryBuilder) -> None:
    # Greenville through its partner's topic (food-security), Raleigh through its partnership's (school-food).
    assert ids(cli, world.root, "brigades", "list", "--topic", "food") == ["code-for-greenville", "open-raleigh"]
    assert ids(cli, world.root, "brigades", "list", "--topic", "school") == ["open-raleigh"]
    help_text = " ".join(cli("brigades", "list", "--help").stdout.split())
    assert "partnerships and partners" in help_text


def test_brigade_topic_on_the_bundled_registry_finds_the_food_partnerships(cli: Any) -> None:
    assert len(ids(cli, REPO, "brigades", "list", "--topic", "food")) >= 3


def test_search_refuses_an_unknown_kind(cli):
    root = Path(__file__).resolve().parents[1]
    result = cli("search", "food", "--kind", "partnr", root=root)
    assert result.exit_code == 2
    assert "--kind 'partnr' is not one of: brigade, partner, partnership, event, network" in result.stderr
    assert "did you mean: partner" in result.stderr
