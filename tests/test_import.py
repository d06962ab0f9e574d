"""`peernet import cfa-brigades`: field mapping, merging without clobbering, skipping what is
not a brigade, bad coordinates, idempotence, and the real CfA file on a copy of the registry."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from peernet_cli.check.validate import validate
from peernet_cli.imports.cfa import DOCUMENT, plan_import
from peernet_cli.imports.cfa_mapping import map_entry, read_entries
from peernet_cli.registry import yamlio
from peernet_cli.registry.loader import load

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "cfa" / "organizations.json"
REAL = Path("/work/shared/data/cfa-brigade-information-organizations.json")
SEED = [{"document": "001_6fd433e7a95ecce0.txt"}]

OPEN_SAMPLE = """# yaml-language-server: $schema=../../schemas/brigade.schema.json
# Hand-written: keep this comment.
id: open-sample
name: Open Sample
other_names:
  - name: Sample Hackers
    note: former name
status: active  # confirmed by phone in 2023
sources:
  - document: 001_6fd433e7a95ecce0.txt
"""


@pytest.fixture
def reg(registry):
    registry.write("registry/brigades/open-sample.yaml", OPEN_SAMPLE)
    registry.add("brigade", {"id": "code-for-host", "name": "Code for Host", "status": "unknown",
                             "location": {"city": "Hostville", "state": "VT", "country": "US"},
                             "website": "https://www.hostbrigade.org/", "sources": SEED})
    registry.add("partner", {"id": "open-lab", "name": "Open Lab", "classification": "hackerspace", "sources": SEED})
    return registry


def data(root: Path, record_id: str) -> dict[str, Any]:
    return yamlio.parse(root / "registry" / "brigades" / f"{record_id}.yaml").data


def summary(stderr: str) -> dict[str, int]:
    m = re.search(r"(\d+) entries read: (\d+) created, (\d+) updated, (\d+) unchanged, (\d+) skipped", stderr)
    assert m, stderr
    return dict(zip(("total", "created", "updated", "unchanged", "skipped"), map(int, m.groups())))


def run(cli, root: Path, *args: str, file: Path = FIXTURE):
    result = cli("import", "cfa-brigades", str(file), *args, root=root)
    assert result.exit_code == 0, result.output
    return result


def test_fixture_import_summary_and_skips(reg, cli):
    result = run(cli, reg.root)
    assert summary(result.stderr) == {"total": 19, "created": 11, "updated": 3, "unchanged": 0, "skipped": 5}
    err = result.stderr
    assert 'skipped "City of Somewhere DoIT": not a brigade (tagged Government)' in err
    assert 'skipped "FreeGeek Example": not a brigade (tagged Partner)' in err
    assert 'skipped "Open Standards": not a brigade (tagged Project)' in err
    assert 'skipped "Code for Examplestan": not a brigade (no Brigade tag' in err
    assert 'skipped "COVID19 Response Efforts (example)": not a brigade (tagged Temporary)' in err
    assert result.stdout == ""
    files = {p.stem for p in (reg.root / "registry" / "brigades").glob("*.yaml")}
    assert "city-of-somewhere-doit" not in files and "freegeek-example" not in files
    assert not (reg.root / "registry" / "partners" / "freegeek-example.yaml").exists()  # no partners invented
    report = validate(reg.root, today=date(2026, 1, 1), use_cache=False)
    assert report.findings == []


def test_new_brigade_field_mapping(reg, cli):
    run(cli, reg.root)
    rec = data(reg.root, "code-for-example-city")
    assert rec == {
        "id": "code-for-example-city",
        "name": "Code for Example City",
        "other_names": [{"name": "Example Brigade", "note": "former name"}],
        "classification": "brigade",
        "status": "unknown",
        "location": {"city": "Example City", "state": "CA", "country": "US", "latitude": 37.5, "longitude": -122.25},
        "website": "http://codeforexample.org/",
        "social": {"twitter": "https://twitter.com/codeforexample",
                   "instagram": "https://www.instagram.com/codeforexample/",
                   "slack": "https://codeforexample.slack.com"},
        "networks": [{"network": "cfa-brigade-network", "role": "member",
                      "note": "fiscally sponsored brigade (CfA brigade list)"}],
        "links": [{"url": "https://groups.google.com/g/codeforexample", "note": "Google Groups forum"}],
        "sources": [{"document": DOCUMENT, "note": 'entry "Code for Example City" in the CfA brigade list: name, '
                     "former names, classification, location, coordinates, website, social links, "
                     "network membership, links"}],
    }
    lab = data(reg.root, "example-civic-lab")
    assert lab["classification"] == "regional-network" and "networks" not in lab


def test_outside_the_us(reg, cli):
    run(cli, reg.root)
    assert data(reg.root, "ok-lab-beispiel")["location"] == {
        "city": "Beispielstadt", "country": "DE", "latitude": 52.5167, "longitude": 13.3833}
    assert "networks" not in data(reg.root, "ok-lab-beispiel")  # no ok-lab network record: nothing invented
    toronto = data(reg.root, "civic-tech-example")
    assert toronto["location"] == {"city": "Toronto", "state": "ON", "country": "CA", "latitude": 43.653484,
                                   "longitude": -79.384093}
    assert "networks" not in toronto  # a plain Brigade tag outside the US is no CfA membership


def test_merge_fills_only_what_is_missing(reg, cli):
    before = data(reg.root, "code-for-boston")
    run(cli, reg.root)
    boston = data(reg.root, "code-for-boston")
    for key in ("id", "name", "aliases", "status", "classification", "networks"):
        assert boston[key] == before[key], key
    assert boston["location"] == {"city": "Boston", "state": "MA", "country": "US", "latitude": 42.3584,
                                  "longitude": -71.0598}
    assert boston["website"] == "https://www.codeforboston.org"
    assert boston["social"] == {"github": "https://github.com/codeforboston",
                                "twitter": "https://twitter.com/codeforboston",
                                "facebook": "https://www.facebook.com/codeforboston/",
                                "meetup": "https://www.meetup.com/Code-for-Boston/"}
    assert boston["other_names"] == [{"name": "Boston Brigade", "note": "former name"}]
    assert boston["sources"][0] == before["sources"][0]
    assert [s["document"] for s in boston["sources"]].count(DOCUMENT) == 1

    # Matched by a former name: name and status stay, comments survive.
    text = (reg.root / "registry" / "brigades" / "open-sample.yaml").read_text()
    assert "# Hand-written: keep this comment." in text and "# confirmed by phone in 2023" in text
    sample = data(reg.root, "open-sample")
    assert sample["name"] == "Open Sample" and sample["status"] == "active"
    assert sample["location"]["city"] == "Sampleton" and sample["location"]["state"] == "ME"
    assert sample["social"] == {"twitter": "https://twitter.com/samplehackers"}
    assert not (reg.root / "registry" / "brigades" / "sample-hackers.yaml").exists()

    # Matched by website host: the website stays as written, the coordinates are added.
    host = data(reg.root, "code-for-host")
    assert host["website"] == "https://www.hostbrigade.org/"
    assert (host["location"]["latitude"], host["location"]["longitude"]) == (44.47, -73.21)
    assert not (reg.root / "registry" / "brigades" / "host-brigade-civic-lab.yaml").exists()


def test_merge_never_overwrites_a_different_value(reg, cli):
    reg.add("brigade", {"id": "code-for-boston", "name": "Code for Boston", "status": "inactive",
                        "location": {"city": "Cambridge", "state": "MA", "country": "US"},
                        "website": "https://boston.example.org/", "social": {"twitter": "https://twitter.com/cfb"},
                        "other_names": [], "networks": [], "sources": SEED})
    result = run(cli, reg.root)
    boston = data(reg.root, "code-for-boston")
    assert boston["status"] == "inactive" and boston["website"] == "https://boston.example.org/"
    assert boston["location"] == {"city": "Cambridge", "state": "MA", "country": "US"}  # another city: left alone
    assert boston["social"]["twitter"] == "https://twitter.com/cfb"
    assert boston["other_names"] == [] and boston["networks"] == []
    assert "location left as is" in result.stderr


def test_bad_coordinates_are_left_out_with_a_reason(reg, cli):
    result = run(cli, reg.root)
    err = result.stderr
    east = data(reg.root, "code-for-eastside")["location"]
    assert east == {"city": "Springfield", "state": "MO", "country": "US"}
    assert re.search(r'"Code for Eastside".*positive longitude 93.2923', err)
    assert "latitude" not in data(reg.root, "code-for-disagree")["location"]
    assert re.search(r'"Code for Disagree".*disagree', err)
    garbage = data(reg.root, "code-for-garbage")["location"]
    assert garbage == {"city": "Garbage Town", "state": "OH", "country": "US"}
    assert re.search(r'"Code for Garbage".*not numbers', err)
    assert "location" not in data(reg.root, "code-for-nowhere")
    assert re.search(r'"Code for Nowhere".*placeholder', err)


def test_id_collision_and_shared_website(reg, cli):
    result = run(cli, reg.root)
    assert "id open-lab is taken by a partner; created as open-lab-brigade" in result.stderr
    assert data(reg.root, "open-lab-brigade")["name"] == "Open Lab"
    for rid, other in (("code-for-north-shared", "Code for South Shared"), ("code-for-south-shared", "Code for North Shared")):
        rec = data(reg.root, rid)
        assert "website" not in rec
        assert rec["links"][0]["url"] == "https://shared.example.org/" and other in rec["links"][0]["note"]


def test_second_import_changes_nothing(reg, cli):
    run(cli, reg.root)
    folder = reg.root / "registry"
    before = {p: p.read_bytes() for p in folder.rglob("*.yaml")}
    result = run(cli, reg.root)
    assert summary(result.stderr) == {"total": 19, "created": 0, "updated": 0, "unchanged": 14, "skipped": 5}
    assert {p: p.read_bytes() for p in folder.rglob("*.yaml")} == before


def test_dry_run_writes_nothing(reg, cli):
    folder = reg.root / "registry"
    before = {p: p.read_bytes() for p in folder.rglob("*.yaml")}
    result = run(cli, reg.root, "--dry-run")
    assert {p: p.read_bytes() for p in folder.rglob("*.yaml")} == before
    assert "+++ b/registry/brigades/code-for-example-city.yaml" in result.stdout
    assert "dry run: nothing written" in result.stderr
    assert summary(result.stderr)["created"] == 11


def test_verbose_lists_filled_fields(reg, cli):
    result = run(cli, reg.root, "--verbose")
    assert re.search(r'updated "Code for Boston" \(code-for-boston\): .*location.latitude', result.stderr)


def test_tags_link_only_existing_networks(registry):
    registry.add("network", {"id": "code-for-all", "name": "Code for All", "classification": "peer-network",
                             "sources": SEED})
    reg = load(registry.root)
    networks = {"cfa-brigade-network", "code-for-all"}
    both = map_entry({"name": "Code for Sometown", "tags": ["Brigade", "Code for All"],
                      "city": "Sometown, Japan", "location": {"city": "Sometown", "country": "Japan"}}, networks)
    assert both.data["networks"] == [{"network": "code-for-all", "role": "member"}]
    assert both.data["location"] == {"city": "Sometown", "country": "JP"}
    us = map_entry({"name": "Code for Town", "tags": ["BRIGADE"], "city": "Town, TX"}, networks)
    assert us.data["networks"] == [{"network": "cfa-brigade-network", "role": "member"}]
    assert us.data["location"] == {"city": "Town", "state": "TX", "country": "US"}
    plan = plan_import(reg, [{"name": "Code for Town", "tags": ["Brigade"], "city": "Town, TX"}])
    assert plan.counts["created"] == 1 and not (registry.root / "registry" / "brigades" / "code-for-town.yaml").exists()


def test_bad_input_file(registry, cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}')
    result = cli("import", "cfa-brigades", str(bad), root=registry.root)
    assert result.exit_code == 1 and "expected a JSON list" in result.stderr
    assert cli("import", "cfa-brigades", str(tmp_path / "missing.json"), root=registry.root).exit_code == 2


@pytest.mark.skipif(not REAL.exists(), reason="the real CfA file is not available")
def test_real_file_on_a_copy_of_the_bundled_registry(cli, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(ROOT / "registry", root / "registry")
    entries = read_entries(REAL)
    assert len(entries) == 221
    before = {p.stem for p in (root / "registry" / "brigades").glob("*.yaml")}
    result = run(cli, root, file=REAL)
    counts = summary(result.stderr)
    after = {p.stem for p in (root / "registry" / "brigades").glob("*.yaml")}
    assert counts["total"] == 221 and counts["skipped"] == 40
    assert counts["created"] == len(after - before)
    assert counts["created"] + counts["updated"] + counts["unchanged"] == 181
    for name in ("18F", "mySociety", "City of Chicago Department of Innovation and Technology", "Code for America"):
        assert f'skipped "{name}": not a brigade' in result.stderr
    assert re.search(r'"Open SGF" \(open-sgf\): coordinates left out: positive longitude', result.stderr)

    boston = data(root, "code-for-boston")
    loc = boston["location"]
    assert loc["city"] == "Boston"
    assert loc["state"] == "MA"
    assert loc["country"] == "US"
    assert loc["latitude"] == 42.3584
    assert loc["longitude"] == -71.0598
    assert boston["status"] == "active" and boston["aliases"] == ["boston"]

    # Every brigade entry now has a record, and none of them lost its location.
    cited = [p for p in (root / "registry" / "brigades").glob("*.yaml") if DOCUMENT in p.read_text()]
    assert len(cited) >= 181
    report = validate(root, use_cache=False)
    # Only the CfA list's own problems remain, as warnings: coordinates far from their city, and
    # chapters sharing a GitHub profile (tests/test_data_audit.py).
    assert report.errors == [] and {f.rule for f in report.findings} <= {"coordinates", "duplicate"}, \
        report.findings[:5]

    reg = load(root)
    again = plan_import(reg, entries)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 181, "skipped": 40}
    assert again.changes.changes == []
    json.dumps([o.__dict__ for o in again.outcomes])  # outcomes are plain data
