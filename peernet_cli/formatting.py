"""`peernet fmt`: the canonical form of a record file.

Canonical = the modeline first, keys in schema order at every level, two-space indent,
lists indented under their key, full dates unquoted. Comments survive because the file
is re-read with the round-trip loader; running it twice changes nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from . import yamlio
from .registry import kind_of, record_files
from .schemas import KINDS, canonical


def format_text(kind: str, text: str) -> str:
    """The canonical text for a record file's text. Raises YAML errors for broken files."""
    return canonical_text(kind, yamlio.load_for_edit(text))


def canonical_text(kind: str, data: object) -> str:
    """Modeline plus the data in schema key order (comments kept for round-trip data)."""
    body = yamlio.dump(canonical(kind, data)) if data is not None else ""
    return yamlio.modeline(KINDS[kind].modeline_ref) + body


@dataclass(frozen=True)
class Change:
    path: Path
    before: str
    after: str

    def diff(self, rel: str) -> str:
        return "".join(difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=f"a/{rel}", tofile=f"b/{rel}"))


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


def plan(root: Path, paths: list[Path] | None = None) -> tuple[list[Change], list[Skipped]]:
    """What `fmt` would change. Files that are not valid YAML are skipped with a reason
    (validate reports them); nothing is written here."""
    if paths:
        files = [(kind_of(root, p), p) for p in _expand(paths)]
    else:
        files = list(record_files(root))
    changes, skipped = [], []
    for kind, path in files:
        if kind is None:
            continue
        parsed = yamlio.parse(path)
        if parsed.error is not None or not isinstance(parsed.data, dict):
            skipped.append(Skipped(path, parsed.error.message if parsed.error else "not a mapping"))
            continue
        after = format_text(kind, parsed.text)
        if after != parsed.text:
            changes.append(Change(path, parsed.text, after))
    return changes, skipped


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.rglob("*.yaml")) if p.is_dir() else [p])
    return out


def apply(changes: list[Change]) -> None:
    for change in changes:
        yamlio.write_atomic(change.path, change.after)
