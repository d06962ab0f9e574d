"""Markdown pieces the reports share: a table of rows and a two-column count table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str],
             labels: Sequence[str] | None = None) -> str:
    """A GitHub table; `labels` name the columns when the keys do not read well."""
    if not rows:
        return "_none_\n"
    heads = labels or [c.replace("_", " ") for c in columns]
    out = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(_cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(out) + "\n"


def count_table(title: str, counts: Mapping[str, int], labels: tuple[str, str] = ("value", "count")) -> str:
    """A `###` section of one count per value; `labels` head its two columns."""
    rows = [{"value": k, "count": v} for k, v in counts.items()]
    return f"### {title}\n\n" + md_table(rows, ["value", "count"], labels) + "\n"
