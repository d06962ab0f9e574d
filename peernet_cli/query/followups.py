"""Follow-ups: open partnerships nobody has talked to lately, in two kinds that call for
different work. "Stale" ones have a last contact older than the threshold (someone should get
in touch); "never recorded" ones have no last contact at all (someone should find out and
record it). Each kind is oldest first and grouped by brigade, so a brigade lead sees their
whole list in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from peernet_cli.check.rules import parse_partial
from peernet_cli.query.listings import LinkedRegistry, partnership_row
from peernet_cli.query.markdown import md_table
from peernet_cli.query.rows import FollowupRow

OPEN_STATUSES = ("active", "prospective", "paused", "unknown")
STALE, NEVER = "stale", "never-recorded"
# --only's words, to the state each one keeps.
ONLY = {"stale": STALE, "never": NEVER}

# A table for a person: (title, rows, columns). The CLI prints it; the data stays here.
Section = tuple[str, list[dict[str, Any]], tuple[str, ...]]


def latest_day(value: Any) -> date | None:
    """The last day a (possibly partial) date can mean: 2026-03 was at the latest 2026-03-31."""
    span = parse_partial(str(value)) if value else None
    return span[1] if span else None


def _earliest_day(value: Any) -> date | None:
    span = parse_partial(str(value)) if value else None
    return span[0] if span else None


def _order(row: FollowupRow) -> tuple[Any, ...]:
    """Oldest first: stale by the age of the last contact, never-recorded by when the
    partnership started (the longest unrecorded first), then those with no start date."""
    names = (row["brigade_name"].casefold(), str(row["brigade"]), row["partner_name"].casefold(), row["partner"])
    if row["state"] == STALE:
        return (0, -(row["days_since_contact"] or 0), *names)
    started = _earliest_day(row["start_date"])
    return (1, started is None, started or date.min, row["last_changed_in_git"] or "", *names)


def followups(linked: LinkedRegistry, as_of: date, days: int = 180, brigades: list[str] | None = None,
              only: str | None = None, touched: dict[str, str] | None = None) -> list[FollowupRow]:
    """Open partnerships with no contact in `days` days (stale) or none recorded: stale first,
    then never recorded; within each, brigades in the order of their oldest partnership and
    each brigade's partnerships oldest first. `only` is a state (STALE or NEVER). `touched`:
    partnership id -> the day git last changed its file, shown for never-recorded ones (and
    ordering those with the same start), never taken for a contact."""
    rows: list[FollowupRow] = []
    ships = sorted((s for b in set(brigades) for s in linked.by_brigade.get(b, [])), key=lambda r: r.id) \
        if brigades else linked.partnerships()
    for s in ships:
        if s.get("status") not in OPEN_STATUSES:
            continue
        last = latest_day(s.get("last_contact"))
        age = (as_of - last).days if last else None
        if age is not None and age <= days:  # recent, or after as_of
            continue
        state = NEVER if age is None else STALE
        if only and state != only:
            continue
        row = partnership_row(linked, s)
        rows.append({"state": state, "brigade": row["brigade"], "brigade_name": row["brigade_name"],
                     "partner": row["partner"], "partner_name": row["partner_name"], "status": row["status"],
                     "start_date": row["start_date"], "last_contact": row["last_contact"],
                     "days_since_contact": age,
                     "last_changed_in_git": (touched or {}).get(s.id) if state == NEVER else None})
    return _grouped(sorted(rows, key=_order))


def _grouped(rows: list[FollowupRow]) -> list[FollowupRow]:
    """Rows already oldest first, regrouped so each brigade's rows of one state sit together,
    the brigade placed where its oldest row was."""
    groups: dict[tuple[str, str], list[FollowupRow]] = {}
    for row in rows:
        groups.setdefault((row["state"], str(row["brigade"])), []).append(row)
    return [row for group in groups.values() for row in group]


def by_brigade(rows: Sequence[FollowupRow]) -> list[list[FollowupRow]]:
    """Consecutive rows of one brigade (and state), as `followups` orders them."""
    out: list[list[FollowupRow]] = []
    for row in rows:
        if out and (out[-1][0]["state"], out[-1][0]["brigade"]) == (row["state"], row["brigade"]):
            out[-1].append(row)
        else:
            out.append([row])
    return out


def counts(rows: Sequence[FollowupRow]) -> dict[str, int]:
    return {"stale": sum(r["state"] == STALE for r in rows),
            "never_recorded": sum(r["state"] == NEVER for r in rows)}


def sentence(found: dict[str, int], days: int) -> str:
    """'Follow-ups: 2 stale (no contact in 180 days), 69 never recorded.'"""
    return (f"Follow-ups: {found['stale']} stale (no contact in {days} days), "
            f"{found['never_recorded']} never recorded.")


_STALE_COLUMNS = ("partner_name", "status", "last_contact", "days_since_contact")
_NEVER_COLUMNS = ("partner_name", "status", "start_date")
# Said wherever the git date is shown, so nobody reads it as a contact.
GIT_NOTE = ("last changed in git: the day someone last edited the record, from the repository's "
            "history; not a contact date")


def _columns(state: str, rows: Sequence[FollowupRow]) -> tuple[str, ...]:
    if state == STALE:
        return _STALE_COLUMNS
    with_git = any(r["last_changed_in_git"] for r in rows)
    return (*_NEVER_COLUMNS, "last_changed_in_git") if with_git else _NEVER_COLUMNS


def _titles(rows: Sequence[FollowupRow], days: int) -> dict[str, str]:
    found = counts(rows)
    return {STALE: f"Stale: no contact in {days} days ({found['stale']}), oldest contact first",
            NEVER: f"Never recorded: no last contact ({found['never_recorded']}), oldest start first"}


def followup_sections(rows: Sequence[FollowupRow], days: int, only: str | None = None) -> list[Section]:
    """The table output: one table per state, the brigade (with its count) named on the first
    row of its group only, so the groups read as blocks."""
    sections: list[Section] = []
    for state, title in _titles(rows, days).items():
        if only and state != only:
            continue
        columns = _columns(state, rows)
        table: list[dict[str, Any]] = []
        for group in by_brigade([r for r in rows if r["state"] == state]):
            for i, row in enumerate(group):
                plain: dict[str, Any] = dict(row)
                table.append({"brigade": f"{row['brigade_name']} ({len(group)})" if i == 0 else "",
                              **{c: plain[c] for c in columns}})
        sections.append((title, table, ("brigade", *columns)))
    return sections


def followups_md(rows: Sequence[FollowupRow], as_of: date, days: int, only: str | None = None) -> str:
    parts = [f"# Follow-ups as of {as_of.isoformat()}\n",
             "Open partnerships (active, prospective, paused or status unknown). "
             + sentence(counts(rows), days) + "\n"]
    hints = {STALE: "Get in touch, then record it: `peernet partnerships update BRIGADE PARTNER "
                    "--last-contact DATE`.\n",
             NEVER: "Nobody has recorded when these partners were last in touch; find out and record it "
                    "with `--last-contact`.\n"}
    for state, title in _titles(rows, days).items():
        if only and state != only:
            continue
        groups = by_brigade([r for r in rows if r["state"] == state])
        parts.append(f"## {title}\n\n{hints[state]}")
        columns = _columns(state, rows)
        if "last_changed_in_git" in columns:
            parts.append(f"_{GIT_NOTE}._\n")
        parts += [f"### {g[0]['brigade_name']} ({len(g)})\n\n" + md_table(g, columns) for g in groups]
        if not groups:
            parts.append("_none_\n")
    return "\n".join(parts)
