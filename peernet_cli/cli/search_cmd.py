"""`peernet search`."""

from __future__ import annotations

from typing import Annotated

import typer

from peernet_cli.cli.context import load_linked
from peernet_cli.cli.options import At, Format, FormatOpt, LimitOpt, RawOpt, multi
from peernet_cli.cli.render import render_rows


def search(ctx: typer.Context, text: Annotated[str, typer.Argument(help="Words to look for.")],
           kind: Annotated[list[str] | None, multi("Only records of this kind (brigade, partner…).", "--kind")] = None,
           fmt: FormatOpt = Format.table, limit: LimitOpt = 20,
           raw: RawOpt = False, at: At = None) -> None:
    """Search names, other names, descriptions, priorities, notes, topics and network roles;
    best matches first."""
    from peernet_cli.cli.options import one_of_values
    from peernet_cli.query.rows import SEARCH_COLUMNS
    from peernet_cli.query.search import search as run
    from peernet_cli.registry.schemas import KINDS

    kinds = one_of_values(kind, list(KINDS), "--kind") if kind else None
    hits = run(load_linked(ctx, at).reg, text, kinds)
    render_rows(hits[:limit] if limit is not None else hits, SEARCH_COLUMNS, fmt, f"nothing matches '{text}'", raw=raw)


command = search  # registered as `peernet search` by app.py
