"""`peernet schema docs`: the field reference is generated from the schemas, and the
committed docs/fields.md is exactly that output (so CI catches drift)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from peernet_cli.publish.schemadocs import fields, render_markdown
from peernet_cli.registry.schemas import KINDS, enum_values, schema_dir

ROOT = Path(__file__).resolve().parent.parent
FIELDS_MD = ROOT / "docs" / "fields.md"


def test_committed_field_reference_is_the_generator_output():
    assert FIELDS_MD.read_text(encoding="utf-8") == render_markdown(), (
        "docs/fields.md is out of date; run: peernet schema docs --output docs/fields.md"
    )


def _property_names(node: Any) -> set[str]:
    """Every property name defined anywhere in a schema document (walked independently of
    schemadocs, which follows $refs)."""
    names: set[str] = set()
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            names.add(name)
            names |= _property_names(sub)
        for key, sub in node.items():
            if key != "properties":
                names |= _property_names(sub)
    elif isinstance(node, list):
        for item in node:
            names |= _property_names(item)
    return names


def test_every_schema_property_appears_in_the_reference():
    text = render_markdown()
    documented = set(re.findall(r"^\| `([^`]+)` \|", text, re.MULTILINE))
    leaves = {path.rsplit(".", 1)[-1] for path in documented}
    for schema_file in sorted(schema_dir().glob("*.schema.json")):
        names = _property_names(json.loads(schema_file.read_text(encoding="utf-8")))
        missing = names - leaves
        assert not missing, f"{schema_file.name}: not in the field reference: {sorted(missing)}"


def test_every_top_level_property_has_a_row_in_its_kind_section():
    text = render_markdown()
    for kind in KINDS.values():
        schema = json.loads((schema_dir() / kind.schema_file).read_text(encoding="utf-8"))
        section = text.split(f"\n## {schema['title']}\n", 1)[1].split("\n## ", 1)[0]
        for name in schema["properties"]:
            assert f"| `{name}` |" in section, f"{kind.name}.{name}"


def test_rows_carry_type_required_allowed_values_and_description():
    rows = {f.path: f for f in fields("partnership")}
    status = rows["status"]
    assert status.required and status.type == "choice"
    assert status.allowed == ", ".join(f"`{v}`" for v in enum_values("partnership", "status"))
    assert status.description == "Where the relationship stands now."
    assert rows["brigade"].type == "Identifier" and rows["brigade"].required
    assert rows["start_date"].type == "Date (reduced precision allowed)" and not rows["start_date"].required
    assert rows["priorities"].type == "list of Text"
    assert rows["sources"].allowed == ("at least 1 item; each item needs at least one of "
                                       "`document`, `url`, `title`")
    # Nested objects, with their own required fields and constraints.
    assert rows["milestones[].description"].required
    assert rows["sources[].url"].type == "URL" and not rows["sources[].url"].required
    event = {f.path: f for f in fields("event")}
    assert event["attendance.people"].type == "whole number" and event["attendance.people"].allowed == "0 to 10000000"
    brigade = {f.path: f for f in fields("brigade")}
    assert brigade["location.latitude"].allowed == "-90 to 90"
    assert "`latitude` needs `longitude`" in brigade["location"].allowed


def test_markdown_is_safe_to_render():
    text = render_markdown()
    # '<brigade id>' would vanish as an HTML tag; pipes in patterns would split cells.
    assert "&lt;brigade id&gt;--&lt;partner id&gt;" in text
    for line in text.splitlines():
        if line.startswith("| `"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 6, line


def test_cli_writes_stdout_or_a_file(cli, tmp_path):
    result = cli("schema", "docs")
    assert result.exit_code == 0
    assert result.stdout == render_markdown()
    target = tmp_path / "out" / "fields.md"
    result = cli("schema", "docs", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == render_markdown()
    assert result.stdout == ""
    result = cli("schema", "docs", "--output", str(tmp_path))
    assert result.exit_code == 2
    assert "is a folder" in result.stderr
