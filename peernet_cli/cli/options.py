"""Options shared by several command groups, as `Annotated` aliases, and the checks of
their values that Typer cannot express."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from peernet_cli.errors import UsageError

# --- output formats ----------------------------------------------------------------------
#
# - a listing or a record (`list`, `show`, `related`, `search`) takes `--format` as a `Format`,
#   the one set for them, checked by Typer; render.py and output.py write each of its members;
# - a command writing a set of its own declares it once, next to the code that writes it: the
#   reports and the map (report_cmd.py), validate and events export as a tuple checked with
#   `one_of` (`format_help` writes the "a, b or c." help from the same tuple); export as
#   `ExportFormat` (publish/export_formats.py), which the exporter checks against as well.


class Format(str, Enum):
    """What a listing or a record is written as."""

    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format; json/csv/yaml are clean for scripts.")]
SortOpt = Annotated[str | None, typer.Option("--sort", help="Sort by this column; prefix with - for descending (e.g. -partners).")]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=0, help="Show at most this many rows.")]
RawOpt = Annotated[bool, typer.Option("--raw", help="CSV: write text exactly as stored, without the leading ' that "
                                     "keeps a spreadsheet from running text starting with = + - @ as a formula.")]


def multi(help_text: str, *names: str) -> Any:
    """A repeatable filter option (same flag twice: any of them)."""
    return typer.Option(*names, help=f"{help_text} Repeat for any of several.")


# --- commands that change the registry ---------------------------------------------------

NoPr = Annotated[bool, typer.Option("--no-pr", help="Only write (and git-stage) the files; no branch, no pull request.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the diff and touch nothing.")]
Remote = Annotated[str, typer.Option("--remote", help="Git remote to push the branch to.")]
Base = Annotated[str | None, typer.Option("--base", help="Branch the pull request targets (default: the repository's default branch).")]
Source = Annotated[list[str] | None, typer.Option("--source", help="Where the facts come from: a URL or a document file name. Repeatable. Required.")]
SourceNote = Annotated[str | None, typer.Option("--source-note", help="What the source says, e.g. a short quotation.")]
Topic = Annotated[list[str] | None, typer.Option("--topic", help="A topic tag such as open-data. Repeatable.")]
Opt = Annotated[str | None, typer.Option()]

# --- reports ------------------------------------------------------------------------------

AsOf = Annotated[str | None, typer.Option("--as-of", help="Report as of this date, YYYY-MM-DD (default: today).")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]


def as_of_date(text: str | None) -> date:
    """The day given with --as-of, or today."""
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of '{text}' is not a date; write YYYY-MM-DD") from None


def format_help(allowed: tuple[str, ...]) -> str:
    """The --format help of a command with its own set: "md, json or table."."""
    return f"{', '.join(allowed[:-1])} or {allowed[-1]}." if len(allowed) > 1 else f"{allowed[0]}."


def one_of(value: str, allowed: tuple[str, ...]) -> str:
    """A --format value checked against the formats this command writes."""
    if value not in allowed:
        raise UsageError(f"--format must be one of: {', '.join(allowed)} (got '{value}')")
    return value
