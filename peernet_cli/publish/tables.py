"""The registry as tables: the columns every export shares (CSV, JSON, SQLite, Data Package),
derived from the JSON Schemas, and CSV text of them. See export.py for the column rules."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peernet_cli.errors import InvalidDataError
from peernet_cli.publish.formats import finite, json_text, spreadsheet_safe
from peernet_cli.registry.loader import Record, Registry
from peernet_cli.registry.schemas import KINDS, load_schema, resolve

SCALARS = ("string", "number", "integer", "boolean")
ORG_KINDS = ("brigade", "partner", "network")


@dataclass(frozen=True)
class Column:
    """One exported column: where its value sits in a record and what type it has."""

    name: str  # e.g. location_city
    path: tuple[str, ...]  # e.g. ("location", "city")
    type: str  # string | number | integer | boolean | json
    title: str
    description: str
    date: str | None = None  # "full" for YYYY-MM-DD fields, "partial" for reduced-precision dates

    @property
    def sql_type(self) -> str:
        return {"number": "REAL", "integer": "INTEGER", "boolean": "INTEGER"}.get(self.type, "TEXT")


def _scalar_type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if kind in SCALARS:
        return str(kind)
    if kind is None and "enum" in schema and all(isinstance(v, str) for v in schema["enum"]):
        return "string"
    return None


def _date_kind(schema: dict[str, Any]) -> str | None:
    if schema.get("type") != "string":
        return None
    if schema.get("format") == "date":
        return "full"
    if str(schema.get("pattern", "")).startswith("^[0-9]{4}("):
        return "partial"
    return None


def columns(kind: str) -> list[Column]:
    """The exported columns of a kind, in schema property order."""
    base = load_schema(KINDS[kind].schema_file)
    out: list[Column] = []
    for name, prop in base["properties"].items():
        schema, doc = resolve(prop, base)
        title, desc = str(schema.get("title", name)), str(schema.get("description", ""))
        scalar = _scalar_type(schema)
        if scalar:
            out.append(Column(name, (name,), scalar, title, desc, _date_kind(schema)))
            continue
        subs = schema.get("properties") if schema.get("type") == "object" else None
        resolved = {k: resolve(v, doc)[0] for k, v in (subs or {}).items()}
        if resolved and all(_scalar_type(s) for s in resolved.values()):
            for sub, sub_schema in resolved.items():
                out.append(Column(f"{name}_{sub}", (name, sub), _scalar_type(sub_schema) or "string",
                                  f"{title}: {sub_schema.get('title', sub)}",
                                  str(sub_schema.get("description", "")), _date_kind(sub_schema)))
        else:
            out.append(Column(name, (name,), "json", title, desc))
    return out


# --- records to rows -------------------------------------------------------------------


def sorted_records(reg: Registry, kind: str) -> list[Record]:
    return [reg.of(kind)[i] for i in sorted(reg.of(kind))]


def row_values(record: Record, cols: list[Column], rel: str) -> dict[str, Any]:
    """The record's values by column (Python values; None for absent). Refuses fields the
    columns cannot hold, so an export never drops data silently."""
    data = record.data
    known_top = {c.path[0] for c in cols}
    nested: dict[str, set[str]] = {}
    for c in cols:
        if len(c.path) == 2:
            nested.setdefault(c.path[0], set()).add(c.path[1])
    for key in data:
        if key not in known_top:
            raise InvalidDataError(f"field '{key}' is not in the {record.kind} schema, so it cannot be "
                                   "exported; run 'peernet validate'", rel)
    for key, subs in nested.items():
        mapping = data.get(key)
        if mapping is None:
            continue
        if not isinstance(mapping, dict):
            raise InvalidDataError(f"'{key}' must be a mapping to be exported; run 'peernet validate'", rel)
        for sub in mapping:
            if sub not in subs:
                raise InvalidDataError(f"field '{key}.{sub}' is not in the {record.kind} schema, so it "
                                       "cannot be exported; run 'peernet validate'", rel)
    out: dict[str, Any] = {}
    for c in cols:
        value: Any = data.get(c.path[0])
        if len(c.path) == 2:
            value = value.get(c.path[1]) if isinstance(value, dict) else None
        if value is not None and c.type != "json" and isinstance(value, (list, dict)):
            raise InvalidDataError(f"'{'.'.join(c.path)}' must be a single value to be exported; "
                                   "run 'peernet validate'", rel)
        out[c.name] = finite(value)
    return out


def non_finite(reg: Registry) -> list[str]:
    """`file: field` for every number that is NaN or infinite (exported as absent)."""
    found: list[str] = []
    for kind in KINDS:
        for record in sorted_records(reg, kind):
            fields: list[str] = []
            finite(record.data, fields)
            found.extend(f"{reg.relpath(record.path)}: {field}" for field in fields)
    return found


def cell(value: Any, col: Column, raw: bool = False) -> str:
    """The CSV text of a value (see the module docstring for the rule)."""
    if value is None:
        return ""
    if col.type == "json" or isinstance(value, (list, dict)):
        return json_text(value, indent=None)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    return text if raw else spreadsheet_safe(text)



@dataclass
class Table:
    kind: str
    cols: list[Column]
    rows: list[dict[str, Any]]

    @property
    def name(self) -> str:
        return KINDS[self.kind].folder


def tables(reg: Registry) -> list[Table]:
    out = []
    for kind in KINDS:
        cols = columns(kind)
        out.append(Table(kind, cols, [row_values(r, cols, reg.relpath(r.path)) for r in sorted_records(reg, kind)]))
    return out


def organizations(reg: Registry) -> list[dict[str, str]]:
    rows = [{"id": r.id, "kind": kind, "name": r.name} for kind in ORG_KINDS for r in sorted_records(reg, kind)]
    return sorted(rows, key=lambda r: r["id"])


def csv_text(table: Table, raw: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.name for c in table.cols])
    for row in table.rows:
        writer.writerow([cell(row[c.name], c, raw) for c in table.cols])
    return buf.getvalue()


def _plain_csv(header: list[str], rows: list[dict[str, Any]], raw: bool = False) -> str:
    """Rows of text (ids, kinds, names) as CSV, formula-guarded unless `raw`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else str(row[h]) if raw else spreadsheet_safe(str(row[h]))
                         for h in header])
    return buf.getvalue()


