"""What the commands that change the registry share (`brigades|partners|events add`,
`partnerships add|update`, `brigades rename|retire`): asking for missing values on a terminal,
refusing bad enum values early, and carrying the change out as a dry run, a plain write or a
pull request.

On a terminal an add is a conversation (Talk): each answer is checked as it is typed and, when
refused, asked again with the reason (a mistyped brigade is corrected at its prompt, not after
every other one); at the end the records to be written are shown and confirmed. Nothing is
ever asked when stdin is not a terminal, so a script is never left waiting."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, overload

import typer

from peernet_cli.cli.context import registry_root
from peernet_cli.errors import PeernetError, UsageError

if TYPE_CHECKING:
    from peernet_cli.change.changeset import ChangeSet
    from peernet_cli.registry.loader import Record, Registry

T = TypeVar("T")
SKIP = "-"      # the answer that leaves an optional value out
DATE_HINT = "YYYY, YYYY-MM, YYYY-MM-DD or today"


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


def missing(*values: Any) -> bool:
    """Whether any of the values was not given (None, empty list, empty text)."""
    return any(v in (None, [], "") for v in values)


def ask_value(label: str, parse: Callable[[str], T], choices: list[str] | None = None,
              default: str | None = None) -> T:
    """`parse` of the first answer it accepts: a refusal (a PeernetError) is shown with its
    reason and the question asked again."""
    from peernet_cli.cli import output

    hint = f" ({', '.join(choices)})" if choices else ""
    while True:
        answer = str(typer.prompt(f"{label}{hint}", default=default, show_default=default is not None))
        try:
            return parse(answer.strip())
        except PeernetError as exc:
            output.message(f"  {exc.message}")


def ask_last_contact(today: date, skip_means: str = "for none") -> str | None:
    """The last contact asked on a terminal, today's date the default; SKIP leaves it out."""
    from peernet_cli.change.answers import date_answer

    def parse(text: str) -> str | None:
        return None if text == SKIP else date_answer(text, today, "last contact", not_future=True)

    return ask_value(f"Last contact ({DATE_HINT}; {SKIP} {skip_means})", parse, default=today.isoformat())


