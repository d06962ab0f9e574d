"""`peernet fmt`: the canonical form of a record file.

Canonical = the modeline first, keys in schema order at every level, two-space indent,
lists indented under their key, full dates unquoted. Comments survive because the file
is re-read with the round-trip loader; running it twice changes nothing.

Every file is first read with the safe reader, as `validate` reads it: whatever that
refuses (bad YAML, anchors, a %YAML 1.1 directive, a huge or deep file) is skipped with
the reason, so the round-trip loader only ever sees small, plain files. A file is also
skipped, never rewritten, when the round-trip loader fails on it or when its canonical
form would read as different data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peernet_cli.change.changeset import FileChange
from peernet_cli.registry import yamlio
from peernet_cli.registry.canonical import canonical_text
from peernet_cli.registry.loader import kind_of, record_files


def format_text(kind: str, text: str) -> str:
    """The canonical text for a record file's text. Raises YAML errors for broken files."""
    return canonical_text(kind, yamlio.load_for_edit(text))


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


def plan(root: Path, paths: list[Path] | None = None) -> tuple[list[FileChange], list[Skipped]]:
    """What `fmt` would change. Files that are not valid YAML are skipped with a reason
    (validate reports them); nothing is written here."""
    if paths:
        files = [(kind_of(root, p), p) for p in _expand(paths)]
    else:
        files = list(record_files(root))
    changes: list[FileChange] = []
    skipped: list[Skipped] = []
    for kind, path in files:
        if kind is None:
            continue
        if path.is_symlink():
            skipped.append(Skipped(path, "a symbolic link; peernet never follows links in registry/"))
            continue
        outcome = _plan_one(kind, path)
        if isinstance(outcome, Skipped):
            skipped.append(outcome)
        elif outcome.before != outcome.after:
            changes.append(outcome)
    return changes, skipped


def _plan_one(kind: str, path: Path) -> FileChange | Skipped:
    parsed = yamlio.parse(path)
    if parsed.error is not None or not isinstance(parsed.data, dict):
        return Skipped(path, _reason(parsed.error))
    try:
        after = format_text(kind, parsed.text)
    except Exception as exc:  # noqa: BLE001 - whatever the round-trip reader raises, skip the file
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return Skipped(path, f"the round-trip reader cannot read it ({first}); run peernet validate "
                             "and fix what it reports")
    if after != parsed.text:
        data, error = yamlio.parse_text(after)
        if error is not None or data != parsed.data:
            return Skipped(path, "its canonical form would read as different data, so it is left as "
                                 "it is; quote the values that are text and run peernet fmt again")
    return FileChange(kind, path, after, parsed.text)


def _reason(error: yamlio.ParseError | None) -> str:
    if error is None:
        return "not a mapping of fields"
    if error.line is None:
        return error.message
    where = f"line {error.line}" if error.column is None else f"line {error.line}, column {error.column}"
    return f"{where}: {error.message}"


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.rglob("*.yaml")) if p.is_dir() else [p])
    return out


def apply(root: Path, changes: list[FileChange]) -> None:
    """Write the changes, holding the change lock so no contribution runs meanwhile."""
    from peernet_cli.change.propose import change_lock

    with change_lock(root) as lock:
        lock.step("rewriting", [c.path.relative_to(root).as_posix() for c in changes])
        for change in changes:
            yamlio.write_atomic(change.path, change.after)
