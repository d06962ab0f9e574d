"""The network over time, from git: every change to one record (`peernet history`), and the
changes since a revision (`report changes`, the dashboard's feed).

A record is followed by its `id`, not its path: a file renamed by git (with or without its id
changing) continues the same history. A version that cannot be read (a commit with a broken
file) is reported as such and skipped: the next readable version is compared with the last
readable one, never with nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TypedDict

from peernet_cli.registry.gitlog import BlobChange, Commit, GitHistory, Step, read_records


class HistoryRow(TypedDict):
    """`peernet history`: one field of one record changed by one commit."""

    date: str
    author: str
    commit: str
    kind: str
    id: str
    change: str  # created, changed, renamed, deleted, unreadable
    field: str | None
    old: str | None
    new: str | None


HISTORY_COLUMNS = list(HistoryRow.__annotations__)


def record_history(history: GitHistory, kind: str | None, record_id: str,
                   steps: list[Step] | None = None) -> list[HistoryRow]:
    """Every change to the record `record_id` (of `kind`, when known), oldest first."""
    steps = history.steps() if steps is None else steps
    mine = [(step.commit, c) for step in steps for c in step.changes if kind is None or c.kind == kind]
    data = read_records(history, (b for _, c in mine for b in (c.old_blob, c.new_blob) if b))
    ids = _lineage(record_id, [c for _, c in mine], data)
    rows: list[HistoryRow] = []
    last_good: dict[str, Any] | None = None
    for commit, change in mine:
        if {_id_of(change.old_path, change.old_blob, data), _id_of(change.new_path, change.new_blob, data)} & ids:
            rows += change_rows(commit, change, data, last_good)
            new = data.get(change.new_blob or "", (None, None))[0]
            last_good = new if new is not None else (None if change.status == "D" else last_good)
    return rows


def changes_since(history: GitHistory, since: str | None, newest: int | None = None) -> list[HistoryRow]:
    """Every record change after revision `since` (None: since the start; `newest`: only in
    that many of the latest commits that changed records), oldest first."""
    steps = history.steps(since=since, newest=newest)
    all_changes = [(step.commit, c) for step in steps for c in step.changes]
    data = read_records(history, (b for _, c in all_changes for b in (c.old_blob, c.new_blob) if b))
    return [row for commit, change in all_changes for row in change_rows(commit, change, data)]


def change_rows(commit: Commit, change: BlobChange, data: dict[str, tuple[Any, str | None]],
                last_good: dict[str, Any] | None = None) -> list[HistoryRow]:
    """The rows one file change makes: created/deleted as one row, an edit as one row per field
    (against `last_good`, the last readable version, when the version before is unreadable)."""
    old, old_problem = data.get(change.old_blob or "", (None, None))
    if old is None and old_problem and last_good is not None:
        old = last_good
    new, new_problem = data.get(change.new_blob or "", (None, None))
    record_id = _id_of(change.new_path, change.new_blob, data) or _id_of(change.old_path, change.old_blob, data)

    def row(what: str, field: str | None = None, before: str | None = None, after: str | None = None) -> HistoryRow:
        return {"date": commit.date[:10], "author": commit.author, "commit": commit.sha[:12],
                "kind": change.kind or "", "id": record_id or "", "change": what,
                "field": field, "old": before, "new": after}

    if change.new_blob and new_problem:
        return [row("unreadable", None, None, f"{change.new_path}: {new_problem} (skipped)")]
    if change.status == "A" or old is None:
        return [row("created", None, None, change.new_path)]
    if change.status == "D":
        return [row("deleted", None, change.old_path, None)]
    rows = []
    if change.old_path != change.new_path:
        rows.append(row("renamed", "file", change.old_path, change.new_path))
    rows += [row("changed", f, _text(a), _text(b)) for f, a, b in field_changes(old or {}, new or {})]
    return rows


def field_changes(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(field path, old, new) for every field that differs; nested mappings by dotted path
    (location.city), lists compared whole."""
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k not in new, str(k))):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        path = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            yield from field_changes(a, b, path + ".")
        else:
            yield path, a, b


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _id_of(path: str | None, blob: str | None, data: dict[str, tuple[Any, str | None]]) -> str | None:
    if path is None:
        return None
    record = data.get(blob or "", (None, None))[0]
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        return str(record["id"])
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def _lineage(record_id: str, changes: Iterable[BlobChange], data: dict[str, tuple[Any, str | None]]) -> set[str]:
    """The ids the record has had: `record_id`, and any id joined to it by a git rename or an
    edit of the id field, followed both ways until nothing new joins."""
    links = [(a, b) for c in changes
             if (a := _id_of(c.old_path, c.old_blob, data)) and (b := _id_of(c.new_path, c.new_blob, data)) and a != b]
    ids = {record_id}
    grew = True
    while grew:
        grew = False
        for a, b in links:
            if (a in ids) != (b in ids):
                ids |= {a, b}
                grew = True
    return ids
