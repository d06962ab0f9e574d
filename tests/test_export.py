"""`peernet export`: every record, every field, in csv, json, sqlite and a data package,
read back and compared with the registry exactly."""

from __future__ import annotations

import copy
import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from peernet_cli.check.validate import validate
from peernet_cli.publish.tables import columns
from peernet_cli.registry.loader import load
from peernet_cli.registry.schemas import KINDS

ROOT = Path(__file__).resolve().parent.parent
SRC = {"document": "001_6fd433e7a95ecce0.txt", "url": "https://example.org/post", "title": "A post",
       "note": 'a "quoted", multi-part note; with separators | and\na newline', "retrieved": "2024-01-02"}

FULL: list[tuple[str, dict[str, Any]]] = [
    ("brigade", {
        "id": "code-for-example", "name": "Code for Example",
        "other_names": [{"name": "Example Brigade", "note": "former name", "start_date": "2012",
                         "end_date": "2015-06"}],
        "aliases": ["example", "ex"], "classification": "brigade", "status": "inactive",
        "founding_date": "2012-03", "dissolution_date": "2020-01-31", "description": "Does, things; well.",
        "location": {"city": "Example", "county": "Example County", "state": "MA", "region": "North Shore",
                     "country": "US", "latitude": 42.5, "longitude": -71},
        "division_id": "ocd-division/country:us/state:ma/place:example",
        "website": "https://example.org/",
        "social": {k: f"https://{k}.example.org/x" for k in (
            "github", "twitter", "facebook", "meetup", "linkedin", "instagram", "youtube", "slack", "flickr",
            "mastodon")},
        "topics": ["open-data", "food-security"],
        "networks": [{"network": "cfa-brigade-network", "role": "member", "start_date": "2012",
                      "end_date": "2020", "note": "left"}],
        "successor": "code-for-boston",
        "links": [{"url": "https://example.org/about", "note": "about"}],
        "identifiers": [{"scheme": "ein", "identifier": "12-3456789"}],
        "sources": [SRC, {"document": "other.txt"}], "last_verified": "2024-05-06"}),
    ("partner", {
        "id": "example-county", "name": "Example County",
        "other_names": [{"name": "EC"}], "classification": "county-government", "description": "A county.",
        "website": "https://county.example.org/", "location": {"state": "MA", "country": "US"},
        "division_id": "ocd-division/country:us/state:ma/county:example", "parent": "code-for-america",
        "topics": ["budget"], "networks": [{"network": "cfa-brigade-network", "role": "partner"}],
        "links": [{"url": "https://county.example.org/data"}],
        "identifiers": [{"scheme": "wikidata", "identifier": "Q1"}], "sources": [SRC],
        "last_verified": "2023-01-01"}),
    ("partnership", {
        "id": "code-for-example--example-county", "brigade": "code-for-example", "partner": "example-county",
        "kind": "project-partnership", "status": "ended", "start_date": "2014", "end_date": "2019-12-01",
        "last_contact": "2019-11", "priorities": ["Open budgets", "Housing"],
        "relationship_building": ["Monthly hack nights"], "introduced_by": "code-for-america",
        "referred_by": "code-for-boston",
        "milestones": [{"date": "2015-02", "description": "First release"}, {"description": "Undated step"}],
        "projects": [{"name": "Budget app", "description": "Shows the budget", "status": "completed",
                      "start_date": "2014", "end_date": "2015", "partners": ["code-for-boston"],
                      "url": "https://example.org/budget"}],
        "topics": ["budget"], "notes": "Line one.\nLine two, with \"quotes\".",
        "links": [{"url": "https://example.org/p"}], "identifiers": [{"scheme": "grant", "identifier": "G-1"}],
        "sources": [SRC], "last_verified": "2024-01-01"}),
    ("partnership", {
        "id": "code-for-boston--code-for-example", "brigade": "code-for-boston", "partner": "code-for-example",
        "kind": "brigade-collaboration", "status": "active", "sources": [{"document": "x.txt"}]}),
    ("event", {
        "id": "example-summit-2015", "name": "Example Summit", "type": "summit", "description": "A summit.",
        "start_date": "2015-05-01", "end_date": "2015-05-02", "start_time": "09:30", "timezone": "America/New_York",
        "recurring": False, "online": True,
        "location": {"city": "Boston", "state": "MA", "country": "US", "latitude": 42.36, "longitude": -71.06},
        "organizers": ["code-for-boston", "example-county"], "participants": ["code-for-example", "cfa-brigade-network"],
        "attendance": {"people": 120, "organizations": 12, "note": "more than 120 people"},
        "topics": ["open-data"], "links": [{"url": "https://example.org/summit"}],
        "identifiers": [{"scheme": "eventbrite", "identifier": "42"}], "sources": [SRC],
        "last_verified": "2024-01-01"}),
    ("network", {
        "id": "example-network", "name": "Example Network", "other_names": [{"name": "ExNet"}],
        "classification": "peer-network", "description": "Peers.", "status": "active",
        "founding_date": "2013-04", "dissolution_date": "2019", "operator": "code-for-america",
        "parent": "cfa-brigade-network", "location": {"country": "US"}, "website": "https://net.example.org/",
        "projects": [{"name": "Guide", "partners": ["example-county"]}], "topics": ["broadband"],
        "links": [{"url": "https://net.example.org/x", "note": "x"}],
        "identifiers": [{"scheme": "ein", "identifier": "99"}], "sources": [SRC], "last_verified": "2022-02-02"}),
]


