"""`peernet export`: the whole registry as CSV, JSON, SQLite or a Frictionless Data Package;
or where its brigades and partners are, as GeoJSON (`export_geojson`).

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
  `formats.spreadsheet_safe`); `--raw` writes text exactly. Numbers are never changed.

This is lossless for every valid record: reading a cell back is "empty → absent, JSON column →
json.loads, number → json.loads, boolean → true/false, else the text, less one leading `'`
when quotes are followed by one of = + - @ tab CR" (with `--raw`: else the text). A record
holding a field the schema does not know is refused rather than silently dropped (run
`peernet validate`). A number the schema refuses because it is not finite (NaN, infinity) is
written as absent: JSON null, an empty cell, SQL NULL (`non_finite` lists them for a warning).
JSON is always valid JSON (`formats.json_text`).

SQLite (`export_sqlite`): one table per kind with exactly these columns, plus an
organizations table, foreign keys, link tables and indexes. Data Package
(`export_datapackage`): these CSVs plus organizations.csv and a datapackage.json descriptor.
Both share FOREIGN_KEYS below.

Output is written to a temporary file or folder next to the target, then renamed into place.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from peernet_cli import files
from peernet_cli.errors import UsageError
from peernet_cli.publish.export_formats import ExportFormat
from peernet_cli.publish.tables import non_finite as non_finite
from peernet_cli.publish.tables import tables, write_csv_folder
from peernet_cli.publish.tables import to_json as to_json
from peernet_cli.registry.loader import Registry
from peernet_cli.registry.schemas import KINDS

FORMATS = tuple(f.value for f in ExportFormat)
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


def export(reg: Registry, fmt: str, output: Path, force: bool = False, raw: bool = False) -> dict[str, int]:
    """Write the registry to `output` in `fmt`; returns the number of rows per table. `raw`:
    CSV text exactly as stored, without the formula guard (csv and datapackage)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    folder = fmt in ("csv", "datapackage")
    check_target(output, folder, force, reg.root)
    tables(reg)  # refuse data that cannot be exported before touching anything
    if fmt == "csv":
        return files.publish_folder(output, lambda tmp: write_csv_folder(reg, tmp, raw=raw))
    if fmt == "datapackage":
        from peernet_cli.publish.export_datapackage import write_datapackage

        return files.publish_folder(output, lambda tmp: write_datapackage(reg, tmp, raw))
    if fmt == "geojson":
        from peernet_cli.publish.export_geojson import write_geojson

        return files.publish_file(output, lambda tmp: write_geojson(reg, tmp))
    if fmt == "sqlite":
        from peernet_cli.publish.export_sqlite import write_sqlite

        return files.publish_file(output, lambda tmp: write_sqlite(reg, tmp))

    def fill_json(tmp: Path) -> dict[str, int]:
        tmp.write_text(to_json(reg), encoding="utf-8")
        return {KINDS[k].folder: len(reg.of(k)) for k in KINDS}

    return files.publish_file(output, fill_json)


def iter_counts(counts: dict[str, int]) -> Iterator[str]:
    for name, n in counts.items():
        yield f"{n} {name}"
