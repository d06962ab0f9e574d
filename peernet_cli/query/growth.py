"""`peernet report growth`: the network at the end of each month, quarter or year, from git,
and what changed in each interval.

The first point reads the registry's file list at its commit; each later point reads only the
files that differ from the point before (one `git diff-tree`), and parses only blobs it has
not seen (the index keeps parsed blobs by id across runs).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypedDict

from peernet_cli.errors import UsageError
from peernet_cli.registry.gitlog import GitHistory, kind_of_path, read_records
from peernet_cli.registry.sources import GitRevision

EVERY = ("month", "quarter", "year")


class GrowthRow(TypedDict):
    period: str
    date: str
    commit: str
    brigades: int
    partners: int
    partnerships: int
    brigades_by_status: dict[str, int]
    partnerships_by_status: dict[str, int]
    new_partnerships: list[str]
    status_changes: list[str]
    ended_partnerships: list[str]
    new_brigades: list[str]


@dataclass
class _State:
    """The records at one point: path -> (kind, id, status), kept by blob."""

    blobs: dict[str, str] = field(default_factory=dict)
    records: dict[str, tuple[str, str, Any]] = field(default_factory=dict)


def period_ends(start: date, end: date, every: str) -> list[tuple[str, date]]:
    """(label, last day) of each period from the one holding `start` to the one holding `end`;
    the last is cut at `end`."""
    if every not in EVERY:
        raise UsageError(f"--every must be one of: {', '.join(EVERY)} (got '{every}')")
    months = {"month": 1, "quarter": 3, "year": 12}[every]
    year, month = start.year, (start.month - 1) // months * months + 1
    out: list[tuple[str, date]] = []
    while date(year, month, 1) <= end:
        nxt_year, nxt_month = (year + (month - 1 + months) // 12, (month - 1 + months) % 12 + 1)
        last = min(date(nxt_year, nxt_month, 1) - timedelta(days=1), end)
        label = {"month": f"{year}-{month:02d}", "quarter": f"{year}-Q{(month - 1) // 3 + 1}",
                 "year": str(year)}[every]
        out.append((label, last))
        year, month = nxt_year, nxt_month
    return out


def growth(history: GitHistory, every: str, start: date | None, end: date | None) -> list[GrowthRow]:
    """One row per period end at which the registry existed, oldest first."""
    dates = history.commit_dates()
    if not dates:
        return []
    first = datetime.fromisoformat(dates[0][1]).date()
    ends = period_ends(start or first, end or date.today(), every)
    state, prev_commit = _State(), None
    rows: list[GrowthRow] = []
    for label, last in ends:
        moment = datetime.combine(last, time.max, tzinfo=UTC)
        commit = _commit_at(dates, moment)
        if commit is None:
            continue
        before = dict(state.records)
        if commit != prev_commit:
            _advance(history, state, prev_commit, commit)
            prev_commit = commit
        rows.append(_row(label, last, commit, before if rows else {}, state.records))
    return rows


def _commit_at(dates: list[tuple[str, str]], moment: datetime) -> str | None:
    found = None
    for sha, when in dates:  # first-parent line, oldest first
        if datetime.fromisoformat(when) <= moment:
            found = sha
    return found


def _advance(history: GitHistory, state: _State, old: str | None, new: str) -> None:
    """Bring the state from commit `old` to `new`, reading only blobs that changed."""
    if old is None:
        revision = GitRevision(history.root, new)
        changed = {e.rel: e.stamp for e in revision.entries() if e.kind is not None and e.problem is None}
        gone: list[str] = []
    else:
        changes = history.changed_between(old, new)
        gone = [c.old_path for c in changes if c.old_path and c.status in "DR"]
        changed = {c.new_path: c.new_blob for c in changes if c.new_path and c.new_blob}
    for rel in gone:
        state.blobs.pop(rel, None)
        state.records.pop(rel, None)
    data = read_records(history, changed.values())
    for rel, blob in changed.items():
        kind = kind_of_path(rel)
        record = data.get(blob, (None, None))[0]
        state.blobs[rel] = blob
        if kind and isinstance(record, dict):
            rid = record.get("id") if isinstance(record.get("id"), str) else rel.rsplit("/", 1)[-1][:-5]
            state.records[rel] = (kind, str(rid), record.get("status"))
        else:
            state.records.pop(rel, None)  # unreadable at this point: left out, as queries do


def _row(label: str, last: date, commit: str, before: dict[str, tuple[str, str, Any]],
         now: dict[str, tuple[str, str, Any]]) -> GrowthRow:
    def by_kind(records: dict[str, tuple[str, str, Any]], kind: str) -> dict[str, Any]:
        return {rid: status for k, rid, status in records.values() if k == kind}

    ships_then, ships_now = by_kind(before, "partnership"), by_kind(now, "partnership")
    brigades_now = by_kind(now, "brigade")
    changed = sorted(i for i in ships_now.keys() & ships_then.keys() if ships_now[i] != ships_then[i])
    ended = sorted(i for i in changed if ships_now[i] == "ended")
    ended += sorted(i for i in ships_then.keys() - ships_now.keys())  # removed from the registry
    return {
        "period": label, "date": last.isoformat(), "commit": commit[:12],
        "brigades": len(brigades_now), "partners": len(by_kind(now, "partner")), "partnerships": len(ships_now),
        "brigades_by_status": _statuses("brigade", brigades_now.values()),
        "partnerships_by_status": _statuses("partnership", ships_now.values()),
        "new_partnerships": sorted(ships_now.keys() - ships_then.keys()) if before else [],
        "status_changes": [f"{i}: {ships_then[i]} -> {ships_now[i]}" for i in changed],
        "ended_partnerships": ended,
        "new_brigades": sorted(brigades_now.keys() - by_kind(before, "brigade").keys()) if before else [],
    }


def _statuses(kind: str, values: Any) -> dict[str, int]:
    from peernet_cli.registry.schemas import enum_values

    counts = Counter(str(v) if v else "unknown" for v in values)
    known = {s: counts.pop(s, 0) for s in enum_values(kind, "status")}
    return known | dict(sorted(counts.items()))


def flat(row: GrowthRow) -> dict[str, Any]:
    """A growth row as one CSV line: counts per status, and counts of the interval's changes."""
    out: dict[str, Any] = {k: row[k] for k in ("period", "date", "commit", "brigades", "partners",
                                               "partnerships")}
    out |= {f"brigades_{s}": n for s, n in row["brigades_by_status"].items()}
    out |= {f"partnerships_{s}": n for s, n in row["partnerships_by_status"].items()}
    for key in ("new_brigades", "new_partnerships", "status_changes", "ended_partnerships"):
        out[key] = len(row[key])
    return out


def growth_md(rows: list[GrowthRow], every: str) -> str:
    """The growth table, then each interval's changes by name of partnership."""
    from peernet_cli.query.markdown import md_table

    if not rows:
        return f"# Growth by {every}\n\n_no commits in this span_\n"
    table = [flat(r) for r in rows]
    columns = ["period", "brigades", "partners", "partnerships", "partnerships_active", "partnerships_prospective",
               "partnerships_ended", "new_partnerships", "status_changes", "ended_partnerships"]
    parts = [f"# Growth by {every}, {rows[0]['period']} to {rows[-1]['period']}\n",
             "Counts at the end of each period (the last commit by then); changes since the period before.\n",
             md_table(table, [c for c in columns if c in table[0]]), "## What changed\n"]
    for r in rows:
        lines = ([f"- new: {i}" for i in r["new_partnerships"]] + [f"- status: {c}" for c in r["status_changes"]]
                 + [f"- ended: {i}" for i in r["ended_partnerships"] if not any(c.startswith(i + ":")
                                                                                  for c in r["status_changes"])])
        if lines:
            parts.append(f"### {r['period']}\n\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)