@pytest.fixture
def full(registry):
    for kind, data in FULL:
        registry.add(kind, copy.deepcopy(data))
    report = validate(registry.root, use_cache=False)
    assert not report.errors, report.errors  # the fixture itself is a valid registry
    return registry


def expected(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    reg = load(root)
    return {KINDS[k].folder: {i: r.data for i, r in reg.of(k).items()} for k in KINDS}


def _set(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    if len(path) == 1:
        record[path[0]] = value
    else:
        record.setdefault(path[0], {})[path[1]] = value


def from_csv_cell(text: str, ctype: str) -> Any:
    if ctype in ("json", "array", "number", "integer"):
        return json.loads(text)
    if ctype == "boolean":
        return {"true": True, "false": False}[text]
    return text


def rebuild_csv(path: Path, kind: str) -> dict[str, dict[str, Any]]:
    cols = {c.name: c for c in columns(kind)}
    out = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == list(cols)  # stable, schema-ordered columns
        for row in reader:
            record: dict[str, Any] = {}
            for name, text in row.items():
                if text != "":
                    _set(record, cols[name].path, from_csv_cell(text, cols[name].type))
            out[record["id"]] = record
    return out


def export(cli, root: Path, fmt: str, out: Path, *extra: str):
    result = cli("export", "--format", fmt, "--output", str(out), *extra, root=root)
    assert result.exit_code == 0, result.output
    return result


def test_columns_flatten_objects_and_keep_schema_order():
    names = [c.name for c in columns("brigade")]
    assert names[:4] == ["id", "name", "other_names", "aliases"]
    assert names.index("location_city") < names.index("location_latitude") < names.index("division_id")
    assert "social_twitter" in names and "location" not in names and "social" not in names
    assert {c.name: c.type for c in columns("event")}["attendance_people"] == "integer"


def test_csv_round_trips_every_field(full, cli, tmp_path):
    out = tmp_path / "csv"
    result = export(cli, full.root, "csv", out)
    assert "exported" in result.stderr and result.stdout == ""
    want = expected(full.root)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{k.folder}.csv" for k in KINDS.values())
    for kind, info in KINDS.items():
        assert rebuild_csv(out / f"{info.folder}.csv", kind) == want[info.folder], kind
    # A list cell is JSON text; a boolean is true/false.
    rows = list(csv.DictReader((out / "events.csv").open(encoding="utf-8")))
    summit = next(r for r in rows if r["id"] == "example-summit-2015")
    assert summit["organizers"] == '["code-for-boston", "example-county"]'
    assert summit["recurring"] == "false" and summit["online"] == "true" and summit["attendance_people"] == "120"


def test_json_round_trips_records_as_in_yaml(full, cli, tmp_path):
    out = tmp_path / "all.json"
    export(cli, full.root, "json", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert list(doc) == [k.folder for k in KINDS.values()]
    assert {folder: {r["id"]: r for r in records} for folder, records in doc.items()} == expected(full.root)
    stdout = cli("export", "--format", "json", "--output", "-", root=full.root)
    assert json.loads(stdout.stdout) == doc


def rebuild_sqlite(con: sqlite3.Connection, kind: str) -> dict[str, dict[str, Any]]:
    cols = columns(kind)
    con.row_factory = sqlite3.Row
    out = {}
    for row in con.execute(f"SELECT * FROM {KINDS[kind].folder}"):
        record: dict[str, Any] = {}
        for c in cols:
            value = row[c.name]
            if value is None:
                continue
            if c.type == "json":
                value = json.loads(value)
            elif c.type == "boolean":
                assert value in (0, 1)
                value = bool(value)
            _set(record, c.path, value)
        out[record["id"]] = record
    return out


def test_sqlite_round_trips_and_joins(full, cli, tmp_path):
    out = tmp_path / "peernet.db"
    export(cli, full.root, "sqlite", out)
    want = expected(full.root)
    con = sqlite3.connect(out)
    for kind, info in KINDS.items():
        assert rebuild_sqlite(con, kind) == want[info.folder], kind
    con.row_factory = None
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    joined = con.execute(
        "SELECT p.id, b.name, coalesce(pa.name, pb.name) FROM partnerships p "
        "JOIN brigades b ON b.id = p.brigade "
        "LEFT JOIN partners pa ON pa.id = p.partner_partner_id "
        "LEFT JOIN brigades pb ON pb.id = p.partner_brigade_id ORDER BY p.id").fetchall()
    assert joined == [
        ("code-for-boston--code-for-example", "Code for Boston", "Code for Example"),
        ("code-for-boston--greater-mattapan-neighborhood-council", "Code for Boston",
         "Greater Mattapan Neighborhood Council"),
        ("code-for-example--example-county", "Code for Example", "Example County"),
    ]
    assert con.execute("SELECT count(*) FROM partnerships p JOIN partners pa ON pa.id = p.partner").fetchone() == (2,)
    fks = {(r[3], r[2], r[4]) for r in con.execute("SELECT * FROM pragma_foreign_key_list('partnerships')")}
    assert {("brigade", "brigades", "id"), ("partner_partner_id", "partners", "id"),
            ("partner_brigade_id", "brigades", "id"), ("partner", "organizations", "id")} <= fks
    indexed = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"idx_partnerships_brigade", "idx_partnerships_partner", "idx_brigades_status"} <= indexed
    assert con.execute("SELECT organization_id FROM event_organizers WHERE event_id = 'example-summit-2015' "
                       "ORDER BY position").fetchall() == [("code-for-boston",), ("example-county",)]
    assert con.execute("SELECT count(*) FROM event_participants").fetchone() == (2,)
    members = con.execute("SELECT member_id, member_kind, network_id, role FROM memberships ORDER BY member_id").fetchall()
    assert members == [("code-for-boston", "brigade", "cfa-brigade-network", "member"),
                       ("code-for-example", "brigade", "cfa-brigade-network", "member"),
                       ("example-county", "partner", "cfa-brigade-network", "partner")]
    assert con.execute("SELECT kind FROM organizations WHERE id = 'example-network'").fetchone() == ("network",)
    con.close()


def test_datapackage_descriptor_and_round_trip(full, cli, tmp_path):
    out = tmp_path / "package"
    export(cli, full.root, "datapackage", out)
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {k.folder for k in KINDS.values()} | {"organizations"}
    want = expected(full.root)
    for kind, info in KINDS.items():
        res = resources[info.folder]
        assert res["path"] == f"{info.folder}.csv" and res["schema"]["primaryKey"] == ["id"]
        fields = {f["name"]: f["type"] for f in res["schema"]["fields"]}
        assert set(fields.values()) <= {"string", "number", "integer", "boolean", "date", "array"}
        paths = {c.name: c.path for c in columns(kind)}
        rebuilt = {}
        with (out / res["path"]).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == list(fields)
            for row in reader:
                record: dict[str, Any] = {}
                for name, text in row.items():
                    if text != "":
                        _set(record, paths[name], from_csv_cell(text, fields[name]))
                rebuilt[record["id"]] = record
        assert rebuilt == want[info.folder], kind
    brigade_types = {f["name"]: f["type"] for f in resources["brigades"]["schema"]["fields"]}
    assert brigade_types["last_verified"] == "date" and brigade_types["founding_date"] == "string"
    assert brigade_types["location_latitude"] == "number" and brigade_types["aliases"] == "array"
    event_types = {f["name"]: f["type"] for f in resources["events"]["schema"]["fields"]}
    assert event_types["start_date"] == "date" and event_types["recurring"] == "boolean"
    fks = resources["partnerships"]["schema"]["foreignKeys"]
    assert {"fields": "brigade", "reference": {"resource": "brigades", "fields": "id"}} in fks
    assert {"fields": "partner", "reference": {"resource": "organizations", "fields": "id"}} in fks
    # Every foreign key value resolves in the resource it references.
    ids = {name: {row["id"] for row in csv.DictReader((out / f"{name}.csv").open(encoding="utf-8"))}
           for name in resources}
    for res in package["resources"]:
        for fk in res["schema"].get("foreignKeys", []):
            for row in csv.DictReader((out / res["path"]).open(encoding="utf-8")):
                if row[fk["fields"]]:
                    assert row[fk["fields"]] in ids[fk["reference"]["resource"]], (res["name"], fk)


@pytest.mark.parametrize("fmt", ["csv", "json", "sqlite", "datapackage"])
def test_bundled_registry_row_counts(fmt, cli, tmp_path):
    counts = {k.folder: len(list((ROOT / "registry" / k.folder).glob("*.yaml"))) for k in KINDS.values()}
    out = tmp_path / "out"
    export(cli, ROOT, fmt, out)
    if fmt == "json":
        doc = json.loads(out.read_text(encoding="utf-8"))
        got = {name: len(records) for name, records in doc.items()}
    elif fmt == "sqlite":
        con = sqlite3.connect(out)
        got = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in counts}
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("SELECT count(*) FROM partnerships p JOIN brigades b ON b.id = p.brigade").fetchone()[0] \
            == counts["partnerships"]
        con.close()
    else:
        got = {name: sum(1 for _ in csv.DictReader((out / f"{name}.csv").open(encoding="utf-8")))
               for name in counts}
    assert got == counts


def test_refuses_to_overwrite_without_force(registry, cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    export(cli, registry.root, "csv", out)  # an empty folder is fine
    (out / "mine.txt").write_text("keep me")
    result = cli("export", "--format", "csv", "--output", str(out), root=registry.root)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert (out / "mine.txt").exists()
    export(cli, registry.root, "csv", out, "--force")
    assert not (out / "mine.txt").exists() and (out / "brigades.csv").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary leftovers
    db = tmp_path / "x.db"
    db.write_text("not empty")
    assert cli("export", "--format", "sqlite", "--output", str(db), root=registry.root).exit_code == 2
    export(cli, registry.root, "sqlite", db, "--force")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM brigades").fetchone() == (1,)
    inside = cli("export", "--format", "csv", "--output", str(registry.root / "registry" / "x"), root=registry.root)
    assert inside.exit_code == 2 and "registry" in inside.stderr
    assert cli("export", "--format", "csv", "--output", "-", root=registry.root).exit_code == 2


def test_unknown_field_is_refused_not_dropped(registry, cli, tmp_path):
    path = registry.root / "registry" / "brigades" / "code-for-boston.yaml"
    path.write_text(path.read_text() + "mystery: 1\n")
    result = cli("export", "--format", "csv", "--output", str(tmp_path / "o"), root=registry.root)
    assert result.exit_code == 1 and "mystery" in result.stderr
    assert not (tmp_path / "o").exists()
