"""`peernet import cfa-brigades`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from peernet_cli.cli.context import load_registry

MAX_SHOWN = 50  # problems listed before the summary line


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


group = typer.Typer(help="Bring records in from other datasets.", no_args_is_help=True)


@group.command("cfa-brigades")
def cfa_brigades(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Code for America's organizations.json "
                                         "(codeforamerica/brigade-information).", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the diff and the summary; write nothing.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list every created and updated brigade "
                                          "with the fields it gained.")] = False,
) -> None:
    """Create and complete brigades from CfA's brigade list: `peernet import cfa-brigades organizations.json`.

    Existing brigades (matched by id, name or website) only gain fields they lack; entries that
    are not brigades (government, partners, projects…) are skipped with a reason. Files are
    written directly in canonical form; a second run changes nothing. A file with values of
    the wrong type (a number where a name belongs) imports nothing: every problem is listed
    and the exit code is 1.
    """
    from peernet_cli.change.changeset import verify
    from peernet_cli.cli import output
    from peernet_cli.errors import InvalidDataError, UsageError
    from peernet_cli.imports.cfa import apply, plan_import
    from peernet_cli.imports.cfa_mapping import read_file

    if not file.is_file():
        raise UsageError("no such file; give the path of organizations.json", file)
    reg = load_registry(ctx)
    if reg.unreadable:
        raise UsageError(f"{len(reg.unreadable)} registry file(s) could not be read; run 'peernet validate' "
                         "and fix them before importing")
    entries, problems = read_file(file)
    if problems:
        for problem in problems[:MAX_SHOWN]:
            output.message(f"peernet: error: {problem.text(file)}")
        unlisted = f", {len(problems) - MAX_SHOWN:,} of them not listed above" if len(problems) > MAX_SHOWN else ""
        bad = len({p.entry for p in problems})
        raise InvalidDataError(f"{_count(len(problems), 'problem', 'problems')} in "
                               f"{_count(bad, 'entry', 'entries')}{unlisted}; nothing was imported: fix the values "
                               "(or download a fresh copy of organizations.json) and run the import again", file)
    plan = plan_import(reg, entries)
    if plan.changes.changes:
        verify(reg, plan.changes, date.today())  # raises before anything is written
    for o in plan.outcomes:
        label = f'"{o.name}"' + (f" ({o.id})" if o.id else "")
        if o.action == "skipped":
            output.message(f"peernet: skipped {label}: {'; '.join(o.notes)}")
            continue
        if verbose and o.action in ("created", "updated"):
            output.message(f"peernet: {o.action} {label}: {', '.join(o.filled)}")
        for note in o.notes:
            output.message(f"peernet: note: {label}: {note}")
    if dry_run:
        diff = plan.changes.diff(reg)
        if diff:
            output.write(diff)
    else:
        apply(reg.root, plan)
    c = plan.counts
    verb = "would be" if dry_run else "were"
    output.message(f"peernet: {plan.total} entries read: {c['created']} created, {c['updated']} updated, "
                   f"{c['unchanged']} unchanged, {c['skipped']} skipped"
                   + (" (dry run: nothing written)" if dry_run else "")
                   + ("" if plan.changes.changes else f"; no files {verb} changed"))
