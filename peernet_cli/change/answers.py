"""Values a contributor types, checked one at a time so a front end can ask again at once
(the interactive add): dates, `today` among them; a new record's id; a partner's name, which
names an existing partner, is a likely typo of one, or is new.

Each check returns the value or raises a UsageError whose message says what is wrong; nothing
here asks, prints or writes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from peernet_cli.change.changeset import check_id, slugify
from peernet_cli.errors import NameNotFound, UsageError
from peernet_cli.query.find import close_names
from peernet_cli.registry.loader import Record, Registry, path_for
from peernet_cli.registry.names import resolve

TODAY = "today"


def date_answer(text: str, today: date, label: str = "date", not_future: bool = False) -> str:
    """A date as the schema keeps it (YYYY, YYYY-MM or YYYY-MM-DD, a real one), `today` as
    today's; with `not_future`, a date after today is refused (a last contact has happened)."""
    text = text.strip()
    if text.casefold() == TODAY:
        return today.isoformat()
    first = _first_day(text)
    if first is None:
        raise UsageError(f"{label} '{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD "
                         f"(a real one), or '{TODAY}'")
    if not_future and first > today:
        raise UsageError(f"{label} {text} is in the future (today is {today.isoformat()})")
    return text


def _first_day(text: str) -> date | None:
    """The first day a YYYY, YYYY-MM or YYYY-MM-DD date can mean, or None when it is not one
    (the same test as the validator's, kept here so a prompt does not load the rules)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if match is None:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def expand_today(value: str | None, today: date) -> str | None:
    """A date flag's value with `today` turned into today's date; anything else as given (the
    change's check refuses a bad date with the field's name)."""
    return today.isoformat() if value is not None and value.strip().casefold() == TODAY else value


def new_id(reg: Registry, given: str | None, name: str) -> str:
    """The id a new record gets: `given`, or one derived from its name; refused when it is not
    a valid id or another record already has it."""
    record_id = check_id(given) if given else slugify(name)
    if not record_id:
        raise UsageError(f"cannot make an id from the name '{name}'; pass --id")
    check_id(record_id)
    taken = reg.find(record_id, ("brigade", "partner", "network", "event"))
    if taken is not None:
        raise UsageError(f"id '{record_id}' is already used by {reg.relpath(taken.path)}; pass a "
                         "different --id")
    return record_id


def new_path(reg: Registry, kind: str, record_id: str) -> str:
    """Where a new record of `kind` with `record_id` is written, relative to the registry."""
    return reg.relpath(path_for(reg.root, kind, record_id))


@dataclass(frozen=True)
class PartnerAnswer:
    """What a typed partner name stands for: an existing record (a partner, or a brigade as a
    partner), or a new partner with its id; `close` holds the ids of existing partners whose
    names are within a typo of it (a new partner only)."""

    name: str
    existing: Record | None
    record_id: str
    close: list[str]


def partner_answer(reg: Registry, text: str) -> PartnerAnswer:
    """The partner `text` names; an ambiguous name is a NameNotFound listing the candidates."""
    try:
        found = resolve(reg, ["partner", "brigade"], text, "partner")
        return PartnerAnswer(text, found, found.id, [])
    except NameNotFound as exc:
        if exc.candidates and "more than one" in exc.message:
            raise
    return PartnerAnswer(text, None, new_id(reg, None, text), close_names(reg, "partner", text))


def no_partnership_yet(reg: Registry, brigade: Record, partner_id: str) -> None:
    """Refuse a partnership that is already recorded, pointing at the edit instead."""
    ship = f"{brigade.id}--{partner_id}"
    if ship in reg.of("partnership"):
        raise UsageError(f"{new_path(reg, 'partnership', ship)} already exists; edit it with "
                         f"'peernet partnerships update {brigade.id} {partner_id}'")