def _one_of(allowed: list[str], optional: bool) -> Callable[[str], str | None]:
    def parse(text: str) -> str | None:
        if optional and text == SKIP:
            return None
        if text in allowed:
            return text
        import difflib

        close = difflib.get_close_matches(text, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise UsageError(f"choose one of: {', '.join(allowed)}{hint}")
    return parse


class Talk:
    """An add as a conversation on a terminal, over the registry as it is now: each value is
    asked only when it was not given, checked as it is typed (a given one too, so a mistyped
    flag is corrected at its prompt), and the change shown and confirmed at the end."""

    def __init__(self, reg: Registry, today: date) -> None:
        self.reg, self.today = reg, today

    @classmethod
    def start(cls, ctx: typer.Context) -> Talk:
        from peernet_cli.cli.context import load_registry

        return cls(load_registry(ctx), date.today())

    def value(self, given: str | None, label: str, parse: Callable[[str], T],
              choices: list[str] | None = None, default: str | None = None) -> T:
        if given not in (None, ""):
            try:
                return parse(str(given))
            except PeernetError as exc:
                from peernet_cli.cli import output

                output.message(f"  {exc.message}")
        return ask_value(label, parse, choices, default)

    def pick(self, given: str | None, label: str, kind: str, field: str, optional: bool = False) -> str | None:
        """One of the schema's values for kind.field, asked with its choices (SKIP among them
        when the field may be left out)."""
        allowed = enum_values(kind, field)
        return self.value(given, label, _one_of(allowed, optional), allowed + ([SKIP] if optional else []))

    def brigade(self, given: str | None) -> Record:
        from peernet_cli.cli import output
        from peernet_cli.registry.names import resolve

        found = self.value(given, "Brigade", lambda text: resolve(self.reg, ["brigade"], text, "brigade"))
        output.message(f"  → {found.name} ({found.id})")
        return found

    def partner(self, brigade: Record, given: str | None, classification: str | None,
                create: bool) -> tuple[str, str | None, bool]:
        """The partner as records.add takes it (an existing one's id, a new one's name), a new
        one's classification (asked with its choices) and whether a name within a typo of an
        existing partner's is meant as a new partner (asked, unless --new-partner said so)."""
        from peernet_cli.change.answers import PartnerAnswer, new_path, no_partnership_yet, partner_answer
        from peernet_cli.cli import output

        def parse(text: str) -> PartnerAnswer:
            answer = partner_answer(self.reg, text)
            no_partnership_yet(self.reg, brigade, answer.record_id)
            return answer

        while True:
            answer = self.value(given, "Partner organization", parse)
            given = None
            if answer.existing is not None:
                output.message(f"  → {answer.existing.name} (existing {answer.existing.kind})")
                return answer.existing.id, None, False
            if not answer.close or create:
                break
            names = ", ".join(f"{rid} ({self.reg.of('partner')[rid].name})" for rid in answer.close)
            output.message(f"  '{answer.name}' is close to the name of an existing partner: {names}")
            if typer.confirm("Add it as a new partner anyway?", default=False):
                create = True
                break
        output.message(f"  new partner: will create {new_path(self.reg, 'partner', answer.record_id)}")
        chosen = self.pick(classification, "Classification of the new partner", "partner", "classification")
        return answer.name, chosen, create

    def new_record(self, given: str | None, label: str, kind: str, given_id: str | None) -> str:
        """The name of a new record of `kind`, refused at once when its id is taken; a name
        close to an existing record's is pointed out."""
        from peernet_cli.change.answers import new_id, new_path
        from peernet_cli.cli import output
        from peernet_cli.query.find import close_names

        def parse(text: str) -> tuple[str, str]:
            if not text:
                raise UsageError("a value is needed")
            return text, new_id(self.reg, given_id, text)

        name, record_id = self.value(given, label, parse)
        close = close_names(self.reg, kind, name)
        if close:
            output.message(f"  note: close to the name of an existing {kind}: {', '.join(close)}")
        output.message(f"  new {kind}: will create {new_path(self.reg, kind, record_id)}")
        return name

    def last_contact(self, given: str | None) -> str | None:
        if given not in (None, ""):
            return given
        return ask_last_contact(self.today)

    def sources(self, given: list[str] | None) -> list[str]:
        if given:
            return given

        def parse(text: str) -> str:
            if not text:
                raise UsageError("a value is needed")
            return text

        return [ask_value("Source (URL or document name)", parse)]

    def confirm(self, cs: ChangeSet, no_pr: bool, dry_run: bool) -> None:
        """Show the files the change writes and its summary; unless it is a dry run (whose diff
        follows), ask to go ahead, and end with nothing written on "no"."""
        from peernet_cli.cli import output

        output.message("peernet: the change:")
        for change in cs.changes:
            verb = "create" if change.before is None else "change"
            output.message(f"  {verb} {self.reg.relpath(change.path)}")
        for line in cs.summary:
            output.message(f"    {line}")
        if dry_run:
            return
        question = "Write these files?" if no_pr else "Commit this on a new branch and open a pull request?"
        if not typer.confirm(question, default=True):
            output.message("peernet: nothing was written")
            raise typer.Exit(0)


def told_new_partner(reg: Registry, cs: ChangeSet, unclassified: bool) -> ChangeSet:
    """`cs`, after saying (when `unclassified`: nobody gave the classification) that it creates
    a partner recorded as `unknown`, so that a new record is never made unannounced."""
    from peernet_cli.cli import output

    for change in cs.changes if unclassified else []:
        if change.kind == "partner" and change.before is None:
            output.message(f"peernet: note: {reg.relpath(change.path)} is a new partner, recorded with "
                           "classification: unknown; pass --partner-classification to set it")
    return cs


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
