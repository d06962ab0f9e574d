"""Every YAML reader sees the same data: the canonical form quotes whatever a YAML 1.1 reader
(PyYAML's safe_load, js-yaml 3 under ajv-cli) would read as a date, number or boolean."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from peernet_cli.change.reformat import format_text
from peernet_cli.registry import yamlio

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "registry").rglob("*.yaml"))

MODELINE = "# yaml-language-server: $schema=../../schemas/event.schema.json\n"
WEBINAR = MODELINE + """id: webinar
name: A webinar
type: webinar
start_date: 2011-02-08
start_time: 10:00
sources:
  - document: seed.txt
"""


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pyyaml_reads_every_bundled_record_as_peernet_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yaml.safe_load(text) == yamlio.parse(path).data


@pytest.mark.parametrize("value", ["2011-02-08", "10:00", "ON", "off", "yes", "No", "y", "N", "~",
                                   "null", "012", "0o12", "1_000", "3.0", ".inf", "2001-12-14t21:59:43.10-05:00"])
def test_fmt_quotes_what_a_yaml_1_1_reader_would_not_read_as_text(value: str) -> None:
    record = format_text("partner", f"id: x\nname: '{value}'\nclassification: nonprofit\n")
    assert yaml.safe_load(record)["name"] == value
    assert yamlio.parse_text(record)[0]["name"] == value


def test_fmt_quotes_unquoted_dates_and_times_and_then_every_reader_agrees() -> None:
    formatted = format_text("event", WEBINAR)
    assert "start_date: '2011-02-08'" in formatted and "start_time: '10:00'" in formatted
    assert yaml.safe_load(formatted) == yamlio.parse_text(formatted)[0]
    assert format_text("event", formatted) == formatted


def test_fmt_leaves_ordinary_text_unquoted() -> None:
    formatted = format_text("partner", "id: x\nname: Open data 2020\nclassification: nonprofit\n")
    assert "name: Open data 2020\n" in formatted


def test_fmt_keeps_an_impossible_date_as_written_for_validate_to_report() -> None:
    formatted = format_text("event", WEBINAR.replace("2011-02-08", "2020-02-30"))
    assert "start_date: '2020-02-30'" in formatted


def test_fmt_check_reports_a_repeated_modeline_and_fmt_writes_it_once(registry, cli) -> None:
    path = registry.write("registry/events/webinar.yaml", MODELINE + WEBINAR.replace("2011-02-08", "'2011-02-08'")
                          .replace("10:00", "'10:00'"))
    check = cli("fmt", "--check", root=registry.root)
    assert check.exit_code == 1
    assert "-" + MODELINE in check.stdout
    assert cli("fmt", root=registry.root).exit_code == 0
    assert path.read_text(encoding="utf-8").count("yaml-language-server") == 1
    assert cli("fmt", "--check", root=registry.root).exit_code == 0


def test_validate_warns_of_a_repeated_modeline(registry, cli) -> None:
    registry.write("registry/events/webinar.yaml", MODELINE + WEBINAR.replace("2011-02-08", "'2011-02-08'")
                   .replace("10:00", "'10:00'"))
    result = cli("validate", root=registry.root)
    assert result.exit_code == 0
    assert "registry/events/webinar.yaml:2:1: warning: the modeline is written twice" in result.stdout


def test_validate_warns_of_unquoted_values_a_yaml_1_1_reader_reads_otherwise(registry, cli) -> None:
    registry.write("registry/events/webinar.yaml", WEBINAR)
    result = cli("validate", root=registry.root)
    assert result.exit_code == 0
    assert ("registry/events/webinar.yaml:5:13: warning: start_date: 2011-02-08 is unquoted, so YAML 1.1 "
            "readers (PyYAML, ajv-cli) read it as a date") in result.stdout
    assert "webinar.yaml:6:13: warning: start_time: 10:00 is unquoted" in result.stdout and "as 600" in result.stdout
    assert cli("fmt", root=registry.root).exit_code == 0
    assert "warning" not in cli("validate", root=registry.root).stdout
