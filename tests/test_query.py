"""Querying the network: `list`, `show`, `search` and `brigades related`, as a user runs them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from peernet_cli.registry import yamlio

SRC = [{"document": "001_6fd433e7a95ecce0.txt"}]


def brigade(id_, name, city, state, status="active", aliases=(), topics=()):
    data = {"id": id_, "name": name, "classification": "brigade", "status": status,
            "location": {"city": city, "state": state, "country": "US"}, "sources": SRC}
    if aliases:
        data["aliases"] = list(aliases)
    if topics:
        data["topics"] = list(topics)
    return ("brigade", data)


def partner(id_, name, classification, topics=(), **extra):
    data = {"id": id_, "name": name, "classification": classification, "sources": SRC, **extra}
    if topics:
        data["topics"] = list(topics)
    return ("partner", data)


def ship(b, p, status="active", kind="project-partnership", **extra):
    return ("partnership", {"id": f"{b}--{p}", "brigade": b, "partner": p, "kind": kind,
                            "status": status, "sources": SRC, **extra})


NETWORK = [
    brigade("code-for-boston", "Code for Boston", "Boston", "MA", aliases=["boston"]),
    brigade("open-raleigh", "Open Raleigh", "Raleigh", "NC"),
    brigade("code-for-durham", "Code for Durham", "Durham", "NC", status="inactive"),
    brigade("code-for-tulsa", "Code for Tulsa", "Tulsa", "OK", topics=["food-security"]),
    brigade("code-for-pittsburgh", "Code for Pittsburgh", "Pittsburgh", "PA"),
    brigade("code-for-portland-me", "Code for Portland", "Portland", "ME"),
    brigade("code-for-portland-or", "Code for Portland", "Portland", "OR"),
    partner("greater-mattapan-neighborhood-council", "Greater Mattapan Neighborhood Council",
            "community-group", other_names=[{"name": "GMNC"}]),
    partner("city-of-boston", "City of Boston", "city-government"),
    partner("wake-county", "Wake County", "county-government"),
    partner("durham-county", "Durham County", "county-government"),
    partner("hunger-free-oklahoma", "Hunger Free Oklahoma", "nonprofit", topics=["food-security"],
            description="Works to end hunger in Oklahoma."),
    partner("pittsburgh-food-policy-council", "Pittsburgh Food Policy Council", "nonprofit",
            topics=["food-security"]),
    partner("triangle-j-council-of-governments", "Triangle J Council of Governments", "council-of-governments"),
    ship("code-for-boston", "greater-mattapan-neighborhood-council", priorities=["Housing data"]),
    ship("code-for-boston", "city-of-boston", status="ended"),
    ship("open-raleigh", "wake-county", status="unknown", kind="unknown"),
    ship("code-for-durham", "durham-county"),
    ship("code-for-durham", "triangle-j-council-of-governments", status="prospective"),
    ship("open-raleigh", "triangle-j-council-of-governments"),
    ship("code-for-tulsa", "hunger-free-oklahoma", topics=["food-security"]),
    ship("code-for-pittsburgh", "pittsburgh-food-policy-council"),
    ("network", {"id": "national-resource-network", "name": "National Resource Network",
                 "classification": "resource-network", "sources": SRC}),
    ("event", {"id": "nrn-peer-convening-2015", "name": "NRN Peer Convening 2015", "type": "peer-convening",
               "start_date": "2015", "organizers": ["national-resource-network"],
               "participants": ["open-raleigh"], "sources": SRC}),
    ("event", {"id": "nrn-peer-convening-2016", "name": "NRN Peer Convening 2016", "type": "peer-convening",
               "start_date": "2016", "organizers": ["national-resource-network"], "sources": SRC}),
    ("event", {"id": "cfa-webinar", "name": "CfA city webinar", "type": "webinar", "start_date": "2015-02-08",
               "online": True, "participants": ["code-for-boston"], "sources": SRC}),
]


@pytest.fixture
def net(empty_registry):
    for kind, data in NETWORK:
        empty_registry.add(kind, data)
    return empty_registry


def run_json(cli, net, *args):
    result = cli(*args, "--format", "json", root=net.root)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_fixture_network_is_itself_valid(cli, net):
    assert cli("validate", root=net.root).exit_code == 0


@pytest.mark.parametrize("name", ["boston", "code-for-boston", "Code for Boston", "CODE FOR BOSTON", "Boston"])
def test_partners_of_a_brigade_by_any_name_people_type(cli, net, name):
    rows = run_json(cli, net, "partners", "list", "--brigade", name)
    assert [r["id"] for r in rows] == ["city-of-boston", "greater-mattapan-neighborhood-council"]


def test_a_typo_is_a_usage_error_with_a_suggestion(cli, net):
    result = cli("partners", "list", "--brigade", "bostn", root=net.root)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "did you mean: code-for-boston" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_ambiguous_name_lists_the_candidates(cli, net):
    result = cli("brigades", "show", "Code for Portland", root=net.root)
    assert result.exit_code == 2
    assert "code-for-portland-me" in result.stderr and "code-for-portland-or" in result.stderr


def test_same_flag_twice_means_any_of_different_flags_mean_all_of(cli, net):
    both_states = run_json(cli, net, "brigades", "list", "--state", "NC", "--state", "MA")
    assert {r["id"] for r in both_states} == {"open-raleigh", "code-for-durham", "code-for-boston"}
    nc_active = run_json(cli, net, "brigades", "list", "--state", "nc", "--status", "active")
    assert [r["id"] for r in nc_active] == ["open-raleigh"]


def test_partners_by_classification_and_status(cli, net):
    counties = run_json(cli, net, "partners", "list", "--classification", "county-government")
    assert [r["id"] for r in counties] == ["durham-county", "wake-county"]
    active_boston = run_json(cli, net, "partners", "list", "--brigade", "boston", "--status", "active")
    assert [r["id"] for r in active_boston] == ["greater-mattapan-neighborhood-council"]


def test_topic_matches_whole_words_of_a_tag(cli, net):
    rows = run_json(cli, net, "partners", "list", "--topic", "food")
    assert {r["id"] for r in rows} == {"hunger-free-oklahoma", "pittsburgh-food-policy-council"}


def test_partnerships_filters(cli, net):
    rows = run_json(cli, net, "partnerships", "list", "--partner", "Triangle J Council of Governments")
    assert {r["brigade"] for r in rows} == {"open-raleigh", "code-for-durham"}
    rows = run_json(cli, net, "partnerships", "list", "--status", "prospective", "--status", "ended")
    assert {r["id"] for r in rows} == {"code-for-durham--triangle-j-council-of-governments",
                                       "code-for-boston--city-of-boston"}


def test_events_by_year_type_and_participant(cli, net):
    # Chronological; a year-only date sorts before the days of that year.
    assert [r["id"] for r in run_json(cli, net, "events", "list", "--year", "2015")] == [
        "nrn-peer-convening-2015", "cfa-webinar"]
    rows = run_json(cli, net, "events", "list", "--type", "peer-convening", "--participant", "raleigh")
    assert [r["id"] for r in rows] == ["nrn-peer-convening-2015"]


def test_events_by_city(cli, net):
    assert run_json(cli, net, "events", "list", "--city", "miami") == []
    net.add("event", {"id": "nrn-miami", "name": "Convening in Miami", "type": "peer-convening", "start_date": "2015",
                      "location": {"city": "Miami", "state": "FL"}, "sources": SRC})
    assert [r["id"] for r in run_json(cli, net, "events", "list", "--city", "Miami", "--year", "2015")] == ["nrn-miami"]


def test_show_brigade_resolves_partners_and_events(cli, net):
    shown = run_json(cli, net, "brigades", "show", "boston")
    assert shown["record"]["id"] == "code-for-boston"
    partners = {p["partner"]: p for p in shown["partners"]}
    assert partners["greater-mattapan-neighborhood-council"]["priorities"] == ["Housing data"]
    assert partners["city-of-boston"]["status"] == "ended"
    assert [e["id"] for e in shown["events"]] == ["cfa-webinar"]


def test_show_partner_lists_every_brigade(cli, net):
    shown = run_json(cli, net, "partners", "show", "Triangle J Council of Governments")
    assert sorted(b["brigade"] for b in shown["brigades"]) == ["code-for-durham", "open-raleigh"]


def test_show_partnership_by_brigade_and_partner_names(cli, net):
    shown = run_json(cli, net, "partnerships", "show", "boston", "GMNC")
    assert shown["record"]["id"] == "code-for-boston--greater-mattapan-neighborhood-council"
    missing = cli("partnerships", "show", "boston", "wake county", root=net.root)
    assert missing.exit_code == 2 and "no recorded partnership" in missing.stderr


def test_search_ranks_name_hits_above_topic_hits(cli, net):
    hits = run_json(cli, net, "search", "food")
    ids = [h["id"] for h in hits]
    assert ids[0] == "pittsburgh-food-policy-council"  # 'food' in its name
    assert "hunger-free-oklahoma" in ids  # found through its topics
    assert all(h["score"] >= hits[i + 1]["score"] for i, h in enumerate(hits[:-1]))


def test_search_needs_every_word(cli, net):
    assert [h["id"] for h in run_json(cli, net, "search", "food pittsburgh", "--kind", "partner")] == [
        "pittsburgh-food-policy-council"]


def test_related_brigades_give_reasons(cli, net):
    rows = run_json(cli, net, "brigades", "related", "durham")
    raleigh = next(r for r in rows if r["id"] == "open-raleigh")
    assert any("both partner with Triangle J Council of Governments" in x for x in raleigh["reasons"])
    assert any(x.startswith("both work with a county-government") for x in raleigh["reasons"])
    assert rows[0]["id"] == "open-raleigh"
    tulsa = run_json(cli, net, "brigades", "related", "tulsa")
    assert tulsa[0]["id"] == "code-for-pittsburgh"
    assert "shared interests: food, security" in tulsa[0]["reasons"]


def test_csv_and_yaml_outputs_parse_to_the_same_rows(cli, net):
    as_json = run_json(cli, net, "brigades", "list", "--state", "NC")
    as_csv = cli("brigades", "list", "--state", "NC", "--format", "csv", root=net.root)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["id"] for r in rows] == [r["id"] for r in as_json]
    assert rows[0]["partners"] == str(as_json[0]["partners"])
    as_yaml = cli("brigades", "list", "--state", "NC", "--format", "yaml", root=net.root)
    data, err = yamlio.parse_text(as_yaml.stdout)
    assert err is None and [r["id"] for r in data] == [r["id"] for r in as_json]


def test_sort_and_limit(cli, net):
    rows = run_json(cli, net, "brigades", "list", "--sort", "-partners", "--limit", "2")
    assert len(rows) == 2
    assert rows[0]["partners"] >= rows[1]["partners"] == 2


def test_empty_result_is_a_message_on_stderr_and_exit_0(cli, net):
    result = cli("brigades", "list", "--state", "WY", root=net.root)  # a real state with no brigade
    assert result.exit_code == 0 and result.stdout == ""
    assert "no brigades match" in result.stderr
    as_json = cli("brigades", "list", "--state", "WY", "--format", "json", root=net.root)
    assert json.loads(as_json.stdout) == []


def test_piped_table_has_no_ansi_codes(cli, net):
    result = cli("partners", "list", "--brigade", "boston", root=net.root)
    assert result.exit_code == 0
    assert "Greater Mattapan Neighborhood Council" in result.stdout
    assert "\x1b[" not in result.stdout


def test_color_always_adds_ansi_codes_and_no_color_wins_over_auto(cli, net):
    coloured = cli("--color", "always", "partners", "list", "--brigade", "boston", root=net.root)
    assert "\x1b[" in coloured.stdout
    plain = cli("partners", "list", "--brigade", "boston", root=net.root, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout
