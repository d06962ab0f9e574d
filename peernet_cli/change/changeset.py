"""A proposed change to the registry: the files it writes, checked before anything is
written, and the three ways to carry it out (dry run, write only, pull request)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from peernet_cli.check.findings import Severity
from peernet_cli.errors import InvalidDataError, UsageError
from peernet_cli.registry import yamlio
from peernet_cli.registry.canonical import canonical_text
from peernet_cli.registry.loader import Record, Registry, path_for
from peernet_cli.safetext import inert

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def slugify(name: str, limit: int = 63) -> str:
    """A kebab-case id from a name: 'Code for Boston' -> 'code-for-boston'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold().replace("&", " and ")).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


def check_id(record_id: str, what: str = "id") -> str:
    """Refuse ids that are not slugs, which also refuses path tricks like '../x' or 'a/b'."""
    if not SLUG.fullmatch(record_id) or len(record_id) > 63:
        raise UsageError(f"{what} '{record_id}' is not valid: use lowercase letters, digits and single "
                         "hyphens, at most 63 characters (e.g. code-for-boston)")
    return record_id


def branch_name(verb: str, record_id: str) -> str:
    """`peernet/<verb>-<id>`, a valid git branch name whatever the id holds (an existing
    record's id is its file name, which could be anything): lowercase letters, digits and
    hyphens after the prefix, at most 100 characters."""
    tail = re.sub(r"[^a-z0-9-]+", "-", record_id.lower()).strip("-") or "record"
    return f"peernet/{verb}-{tail}"[:100].rstrip("-")


@dataclass(frozen=True)
class FileChange:
    """One file's new text (and its old text; None for a new file): what every change writes,
    `fmt` included."""

    kind: str
    path: Path
    after: str
    before: str | None = None  # None: a new file

    def diff(self, rel: str) -> str:
        return "".join(difflib.unified_diff(
            (self.before or "").splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile="/dev/null" if self.before is None else f"a/{rel}", tofile=f"b/{rel}"))


@dataclass
class ChangeSet:
    title: str
    branch: str
    changes: list[FileChange] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    def add_new(self, reg: Registry, kind: str, data: dict[str, Any]) -> None:
        path = path_for(reg.root, kind, data["id"])
        if path.exists():
            raise UsageError(f"{reg.relpath(path)} already exists; edit it with 'update' instead of 'add'")
        if any(c.path == path for c in self.changes):
            return
        self.changes.append(FileChange(kind, path, canonical_text(kind, data)))

    def edit(self, reg: Registry, record: Record, data: Any) -> None:
        """Replace a record with edited data (a round-trip document keeps its comments)."""
        self.changes.append(FileChange(record.kind, record.path, canonical_text(record.kind, data), record.text))

    def diff(self, reg: Registry) -> str:
        return "".join(c.diff(reg.relpath(c.path)) for c in self.changes)

    def commit_message(self, checked: int) -> str:
        """The commit's message, from which `peernet submit` makes the pull request: the title
        and summary hold record values, so each line is made inert (one line, no mention,
        reference or closing keyword GitHub would act on)."""
        lines = [inert(self.title), "", *(f"- {inert(s)}" for s in self.summary), "",
                 f"Validation: peernet validate found no errors in the {checked} changed file(s)."]
        return "\n".join(lines) + "\n"


def verify(reg: Registry, cs: ChangeSet, today: date) -> int:
    """Check the change against the schema and the whole registry as it would be after it.
    Raises InvalidDataError (exit 1) naming the first problem; returns files checked."""
    from peernet_cli.check.validate import check_registry

    after = Registry(root=reg.root, records={k: dict(v) for k, v in reg.records.items()})
    fresh = []
    for change in cs.changes:
        data, error = yamlio.parse_text(change.after)
        if error or not isinstance(data, dict):
            raise InvalidDataError(f"internal error: the new text does not parse ({error})", change.path)
        record = Record(change.kind, change.path, data, change.after)
        after.records[change.kind][change.path.stem] = record
        fresh.append(record)
    changed = {reg.relpath(c.path) for c in cs.changes}
    problems = [f for f in check_registry(after, today, fresh)
                if f.file in changed and f.severity is Severity.ERROR]
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        field_ = f"{first.field}: " if first.field else ""
        raise InvalidDataError(f"{field_}{first.message}{more}; nothing was written", first.file)
    return len(cs.changes)
