"""`peernet import cfa-brigades` on hostile or malformed files: bounded reading, checked types.

Each bad file runs the real CLI in a subprocess (address space capped at 512 MiB, 60 s harness
timeout) on the small registry: exit 1, every stderr line `peernet: error: FILE…` (one line for a
problem with the file as a whole, one per bad value plus a summary otherwise), nothing on stdout,
no traceback and no file of the registry written. Then: what still imports, the limits one by one,
and the importer's own loops on adversarial (but well-typed) entries.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peernet_cli.errors import InvalidDataError
from peernet_cli.imports import cfa_mapping as cfa_import
from peernet_cli.imports.cfa import plan_import
from peernet_cli.imports.cfa_mapping import MAX_DEPTH, MAX_ENTRIES, MAX_FILE_BYTES, read_entries, read_file
from peernet_cli.registry.loader import load

MEMORY_CAP = 512 * 1024 * 1024


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def brigade(name: Any = "Code for Testville", **fields: Any) -> dict[str, Any]:
    return {"name": name, "tags": ["Brigade"], "city": "Testville, VT", **fields}


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (root / "registry").rglob("*") if p.is_file()}


@pytest.fixture
def run_import(registry: Any) -> Callable[..., subprocess.CompletedProcess[str]]:
    """run_import(file, *args) -> CompletedProcess of `peernet --registry REG import cfa-brigades FILE`."""

    def run(file: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(registry.root),
                               "import", "cfa-brigades", str(file), *args],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                              check=False, preexec_fn=_capped)

    return run


def refused(result: subprocess.CompletedProcess[str], file: Path) -> list[str]:
    """The stderr lines of a refused import, after checking its shape."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith(f"peernet: error: {file}") for line in lines), result.stderr
    return lines


# --- the whole file is refused, in one line ----------------------------------------------------

FILE_CASES: dict[str, tuple[str | bytes, str]] = {
    # 100,000 brackets: json.loads would raise RecursionError near 1,000.
    "deep-lists": ("[" * 100_000, r":1:33: lists and objects nested deeper than 32 levels"),
    "deep-objects": ('{"a":' * 100_000, r":1:161: lists and objects nested deeper than 32 levels"),
    "deep-inside-an-entry": ('[\n  {"name": "Code for Deep",\n   "tags": ' + "[" * 40 + "]" * 40 + "}]",
                             r":3:42: lists and objects nested deeper than 32 levels"),
    "nan-latitude": ('[\n  {"name": "Code for NaN", "tags": ["Brigade"],\n   "latitude": NaN, "longitude": "1"}]',
                     r":3:16: NaN is not a JSON value \(JSON has no NaN or Infinity\); write a number"),
    "infinity": ('[{"name": "Code for Inf", "longitude": -Infinity}]', r":1:40: -Infinity is not a JSON value"),
    "long-number": ('[{"name": "Code for Digits", "rss": ' + "9" * 5000 + "}]",
                    r":1:37: a number of 5,000 characters, more than the 40 allowed; shorten it"),
    "not-json": ('[\n  {"name": "Code for Comma",}\n]', r":2:29: not valid JSON: Expecting property name"),
    "empty": ("", r":1:1: not valid JSON: Expecting value"),
    "not-utf8": ('[\n {"name": "Z\xfcrich"}]'.encode("latin-1"), r":2:13: not UTF-8 text \(byte 0xfc\)"),
    "top-level-object": ('{"name": "Code for Object"}', r": expected a JSON list of organizations .*got an object"),
    "top-level-number": ("5", r": expected a JSON list of organizations .*got 5; check this is"),
    "top-level-text": ('"organizations"', r': expected a JSON list .*got "organizations"'),
    "too-many-entries": ("[" + "{}," * MAX_ENTRIES + "{}]", r": 2,001 entries, more than the 2,000 an import takes"),
    "too-many-objects": ('[{"name": "Code for Lists", "rss": [' + "[]," * 100_000 + "[]]}]",
                         r":1:\d+: more than 100,000 lists and objects"),
}


