"""What the commands that change the registry share (`brigades|partners|events add`,
`partnerships add|update`, `brigades rename|retire`): asking for missing values on a terminal,
refusing bad enum values early, and carrying the change out as a dry run, a plain write or a
pull request."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, overload

import typer

from peernet_cli.cli.context import registry_root
from peernet_cli.errors import UsageError

if TYPE_CHECKING:
    from peernet_cli.change.changeset import ChangeSet
    from peernet_cli.registry.loader import Registry


def enum_values(kind: str, field: str) -> list[str]:
    from peernet_cli.registry.schemas import enum_values as values

    return values(kind, field)


def interactive() -> bool:
    return sys.stdin.isatty()


def ask(value: Any, flag: str, label: str, choices: list[str] | None = None,
        check: Callable[[str], str | None] | None = None, default: str | None = None) -> Any:
    """The given value, or on a terminal a prompt until the answer is valid; off a terminal
    a missing value is a usage error (a pipe never hangs waiting for input)."""
    if value not in (None, [], ""):
        return value
    if not interactive():
        raise UsageError(f"missing {flag}; pass it on the command line")
    hint = f" ({', '.join(choices)})" if choices else ""
    while True:
        answer = str(typer.prompt(f"{label}{hint}", default=default, show_default=default is not None)).strip()
        problem = None
        if choices and answer not in choices:
            problem = f"choose one of: {', '.join(choices)}"
        elif check:
            problem = check(answer)
        if problem is None and answer:
            return answer
        typer.echo(f"  {problem or 'a value is needed'}", err=True)


@overload
def choice(value: str, kind: str, field: str, flag: str) -> str: ...
@overload
def choice(value: str | None, kind: str, field: str, flag: str) -> str | None: ...


def choice(value: str | None, kind: str, field: str, flag: str) -> str | None:
    """Refuse a bad enum value early, as a usage error naming the allowed values."""
    if value is None:
        return None
    allowed = enum_values(kind, field)
    if value not in allowed:
        raise UsageError(f"{flag} '{value}' is not one of: {', '.join(allowed)}")
    return value


def ask_sources(given: list[str] | None) -> list[str]:
    """The --source values, or on a terminal the one source asked for."""
    answer = ask(given, "--source", "Source (URL or document name)")
    return answer if isinstance(answer, list) else [answer]


def carry_out(ctx: typer.Context, build: Callable[[Registry], ChangeSet], no_pr: bool, dry_run: bool,
              remote: str, base: str | None) -> None:
    """Carry out the change `build(registry)` makes (change.propose): print its diff (--dry-run),
    write it (--no-pr), or propose it as a pull request; each checks it first, and the last two
    build it under the change lock, from the registry as another run may just have left it."""
    from peernet_cli.change.propose import preview, pull_request, write_only
    from peernet_cli.cli import output

    root = registry_root(ctx)
    today = date.today()
    if dry_run:
        output.write(preview(root, build, today))
        output.message("peernet: dry run; nothing was written")
    elif no_pr:
        for rel in write_only(root, build, today, output.message).written:
            output.message(f"peernet: wrote {rel}")
    else:
        proposal = pull_request(root, build, today, remote, base, output.message)
        output.message(f"peernet: pull request opened for {proposal.branch}")
        output.write(proposal.url)
