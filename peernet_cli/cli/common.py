"""Options and helpers shared by the query commands."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Sequence

import typer


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format; json/csv/yaml are clean for scripts.")]
SortOpt = Annotated[str | None, typer.Option("--sort", help="Sort by this column; prefix with - for descending (e.g. -partners).")]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=0, help="Show at most this many rows.")]


def multi(help_text: str, *names: str) -> Any:
    """A repeatable filter option (same flag twice: any of them)."""
    return typer.Option(*names, help=f"{help_text} Repeat for any of several.")


def load_network(ctx: typer.Context) -> Any:
    """Load the registry once for a query command; unreadable files are a warning here
    (validate is where they are errors)."""
    from .. import output
    from ..query import Network
    from ..registry import load
    from .app import registry_root

    reg = load(registry_root(ctx))
    bad = len(reg.unreadable) + len(reg.stray)
    if bad:
        output.message(f"peernet: warning: {bad} file(s) could not be read and are left out; "
                       "run 'peernet validate' to see why")
    return Network(reg)


def render_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format,
                empty: str, title: str | None = None) -> None:
    from .. import output

    if not rows:
        output.message(f"peernet: {empty}")
        if fmt is Format.json:
            output.write("[]")
        return
    output.emit(rows, columns, fmt.value, title)


def render_record(data: dict[str, Any], fmt: Format) -> None:
    """One record with its relations: nested data for scripts, sections for people."""
    from .. import output

    if fmt is Format.json:
        output.write(output.to_json(data))
        return
    if fmt is Format.yaml:
        output.write(output.to_yaml(data))
        return
    if fmt is Format.csv:
        output.write(output.to_csv([data["record"]], list(data["record"])))
        return
    record = data["record"]
    output.emit([{"field": k, "value": v} for k, v in record.items()], ["field", "value"], "table",
                f"{data['kind']} {record.get('id')}")
    for section, value in data.items():
        if section in ("kind", "record") or not value:
            continue
        rows = value if isinstance(value, list) else [value]
        columns = list(rows[0])
        output.emit(rows, columns, "table", section.replace("_", " "))
