"""What the commands that change the registry share (`brigades|partners|events add`,
`partnerships add|update`, `brigades rename|retire`): asking for missing values on a terminal,
refusing bad enum values early, and carrying the change out as a dry run, a plain write or a
pull request."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import typer

from peernet_cli.cli.context import registry_root
from peernet_cli.errors import UsageError


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


def choice(value: str | None, kind: str, field: str, flag: str) -> str | None:
    """Refuse a bad enum value early, as a usage error naming the allowed values."""
    if value is None:
        return None
    allowed = enum_values(kind, field)
    if value not in allowed:
        raise UsageError(f"{flag} '{value}' is not one of: {', '.join(allowed)}")
    return value


def location(city: str | None, state: str | None, country: str | None,
             latitude: float | None = None, longitude: float | None = None) -> dict[str, Any]:
    return {"city": city, "state": state, "country": country, "latitude": latitude, "longitude": longitude}


def carry_out(ctx: typer.Context, build: Callable[[Any], Any], no_pr: bool, dry_run: bool, remote: str,
              base: str | None) -> None:
    """Build the change from the registry with `build(registry)`, check it, then print its diff,
    write it, or commit it on a branch and open its pull request. A change that is carried out
    is built under the change lock, from the registry as another run may just have left it."""
    from peernet_cli.change.propose import commit_on_branch, preview, submit, write_only
    from peernet_cli.cli import output

    root = registry_root(ctx)
    today = date.today()
    if dry_run:
        output.write(preview(root, build, today))
        output.message("peernet: dry run; nothing was written")
        return
    if no_pr:
        for rel in write_only(root, build, today, output.message).written:
            output.message(f"peernet: wrote {rel}")
        return
    repo, branch, commit = commit_on_branch(root, build, today, remote, base, output.message)
    output.message(f"peernet: committed {commit[:10]} on branch {branch}; your branch is unchanged")
    url = submit(repo, branch, remote, base)
    output.message(f"peernet: pull request opened for {branch}")
    output.write(url)