# --- formats ---------------------------------------------------------------------------


def to_json(reg: Registry) -> str:
    """One JSON document {brigades: [...], partners: [...], ...}, records as in their files
    (a number that is not finite as null: see `non_finite`)."""
    doc = {KINDS[k].folder: [r.data for r in sorted_records(reg, k)] for k in KINDS}
    return json_text(doc) + "\n"


def write_csv_folder(reg: Registry, folder: Path, with_organizations: bool = False,
                     raw: bool = False) -> dict[str, int]:
    counts = {}
    for table in tables(reg):
        (folder / f"{table.name}.csv").write_text(csv_text(table, raw), encoding="utf-8")
        counts[table.name] = len(table.rows)
    if with_organizations:
        (folder / "organizations.csv").write_text(
            _plain_csv(["id", "kind", "name"], organizations(reg), raw), encoding="utf-8")
    return counts


# Foreign keys: (table, column) -> (referenced table, column). The partner of a partnership
# may be a brigade, so it references organizations (brigades, partners and networks).
FOREIGN_KEYS: dict[tuple[str, str], tuple[str, str]] = {
    ("brigades", "successor"): ("brigades", "id"),
    ("partners", "parent"): ("partners", "id"),
    ("networks", "parent"): ("networks", "id"),
    ("networks", "operator"): ("organizations", "id"),
    ("partnerships", "brigade"): ("brigades", "id"),
    ("partnerships", "partner"): ("organizations", "id"),
    ("partnerships", "introduced_by"): ("organizations", "id"),
    ("partnerships", "referred_by"): ("organizations", "id"),
}


# --- writing safely ----------------------------------------------------------------------


