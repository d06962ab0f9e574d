"""Cross-file rules: ids, references, pairs, dates, attendance, and (in its own module) likely
duplicates. Coordinates far from their city are a check of one file (coordinates.py, run by
validate.check_record).

Each rule is a small function over the loaded registry that yields findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlparse

from peernet_cli.check.findings import Finding, Severity, field_path
from peernet_cli.registry import yamlio
from peernet_cli.registry.loader import Record, Registry

ORGS = ("brigade", "partner", "network")
# Kinds whose ids share one namespace, so a bare id in a reference is never ambiguous.
NAMESPACED = ("brigade", "partner", "network", "event")

# (kind, path to the reference with "*" for every list item, kinds it may point to)
REFERENCES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("partnership", ("brigade",), ("brigade",)),
    ("partnership", ("partner",), ("partner", "brigade")),
    ("partnership", ("introduced_by",), ORGS),
    ("partnership", ("referred_by",), ORGS),
    ("partnership", ("projects", "*", "partners", "*"), ORGS),
    ("brigade", ("networks", "*", "network"), ("network", "brigade")),
    ("brigade", ("successor",), ("brigade",)),
    ("partner", ("parent",), ("partner",)),
    ("partner", ("networks", "*", "network"), ("network", "brigade")),
    ("network", ("parent",), ("network",)),
    ("network", ("operator",), ("partner", "brigade")),
    ("network", ("projects", "*", "partners", "*"), ORGS),
    ("event", ("organizers", "*"), ORGS),
    ("event", ("participants", "*"), ORGS),
]

DATE_RANGES = [("start_date", "end_date"), ("founding_date", "dissolution_date")]
NOT_FUTURE = ("last_contact", "last_verified")
FULL_DATE_FIELDS = ("last_verified", "retrieved")


def check_all(reg: Registry, today: date) -> Iterator[Finding]:
    # Imported here: queries import this module for parse_partial and do not need it.
    from peernet_cli.check import duplicates

    yield from unique_ids(reg)
    yield from references(reg)
    yield from partnership_pairs(reg)
    yield from duplicates.likely_duplicates(reg)
    yield from attendance(reg)


def _finding(reg: Registry, record: Record, path: list[str | int], message: str,
             rule: str, severity: Severity = Severity.ERROR) -> Finding:
    return _finding_in(reg.rel_of(record), record, path, message, rule, severity)


def _finding_in(rel: str, record: Record, path: list[str | int], message: str,
                rule: str, severity: Severity = Severity.ERROR) -> Finding:
    line, col = yamlio.locate(record.text, path) or (None, None)
    return Finding(rel, line, col, field_path(path), message, severity, rule)


def unique_ids(reg: Registry) -> Iterator[Finding]:
    seen: dict[str, Record] = {}
    for kind in NAMESPACED:
        for record in reg.of(kind).values():
            first = seen.setdefault(record.id, record)
            if first is not record:
                yield _finding(reg, record, ["id"],
                               f"id '{record.id}' is already used by {reg.relpath(first.path)}; "
                               "ids must be unique across brigades, partners, networks and events",
                               "unique-id")


def walk(data: Any, steps: tuple[str, ...], path: list[str | int]) -> Iterator[tuple[list[str | int], Any]]:
    """Values at `steps` inside data ("*" = every list item), with their paths."""
    if not steps:
        yield path, data
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from walk(item, rest, [*path, index])
    elif isinstance(data, dict) and step in data:
        yield from walk(data[step], rest, [*path, step])


def references(reg: Registry) -> Iterator[Finding]:
    for kind, steps, targets in REFERENCES:
        for record in reg.of(kind).values():
            for path, value in walk(record.data, steps, []):
                if not isinstance(value, str) or reg.find(value, targets):
                    continue
                what = " or ".join(targets)
                yield _finding(reg, record, path,
                               f"'{value}' is not a known {what} id; add "
                               f"registry/{_folder(targets[0])}/{value}.yaml or fix the id",
                               "reference")


def _folder(kind: str) -> str:
    from peernet_cli.registry.schemas import KINDS

    return KINDS[kind].folder


def partnership_pairs(reg: Registry) -> Iterator[Finding]:
    pairs: dict[tuple[str, str], Record] = {}
    for record in reg.of("partnership").values():
        brigade, partner = record.get("brigade"), record.get("partner")
        if not (isinstance(brigade, str) and isinstance(partner, str)):
            continue
        expected = f"{brigade}--{partner}"
        if record.id != expected:
            yield _finding(reg, record, ["partner"],
                           f"a partnership of {brigade} and {partner} must be in {expected}.yaml; "
                           "rename the file (and its id) to match", "pair")
        first = pairs.setdefault((brigade, partner), record)
        if first is not record:
            yield _finding(reg, record, ["brigade"],
                           f"{reg.relpath(first.path)} already records this brigade–partner pair; "
                           "merge the two files", "pair")
        if brigade == partner:
            yield _finding(reg, record, ["partner"], "a brigade cannot partner with itself", "pair")


def parse_partial(value: str) -> tuple[date, date] | None:
    """(earliest, latest) day a reduced-precision date can mean, or None if not a date."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)  # type: ignore[arg-type]
        if day is None:
            nxt = date(year + (month == 12), month % 12 + 1, 1)  # type: ignore[operator]
            return date(year, month, 1), date.fromordinal(nxt.toordinal() - 1)  # type: ignore[arg-type]
        exact = date(year, month, day)  # type: ignore[arg-type]
        return exact, exact
    except ValueError:
        return None


