"""Putting results on stdout (or into a file): listings, one record with its relations, and
report text. The formatting itself is in peernet_cli.output, imported only when called."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from peernet_cli.cli.options import Format
from peernet_cli.errors import UsageError


def render_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: Format,
                empty: str, title: str | None = None, raw: bool = False) -> None:
    """A listing; `raw` (--raw): CSV text exactly as stored, without the formula guard."""
    from peernet_cli.cli import output

    if not rows:
        output.message(f"peernet: {empty}")
        if fmt is Format.json:
            output.write("[]")
        return
    output.emit(rows, columns, fmt, title, raw)


def render_record(data: dict[str, Any], fmt: Format, raw: bool = False) -> None:
    """One record with its relations: nested data for scripts, sections for people."""
    from peernet_cli.cli import output

    if fmt is Format.json:
        output.write(output.to_json(data))
        return
    if fmt is Format.yaml:
        output.write(output.to_yaml(data))
        return
    if fmt is Format.csv:
        output.write(output.to_csv([data["record"]], list(data["record"]), raw))
        return
    from peernet_cli.publish.record_text import record_view

    output.record(record_view(data))


def emit_text(text: str | bytes, output: Path | None) -> None:
    """Report text to stdout, or (text or bytes) written atomically to --output."""
    from peernet_cli.cli import output as out
    from peernet_cli.registry.yamlio import write_atomic, write_atomic_bytes

    if output is None:
        if isinstance(text, bytes):
            raise UsageError("this format is binary; pass --output FILE")
        out.write(text)
        return
    if isinstance(text, bytes):
        write_atomic_bytes(output, text)
    else:
        write_atomic(output, text)
    out.message(f"peernet: wrote {output}")


def emit_report_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str, output: Path | None,
                     raw: bool = False) -> None:
    """Report rows as json or csv (to stdout or --output), or a table on stdout."""
    from peernet_cli.cli import output as out

    if fmt == Format.json:
        emit_text(out.to_json(rows), output)
    elif fmt == Format.csv:
        emit_text(out.to_csv(rows, columns, raw), output)
    elif output is None and fmt == Format.table:
        out.emit(rows, columns, Format.table)
    else:
        raise UsageError("--output needs --format json, csv or md")
