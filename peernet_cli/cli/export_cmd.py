"""`peernet export`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peernet_cli.cli.context import load_registry
from peernet_cli.cli.options import At, RawOpt
from peernet_cli.publish.export_formats import ExportFormat


def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv (a folder of CSVs), json (one file), "
                                              "sqlite (a database), datapackage (a Frictionless Data Package folder) "
                                              "or geojson (brigades and partners with coordinates, one file).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File (json, sqlite, geojson) or folder (csv, "
                                         "datapackage) to write; '-' writes json or geojson to stdout.",
                                         show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace the output if it exists and is not empty.")] = False,
    raw: RawOpt = False,
    at: At = None,
) -> None:
    """Export every record: `peernet export --format sqlite --output peernet.db`.

    Lists are JSON text in CSV cells; location, social and attendance become <field>_<property>
    columns. SQLite adds an organizations table, foreign keys and link tables for Datasette.
    CSV text starting with = + - @ (a spreadsheet formula) gets a leading ' unless --raw.
    GeoJSON: a FeatureCollection of points ([longitude, latitude]); records without
    coordinates are left out and named on stderr.
    """
    from peernet_cli.cli import output as out
    from peernet_cli.errors import UsageError
    from peernet_cli.publish.export import export as run
    from peernet_cli.publish.export import iter_counts, non_finite, to_json

    reg = load_registry(ctx, at)
    bad = len(reg.unreadable)
    if bad:
        out.message(f"peernet: warning: {bad} file(s) could not be read and are left out; "
                    "run 'peernet validate' to see why")
    if str(output) == "-" and fmt not in (ExportFormat.json, ExportFormat.geojson):
        raise UsageError("only --format json or geojson can be written to stdout ('-'); give a path")
    nan = non_finite(reg)
    if nan:
        out.message(f"peernet: warning: {len(nan)} number(s) are NaN or infinite and are exported as empty "
                    f"values ({', '.join(nan[:3])}{', …' if len(nan) > 3 else ''}); run 'peernet validate'")
    if fmt is ExportFormat.geojson:
        from peernet_cli.publish.export_geojson import missing_message, places, to_geojson

        for line in missing_message(reg):
            out.message(line)
        if str(output) == "-":
            out.write(to_geojson(places(reg)))
            return
    if str(output) == "-":
        out.write(to_json(reg))
        return
    counts = run(reg, fmt.value, output, force, raw)
    out.message(f"peernet: exported {', '.join(iter_counts(counts))} to {output}")


command = export  # registered as `peernet export` by app.py
