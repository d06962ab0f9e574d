"""Hostile text in a record: wherever it leaves peernet it is shown, never obeyed.

A terminal gets no markup and no control codes (output.safe_text, rich Text cells); a CI log
gets no workflow command (output.ci_safe, output.workflow_command); a spreadsheet gets no
formula (output.spreadsheet_safe, `--raw` to turn it off); JSON is always JSON; SQLite takes
every number; the schema refuses control characters in single-line text, NaN and absurd
numbers; `--traceback` keeps the error's exit code. Every case runs the real CLI.

The hypothesis test at the end writes random hostile names through `partners add` and reads
them back through listings, `show` and exports. It uses the `security` profile (30 examples,
registered in conftest.py); `pytest --hypothesis-profile=security-long` runs 500.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import sqlite3
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from peernet_cli.cli import output
from peernet_cli.registry.schemas import is_valid_quickly, validator

Cli = Callable[..., Any]

SOURCE = "sources:\n  - document: a.txt\n"
PARTNER = "# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
EVENT = "# yaml-language-server: $schema=../../schemas/event.schema.json\n"
MARKUP = "[/] [link=https://evil.example]x[/link] [bold red]y"
# Every control character (Unicode Cc) but the line break, which a table cell may hold.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
SGR = re.compile("\x1b\\[[0-9;]*m")


def partner_file(registry: Any, pid: str, body: str) -> Path:
    """A partner record written as YAML text, so it can hold what `add` would refuse."""
    return registry.write(f"registry/partners/{pid}.yaml",
                          PARTNER + f"id: {pid}\n{body}classification: nonprofit\n{SOURCE}")


def assert_clean_run(result: Any, code: int = 0) -> None:
    out = result.stdout + result.stderr
    assert result.exit_code == code, out
    assert "Traceback" not in out


def workflow_lines(text: str) -> list[str]:
    """The lines a GitHub Actions runner would read as a workflow command: `::` after leading
    whitespace (its TrimStart), or the older `##[` anywhere; lines split at CR and LF too."""
    return [line for line in re.split("\r\n|\r|\n", text) if line.lstrip().startswith("::") or "##[" in line]


# --- 1. a terminal ------------------------------------------------------------------------------


@pytest.fixture
def markup_registry(registry: Any) -> Any:
    """A partner named with rich markup, partnered with Code for Boston and never contacted."""
    registry.add("partner", {"id": "evil-markup", "name": MARKUP, "classification": "nonprofit",
                             "sources": [{"document": "a.txt"}]})
    registry.add("partnership", {"id": "code-for-boston--evil-markup", "brigade": "code-for-boston",
                                 "partner": "evil-markup", "status": "active", "sources": [{"document": "a.txt"}]})
    return registry


TABLE_COMMANDS = [
    ["partners", "list"],
    ["partners", "show", "evil-markup"],
    ["brigades", "show", "boston"],
    ["partnerships", "list"],
    ["partnerships", "show", "boston", "evil-markup"],
    ["search", "evil"],
    ["report", "followups", "--as-of", "2026-01-01"],
]


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("color", ["never", "always"])
def test_markup_in_a_name_is_printed_literally_by_every_table_command(
        markup_registry: Any, cli: Cli, args: list[str], color: str) -> None:
    result = cli("--color", color, *args, root=markup_registry.root)

    assert_clean_run(result)
    shown = SGR.sub("", result.stdout)
    assert "[/]" in shown and "[link=https://evil.example]x[/link]" in shown and "[bold red]y" in shown
    assert "\x1b]8;" not in result.stdout            # no terminal hyperlink
    assert "\x1b[1;31m" not in result.stdout and "\x1b[31m" not in result.stdout  # no red from the data


def test_validate_accepts_markup_as_text(markup_registry: Any, validate: Cli) -> None:
    result = validate(markup_registry.root)
    assert_clean_run(result)
    assert result.stdout == ""


ESCAPES = r'"a\e]0;title\a b\e[2J c\0d \x9b e\x7f"'


def test_control_characters_in_an_unvalidated_record_are_shown_not_sent(registry: Any, cli: Cli) -> None:
    partner_file(registry, "esc", f"name: {ESCAPES}\n")

    for args in (["partners", "list"], ["partners", "show", "esc"], ["search", "title"]):
        result = cli("--color", "never", *args, root=registry.root)
        assert_clean_run(result)
        assert not RAW_CONTROL.search(result.stdout), repr(result.stdout)
        assert r"a\x1b]0;title\x07 b\x1b[2J c\x00d \x9b e\x7f" in result.stdout


def test_json_output_keeps_the_exact_value_and_sends_no_control_character(registry: Any, cli: Cli) -> None:
    partner_file(registry, "esc", f"name: {ESCAPES}\n")

    result = cli("partners", "show", "esc", "--format", "json", root=registry.root)

    assert_clean_run(result)
    assert json.loads(result.stdout)["record"]["name"] == "a\x1b]0;title\x07 b\x1b[2J c\x00d \x9b e\x7f"
    assert not RAW_CONTROL.search(result.stdout)  # C0 escaped by JSON itself, DEL and C1 by peernet


def test_a_name_typed_with_escape_codes_is_quoted_visibly_in_the_error(registry: Any, cli: Cli) -> None:
    result = cli("partners", "show", "\x1b[2Jnobody\x07", root=registry.root)

    assert_clean_run(result, 2)
    assert "\\x1b[2Jnobody\\x07" in result.stderr
    assert not RAW_CONTROL.search(result.stderr)
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("value", "keep", "shown"), [
    ("plain [bold] text", "", "plain [bold] text"),
    ("a\x1b[2Jb", "", "a\\x1b[2Jb"),
    ("tab\there\r\n", "", "tab\\there\\r\\n"),
    ("two\nlines", "\n", "two\nlines"),
    ("c1 \x9b del \x7f nul \x00", "", "c1 \\x9b del \\x7f nul \\x00"),
    ("sep\u2028par\u2029", "", "sep\\u2028par\\u2029"),
    ("bidi \u202egnp.exe zero\u200bwidth", "", "bidi \\u202egnp.exe zero\\u200bwidth"),
    ("family \U0001f469\u200d\U0001f467 caf\u00e9 \u00a0nbsp", "", "family \U0001f469\u200d\U0001f467 caf\u00e9 \u00a0nbsp"),
    (42, "", "42"),
])
def test_safe_text_shows_every_control_character(value: object, keep: str, shown: str) -> None:
    assert output.safe_text(value, keep) == shown


# --- 2. a CI log ----------------------------------------------------------------------------------

INJECTED_NAME = "registry/partners/bad\n::error file=README.md,line=1::owned.yaml"
# Valid YAML, not canonical (no modeline, keys out of order), so `fmt --check` prints its diff.
INJECTED_BODY = ("classification: nonprofit\nid: bad\nname: '##[error]legacy command'\n"
                 "description: |\n  ::warning::from a block scalar\n  ::error::second\n" + SOURCE)


def test_fmt_check_prints_no_workflow_command(registry: Any, cli: Cli) -> None:
    registry.write(INJECTED_NAME, INJECTED_BODY)

    result = cli("fmt", "--check", root=registry.root)

    assert_clean_run(result, 1)
    assert workflow_lines(result.stdout) == [] and workflow_lines(result.stderr) == []
    assert "--- a/registry/partners/bad\\n::error file=README.md,line=1::owned.yaml" in result.stdout
    assert "\n   \\::warning::from a block scalar\n" in result.stdout  # a context line: " " + "  ::…"
    assert "##\\[error]legacy command" in result.stdout


def test_fmt_names_a_skipped_file_on_one_line(registry: Any, cli: Cli) -> None:
    registry.write("registry/partners/broken\n::error::x.yaml", "id: [unclosed\n")

    result = cli("fmt", "--check", root=registry.root)

    assert "Traceback" not in result.stdout + result.stderr
    assert workflow_lines(result.stderr) == []
    assert any("broken\\n::error::x.yaml" in line for line in result.stderr.splitlines())


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_text_and_json_print_no_workflow_command(registry: Any, validate: Cli, fmt: str) -> None:
    registry.write(INJECTED_NAME, INJECTED_BODY)

    result = validate(registry.root, "--format", fmt)

    assert_clean_run(result, 1)
    assert workflow_lines(result.stdout) == [] and workflow_lines(result.stderr) == []
    if fmt == "json":
        files = {f["file"] for f in json.loads(result.stdout)["findings"]}
        assert INJECTED_NAME in files  # the exact name survives in JSON


def test_validate_github_writes_one_annotation_per_finding(registry: Any, validate: Cli) -> None:
    registry.write(INJECTED_NAME, INJECTED_BODY)
    partner_file(registry, "esc", f"name: {ESCAPES}\n")
    findings = json.loads(validate(registry.root, "--format", "json").stdout)["findings"]

    result = validate(registry.root, "--format", "github")

    assert_clean_run(result, 1)
    lines = result.stdout.splitlines()
    assert len(lines) == len(findings) > 0
    assert all(re.match(r"::(error|warning) file=[^\r\n]*::", line) for line in lines)
    assert not RAW_CONTROL.search(result.stdout)
    assert any("file=registry/partners/bad%0A%3A%3Aerror file=README.md%2Cline=1%3A%3Aowned.yaml,"
               in line for line in lines)


def test_ci_safe_and_workflow_command() -> None:
    assert output.ci_safe("ok\n  ::error::x\r::warning::y\n##[error]z") == \
        "ok\n  \\::error::x\n\\::warning::y\n##\\[error]z"
    assert output.ci_safe("a\x1bb") == "a\\x1bb"
    assert output.workflow_command("error", {"file": "a,b:c\n%.yaml", "line": 3, "col": None,
                                             "title": "peernet\x1b x"}, "one\ntwo %") == \
        "::error file=a%2Cb%3Ac%0A%25.yaml,line=3,title=peernet\\x1b x::one%0Atwo %25"


# --- 3. the schema ----------------------------------------------------------------------------------

REFUSED_TEXT = [
    pytest.param("name", r'"a\e[2Jb"', id="escape-in-name"),
    pytest.param("name", r'"a\e]0;title\ab"', id="osc-title-in-name"),
    pytest.param("name", r'"a\0b"', id="nul-in-name"),
    pytest.param("name", r'"a\x9bb"', id="c1-in-name"),
    pytest.param("name", r'"line\n::error::x"', id="newline-in-name"),
    pytest.param("name", r'"trailing newline\n"', id="trailing-newline-in-name"),
    pytest.param("name", r'"tab\tin name"', id="tab-in-name"),
    pytest.param("description", r'"a\e[2Jb"', id="escape-in-description"),
    pytest.param("description", r'"a\tb"', id="tab-in-description"),
    pytest.param("website", r'"https://example.org/\e]8;;x"', id="escape-in-url"),
    pytest.param("website", r'"https://example.org/\n"', id="newline-after-url"),
    pytest.param("topics", r'["food\n"]', id="newline-after-topic"),
    pytest.param("location", r'{"city": "Bo\eston", "country": "US\n"}', id="escape-in-city-newline-after-country"),
]


@pytest.mark.parametrize(("field", "value"), REFUSED_TEXT)
def test_validate_refuses_control_characters_in_single_line_text(
        registry: Any, validate: Cli, field: str, value: str) -> None:
    body = f"{field}: {value}\n" + ("" if field == "name" else "name: Fine\n")
    partner_file(registry, "hostile", body)

    result = validate(registry.root)

    assert_clean_run(result, 1)
    lines = [line for line in result.stdout.splitlines() if "warning:" not in line]
    assert lines and all(line.startswith("registry/partners/hostile.yaml:") and f" {field}" in line
                         for line in lines), result.stdout
    assert not RAW_CONTROL.search(result.stdout)


def test_a_description_may_run_over_several_lines(registry: Any, validate: Cli) -> None:
    partner_file(registry, "paragraphs", 'name: Fine\ndescription: "First line.\\nSecond line.\\n"\n')
    assert_clean_run(validate(registry.root))


NUMBERS = [
    pytest.param("partner", {"location": {"latitude": math.nan, "longitude": 1.0}}, id="nan-latitude"),
    pytest.param("partner", {"location": {"latitude": 1.0, "longitude": math.nan}}, id="nan-longitude"),
    pytest.param("partner", {"location": {"latitude": math.inf, "longitude": 1.0}}, id="infinite-latitude"),
    pytest.param("partner", {"location": {"latitude": 1.0, "longitude": -math.inf}}, id="minus-infinite-longitude"),
    pytest.param("partner", {"location": {"latitude": 10**1200, "longitude": 1.0}}, id="1200-digit-latitude"),
    pytest.param("event", {"attendance": {"people": 10**1200}}, id="1200-digit-attendance"),
    pytest.param("event", {"attendance": {"people": math.nan}}, id="nan-attendance"),
    pytest.param("event", {"attendance": {"organizations": 1e300}}, id="1e300-organizations"),
]
BASE = {"partner": {"id": "x", "name": "X", "classification": "nonprofit", "sources": [{"document": "a"}]},
        "event": {"id": "x", "name": "X", "type": "summit", "sources": [{"document": "a"}]}}


@pytest.mark.parametrize(("kind", "extra"), NUMBERS)
def test_the_schema_refuses_nan_infinity_and_absurd_numbers(kind: str, extra: dict[str, Any]) -> None:
    data = {**BASE[kind], **extra}
    assert list(validator(kind).iter_errors(data))   # jsonschema, which validate reports from
    assert not is_valid_quickly(kind, data)            # and the generated quick check


@pytest.mark.parametrize("value", [0, 0.0, -0.0, 90, -90, 42.36, -71.06])
def test_the_nan_guard_lets_every_real_coordinate_through(value: float) -> None:
    data = {**BASE["partner"], "location": {"latitude": value, "longitude": value}}
    assert not list(validator("partner").iter_errors(data)) and is_valid_quickly("partner", data)


def test_validate_reports_a_nan_coordinate(registry: Any, validate: Cli) -> None:
    partner_file(registry, "nan", "name: Nan\nlocation:\n  latitude: .nan\n  longitude: -71.06\n")

    result = validate(registry.root)

    assert_clean_run(result, 1)
    assert result.stdout.startswith("registry/partners/nan.yaml:5:13: location.latitude: ")


# --- 6. exports ---------------------------------------------------------------------------------------

FORMULAS = {
    "hyperlink": '=HYPERLINK("https://evil.example","click")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "quoted": "'=already quoted",
}


@pytest.fixture
def formula_registry(registry: Any) -> Any:
    for pid, name in FORMULAS.items():
        registry.add("partner", {"id": pid, "name": name, "classification": "nonprofit",
                                 "location": {"city": "-Minus City", "latitude": -42.5, "longitude": -71.06},
                                 "sources": [{"document": "a.txt"}]})
    return registry


def read_csv(text: str) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_a_csv_listing_neutralises_formulas(formula_registry: Any, cli: Cli) -> None:
    result = cli("partners", "list", "--format", "csv", root=formula_registry.root)

    assert_clean_run(result)
    rows = read_csv(result.stdout)
    for pid, name in FORMULAS.items():
        assert rows[pid]["name"] == "'" + name
    assert rows["code-for-america"]["name"] == "Code for America"


def test_csv_rows_keep_numbers_and_raw_keeps_text() -> None:
    rows = [{"name": "=1+1", "lon": -71.06, "n": -3, "list": ["-a", "b"], "ok": "fine"}]
    assert output.to_csv(rows, ["name", "lon", "n", "list", "ok"]) == \
        "name,lon,n,list,ok\n'=1+1,-71.06,-3,'-a; b,fine\n"
    assert output.to_csv(rows, ["name", "lon"], raw=True) == "name,lon\n=1+1,-71.06\n"


@pytest.mark.parametrize(("text", "safe"), [
    ("=x", "'=x"), ("+x", "'+x"), ("-x", "'-x"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("'=x", "''=x"), ("''@x", "'''@x"), ("'x", "'x"), ("x=1", "x=1"), ("", ""), ("42", "42"),
])
def test_spreadsheet_safe_is_the_owasp_rule_and_can_be_undone(text: str, safe: str) -> None:
    assert output.spreadsheet_safe(text) == safe
    undone = safe[1:] if re.match("'+[=+\\-@\t\r]", safe) else safe
    assert undone == text


@pytest.mark.parametrize("fmt", ["csv", "datapackage"])
@pytest.mark.parametrize("raw", [False, True])
def test_csv_exports_neutralise_formulas_unless_raw(formula_registry: Any, cli: Cli, tmp_path: Path,
                                                    fmt: str, raw: bool) -> None:
    out = tmp_path / "out"
    result = cli("export", "--format", fmt, "--output", str(out), *(["--raw"] if raw else []),
                 root=formula_registry.root)

    assert_clean_run(result)
    files = ["partners.csv", "organizations.csv"] if fmt == "datapackage" else ["partners.csv"]
    for name in files:
        rows = read_csv((out / name).read_text(encoding="utf-8"))
        for pid, formula in FORMULAS.items():
            assert rows[pid]["name"] == (formula if raw else "'" + formula)
    partners = read_csv((out / "partners.csv").read_text(encoding="utf-8"))
    assert partners["minus"]["location_longitude"] == "-71.06"      # a number, never prefixed
    assert partners["minus"]["location_city"] == ("-Minus City" if raw else "'-Minus City")
    if fmt == "datapackage":
        description = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["description"]
        assert ("--raw" in description) is not raw


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_outputs_write_null_for_nan_with_a_warning(registry: Any, cli: Cli) -> None:
    partner_file(registry, "nan", "name: Nan\nlocation:\n  latitude: .nan\n  longitude: .inf\n")

    exported = cli("export", "--format", "json", "--output", "-", root=registry.root)
    shown = cli("partners", "show", "nan", "--format", "json", root=registry.root)

    assert_clean_run(exported)
    partner = next(p for p in strict_json(exported.stdout)["partners"] if p["id"] == "nan")
    assert partner["location"] == {"latitude": None, "longitude": None}
    assert "2 number(s) are NaN or infinite" in exported.stderr and "registry/partners/nan.yaml" in exported.stderr
    assert_clean_run(shown)
    assert strict_json(shown.stdout)["record"]["location"] == {"latitude": None, "longitude": None}
    assert "written as null (record.location.latitude, record.location.longitude)" in shown.stderr


@pytest.mark.parametrize("fmt", ["json", "sqlite", "csv", "datapackage"])
def test_every_export_takes_a_nan_coordinate(registry: Any, cli: Cli, tmp_path: Path, fmt: str) -> None:
    partner_file(registry, "nan", "name: Nan\nlocation:\n  latitude: .nan\n  longitude: 1.5\n")
    out = tmp_path / ("out.db" if fmt == "sqlite" else "out")

    result = cli("export", "--format", fmt, "--output", str(out), root=registry.root)

    assert_clean_run(result)
    assert "NaN or infinite" in result.stderr
    if fmt == "json":
        assert strict_json(out.read_text(encoding="utf-8"))
    elif fmt == "sqlite":
        with sqlite3.connect(out) as con:
            assert con.execute("SELECT location_latitude, location_longitude FROM partners WHERE id = 'nan'"
                               ).fetchone() == (None, 1.5)
    else:
        row = read_csv((out / "partners.csv").read_text(encoding="utf-8"))["nan"]
        assert (row["location_latitude"], row["location_longitude"]) == ("", "1.5")


@pytest.mark.parametrize("digits", [25, 1200])
def test_sqlite_takes_an_attendance_beyond_64_bits_that_validate_refuses(
        registry: Any, cli: Cli, validate: Cli, tmp_path: Path, digits: int) -> None:
    number = "7" * digits
    registry.write("registry/events/huge.yaml", EVENT + f"id: huge\nname: Huge\ntype: summit\n"
                   f"attendance:\n  people: {number}\n  organizations: 3\n{SOURCE}")

    refused = validate(registry.root)
    result = cli("export", "--format", "sqlite", "--output", str(tmp_path / "out.db"), root=registry.root)

    assert_clean_run(refused, 1)
    assert refused.stdout.startswith("registry/events/huge.yaml:6:11: ")  # out of range, or unreadable
    assert_clean_run(result)
    with sqlite3.connect(tmp_path / "out.db") as con:
        row = con.execute("SELECT attendance_people, attendance_organizations FROM events WHERE id = 'huge'"
                          ).fetchone()
    if row is None:  # the reader refuses a number this long: the file is left out, with a warning
        assert "could not be read and are left out" in result.stderr
    else:  # beyond SQLite's 64-bit INTEGER: the nearest REAL, as SQLite stores such a literal
        assert row == (float(number) if digits < 300 else math.inf, 3)
    if digits == 25:
        assert row is not None and "attendance.people: " in refused.stdout


# --- 7. --traceback --------------------------------------------------------------------------------


def test_traceback_keeps_the_usage_exit_code(registry: Any, cli: Cli) -> None:
    result = cli("--traceback", "partners", "show", "nobody", root=registry.root)

    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr and "NameNotFound" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("peernet: error: no partner named 'nobody'")


def test_traceback_keeps_the_invalid_data_exit_code(registry: Any, cli: Cli) -> None:
    partner_file(registry, "extra", "name: Extra\nunknown_field: 1\n")

    result = cli("--traceback", "export", "--format", "csv", "--output", str(registry.root.parent / "a"),
                 root=registry.root)
    plain = cli("export", "--format", "csv", "--output", str(registry.root.parent / "b"), root=registry.root)

    assert result.exit_code == plain.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr and "Traceback" not in plain.stderr


# --- the hypothesis profile: random names through add -> list / show / export -------------------------

PIECES = [
    "[/]", "[bold red]", "[link=https://evil.example]", "[/link]", ":smiley:", "[[", "]]",
    '=HYPERLINK("https://evil.example")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "'=",
    "::error file=a.yaml::owned", "##[error]x", "%0A", "\\", '"', ",", ";", "|",
    "\n", "\r", "\t", "\x1b[2J", "\x1b]0;title\x07", "\x00", "\x7f", "\x9b", "\u2028", "\u202e", "\u200b",
]
NAMES = st.lists(st.one_of(st.sampled_from(PIECES), st.text(string.ascii_letters + " éü", min_size=1, max_size=6)),
                 min_size=1, max_size=4).map("".join)
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # what the schema refuses in a name
_LOADED = getattr(settings, "get_current_profile_name", lambda: "default")()
PROFILE = settings.get_profile(_LOADED if _LOADED.startswith("security") else "security")
_ids = itertools.count()


@settings(PROFILE)
@given(name=NAMES)
def test_random_hostile_names_through_add_list_show_and_export(
        checkout: Any, cli: Cli, tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    root = checkout.root
    pid = f"hostile-{next(_ids)}"
    added = cli("partners", "add", "--name", name, "--id", pid, "--classification", "nonprofit",
                "--source", "a.txt", "--no-pr", root=root)

    assert "Traceback" not in added.stdout + added.stderr
    assert not RAW_CONTROL.search(added.stderr) and workflow_lines(added.stderr) == []
    if CONTROL.search(name):
        assert added.exit_code == 1 and "nothing was written" in added.stderr, added.stderr
        return
    if not name.strip():
        assert added.exit_code in (0, 1, 2)
        return
    assert added.exit_code == 0, added.stderr
    checkout.git("commit", "-q", "-m", f"add {pid}")  # the next add wants a clean tree
    stored = yaml.safe_load((root / f"registry/partners/{pid}.yaml").read_text(encoding="utf-8"))["name"]

    listed = cli("partners", "list", "--format", "json", root=root)
    assert_clean_run(listed)
    assert {p["id"]: p["name"] for p in strict_json(listed.stdout)}[pid] == stored

    as_csv = cli("partners", "list", "--format", "csv", root=root)
    assert_clean_run(as_csv)
    assert read_csv(as_csv.stdout)[pid]["name"] == output.spreadsheet_safe(stored)

    shown = cli("partners", "show", pid, "--format", "json", root=root)
    assert_clean_run(shown)
    assert strict_json(shown.stdout)["record"]["name"] == stored

    for args in (["partners", "list"], ["partners", "show", pid]):
        table = cli("--color", "always", *args, root=root)
        assert_clean_run(table)
        text = SGR.sub("", table.stdout)
        assert not RAW_CONTROL.search(text) and "\x1b]8;" not in table.stdout
        if args[1] == "show":
            assert output.safe_text(stored).strip() in text

    exported = cli("export", "--format", "json", "--output", "-", root=root)
    assert_clean_run(exported)
    assert {p["id"]: p["name"] for p in strict_json(exported.stdout)["partners"]}[pid] == stored

    out = tmp_path_factory.mktemp("csv") / "out"
    assert_clean_run(cli("export", "--format", "csv", "--output", str(out), root=root))
    assert read_csv((out / "partners.csv").read_text(encoding="utf-8"))[pid]["name"] == \
        output.spreadsheet_safe(stored)


def test_a_csv_listing_with_raw_writes_text_exactly(formula_registry, cli):
    rows = read_csv(cli("partners", "list", "--format", "csv", "--raw", root=formula_registry.root).stdout)
    assert all(rows[pid]["name"] == name for pid, name in FORMULAS.items())
