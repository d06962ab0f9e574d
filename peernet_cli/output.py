"""The only module that imports rich: consoles and the json/csv/yaml/table emitters.

Data goes to stdout, messages to stderr. Colour only when the stream is a terminal and
NO_COLOR is not set; json/csv/yaml never carry markup.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMATS = ("table", "json", "csv", "yaml")

_color_choice = "auto"


def set_color(choice: str) -> None:
    global _color_choice
    _color_choice = choice


def use_color(stream: TextIO) -> bool:
    if _color_choice == "always":
        return True
    if _color_choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def _console(stream: TextIO) -> Any:
    from rich.console import Console

    color = use_color(stream)
    return Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=not stream.isatty(),
        width=None if stream.isatty() else 200,
    )


def message(text: str) -> None:
    """A line for the person, on stderr (never markup-interpreted)."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def write(text: str) -> None:
    """Raw data on stdout."""
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    sys.stdout.flush()


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return buf.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_yaml(data: Any) -> str:
    from . import yamlio

    return yamlio.dump(data)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
    from rich.table import Table

    tab = Table(title=title, header_style="bold" if use_color(sys.stdout) else None)
    for col in columns:
        tab.add_column(col.replace("_", " "), overflow="fold")
    for row in rows:
        tab.add_row(*(_cell(row.get(c)) for c in columns))
    _console(sys.stdout).print(tab)


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, title: str | None = None) -> None:
    """Render a listing in the chosen format on stdout."""
    if fmt == "json":
        write(to_json([{c: r.get(c) for c in columns} for r in rows]))
    elif fmt == "csv":
        write(to_csv(rows, columns))
    elif fmt == "yaml":
        write(to_yaml([{c: r.get(c) for c in columns if r.get(c) is not None} for r in rows]))
    else:
        table(rows, columns, title)

