"""The only module that imports rich: consoles and the json/csv/yaml/table emitters, and the
rules for putting registry text in front of a person, a CI log or a spreadsheet.

Data goes to stdout, messages to stderr. Colour only when the stream is a terminal and
NO_COLOR is not set; json/csv/yaml never carry markup.

Registry text is anyone's (a pull request from a stranger is read by CI and then by everyone
who runs a listing), so every place it leaves peernet has one rule, kept here:

- a terminal (`safe_text`): control characters are shown, never sent: ESC becomes `\\x1b`, a
  tab `\\t`, a line break `\\n` (a table cell keeps its line breaks, drawn inside the cell),
  and so are bidi overrides and other invisible format characters (`\\u202e`);
  tables are built from rich `Text`, so `[bold]` or `[link=…]` in a name is shown as typed and
  never read as markup. Messages on stderr go through it too, and so does data on stdout when
  stdout is a terminal (piped, it is exact);
- a CI log (`ci_safe`, `workflow_command`): no line can be read as a GitHub Actions workflow
  command: `::` starting a line (after spaces) gets a backslash before it, the runner's older
  `##[` form (read anywhere in a line) becomes `##\\[`, and a value is always one line;
- a spreadsheet (`spreadsheet_safe`): text starting with `=`, `+`, `-`, `@`, a tab or a
  carriage return gets a leading `'` (the OWASP rule against CSV formula injection), unless
  `--raw` is given; numbers are never changed;
- JSON (`to_json`, `json_text`): always valid JSON: a number that is not finite (YAML `.nan`,
  `.inf`) becomes null, and the characters JSON would leave raw but a terminal would act on
  (DEL, C1 controls, U+2028/U+2029) and `##[` are written as \\u escapes, so the values a
  script reads back are exact.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from peernet_cli.cli.options import Format

# The data formats and the text rules live below the CLI; they are named here too, so a command
# renders through one module.
from peernet_cli.publish.formats import cell_text, json_text
from peernet_cli.publish.formats import finite as finite
from peernet_cli.publish.formats import spreadsheet_safe as spreadsheet_safe
from peernet_cli.publish.formats import to_csv as to_csv
from peernet_cli.publish.formats import to_yaml as to_yaml
from peernet_cli.safetext import ci_safe as ci_safe
from peernet_cli.safetext import visible
from peernet_cli.safetext import workflow_command as workflow_command

if TYPE_CHECKING:
    from peernet_cli.publish.record_text import RecordView

safe_text = visible  # what tables and messages show: registry text made visible, never acted on

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
        markup=False,
        emoji=False,
        soft_wrap=not stream.isatty(),
        width=None if stream.isatty() else _piped_width(),
    )


def _piped_width() -> int:
    """Piped output is as wide as COLUMNS says (a script or a test asking for 80 columns),
    else 200: wide enough that a line is rarely wrapped for a tool reading it."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) >= 20 else 200


# --- a terminal ---------------------------------------------------------------------------

def message(text: str) -> None:
    """A line for the person, on stderr: never markup-interpreted, control characters shown,
    always one line, never a workflow command (it may quote a record's value or a file name)."""
    sys.stderr.write(ci_safe(safe_text(text)) + "\n")
    sys.stderr.flush()


def write(text: str) -> None:
    """Data on stdout, exact when piped; on a terminal, control characters other than line
    breaks and tabs are shown as escapes instead of being sent."""
    if text and sys.stdout.isatty():
        text = safe_text(text, keep="\n\t")
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    sys.stdout.flush()


def to_json(data: Any) -> str:
    """A JSON document for stdout or a file; a warning on stderr when a number had to become
    null because JSON has no NaN or infinity."""
    found: list[str] = []
    text = json_text(data, found=found)
    if found:
        message(f"peernet: warning: {len(found)} number(s) are NaN or infinite, which JSON cannot hold, "
                f"and are written as null ({', '.join(found[:3])}{', …' if len(found) > 3 else ''}); "
                "run 'peernet validate'")
    return text + "\n"



