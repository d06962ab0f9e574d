"""`peernet history RECORD`: every change to one record, from git."""

from __future__ import annotations

from typing import Annotated

import typer

from peernet_cli.cli.context import registry_root
from peernet_cli.cli.options import Output, RawOpt, format_help, one_of
from peernet_cli.cli.render import emit_report_rows, emit_text
from peernet_cli.errors import UsageError

HISTORY_FORMATS = ("table", "json", "csv", "md")


def history(ctx: typer.Context,
            record: Annotated[str, typer.Argument(help="A brigade, partner, partnership, event or network: id, "
                                                 "alias or name (a deleted record: its id).")],
            kind: Annotated[str | None, typer.Option("--kind", help="Only look among records of this kind.")] = None,
            fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(HISTORY_FORMATS))] = "table",
            output: Output = None, raw: RawOpt = False) -> None:
    """Every change to a record over time: date, author, commit, and field old -> new; followed
    through renames and deletions. Read from git objects; the working tree is untouched."""
    from peernet_cli.query.history import HISTORY_COLUMNS, record_history
    from peernet_cli.query.markdown import md_table
    from peernet_cli.registry.gitlog import GitHistory

    fmt = one_of(fmt, HISTORY_FORMATS)
    from peernet_cli.cli.options import one_of_values
    from peernet_cli.registry.schemas import KINDS

    kinds = one_of_values([kind], list(KINDS), "--kind") if kind else list(KINDS)
    root = registry_root(ctx)
    found_kind, record_id, not_found = _named(ctx, kinds, record)
    rows = record_history(GitHistory(root), found_kind, record_id)
    if not rows:
        raise not_found or UsageError(f"'{record}' has no history in git: no commit of registry/ has it "
                                      "(commit it first)")
    if fmt == "md":
        emit_text(f"# History of {record_id}\n\n" + md_table(rows, HISTORY_COLUMNS), output)
    else:
        emit_report_rows(rows, HISTORY_COLUMNS, fmt, output, raw)


def _named(ctx: typer.Context, kinds: list[str], text: str) -> tuple[str | None, str, UsageError | None]:
    """(kind, id) of the record the name stands for today; a name no record has today is taken
    as the id of a deleted record (its history says when it went), with the lookup's error
    kept for when history has nothing either."""
    from peernet_cli.cli.context import load_registry
    from peernet_cli.errors import NameNotFound
    from peernet_cli.registry.names import resolve

    try:
        found = resolve(load_registry(ctx), kinds, text)
    except NameNotFound as exc:
        return (kinds[0] if len(kinds) == 1 else None), text, exc
    return found.kind, found.id, None


command = history  # registered as `peernet history` by app.py
