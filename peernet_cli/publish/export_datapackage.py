"""`peernet export --format datapackage`: a Frictionless (tabular) Data Package folder.

Data Package: datapackage.json (Frictionless tabular data package) with one resource per
kind plus `organizations.csv`; field types string/number/integer/boolean/array, `date` for
date fields whose values are all full dates; primaryKey id; foreignKeys as in SQLite (the
partner column references organizations). Text cells carry the spreadsheet formula guard
(see `export`) unless written with --raw; the descriptor's description says which.

Output is written by `export.export` (to a temporary folder, then renamed into place).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from peernet_cli.publish.formats import json_text
from peernet_cli.publish.tables import FOREIGN_KEYS, Table, tables, write_csv_folder
from peernet_cli.registry.loader import Registry

FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def datapackage(reg: Registry, tabs: list[Table], raw: bool = False) -> dict[str, Any]:
    """The datapackage.json descriptor for the CSVs written by write_csv_folder."""
    resources = []
    for table in tabs:
        fields = []
        for c in table.cols:
            values = [row[c.name] for row in table.rows if row[c.name] is not None]
            ftype = {"json": "array"}.get(c.type, c.type)
            if c.date == "full" or (c.date == "partial" and values and all(
                    isinstance(v, str) and FULL_DATE.fullmatch(v) for v in values)):
                ftype = "date"
            field: dict[str, Any] = {"name": c.name, "type": ftype, "title": c.title}
            if c.description:
                field["description"] = c.description
            fields.append(field)
        fks = [{"fields": col, "reference": {"resource": ref, "fields": ref_col}}
               for (t, col), (ref, ref_col) in FOREIGN_KEYS.items() if t == table.name]
        schema: dict[str, Any] = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
        if fks:
            schema["foreignKeys"] = fks
        resources.append(_resource(table.name, f"{table.name.capitalize()} ({len(table.rows)} records)", schema))
    org_schema = {"fields": [
        {"name": "id", "type": "string", "title": "Id", "description": "Id of a brigade, partner or network."},
        {"name": "kind", "type": "string", "title": "Kind", "description": "brigade, partner or network."},
        {"name": "name", "type": "string", "title": "Name", "description": "The organization's name."},
    ], "primaryKey": ["id"], "missingValues": [""]}
    resources.append(_resource("organizations", "Every brigade, partner and network id (references may "
                               "point at more than one kind)", org_schema))
    description = ("Exported by `peernet export --format datapackage`. List fields are JSON text "
                   "(type array); location/social/attendance are flattened into <field>_<property> columns.")
    if not raw:
        description += (" Text that starts with =, +, - or @, a tab or a carriage return (after any ') has one "
                        "more ' in front, so spreadsheets do not run it as a formula; drop one leading ' from "
                        "such a cell for the exact value, or export with --raw.")
    return {
        "profile": "tabular-data-package",
        "name": "peernet",
        "title": "peernet: civic-tech brigades, partners, partnerships, events and networks",
        "description": description,
        "resources": resources,
    }


def _resource(name: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "path": f"{name}.csv", "title": title, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def write_datapackage(reg: Registry, folder: Path, raw: bool = False) -> dict[str, int]:
    counts = write_csv_folder(reg, folder, with_organizations=True, raw=raw)
    descriptor = datapackage(reg, tables(reg), raw)
    (folder / "datapackage.json").write_text(json_text(descriptor) + "\n", encoding="utf-8")
    return counts
