"""`show` for a person: a title, sections of readable lines, sources numbered, wrapped at spaces
to the terminal's width, no JSON; json/yaml/csv are the data as before. Runs the real CLI on the
bundled registry (COLUMNS sets the width of piped output) and the layout on small data."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from peernet_cli.publish.record_text import Line, record_view

ROOT = Path(__file__).resolve().parents[1]
Cli = Callable[..., Any]

SHOWN = [
    ["brigades", "show", "code-for-floripa"],
    ["brigades", "show", "code-for-boston"],
    ["partners", "show", "greater-mattapan-neighborhood-council"],
    ["partnerships", "show", "boston", "gmnc"],
    ["events", "show", "nrn-peer-convening-2015"],
]


def show(cli: Cli, args: list[str], width: int, *extra: str, root: Path = ROOT) -> str:
    result = cli(*args, *extra, root=root, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return str(result.stdout)


def text_values(value: Any) -> Iterator[str]:
    """Every string in a record, at any depth (numbers are rounded for people, so left out)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from text_values(v)
    elif isinstance(value, list):
        for v in value:
            yield from text_values(v)


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("args", SHOWN, ids=" ".join)
def test_a_record_fits_the_width_and_no_word_is_split(cli: Cli, args: list[str], width: int) -> None:
    out = show(cli, args, width)
    record = json.loads(show(cli, args, width, "--format", "json"))["record"]

    assert max(len(line) for line in out.splitlines()) <= width
    assert all(line == line.rstrip() for line in out.splitlines())
    # A word broken across two lines would read "Consult ing" once the lines are joined.
    flat = " ".join(out.split())
    for word in {w for text in text_values(record) for w in text.split()}:
        assert word in flat, word


@pytest.mark.parametrize("args", SHOWN, ids=" ".join)
def test_no_json_in_what_a_person_reads(cli: Cli, args: list[str]) -> None:
    out = show(cli, args, 80)
    assert not re.search(r'[{}\[\]]|": ', out), out


@pytest.mark.parametrize("args", SHOWN, ids=" ".join)
def test_sources_are_a_numbered_list_after_the_record(cli: Cli, args: list[str]) -> None:
    out = show(cli, args, 80)
    sources = json.loads(show(cli, args, 80, "--format", "json"))["record"]["sources"]

    heading = out.splitlines().index(f"Sources ({len(sources)})")
    numbered = [line for line in out.splitlines()[heading:] if re.match(r"  \d+\. ", line)]
    assert [line.split(".")[0].strip() for line in numbered] == [str(n) for n in range(1, len(sources) + 1)]
    assert numbered[0].startswith(f"  1. document {sources[0]['document']} — ")


def test_a_brigade_reads_as_sections(cli: Cli) -> None:
    out = show(cli, ["brigades", "show", "code-for-floripa"], 80)
    lines = out.splitlines()

    assert lines[0] == "Code for Floripa — brigade code-for-floripa"
    assert lines[lines.index("About") + 1:lines.index("About") + 3] == [
        "  Classification: brigade", "  Status: unknown"]
    assert "  Florianópolis, SC, BR (-27.5909, -48.5167)" in lines
    assert "  Meetup: http://www.meetup.com/pt-BR/CodeForFloripa/" in lines
    assert lines.index("Social profiles") < lines.index("Sources (1)")


def test_relations_are_entries_by_name_and_replace_the_ids(cli: Cli) -> None:
    out = show(cli, ["brigades", "show", "code-for-boston"], 80)

    assert "  • Code for America Brigade (cfa-brigade-network)" in out
    assert "    role: member" in out
    assert "Partners (1)\n  • Greater Mattapan Neighborhood Council\n    (greater-mattapan-neighborhood-council)" in out
    assert "    classification: unknown · status: active · kind: project-partnership" in out
    assert "      - Consulting GMNC stakeholders in an early user testing session" in out
    assert out.count("Networks") == 1  # the record's own network ids are not listed again


def test_a_partnership_is_named_by_its_two_sides_and_dates_its_milestones(cli: Cli) -> None:
    lines = show(cli, ["partnerships", "show", "boston", "gmnc"], 200).splitlines()

    assert lines[0] == ("Code for Boston and Greater Mattapan Neighborhood Council — partnership "
                        "code-for-boston--greater-mattapan-neighborhood-council")
    assert "  - 2021 — Exploratory project launched in early Summer 2021." in lines
    assert "  - GMNC exploratory project (unknown, from 2021)" in lines
    assert "  Introduced by: powerful-pathways" in lines