@pytest.mark.parametrize("case", FILE_CASES, ids=list(FILE_CASES))
def test_bad_file_is_one_line_and_exit_1(case: str, registry: Any, run_import: Any, tmp_path: Path) -> None:
    content, message = FILE_CASES[case]
    path = tmp_path / f"{case}.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = snapshot(registry.root)
    [line] = refused(run_import(path), path)
    assert re.match(message, line.removeprefix(f"peernet: error: {path}")), line
    assert snapshot(registry.root) == before


def test_a_file_over_the_size_limit_is_refused_before_parsing(registry: Any, run_import: Any, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # 60 MB in an instant: a sparse file of NUL bytes
        handle.truncate(60_000_000)
    [line] = refused(run_import(path), path)
    assert line == (f"peernet: error: {path}: the file is over the import limit of {MAX_FILE_BYTES:,} bytes "
                    "(the CfA list is about 180 kB); check this is CfA's organizations.json (or download a "
                    "fresh copy)")


def test_not_a_regular_file_is_a_usage_error(registry: Any, run_import: Any, tmp_path: Path) -> None:
    result = run_import(tmp_path)  # a folder
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and str(tmp_path) in result.stderr


# --- values of the wrong type: every one listed, nothing imported ------------------------------

ENTRY_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "previous-names-number": (brigade("Code for X", previous_names=5),
                              "entry 2 (Code for X): previous_names: expected a list of names, got 5"),
    "name-number": (brigade(12), "entry 2: name: expected text, got 12"),
    "name-list": (brigade(["Code", "for"]), "entry 2: name: expected text, got a list (2 items)"),
    "previous-name-object": (brigade("Code for X", previous_names=["Old", {"name": "Older"}]),
                             "entry 2 (Code for X): previous_names[1]: expected text, got an object"),
    "tags-text": ({"name": "Code for X", "tags": "Brigade"},
                  'entry 2 (Code for X): tags: expected a list of tags, got "Brigade"'),
    "tag-true": (brigade("Code for X", tags=["Brigade", True]),
                 "entry 2 (Code for X): tags[1]: expected text, got true"),
    "latitude-true": (brigade("Code for X", latitude=True, longitude="-72.5"),
                      'entry 2 (Code for X): latitude: expected a number or numeric text such as "42.36", got true'),
    "latitude-huge": (brigade("Code for X", latitude="__1e999__", longitude=-72.5),
                      ("entry 2 (Code for X): latitude: the number is too large to be a coordinate; fix it or "
                      "leave the field out")),
    "coordinates-list": (brigade("Code for X", location={"city": "X", "coordinates": [44.1, -72.5]}),
                         ("entry 2 (Code for X): location.coordinates: expected an object (latitude, longitude), "
                         "got a list (2 items)")),
    "location-text": (brigade("Code for X", location="Testville"),
                      ('entry 2 (Code for X): location: expected an object (city, state, country, coordinates), '
                      'got "Testville"')),
    "state-number": (brigade("Code for X", location={"city": "X", "state": 5}),
                     "entry 2 (Code for X): location.state: expected text, got 5"),
    "website-object": (brigade("Code for X", website={"url": "https://x.example.org"}),
                       "entry 2 (Code for X): website: expected text, got an object"),
    "social-profiles-list": (brigade("Code for X", social_profiles=["@x"]),
                             ("entry 2 (Code for X): social_profiles: expected an object of profile names and "
                             "addresses, got a list (1 item)")),
    "social-handle-number": (brigade("Code for X", social_profiles={"twitter": 42}),
                             "entry 2 (Code for X): social_profiles.twitter: expected text, got 42"),
    "line-break-in-name": (brigade("Code for\nX"), "entry 2: name: contains a line break (\\u000a) at character 9; remove it"),
    "surrogate-in-city": (brigade("Code for X", city="Test\ud800ville"),
                          ("entry 2 (Code for X): city: contains an unpaired surrogate (\\ud800) at character 5; "
                          "remove it")),
    "long-name": (brigade("Code for " + "x" * 3000),
                  "entry 2: name: text of 3,009 characters, more than the 2,000 allowed; shorten it"),
    "too-many-tags": (brigade("Code for X", tags=["Brigade"] * 21),
                      "entry 2 (Code for X): tags: 21 tags, more than the 20 an entry may have"),
    "entry-not-object": ("Code for X", 'entry 2: expected an object with the organization\'s fields, got "Code for X"'),
}


