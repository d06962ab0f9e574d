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
StateOpt = Annotated[list[str] | None, typer.Option(
    "--state", help="Only this state or province: a code (NC, SC) or a name (North Carolina, Santa Catarina), "
    "looked for within --country, or in every country without it. Repeat for any of several.")]
CountryOpt = Annotated[list[str] | None, typer.Option(
    "--country", help="Only this country: a code (US, BR) or a name (Brazil, United States). "
    "Repeat for any of several.")]
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
At = Annotated[str | None, typer.Option("--at", help="The registry as it stood at this git revision (main, "
                                       "HEAD~3, a tag) or at the end of this date (YYYY-MM-DD); read from git, "
                                       "the working tree untouched.", show_default=False)]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]


def as_of_date(text: str | None, at: str | None = None) -> date:
    """The day given with --as-of; else the day of --at, when that is a date (a report of the
    registry as it stood then is a report as of then); else today."""
    if not text and at and len(at) == 10:
        try:
            return date.fromisoformat(at)
        except ValueError:
            pass  # a revision that looks like a date (a tag?): --at resolves it
    return day_option(text, "--as-of") if text else date.today()


def day_option(text: str, flag: str) -> date:
    """A YYYY-MM-DD option value as a date, or a usage error naming the flag."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag} '{text}' is not a date; write YYYY-MM-DD") from None


def format_help(allowed: tuple[str, ...]) -> str:
    """The --format help of a command with its own set: "md, json or table."."""
    return f"{', '.join(allowed[:-1])} or {allowed[-1]}." if len(allowed) > 1 else f"{allowed[0]}."


def enum_filter(values: list[str] | None, kind: str, field: str, flag: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The values of a repeatable filter on an enum field, each one of the schema's values
    (or `extra`), case aside; an unknown one is a usage error naming the allowed values, so a
    typo is not answered with "nothing matches"."""
    if not values:
        return []
    from peernet_cli.registry.schemas import enum_values

    return one_of_values(values, [*enum_values(kind, field), *extra], flag)


def one_of_values(values: list[str], allowed: list[str], flag: str) -> list[str]:
    """Each value one of `allowed`, case aside, or a usage error with the choices and a guess."""
    by_fold = {a.casefold(): a for a in allowed}
    checked = []
    for value in values:
        if value.strip().casefold() not in by_fold:
            import difflib  # only for a wrong value: every command imports this module

            close = difflib.get_close_matches(value.strip().casefold(), list(by_fold), n=3, cutoff=0.6)
            hint = f"; did you mean: {', '.join(by_fold[c] for c in close)}?" if close else ""
            raise UsageError(f"{flag} '{value}' is not one of: {', '.join(allowed)}{hint}")
        checked.append(by_fold[value.strip().casefold()])
    return checked


def years(values: list[str] | None, flag: str = "--year") -> list[str]:
    """--year values, each four digits (a year like '15' would otherwise match nothing, silently)."""
    for value in values or []:
        if not (len(value) == 4 and value.isdigit()):
            raise UsageError(f"{flag} '{value}' is not a year; write YYYY, e.g. 2015")
    return list(values or [])


def one_of(value: str, allowed: tuple[str, ...]) -> str:
    """A --format value checked against the formats this command writes."""
    if value not in allowed:
        raise UsageError(f"--format must be one of: {', '.join(allowed)} (got '{value}')")
    return value