def test_json_yaml_and_csv_are_the_data_as_stored(cli: Cli) -> None:
    stored = yaml.safe_load((ROOT / "registry/brigades/code-for-boston.yaml").read_text(encoding="utf-8"))
    args = ["brigades", "show", "code-for-boston"]

    shown = json.loads(show(cli, args, 80, "--format", "json"))
    assert list(shown) == ["kind", "record", "partners", "networks", "events"]
    assert shown["record"] == stored
    assert shown["networks"] == [{"network": "cfa-brigade-network", "name": "Code for America Brigade",
                                  "role": "member"}]
    assert yaml.safe_load(show(cli, args, 80, "--format", "yaml")) == shown
    header, row = list(csv.reader(io.StringIO(show(cli, args, 80, "--format", "csv"))))
    assert header == list(stored) and row[header.index("location")].startswith('{"city": "Boston"')
    # The width is for people: the data is the same at any width.
    assert show(cli, args, 40, "--format", "json") == show(cli, args, 200, "--format", "json")


# --- the layout, on data of any kind ----------------------------------------------------------------


def texts(lines: tuple[Line, ...]) -> list[str]:
    return [" " * line.indent + line.marker + line.text for line in lines]


def test_a_network_lists_its_members_with_their_roles() -> None:
    view = record_view({
        "kind": "network",
        "record": {"id": "nrn", "name": "National Resource Network", "founding_date": "2014",
                   "projects": [{"name": "Guidebook", "partners": ["ntia"]}], "sources": [{"document": "a.txt"}]},
        "members": [{"id": "city-of-flint", "name": "City of Flint", "kind": "partner",
                     "role": "steering-committee", "where": "Flint, MI, US"}],
        "parent": None,
        "projects": [{"name": "Guidebook", "status": "completed", "partners": ["NTIA"]}],
    })
    sections = {s.title: texts(s.lines) for s in view.sections}

    assert view.title == "National Resource Network — network nrn"
    assert list(sections) == ["About", "Members (1)", "Projects (1)", "Sources (1)"]
    assert sections["About"] == ["  Founding date: 2014"]   # the schema's title for founding_date
    assert sections["Members (1)"] == ["  • City of Flint (city-of-flint)",
                                       "    kind: partner · role: steering-committee · where: Flint, MI, US"]
    assert sections["Projects (1)"] == ["  • Guidebook", "    status: completed · partners: NTIA"]
    assert sections["Sources (1)"] == ["  1. document a.txt"]


def test_nested_values_become_labelled_lines_and_paragraphs_keep_their_breaks() -> None:
    view = record_view({"kind": "event", "record": {
        "id": "e", "name": "E", "online": True, "description": "First line.\nSecond line.",
        "attendance": {"people": 100, "note": "more than 100"},
        "links": [{"url": "https://example.org/a", "note": "the page"}],
        "sources": [{"url": "https://example.org/s", "retrieved": "2024-05-01", "note": "says so"},
                    {"title": "A report"}],
    }})
    sections = {s.title: texts(s.lines) for s in view.sections}

    assert sections["About"] == ["  Online: yes"]
    assert sections["Description"] == ["  First line.", "  Second line."]
    assert sections["Attendance"] == ["  People: 100", "  Note: more than 100"]
    assert sections["Links"] == ["  - https://example.org/a — the page"]
    assert sections["Sources (2)"] == ["  1. https://example.org/s (retrieved 2024-05-01) — says so",
                                       "  2. A report"]


def test_an_unknown_kind_and_field_still_read_as_lines() -> None:
    view = record_view({"kind": "thing", "record": {"id": "t", "extra_field": {"a_b": ["x y", "z"]}},
                        "others": ["one", "two"]})
    sections = {s.title: texts(s.lines) for s in view.sections}

    assert view.title == "thing t"
    assert sections == {"Extra field": ["  A b:", "    - x y", "    - z"], "Others (2)": ["  • one", "  • two"]}


def test_a_word_longer_than_the_line_is_the_only_thing_folded(registry: Any, cli: Cli) -> None:
    url = "https://example.org/" + "a" * 120
    registry.add("partner", {"id": "long", "name": "Long Link", "classification": "nonprofit",
                             "description": "words " * 40, "website": url, "sources": [{"document": "a.txt"}]})

    lines = show(cli, ["partners", "show", "long"], 80, root=registry.root).splitlines()
    out = "".join(lines)

    assert max(len(line) for line in lines) <= 80
    assert url in out.replace(" ", "")
    start = lines.index("Description") + 1
    assert all(set(line.split()) == {"words"} for line in lines[start:start + 3])