@pytest.mark.parametrize("case", ENTRY_CASES, ids=list(ENTRY_CASES))
def test_wrong_type_is_named_and_nothing_is_imported(case: str, registry: Any, run_import: Any,
                                                    tmp_path: Path) -> None:
    entry, message = ENTRY_CASES[case]
    path = tmp_path / f"{case}.json"
    # One line of JSON (entry lines are tested below); json.dumps writes a lone surrogate as
    # \ud800, as a JSON file would.
    path.write_text(json.dumps([brigade("Code for Fine"), entry]).replace('"__1e999__"', "1e999"))
    before = snapshot(registry.root)
    lines = refused(run_import(path), path)
    where = f"{path}:1" if isinstance(entry, dict) else str(path)
    assert lines == [f"peernet: error: {where}: {message}",
                     (f"peernet: error: {path}: 1 problem in 1 entry; nothing was imported: fix the values "
                     "(or download a fresh copy of organizations.json) and run the import again")]
    assert snapshot(registry.root) == before


def test_every_problem_is_listed_in_one_run(registry: Any, run_import: Any, tmp_path: Path) -> None:
    path = write_json(tmp_path / "many.json", [brigade(12), brigade("Fine"), brigade("Code for Y", previous_names=5,
                                                                                      latitude=[1])])
    lines = [line.removeprefix(f"peernet: error: {path}") for line in refused(run_import(path), path)]
    assert lines == [  # each problem with the line its entry starts on
        ":2: entry 1: name: expected text, got 12",
        ":16: entry 3 (Code for Y): previous_names: expected a list of names, got 5",
        ':16: entry 3 (Code for Y): latitude: expected a number or numeric text such as "42.36", got a list (1 item)',
        (": 3 problems in 2 entries; nothing was imported: fix the values (or download a fresh copy of "
        "organizations.json) and run the import again")]


def test_a_flood_of_problems_is_listed_up_to_fifty(registry: Any, run_import: Any, tmp_path: Path) -> None:
    path = write_json(tmp_path / "flood.json", [brigade(n) for n in range(300)])
    lines = refused(run_import(path), path)
    assert len(lines) == 51
    assert lines[-1].endswith(": 300 problems in 300 entries, 250 of them not listed above; nothing was imported: "
                              "fix the values (or download a fresh copy of organizations.json) and run the import "
                              "again")


def test_read_entries_raises_with_the_first_problem(tmp_path: Path) -> None:
    path = write_json(tmp_path / "bad.json", [brigade(12), brigade(13)])
    with pytest.raises(InvalidDataError) as info:
        read_entries(path)
    assert str(info.value) == f"{path}:2: entry 1: name: expected text, got 12 (and 1 more problem(s))"
    assert info.value.exit_code == 1


# --- what still imports ------------------------------------------------------------------------


def test_a_valid_small_file_imports(registry: Any, run_import: Any, tmp_path: Path) -> None:
    path = write_json(tmp_path / "ok.json", [
        brigade("Code for Numbers", latitude=44.26, longitude=-72.58, website="codefornumbers.example.org",
                previous_names=["Numbers Brigade"], social_profiles={"twitter": "@numbers", "Google": None}),
        brigade("Code for Nulls", latitude=None, longitude=None, location=None, previous_names=None,
                social_profiles=None, website=None, rss=[{"anything": "unread fields are not checked"}]),
        brigade("Code for Text NaN", latitude="NaN", longitude="1_0"),  # text, not numbers: a note, no refusal
        {"name": "City of Testville", "tags": ["Government"]},
    ])
    result = run_import(path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "4 entries read: 3 created, 0 updated, 0 unchanged, 1 skipped" in result.stderr
    assert "'NaN', '1_0' are not numbers" in result.stderr
    numbers = (registry.root / "registry" / "brigades" / "code-for-numbers.yaml").read_text()
    assert "latitude: 44.26" in numbers and "https://twitter.com/numbers" in numbers
    assert (registry.root / "registry" / "brigades" / "code-for-nulls.yaml").exists()


def test_the_wrapped_form_and_a_bom_still_read(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"organizations": [brigade()]}).encode())
    entries, problems = read_file(path)
    assert [e["name"] for e in entries] == ["Code for Testville"] and problems == []


