"""Reports: figures checked against the records, follow-ups, graph exports read back, ICS."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = [{"document": "001_6fd433e7a95ecce0.txt"}]


def _b(id_, state, status="active"):
    return ("brigade", {"id": id_, "name": id_.replace("-", " ").title(), "status": status,
                        "location": {"city": "X", "state": state, "country": "US"}, "sources": SRC})


def _p(id_, cls, topics=()):
    data = {"id": id_, "name": id_.replace("-", " ").title(), "classification": cls, "sources": SRC}
    if topics:
        data["topics"] = list(topics)
    return ("partner", data)


def _s(b, p, status, last_contact=None, priorities=()):
    data = {"id": f"{b}--{p}", "brigade": b, "partner": p, "status": status, "kind": "project-partnership",
            "sources": SRC}
    if last_contact:
        data["last_contact"] = last_contact
    if priorities:
        data["priorities"] = list(priorities)
    return ("partnership", data)


RECORDS = [
    _b("code-for-a", "MA"), _b("code-for-b", "MA"), _b("code-for-c", "NC", "inactive"), _b("code-for-lonely", "NC"),
    _p("city-a", "city-government", ["open-data"]), _p("county-b", "county-government"), _p("food-bank", "nonprofit", ["food-security"]),
    _s("code-for-a", "city-a", "active", "2026-10-01", ["Open data"]),   # contacted 62 days before as-of
    _s("code-for-a", "food-bank", "active", "2025-01-15", ["Open data"]),  # 686 days
    _s("code-for-b", "city-a", "prospective"),                           # never recorded
    _s("code-for-b", "county-b", "ended", "2020-01-01"),                  # ended: never a follow-up
    _s("code-for-c", "county-b", "paused", "2026-03"),                    # month precision: latest day 2026-03-31
    ("event", {"id": "e-2015", "name": "Convening 2015", "type": "peer-convening", "start_date": "2015",
               "participants": ["code-for-a"], "sources": SRC}),
    ("event", {"id": "e-webinar", "name": "Webinar, with; specials", "type": "webinar", "start_date": "2026-12-10",
               "start_time": "10:00", "timezone": "America/Los_Angeles", "online": True, "sources": SRC}),
    ("event", {"id": "e-summit", "name": "Summit", "type": "summit", "start_date": "2026-12-01",
               "end_date": "2026-12-02", "location": {"city": "Miami", "state": "FL"}, "sources": SRC}),
]
AS_OF = "2026-12-02"


@pytest.fixture
def net(empty_registry):
    for kind, data in RECORDS:
        empty_registry.add(kind, data)
    return empty_registry


def run_json(cli, net, *args):
    result = cli(*args, "--format", "json", "--as-of", AS_OF, root=net.root)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_summary_figures_match_the_records(cli, net):
    data = run_json(cli, net, "report", "summary")
    assert data["counts"] == {"brigades": 4, "partners": 3, "partnerships": 5, "events": 3, "networks": 0}
    assert data["partnerships_by_status"] == {"active": 2, "ended": 1, "paused": 1, "prospective": 1}
    assert data["partnerships_by_partner_classification"] == {"city-government": 2, "county-government": 2, "nonprofit": 1}
    assert data["brigades_by_country"] == [{"country": "US", "count": 4, "states": {"MA": 2, "NC": 2}}]
    assert data["brigades_by_status"] == {"active": 3, "inactive": 1, "merged": 0, "dissolved": 0, "unknown": 0}
    assert data["top_priorities"] == {"Open data": 2}
    assert data["events_by_year"] == {"2015": 1, "2026": 2}
    assert [b["id"] for b in data["brigades_without_partnership"]] == ["code-for-lonely"]
    assert data["followups"] == {"days": 180, "stale": 2, "never_recorded": 1}
    # 2026-10-01 and 2026-03 (latest day 2026-03-31) are within a year of 2026-12-02.
    assert data["freshness"]["verified_or_contacted_last_year"] == 2


def test_summary_markdown_is_byte_identical_for_the_same_inputs(cli, net):
    first = cli("report", "summary", "--as-of", AS_OF, root=net.root).stdout
    second = cli("report", "summary", "--as-of", AS_OF, root=net.root).stdout
    assert first == second and first.startswith("# The network as of 2026-12-02")
    assert "| active | 2 |" in first


def test_followups_are_stale_then_never_recorded_oldest_first(cli, net):
    rows = run_json(cli, net, "report", "followups")
    assert [(r["state"], r["brigade"], r["partner"], r["days_since_contact"]) for r in rows] == [
        ("stale", "code-for-a", "food-bank", 686), ("stale", "code-for-c", "county-b", 246),
        ("never-recorded", "code-for-b", "city-a", None)]


def test_followups_threshold_and_brigade_filter(cli, net):
    # at 60 days code-for-a's two stale partnerships sit together, its oldest (686 days) first
    assert [r["partner"] for r in run_json(cli, net, "report", "followups", "--days", "60")] == [
        "food-bank", "city-a", "county-b", "city-a"]
    assert [r["partner"] for r in run_json(cli, net, "report", "followups", "--days", "300")] == ["food-bank", "city-a"]
    only_a = run_json(cli, net, "report", "followups", "--brigade", "code-for-a", "--days", "0")
    assert {r["brigade"] for r in only_a} == {"code-for-a"} and len(only_a) == 2


def test_brigade_profile(cli, net):
    data = run_json(cli, net, "report", "brigade", "code-for-a")
    assert [p["partner"] for p in data["partners"]] == ["city-a", "food-bank"]
    assert [e["id"] for e in data["events"]] == ["e-2015"]
    assert data["related"][0]["id"] == "code-for-b"  # shares city-a
    md = cli("report", "brigade", "code-for-a", "--as-of", AS_OF, root=net.root).stdout
    assert md.startswith("# Code For A") and "## Brigades to talk to" in md


def test_map_exports_read_back_with_one_node_per_record(cli, net):
    nodes, edges = 7, 5
    dot = cli("report", "map", "--format", "dot", root=net.root).stdout
    assert dot.count(" -- ") == edges and dot.count("shape=") == nodes
    root = ET.fromstring(cli("report", "map", "--format", "graphml", root=net.root).stdout)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == nodes and len(root.findall(".//g:edge", ns)) == edges
    mermaid = cli("report", "map", "--format", "mermaid", root=net.root).stdout.splitlines()
    assert mermaid[0] == "graph LR" and sum(("---" in line or "-.-" in line) for line in mermaid) == edges
    data = json.loads(cli("report", "map", "--format", "json", root=net.root).stdout)
    assert len(data["nodes"]) == nodes and len(data["edges"]) == edges
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_map_svg_and_png_are_deterministic(cli, net, tmp_path):
    svg1 = cli("report", "map", "--format", "svg", root=net.root).stdout
    svg2 = cli("report", "map", "--format", "svg", root=net.root).stdout
    assert svg1 == svg2 and svg1.count('class="node ') == 7
    png = tmp_path / "map.png"
    assert cli("report", "map", "--format", "png", "--output", str(png), root=net.root).exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    assert cli("report", "map", "--format", "png", root=net.root).exit_code == 2  # binary needs --output


def test_bundled_registry_map_has_a_node_per_brigade_and_partner(cli):
    from peernet_cli.registry.loader import load

    reg = load(ROOT)
    data = json.loads(cli("report", "map", "--format", "json", root=ROOT).stdout)
    assert len(data["nodes"]) == len(reg.of("brigade")) + len(reg.of("partner"))
    assert len(data["edges"]) == len(reg.of("partnership"))


def test_events_report_upcoming(cli, net):
    rows = run_json(cli, net, "report", "events", "--upcoming", "30")
    assert [r["id"] for r in rows] == ["e-summit", "e-webinar"]


def test_ics_reads_back_with_the_right_events(cli, net):
    from icalendar import Calendar

    result = cli("events", "export", "--format", "ics", "--as-of", AS_OF, root=net.root)
    assert result.exit_code == 0
    assert "left out 1 event(s)" in result.stderr and "e-2015" in result.stderr
    assert b"\r\n" in result.stdout_bytes  # RFC 5545 lines end in CRLF
    cal = Calendar.from_ical(result.stdout)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"e-webinar@peernet", "e-summit@peernet"}
    webinar = events["e-webinar@peernet"]
    assert str(webinar["SUMMARY"]) == "Webinar, with; specials"
    assert webinar.decoded("DTSTART").isoformat() == "2026-12-10T18:00:00+00:00"  # 10:00 Pacific
    summit = events["e-summit@peernet"]
    assert summit.decoded("DTSTART").isoformat() == "2026-12-01"
    assert summit.decoded("DTEND").isoformat() == "2026-12-03"  # exclusive end of a two-day event
    assert str(summit["LOCATION"]) == "Miami, FL"
