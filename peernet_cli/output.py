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

import csv
import io
import json
import math
import os
import re
import sys
import unicodedata
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
        markup=False,
        emoji=False,
        soft_wrap=not stream.isatty(),
        width=None if stream.isatty() else 200,
    )


# --- a terminal ---------------------------------------------------------------------------

# What a terminal could act on or draw misleadingly: control characters (Unicode Cc: C0, DEL,
# C1), format characters (Cf: bidi overrides, zero-width spaces), lone surrogates and the line
# and paragraph separators; the joiners that emoji and some scripts need are left alone. The
# same classes as safetext.one_line (commit messages, pull requests), with `keep` for a table.
_ESCAPED = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_HARMLESS = frozenset("\u200c\u200d\u2060")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def safe_text(value: object, keep: str = "") -> str:
    """`value` as text a terminal shows but never acts on: every control, format and separator
    character written as an escape (`\\x1b`, `\\t`, `\\n`, `\\u202e`), except those in `keep`
    (a table cell keeps "\\n"). Markup is not touched here: nothing rich parses ever holds
    registry text."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text  # the usual case: no Cc, Cf, Cs, Zl or Zp in it
    return "".join(ch if ch in keep or ch in _HARMLESS or unicodedata.category(ch) not in _ESCAPED
                   else _visible(ch) for ch in text)


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


# --- a CI log -------------------------------------------------------------------------------


def ci_safe(text: str) -> str:
    """Text for a log CI reads (stdout and stderr of `validate` and `fmt --check`): each line
    (split at every line break Python knows, a superset of the runner's CR and LF) with its
    control characters shown, a backslash before `::` that would start the line after
    leading spaces (the runner's TrimStart), and `##[` (the older form, read anywhere in a
    line) written `##\\[`."""
    out = []
    for raw in text.splitlines():
        line = safe_text(raw)
        body = line.lstrip()
        if body.startswith("::"):
            line = line[: len(line) - len(body)] + "\\" + body
        out.append(line.replace("##[", "##\\["))
    return "\n".join(out)


def _property(value: str) -> str:
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_command(command: str, properties: dict[str, object], message_text: str) -> str:
    """One GitHub Actions workflow command, `::command key=value,…::message`, on one line:
    line breaks as the runner's %0A/%0D (it shows them as line breaks), `file` otherwise exact
    (so the annotation finds the file), other control characters in the rest shown as escapes."""
    breaks = "\r\n"
    props = ",".join(f"{key}={_property(str(value) if key == 'file' else safe_text(value, breaks))}"
                     for key, value in properties.items() if value is not None)
    head = f"::{command} {props}" if props else f"::{command}"
    return f"{head}::{_data(safe_text(message_text, breaks))}"


# --- a spreadsheet --------------------------------------------------------------------------

# OWASP "CSV Injection": a cell starting with one of these is read as a formula. A cell that
# already starts with quotes before one of them gets one more, so the rule can be undone.
_FORMULA = re.compile("'*[=+\\-@\t\r]")


def spreadsheet_safe(text: str) -> str:
    """Text for a CSV cell a spreadsheet will open: a leading `'` when the text starts (after
    any quotes) with `=`, `+`, `-`, `@`, a tab or a carriage return. To read the exact value
    back, drop one leading `'` from a cell that starts with quotes followed by one of those."""
    return "'" + text if _FORMULA.match(text) else text


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], raw: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(row.get(k), raw) for k in columns})
    return buf.getvalue()


def _csv_cell(value: Any, raw: bool) -> str:
    text = _cell(value)
    if raw or isinstance(value, (int, float)):  # numbers (-71.06) are not formulas
        return text
    return spreadsheet_safe(text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(finite(value), ensure_ascii=False, allow_nan=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- JSON -------------------------------------------------------------------------------------


def finite(value: Any, found: list[str] | None = None, path: str = "") -> Any:
    """`value` with every float that is not finite (NaN, infinity) replaced by None; the
    dotted path of each is added to `found`. Values without one are returned as they are."""
    if isinstance(value, float) and not math.isfinite(value):
        if found is not None:
            found.append(path or "(value)")
        return None
    if isinstance(value, dict):
        return {k: finite(v, found, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v, found, f"{path}.{i}" if path else str(i)) for i, v in enumerate(value)]
    return value


# JSON leaves these raw inside strings; each can only stand inside a string there, so the \u
# escape is exact. DEL and C1 act on a terminal, U+2028/9 break lines in some readers, `##[`
# is a workflow command anywhere in a CI log line.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029]|##\\[")


def json_text(data: Any, indent: int | None = 2, found: list[str] | None = None) -> str:
    """Valid JSON for `data` (see the module docstring); non-finite numbers become null and
    are listed in `found`."""
    try:
        text = json.dumps(data, indent=indent, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:
        text = json.dumps(finite(data, found), indent=indent, ensure_ascii=False, default=str,
                          allow_nan=False)
    return _JSON_RAW.sub(lambda m: "##\\u005b" if m.group() == "##[" else f"\\u{ord(m.group()):04x}", text)


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


def to_yaml(data: Any) -> str:
    from . import yamlio

    return yamlio.dump(data)


# --- tables -----------------------------------------------------------------------------------


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
    """A table for a person. Every header, cell and the title is a rich Text of safe_text, so
    nothing from the registry is read as markup or reaches the terminal as a control code."""
    from rich.table import Table
    from rich.text import Text

    tab = Table(title=Text(safe_text(title)) if title is not None else None,
                header_style="bold" if use_color(sys.stdout) else None)
    for col in columns:
        tab.add_column(Text(safe_text(col.replace("_", " "))), overflow="fold")
    for row in rows:
        tab.add_row(*(Text(safe_text(_cell(row.get(c)), keep="\n")) for c in columns))
    _console(sys.stdout).print(tab)


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, title: str | None = None,
         raw: bool = False) -> None:
    """Render a listing in the chosen format on stdout (`raw`: CSV text exactly as stored)."""
    if fmt == "json":
        write(to_json([{c: r.get(c) for c in columns} for r in rows]))
    elif fmt == "csv":
        write(to_csv(rows, columns, raw))
    elif fmt == "yaml":
        write(to_yaml([{c: r.get(c) for c in columns if r.get(c) is not None} for r in rows]))
    else:
        table(rows, columns, title)
