"""`peernet export --format sqlite`: the registry as one SQLite database (for Datasette).

SQLite: one table per kind with exactly the CSV columns (TEXT / REAL / INTEGER, booleans 0/1,
PRIMARY KEY id), plus
- `organizations(id, kind, name)`: every brigade, partner and network, because several
  references may point at more than one kind (a partnership's partner may be a brigade);
- in `partnerships`: `brigade` REFERENCES brigades(id), `partner` REFERENCES organizations(id),
  and two derived nullable columns `partner_partner_id` REFERENCES partners(id) and
  `partner_brigade_id` REFERENCES brigades(id) (exactly one is set), so joins and Datasette's
  foreign-key links work for brigade-collaboration partnerships too;
- link tables for many-to-many relations: `event_organizers`, `event_participants`
  (event_id, organization_id, position) and `memberships` (member_id, member_kind,
  network_id, role, start_date, end_date, note, position);
- indexes on every foreign-key and common filter column.

Every value the schema allows fits. Beyond it, nothing fails the export: a whole number outside
SQLite's 64-bit INTEGER is passed as its decimal text, which the INTEGER column turns into the
nearest REAL (as SQLite does with any integer literal that large), and NaN or infinity, already
absent in the rows (`export.row_values`), is NULL.

Output is written by `export.export` (to a temporary file, then renamed into place).
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

from peernet_cli.publish.formats import json_text
from peernet_cli.publish.tables import FOREIGN_KEYS, Column, organizations, sorted_records, tables
from peernet_cli.registry.loader import Registry

INT64 = range(-(2**63), 2**63)


def sql_value(value: Any, col: Column) -> Any:
    if value is None:
        return None
    if col.type == "json" or isinstance(value, (list, dict)):
        return json_text(value, indent=None)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and value not in INT64:
        return str(value)  # sqlite3 raises OverflowError on an int beyond 64 bits; float() may too
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _cell_value(value: Any) -> Any:
    """A value for a link-table column (ids, roles, dates, notes from lists in the records)."""
    if isinstance(value, (list, dict)):
        return json_text(value, indent=None)
    if isinstance(value, int) and not isinstance(value, bool) and value not in INT64:
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


INDEXED = {
    "brigades": ["status", "classification", "location_state", "location_country", "successor"],
    "partners": ["classification", "parent", "location_state"],
    "partnerships": ["brigade", "partner", "partner_partner_id", "partner_brigade_id", "status", "kind",
                     "introduced_by", "referred_by"],
    "events": ["type", "start_date"],
    "networks": ["classification", "parent", "operator"],
    "organizations": ["kind"],
    "event_organizers": ["event_id", "organization_id"],
    "event_participants": ["event_id", "organization_id"],
    "memberships": ["member_id", "network_id", "role"],
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create(con: sqlite3.Connection, table: str, cols: list[tuple[str, str]], pk: list[str] | None,
            fks: dict[str, tuple[str, str]]) -> None:
    parts = [f"{_q(n)} {t}" + (" NOT NULL" if pk and n in pk else "") for n, t in cols]
    if pk:
        parts.append(f"PRIMARY KEY ({', '.join(_q(p) for p in pk)})")
    for col, (ref_table, ref_col) in fks.items():
        parts.append(f"FOREIGN KEY ({_q(col)}) REFERENCES {_q(ref_table)}({_q(ref_col)})")
    con.execute(f"CREATE TABLE {_q(table)} (\n  " + ",\n  ".join(parts) + "\n)")
    for col in INDEXED.get(table, []):
        con.execute(f"CREATE INDEX {_q(f'idx_{table}_{col}')} ON {_q(table)}({_q(col)})")


def _insert(con: sqlite3.Connection, table: str, names: list[str], rows: list[list[Any]]) -> None:
    marks = ", ".join("?" for _ in names)
    con.executemany(f"INSERT INTO {_q(table)} ({', '.join(_q(n) for n in names)}) VALUES ({marks})", rows)


def write_sqlite(reg: Registry, path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    counts: dict[str, int] = {}
    try:
        with con:
            _create(con, "organizations", [("id", "TEXT"), ("kind", "TEXT"), ("name", "TEXT")], ["id"], {})
            orgs = organizations(reg)
            _insert(con, "organizations", ["id", "kind", "name"], [[o["id"], o["kind"], o["name"]] for o in orgs])
            kind_of = {o["id"]: o["kind"] for o in orgs}
            for table in tables(reg):
                cols = [(c.name, c.sql_type) for c in table.cols]
                extra: list[str] = []
                if table.name == "partnerships":
                    extra = ["partner_partner_id", "partner_brigade_id"]
                    cols += [(e, "TEXT") for e in extra]
                fks = {col: ref for (t, col), ref in FOREIGN_KEYS.items() if t == table.name}
                if table.name == "partnerships":
                    fks |= {"partner_partner_id": ("partners", "id"), "partner_brigade_id": ("brigades", "id")}
                _create(con, table.name, cols, ["id"], fks)
                values = []
                for row in table.rows:
                    line = [sql_value(row[c.name], c) for c in table.cols]
                    if extra:
                        partner = str(row.get("partner"))
                        line += [partner if kind_of.get(partner) == "partner" else None,
                                 partner if kind_of.get(partner) == "brigade" else None]
                    values.append(line)
                _insert(con, table.name, [c for c, _ in cols], values)
                counts[table.name] = len(table.rows)
            _link_tables(con, reg)
    finally:
        con.close()
    return counts


def _link_tables(con: sqlite3.Connection, reg: Registry) -> None:
    link_cols = [("event_id", "TEXT"), ("organization_id", "TEXT"), ("position", "INTEGER")]
    for field in ("organizers", "participants"):
        table = f"event_{field}"
        _create(con, table, link_cols, ["event_id", "organization_id"],
                {"event_id": ("events", "id"), "organization_id": ("organizations", "id")})
        rows = []
        for event in sorted_records(reg, "event"):
            ids = event.get(field)
            for pos, org in enumerate(ids if isinstance(ids, list) else []):
                rows.append([event.id, _cell_value(org), pos])
        con.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?, ?)", rows)
    member_cols = [("member_id", "TEXT"), ("member_kind", "TEXT"), ("network_id", "TEXT"), ("role", "TEXT"),
                   ("start_date", "TEXT"), ("end_date", "TEXT"), ("note", "TEXT"), ("position", "INTEGER")]
    _create(con, "memberships", member_cols, ["member_id", "position"],
            {"member_id": ("organizations", "id"), "network_id": ("organizations", "id")})
    rows = []
    for kind in ("brigade", "partner"):
        for record in sorted_records(reg, kind):
            nets = record.get("networks")
            for pos, m in enumerate(nets if isinstance(nets, list) else []):
                if isinstance(m, dict):
                    rows.append([record.id, kind, *(_cell_value(m.get(key)) for key in
                                                     ("network", "role", "start_date", "end_date", "note")), pos])
    _insert(con, "memberships", [c for c, _ in member_cols], rows)
