"""`peernet import cfa-brigades` and `peernet import issue-form`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peernet_cli.cli.context import load_registry
from peernet_cli.cli.contributing import carry_out
from peernet_cli.cli.options import Base, DryRun, NoPr, Remote

if TYPE_CHECKING:
    from peernet_cli.change.propose import Build
    from peernet_cli.imports.issue_form_parse import FormAnswers

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


@group.command("issue-form")
def issue_form(
    ctx: typer.Context,
    file: Annotated[str | None, typer.Argument(help="The issue's body (Markdown, as GitHub writes a filed issue "
                                               "form), or - to read it from stdin.", show_default=False)] = None,
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
    from_issue: Annotated[int | None, typer.Option(
        "--from-issue", metavar="N", min=1, help="Read issue N through the forge's API (GH_TOKEN, PEERNET_REPO, "
        "PEERNET_API_URL) instead of FILE, then open or update its pull request (branch peernet/issue-N, "
        "'Closes #N'), or comment on it what to fix (exit 1).")] = None,
) -> None:
    """Turn a filed issue form into the change `partnerships add|update` or `brigades
    add|rename|retire` makes: `peernet import issue-form body.md --no-pr`.

    The answers are checked against the whole registry first; on a problem, each is printed
    against the form's field label and nothing is written (exit 1)."""
    from peernet_cli.imports.issue_form import parse_body

    if (file is None) == (from_issue is None):
        from peernet_cli.errors import UsageError
        raise UsageError("give the issue's body as FILE (or - for stdin), or --from-issue N; not both")
    if from_issue is not None and not (no_pr or dry_run):
        return carry_issue(ctx, from_issue, remote, base)
    answers = parse_body(read_body(file) if file is not None else issue_body(ctx, from_issue or 0, remote))
    carry_out(ctx, form_change(ctx, answers), no_pr, dry_run, remote, base)


def issue_body(ctx: typer.Context, number: int, remote: str) -> str:
    from peernet_cli.cli.context import registry_root
    from peernet_cli.imports.issue_flow import read_issue_body

    return read_issue_body(registry_root(ctx), number, remote)


def carry_issue(ctx: typer.Context, number: int, remote: str, base: str | None) -> None:
    """--from-issue N: the pull request's address on stdout; or each problem on stderr, the
    comment that lists them for the issue's author, and exit 1."""
    from peernet_cli.cli import output
    from peernet_cli.cli.context import registry_root
    from peernet_cli.imports.issue_flow import carry_issue as run
    from peernet_cli.imports.issue_form import FormProblems

    done = run(registry_root(ctx), number, date.today(), remote, base, output.message)
    if done.problems:
        for problem in done.problems:
            output.message(f"peernet: error: {problem.text()}")
        output.message(f"peernet: commented on issue #{number} what to fix: {done.url}")
        raise FormProblems(done.problems)
    output.message(f"peernet: pull request {done.state} for issue #{number}")
    output.write(done.url)


def read_body(file: str) -> str:
    """The issue body from a file or stdin (-), at most MAX_BODY characters (GitHub's limit)."""
    import sys

    from peernet_cli.errors import UsageError
    from peernet_cli.imports.issue_form_parse import MAX_BODY

    limit = MAX_BODY * 4 + 1   # bytes: up to four per character in UTF-8
    try:
        if file == "-":
            raw = sys.stdin.buffer.read(limit)
        else:
            with open(file, "rb") as handle:
                raw = handle.read(limit)
    except OSError as exc:
        raise UsageError(f"cannot read the issue body: {exc.strerror or exc}", file) from None
    if len(raw) >= limit:
        raise UsageError(f"too large for an issue body (GitHub's are at most {MAX_BODY:,} characters)", file)
    return raw.decode("utf-8", errors="replace")


def form_change(ctx: typer.Context, answers: FormAnswers) -> Build:
    """The change a form's answers make (imports.issue_form.change_for); on problems, each is
    printed as `peernet: error: Label: what to fix` and the summary raised (exit 1)."""
    from peernet_cli.cli import output
    from peernet_cli.imports.issue_form import FormProblems, change_for

    try:
        return change_for(load_registry(ctx), answers, date.today())
    except FormProblems as exc:
        for problem in exc.problems:
            output.message(f"peernet: error: {problem.text()}")
        raise
