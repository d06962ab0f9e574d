"""Data for scripts and tools: JSON, CSV and YAML text of rows and records, with the rules for
putting registry text into them (one place):

- a spreadsheet (`spreadsheet_safe`): text starting with `=`, `+`, `-`, `@`, a tab or a
  carriage return gets a leading `'` (the OWASP rule against CSV formula injection), unless
  `raw`; numbers are never changed;
- JSON (`json_text`): always valid JSON: a number that is not finite (YAML `.nan`, `.inf`)
  becomes null, and the characters JSON would leave raw but a terminal would act on (DEL, C1
  controls, U+2028/U+2029) and `##[` are written as \\u escapes, so the values a script reads
  back are exact.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# --- a spreadsheet --------------------------------------------------------------------------

# OWASP "CSV Injection": a cell starting with one of these is read as a formula. A cell that
# already starts with quotes before one of them gets one more, so the rule can be undone.
_FORMULA = re.compile("'*[=+\\-@\t\r]")


def spreadsheet_safe(text: str) -> str:
    """Text for a CSV cell a spreadsheet will open: a leading `'` when the text starts (after
    any quotes) with `=`, `+`, `-`, `@`, a tab or a carriage return. To read the exact value
    back, drop one leading `'` from a cell that starts with quotes followed by one of those."""
    return "'" + text if _FORMULA.match(text) else text


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], raw: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(row.get(k), raw) for k in columns})
    return buf.getvalue()


def _csv_cell(value: Any, raw: bool) -> str:
    text = cell_text(value)
    if raw or isinstance(value, (int, float)):  # numbers (-71.06) are not formulas
        return text
    return spreadsheet_safe(text)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
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


def to_yaml(data: Any) -> str:
    from peernet_cli.registry import yamlio

    return yamlio.dump(data)