def _date_fields(data: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], dict[str, Any]]]:
    """Every mapping in the record (the record itself, memberships, projects…)."""
    if isinstance(data, dict):
        yield path, data
        for key, value in data.items():
            yield from _date_fields(value, [*path, key])
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _date_fields(item, [*path, index])


def dates(rel: str, record: Record, today: date) -> Iterator[Finding]:
    """Dates real and coherent in one record: a single-file rule (its findings are kept per
    file, with the "today" they were found on)."""
    for path, mapping in _date_fields(record.data, []):
        yield from _check_mapping_dates(rel, record, path, mapping, today)


def _check_mapping_dates(rel: str, record: Record, path: list[str | int],
                         mapping: dict[str, Any], today: date) -> Iterator[Finding]:
    spans: dict[str, tuple[date, date]] = {}
    for key, value in mapping.items():
        if not (isinstance(key, str) and isinstance(value, str)):
            continue
        if key.endswith("_date") or key in NOT_FUTURE or key == "date":
            # Fields typed as full dates get this from the schema's format check already.
            if (key not in FULL_DATE_FIELDS and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
                    and parse_partial(value) is None):
                yield _finding_in(rel, record, [*path, key],
                               f"'{value}' is not a real calendar date; check the day and month", "dates")
            span = parse_partial(value)
            if span:
                spans[key] = span
    for key in NOT_FUTURE:
        if key in spans and spans[key][0] > today:
            yield _finding_in(rel, record, [*path, key],
                           f"{key} {mapping[key]} is in the future (today is {today.isoformat()}); "
                           "use the date it actually happened", "dates")
    for start, end in DATE_RANGES:
        if start in spans and end in spans and spans[start][0] > spans[end][1]:
            yield _finding_in(rel, record, [*path, end],
                           f"{end} {mapping[end]} is before {start} {mapping[start]}; "
                           "swap them or correct one", "dates")


def attendance(reg: Registry) -> Iterator[Finding]:
    """An attendance is a count or a lower bound ('more than 100'), never both: a reader
    taking `people` as the count would miss that the source only gave a bound."""
    for record in reg.of("event").values():
        given = record.get("attendance")
        if isinstance(given, dict) and "people" in given and "people_more_than" in given:
            yield _finding(reg, record, ["attendance", "people_more_than"],
                           "give either people (a count) or people_more_than (the source's "
                           "'more than N'), not both", "attendance")


def website_host(url: str) -> str:
    """The host of a URL without 'www.', or '' when it cannot be parsed (the schema
    reports a malformed URL; this rule only compares good ones)."""
    try:
        host = urlparse(url).netloc.casefold()
    except ValueError:
        return ""
    return host.removeprefix("www.")
