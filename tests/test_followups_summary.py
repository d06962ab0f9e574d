"""`report followups` (stale apart from never recorded, grouped by brigade) and `report summary`
(countries with clashing state codes, start years, network roles, unpartnered brigades per
state), on a small registry built in tmp_path and driven through the real CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from factories import SOURCE, RegistryBuilder

from peernet_cli.publish import dashboard
from peernet_cli.query.listings import LinkedRegistry
from peernet_cli.registry.loader import load

AS_OF = "2026-12-02"


def _b(id_: str, name: str, country: str | None, state: str | None, status: str = "active",
       networks: list[dict[str, str]] | None = None) -> tuple[str, dict[str, Any]]:
    data: dict[str, Any] = {"id": id_, "name": name, "classification": "brigade", "status": status, "sources": SOURCE}
    if country:
        data["location"] = {"city": "X", "country": country, **({"state": state} if state else {})}
    if networks:
        data["networks"] = networks
    return ("brigade", data)


def _s(b: str, p: str, status: str = "active", start: str | None = None, last: str | None = None
       ) -> tuple[str, dict[str, Any]]:
    data: dict[str, Any] = {"id": f"{b}--{p}", "brigade": b, "partner": p, "status": status,
                            "kind": "project-partnership", "sources": SOURCE}
    data.update({k: v for k, v in (("start_date", start), ("last_contact", last)) if v})
    return ("partnership", data)


SC_US, SC_BR = "code-for-greenville", "code-for-floripa"
NRN = "resource-net"
RECORDS = [
    # SC is South Carolina in the US and Santa Catarina in Brazil: never one state.
    _b(SC_US, "Greenville", "US", "SC"), _b(SC_BR, "Floripa", "BR", "SC", "unknown"),
    _b("nc-one", "NC One", "US", "NC", networks=[{"network": NRN, "role": "member"}]),
    _b("nc-two", "NC Two", "US", "NC", "inactive"), _b("nc-lonely", "NC Lonely", "US", "NC"),
    _b("toronto", "Toronto", "CA", "ON", "unknown"), _b("nowhere", "Nowhere", None, None, "unknown"),
    ("partner", {"id": "city-x", "name": "City X", "classification": "city-government", "sources": SOURCE,
                 "networks": [{"network": NRN, "role": "steering-committee"}]}),
    ("partner", {"id": "county-y", "name": "County Y", "classification": "county-government", "sources": SOURCE,
                 "networks": [{"network": NRN, "role": "steering-committee"}]}),
    ("partner", {"id": "uni", "name": "Uni", "classification": "university", "sources": SOURCE}),
    ("network", {"id": NRN, "name": "Resource Net", "classification": "resource-network", "sources": SOURCE}),
    ("network", {"id": "quiet-net", "name": "Quiet Net", "classification": "other", "sources": SOURCE}),
    _s(SC_US, "county-y", start="2014", last="2025-06"),        # stale: latest day 2025-06-30, 520 days
    _s(SC_US, "city-x", start="2015-06", last="2026-01-10"),     # stale: 326 days
    _s("nc-one", "city-x", start="2016", last="2026-11-01"),     # 31 days: no follow-up
    _s("nc-one", "uni", start="2016-03", status="prospective"),  # never recorded, started 2016-03
    _s("nc-two", "county-y", start="2013"),                      # never recorded, started first
    _s("nc-two", "uni", status="paused"),                        # never recorded, no start date
    _s(SC_BR, "city-x", status="ended"),                         # ended: never a follow-up
    _s(SC_BR, "county-y", status="unknown"),                     # never recorded, no start date
]


@pytest.fixture
def net(empty_registry: RegistryBuilder) -> RegistryBuilder:
    for kind, data in RECORDS:
        empty_registry.add(kind, data)
    return empty_registry


def run(cli: Any, net: RegistryBuilder, *args: str) -> Any:
    result = cli(*args, root=net.root)
    assert result.exit_code == 0, result.stderr
    return result


def run_json(cli: Any, net: RegistryBuilder, *args: str) -> Any:
    return json.loads(run(cli, net, *args, "--format", "json").stdout)


def pairs(rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(r["state"], r["brigade"], r["partner"]) for r in rows]


# --- follow-ups ---------------------------------------------------------------------------


def test_stale_and_never_recorded_are_apart_each_oldest_first_and_grouped(cli: Any, net: RegistryBuilder) -> None:
    rows = run_json(cli, net, "report", "followups", "--as-of", AS_OF)
    assert pairs(rows) == [
        ("stale", SC_US, "county-y"), ("stale", SC_US, "city-x"),             # oldest contact first
        ("never-recorded", "nc-two", "county-y"), ("never-recorded", "nc-two", "uni"),  # started 2013
        ("never-recorded", "nc-one", "uni"),                                  # started 2016-03
        ("never-recorded", SC_BR, "county-y")]                                # no start date: last
    assert [r["days_since_contact"] for r in rows[:2]] == [520, 326]
    assert all(r["days_since_contact"] is None and r["last_contact"] is None for r in rows[2:])
    assert rows[2]["start_date"] == "2013" and rows[2]["brigade_name"] == "NC Two"


def test_as_of_decides_what_is_stale(cli: Any, net: RegistryBuilder) -> None:
    rows = run_json(cli, net, "report", "followups", "--as-of", "2026-02-01")
    # 2026-01-10 is 22 days before; 2025-06 at the latest 216; nc-one's contact of 2026-11-01 is
    # after the as-of date, so it is neither stale nor never recorded.
    assert [p for p in pairs(rows) if p[0] == "stale"] == [("stale", SC_US, "county-y")]
    assert ("never-recorded", "nc-one", "city-x") not in pairs(rows)
    assert len(run_json(cli, net, "report", "followups", "--as-of", AS_OF, "--days", "400")) == 5


def test_only_keeps_one_list_and_refuses_other_words(cli: Any, net: RegistryBuilder) -> None:
    stale = run_json(cli, net, "report", "followups", "--as-of", AS_OF, "--only", "stale")
    assert {r["state"] for r in stale} == {"stale"} and len(stale) == 2
    never = run_json(cli, net, "report", "followups", "--as-of", AS_OF, "--only", "never")
    assert {r["state"] for r in never} == {"never-recorded"} and len(never) == 4
    bad = cli("report", "followups", "--only", "old", root=net.root)
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "--only must be one of: stale, never" in bad.stderr


def test_csv_rows_stay_flat_with_their_state(cli: Any, net: RegistryBuilder) -> None:
    out = run(cli, net, "report", "followups", "--as-of", AS_OF, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["state", "brigade", "partner", "partner_name", "status", "start_date",
                             "last_contact", "days_since_contact", "last_changed_in_git"]
    assert [r["state"] for r in rows] == ["stale"] * 2 + ["never-recorded"] * 4


def test_markdown_and_table_group_by_brigade_with_a_count(cli: Any, net: RegistryBuilder) -> None:
    md = run(cli, net, "report", "followups", "--as-of", AS_OF, "--format", "md").stdout
    assert "Follow-ups: 2 stale (no contact in 180 days), 4 never recorded." in md
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings == ["# Follow-ups as of 2026-12-02",
                        "## Stale: no contact in 180 days (2), oldest contact first", "### Greenville (2)",
                        "## Never recorded: no last contact (4), oldest start first",
                        "### NC Two (2)", "### NC One (1)", "### Floripa (1)"]
    table = run(cli, net, "report", "followups", "--as-of", AS_OF, "--format", "table").stdout
    assert table.count("Greenville (2)") == 1 and table.count("NC Two (2)") == 1
    assert table.index("Stale: no contact in 180 days (2)") < table.index("Never recorded: no last contact (4)")
    only = run(cli, net, "report", "followups", "--as-of", AS_OF, "--days", "999", "--only", "stale").stdout
    assert only.strip() == "Stale: no contact in 999 days (0), oldest contact first: none"


# --- summary ------------------------------------------------------------------------------


def test_summary_groups_states_under_their_country(cli: Any, net: RegistryBuilder) -> None:
    data = run_json(cli, net, "report", "summary", "--as-of", AS_OF)
    assert data["brigades_by_country"] == [
        {"country": "US", "count": 4, "states": {"NC": 3, "SC": 1}},
        {"country": "BR", "count": 1, "states": {"SC": 1}},
        {"country": "CA", "count": 1, "states": {"ON": 1}},
        {"country": "(no country)", "count": 1, "states": {"(no state)": 1}}]
    md = run(cli, net, "report", "summary", "--as-of", AS_OF).stdout
    assert "| US | SC | 1 |" in md and "| BR | SC | 1 |" in md and "| US | NC | 3 |" in md
    table = run(cli, net, "report", "summary", "--as-of", AS_OF, "--format", "table").stdout
    assert "NC:3, SC:1" in table


def test_summary_brigades_by_status_lists_every_status(cli: Any, net: RegistryBuilder) -> None:
    data = run_json(cli, net, "report", "summary", "--as-of", AS_OF)
    assert data["brigades_by_status"] == {"active": 3, "inactive": 1, "merged": 0, "dissolved": 0, "unknown": 3}
    assert data["brigade_status_note"].startswith("unknown: ")
    md = run(cli, net, "report", "summary", "--as-of", AS_OF).stdout
    assert "| merged | 0 |" in md and f"_{data['brigade_status_note']}._" in md


def test_summary_partnerships_started_per_year(cli: Any, net: RegistryBuilder) -> None:
    data = run_json(cli, net, "report", "summary", "--as-of", AS_OF)
    # 2015-06 and 2016-03 count in their years; no start date is counted, last
    assert data["partnerships_by_start_year"] == {"2013": 1, "2014": 1, "2015": 1, "2016": 2,
                                                  "(no start date)": 3}
    assert "### Partnerships started per year" in run(cli, net, "report", "summary", "--as-of", AS_OF).stdout


def test_summary_network_membership_by_role(cli: Any, net: RegistryBuilder) -> None:
    data = run_json(cli, net, "report", "summary", "--as-of", AS_OF)
    assert data["network_memberships"] == [
        {"network": NRN, "name": "Resource Net", "members": 3, "by_role": {"steering-committee": 2, "member": 1}},
        {"network": "quiet-net", "name": "Quiet Net", "members": 0, "by_role": {}}]
    md = run(cli, net, "report", "summary", "--as-of", AS_OF).stdout
    assert "| Resource Net | 3 | steering-committee 2; member 1 |" in md


def test_summary_counts_follow_ups_of_each_kind(cli: Any, net: RegistryBuilder) -> None:
    data = run_json(cli, net, "report", "summary", "--as-of", AS_OF)
    assert data["followups"] == {"days": 180, "stale": 2, "never_recorded": 4}
    assert run_json(cli, net, "report", "summary", "--as-of", AS_OF, "--days", "400")["followups"]["stale"] == 1
    md = run(cli, net, "report", "summary", "--as-of", AS_OF).stdout
    assert "Follow-ups: 2 stale (no contact in 180 days), 4 never recorded." in md


def test_unpartnered_brigades_are_counted_per_state_and_listed_on_request(cli: Any, net: RegistryBuilder) -> None:
    data = run_json(cli, net, "report", "summary", "--as-of", AS_OF)
    assert data["unpartnered_by_country"] == [
        {"country": "US", "count": 1, "states": {"NC": 1}}, {"country": "CA", "count": 1, "states": {"ON": 1}},
        {"country": "(no country)", "count": 1, "states": {"(no state)": 1}}]
    assert [b["id"] for b in data["brigades_without_partnership"]] == ["nc-lonely", "toronto", "nowhere"]
    md = run(cli, net, "report", "summary", "--as-of", AS_OF).stdout
    assert "3 of 7 brigades have no recorded partnership." in md and "| CA | ON | 1 |" in md
    assert "NC Lonely" not in md and "--list-unpartnered" in md
    listed = run(cli, net, "report", "summary", "--as-of", AS_OF, "--list-unpartnered").stdout
    assert "(#brigades-without-a-recorded-partnership)" in listed
    assert listed.rstrip().splitlines()[-5:-3] == ["| name | id | country | state |", "|---|---|---|---|"]
    assert "| NC Lonely | nc-lonely | US | NC |" in listed
    table = run(cli, net, "report", "summary", "--as-of", AS_OF, "--format", "table").stdout
    assert "nc-lonely" not in table
    assert "nc-lonely" in run(cli, net, "report", "summary", "--as-of", AS_OF, "-f", "table",
                              "--list-unpartnered").stdout


def test_summary_table_cannot_be_written_to_a_file(cli: Any, net: RegistryBuilder, tmp_path: Any) -> None:
    bad = cli("report", "summary", "--format", "table", "--output", str(tmp_path / "x.txt"), root=net.root)
    assert bad.exit_code == 2 and "--output needs --format md or json" in bad.stderr


def test_dashboard_names_each_state_with_its_country(net: RegistryBuilder) -> None:
    site = dashboard.build_site(LinkedRegistry(load(net.root)), date.fromisoformat(AS_OF))
    index = site["index.html"]
    assert 'data-label="SC (US)"' in index and 'data-label="SC (BR)"' in index
    assert "6 partnership(s) need a follow-up</a> (2 stale, 4 never recorded)" in index
    assert 'href="brigades/nc-lonely.html"' in index