# --- tables -----------------------------------------------------------------------------------


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
    """A table for a person. Every header, cell and the title is a rich Text of safe_text, so
    nothing from the registry is read as markup or reaches the terminal as a control code.

    A column is never narrower than its longest word (up to _LONG_WORD), so words wrap whole;
    when the columns cannot all fit so, each row is printed as a block of `column: value`
    lines instead (like psql's expanded display), which wraps at spaces to any width."""
    from rich.table import Table
    from rich.text import Text

    console = _console(sys.stdout)
    cells = [[safe_text(cell_text(row.get(c)), keep="\n") for c in columns] for row in rows]
    heads = [safe_text(c.replace("_", " ")) for c in columns]
    widths = _column_widths(heads, cells, console.width - 3 * len(heads) - 1)
    if widths is None:
        _blocks(console, heads, cells, title)
        return
    tab = Table(title=Text(safe_text(title)) if title is not None else None,
                header_style="bold" if use_color(sys.stdout) else None)
    for head, width in zip(heads, widths, strict=True):
        tab.add_column(Text(head), overflow="fold", width=width)
    for row_cells in cells:
        tab.add_row(*(Text(c) for c in row_cells))
    console.print(tab)


# A word longer than this (a URL, a long id) may be folded inside a table cell.
_LONG_WORD = 30


def _column_widths(heads: list[str], cells: list[list[str]], room: int) -> list[int] | None:
    """Each column's width: its natural width when all fit in `room`; else its longest word
    (at most _LONG_WORD) plus a share of what is left, in proportion to how much more it
    would like; None when even the longest words do not fit."""
    from rich.cells import cell_len

    columns = [[h, *(r[i] for r in cells)] for i, h in enumerate(heads)]
    natural = [max(cell_len(line) for t in col for line in (t.splitlines() or [""])) for col in columns]
    least = [min(_LONG_WORD, max(_longest_word(t) for t in col), n) for col, n in zip(columns, natural, strict=True)]
    if sum(natural) <= room:
        return natural
    spare = room - sum(least)
    if spare < 0:
        return None
    wants = [n - m for n, m in zip(natural, least, strict=True)]
    total = sum(wants) or 1
    return [m + spare * w // total for m, w in zip(least, wants, strict=True)]


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(w) for w in text.split()), default=0)


def _blocks(console: Any, heads: list[str], cells: list[list[str]], title: str | None) -> None:
    """Rows too wide for a table: each as its first value, then `column: value` lines."""
    from rich.text import Text

    bold = "bold" if use_color(sys.stdout) else ""
    out = _wrapped(console, Text(safe_text(title), style=bold), 0, console.width) if title else []
    for n, row_cells in enumerate(cells):
        if n or title:
            out.append(Text(""))
        out += _wrapped(console, Text(row_cells[0], style=bold), 0, console.width)
        for head, value in zip(heads[1:], row_cells[1:], strict=True):
            if value:
                first = Text(f"  {head}: ")
                out += _wrapped(console, Text(value), len(first.plain), console.width, first)
    for text in out:
        console.print(text, soft_wrap=True)


def record(view: RecordView) -> None:
    """One record for a person (`show`): the title, then each section's heading and lines,
    wrapped at spaces to the width; a word is split only when it alone is wider than the line
    (a long URL). Every line is a rich Text of safe_text, like a table cell."""
    from rich.cells import cell_len
    from rich.text import Text

    console = _console(sys.stdout)
    width = console.width
    bold = "bold" if use_color(sys.stdout) else ""
    out = _wrapped(console, Text(safe_text(view.title), style=bold), 0, width)
    for section in view.sections:
        out += [Text(""), Text(safe_text(section.title), style=bold)]
        for line in section.lines:
            hang = line.indent + cell_len(line.marker)
            first = Text(" " * line.indent + line.marker)
            out += _wrapped(console, Text(safe_text(line.text)), hang, width, first)
    for text in out:
        console.print(text, soft_wrap=True)


def _wrapped(console: Any, text: Any, hang: int, width: int, first: Any = None) -> list[Any]:
    """`text` wrapped to what is left of `width` after `hang` columns, the first line after
    `first` (a marker), the others after spaces."""
    from rich.text import Text

    pieces = text.wrap(console, max(width - hang, 20), overflow="fold") if text.plain else [Text("")]
    lead = first if first is not None else Text(" " * hang)
    for piece in pieces:
        piece.rstrip()  # the space a line was broken at
    return [Text.assemble(lead if i == 0 else Text(" " * hang), piece) for i, piece in enumerate(pieces)]


def emit(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: Format, title: str | None = None,
         raw: bool = False) -> None:
    """Render a listing in the chosen format on stdout (`raw`: CSV text exactly as stored)."""
    if fmt is Format.json:
        write(to_json([{c: r.get(c) for c in columns} for r in rows]))
    elif fmt is Format.csv:
        write(to_csv(rows, columns, raw))
    elif fmt is Format.yaml:
        write(to_yaml([{c: r.get(c) for c in columns if r.get(c) is not None} for r in rows]))
    else:
        table(rows, columns, title)
