"""`peernet export`: the whole registry as CSV, JSON, SQLite or a Frictionless Data Package.

Columns (CSV, SQLite, Data Package) come from the JSON Schemas, in schema property order:

- a scalar field is one column (booleans written `true`/`false`, numbers as JSON numbers);
- an object whose properties are all scalars (`location`, `social`, `attendance`) becomes one
  column per property, named `<field>_<property>` (`location_city`, `social_twitter`…), in
  schema order;
- every list (of scalars such as `aliases`, `topics`, `organizers`, or of objects such as
  `sources`, `links`, `other_names`, `networks`, `milestones`, `projects`) is one column holding
  the list as JSON text (`["boston"]`, `[{"document": "…", "note": "…"}]`);
- an empty cell means the field is absent (the schema allows no empty strings); an empty
  list is `[]`, so it stays distinct from an absent one;
- text starting with `=`, `+`, `-`, `@`, a tab or a carriage return (after any `'`) gets one
  leading `'`, so a spreadsheet shows it instead of running it as a formula (the OWASP rule,
  `output.spreadsheet_safe`); `--raw` writes text exactly. Numbers are never changed.

This is lossless for every valid record: reading a cell back is "empty → absent, JSON column →
json.loads, number → json.loads, boolean → true/false, else the text, less one leading `'`
when quotes are followed by one of = + - @ tab CR" (with `--raw`: else the text). A record
holding a field the schema does not know is refused rather than silently dropped (run
`peernet validate`). A number the schema refuses because it is not finite (NaN, infinity) is
written as absent: JSON null, an empty cell, SQL NULL (`non_finite` lists them for a warning).
JSON is always valid JSON (`output.json_text`).

SQLite (`export_sqlite`): one table per kind with exactly these columns, plus an
organizations table, foreign keys, link tables and indexes. Data Package
(`export_datapackage`): these CSVs plus organizations.csv and a datapackage.json descriptor.
Both share FOREIGN_KEYS below.

Output is written to a temporary file or folder next to the target, then renamed into place.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InvalidDataError, UsageError
from .output import finite, json_text, spreadsheet_safe
from .registry import Record, Registry
from .schemas import KINDS, load_schema, resolve

FORMATS = ("csv", "json", "sqlite", "datapackage")
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


def _not_empty(path: Path) -> bool:
    if path.is_dir():
        return any(path.iterdir())
    return path.exists() and path.stat().st_size > 0


def check_target(output: Path, folder: bool, force: bool, root: Path | None = None) -> None:
    """Refuse to overwrite a non-empty output without --force, and never replace the
    registry itself or a folder that contains it."""
    if root is not None:
        resolved, reg = output.resolve(), root.resolve()
        if resolved == reg or reg.is_relative_to(resolved) or resolved.is_relative_to(reg / "registry"):
            raise UsageError("the output would replace or sit inside the registry; choose another path", output)
    if output.is_dir() and not folder:
        raise UsageError("is a folder; give a file path for this format", output)
    if _not_empty(output) and not force:
        raise UsageError("already exists and is not empty; pass --force to replace it", output)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _publish_folder(output: Path, fill: Callable[[Path], dict[str, int]]) -> dict[str, int]:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    try:
        counts = fill(tmp)
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; give it a plain mkdir's mode
        old = None
        if output.exists() or output.is_symlink():
            old = output.with_name(f".{output.name}.old-{os.getpid()}")
            os.rename(output, old)
        os.rename(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
    return counts


def _publish_file(output: Path, fill: Callable[[Path], dict[str, int]]) -> dict[str, int]:
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()  # sqlite3 wants to create the file itself
        counts = fill(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return counts


def export(reg: Registry, fmt: str, output: Path, force: bool = False, raw: bool = False) -> dict[str, int]:
    """Write the registry to `output` in `fmt`; returns the number of rows per table. `raw`:
    CSV text exactly as stored, without the formula guard (csv and datapackage)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    folder = fmt in ("csv", "datapackage")
    check_target(output, folder, force, reg.root)
    tables(reg)  # refuse data that cannot be exported before touching anything
    if fmt == "csv":
        return _publish_folder(output, lambda tmp: write_csv_folder(reg, tmp, raw=raw))
    if fmt == "datapackage":
        from .export_datapackage import write_datapackage

        return _publish_folder(output, lambda tmp: write_datapackage(reg, tmp, raw))
    if fmt == "sqlite":
        from .export_sqlite import write_sqlite

        return _publish_file(output, lambda tmp: write_sqlite(reg, tmp))

    def fill_json(tmp: Path) -> dict[str, int]:
        tmp.write_text(to_json(reg), encoding="utf-8")
        return {KINDS[k].folder: len(reg.of(k)) for k in KINDS}

    return _publish_file(output, fill_json)


def iter_counts(counts: dict[str, int]) -> Iterator[str]:
    for name, n in counts.items():
        yield f"{n} {name}"