def test_brackets_and_nan_inside_strings_are_text(tmp_path: Path) -> None:
    name = "Code for [" + "[{" * 500 + "\\\"] NaN Infinity " + "9" * 100
    path = write_json(tmp_path / "strings.json", [brigade(name, previous_names=["\\", "]]]"])])
    entries, problems = read_file(path)
    assert entries[0]["name"] == name and problems == []


def test_nesting_up_to_the_limit_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "nested.json"
    path.write_text('[{"name": "Code for Depth", "rss": ' + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "}]")
    entries, problems = read_file(path)
    assert len(entries) == 1 and problems == []
    prefix = '[{"name": "Code for Depth", "rss": '
    path.write_text(prefix + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}]")
    with pytest.raises(InvalidDataError) as info:
        read_file(path)
    assert str(info.value).startswith(f"{path}:1:{len(prefix) + MAX_DEPTH - 1}: lists and objects nested deeper "
                                      f"than {MAX_DEPTH} levels")


def test_the_scan_is_linear(registry: Any, run_import: Any, tmp_path: Path) -> None:
    # 9 MB of string and no bracket after it: a scan that retried from each position would be
    # quadratic here (the harness timeout bounds a regression).
    path = tmp_path / "tail.json"
    path.write_text('[{"name": "Code for Tail", "rss": "' + "a\\\"" * 3_000_000 + '"', encoding="utf-8")
    [line] = refused(run_import(path), path)
    assert "not valid JSON" in line


def test_lines_of_entries(tmp_path: Path) -> None:
    path = write_json(tmp_path / "lines.json", [brigade("A"), brigade("B"), brigade(3)])
    _, lines = cfa_import.read_json(path)
    text = path.read_text().splitlines()
    assert [text[n - 1].strip() for n in lines if n] == ["{", "{", "{"]
    assert lines == [2, 9, 16]


# --- the importer's own loops on adversarial, well-typed entries -------------------------------


def test_long_names_with_the_same_id_get_distinct_ids(registry: Any) -> None:
    # slugify truncates ids to 63 characters: every "-N" suffix used to truncate back to the same
    # taken id, and the search for a free id never ended.
    # Four different names (normalise_name drops é and the fullwidth ｂ), three with one slug.
    names = ["A" * 30, "A" * 30 + " " + "B" * 31 + "e", "A" * 30 + " " + "B" * 31 + "é",
             "A" * 30 + " ｂ" + "B" * 30 + "e"]
    plan = plan_import(load(registry.root), [brigade(n) for n in names])
    ids = [o.id for o in plan.outcomes]
    assert [o.action for o in plan.outcomes] == ["created"] * 4
    assert len(set(ids)) == 4 and all(i and len(i) <= 63 for i in ids)
    assert ids[2] == "a" * 30 + "-" + "b" * 24 + "-brigade" and ids[3] == "a" * 30 + "-" + "b" * 30 + "-2"


def test_a_website_shared_by_many_entries_names_a_few(registry: Any) -> None:
    entries = [brigade(f"Code for Town {i}", website="https://same.example.org/") for i in range(12)]
    plan = plan_import(load(registry.root), entries)
    note = plan.outcomes[0].notes[0]
    assert note == ("website https://same.example.org/ recorded as a link (also listed for Code for Town 1, "
                    "Code for Town 10, Code for Town 11, Code for Town 2, Code for Town 3 and 6 others)")
    few = plan_import(load(registry.root), entries[:2]).outcomes[1].notes[0]
    assert few == "website https://same.example.org/ recorded as a link (also listed for Code for Town 0)"
