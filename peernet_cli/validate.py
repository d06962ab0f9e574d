"""`peernet validate`: per-file checks (YAML, schema, id, privacy) and the cross-file
rules in rules.py, collected as findings so one run reports every problem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import rules, yamlio
from .findings import Finding, Severity, field_path
from .messages import schema_message
from .registry import Record, Registry, load
from .schemas import KINDS, is_valid_quickly, validator


@dataclass
class Report:
    """The outcome of a validation run."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


def validate(root: Path, only: Iterable[Path] | None = None, today: date | None = None,
             use_cache: bool = True) -> Report:
    """Check the registry at root. With `only`, report findings for those files (and the
    folders given), though cross-file rules still see the whole registry. With `use_cache`,
    parse results and single-file findings of unchanged files come from the index."""
    reg = load(root, use_index=use_cache)
    findings = [*file_findings(reg, use_cache), *check_registry(reg, today or date.today())]
    selected = _selection(reg, only)
    if selected is not None:
        findings = [f for f in findings if f.file in selected]
        checked = len(selected)
    else:
        checked = reg.files_read
    return Report(sorted(set(findings), key=_order), checked)


def file_findings(reg: Registry, use_cache: bool = True) -> list[Finding]:
    """Everything that can be said about each file on its own: unreadable files, the schema,
    the id, the modeline, privacy. Findings of records unchanged since the last run come from
    the index's `checks` table."""
    from .index import Index

    index = Index(reg.root) if use_cache else None
    known = index.checks(reg.stamps) if index else {}
    out: list[Finding] = []
    for parsed in reg.unreadable:
        out.extend(check_unreadable(reg.relpath(parsed.path), parsed))
    fresh: list[tuple[str, str, list[tuple[Any, ...]]]] = []
    for record in reg.all():
        rel = reg.relpath(record.path)
        if rel in known:
            out.extend(_finding(t) for t in known[rel])
            continue
        found = list(check_record(rel, record))
        out.extend(found)
        fresh.append((rel, record.stamp, [_finding_tuple(f) for f in found]))
    if index is not None:
        index.store("checks", fresh, present=reg.stamps)
        index.close()
    return out


def _finding_tuple(f: Finding) -> tuple[Any, ...]:
    return (f.file, f.line, f.column, f.field, f.message, f.severity.value, f.rule)


def _finding(t: Any) -> Finding:
    file, line, column, field_, message, severity, rule = t
    return Finding(file, line, column, field_, message, Severity(severity), rule)


def changed_files(root: Path, rev: str) -> list[Path]:
    """The registry files to report on for `--changed-since REV`: those changed between REV
    and HEAD (`git diff REV...HEAD`, i.e. since the branch left REV), plus uncommitted and
    untracked ones. A deleted file has nothing to report, but references to it now dangle,
    so files that mention a deleted record's id are included too."""
    from .errors import UsageError
    from .registry import DATA_DIR
    from .vcs import GitError, find_repo

    if not rev or rev.startswith("-"):
        raise UsageError(f"--changed-since needs a git revision such as origin/main (got '{rev}')")
    repo = find_repo(root)
    if repo is None:
        raise UsageError(f"--changed-since needs a git repository, and {root} is not inside one "
                         "(or git is not installed); run without --changed-since")
    if repo.git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False).returncode != 0:
        raise UsageError(f"--changed-since: unknown revision '{rev}'; check the name, and fetch it "
                         "first if it is a remote branch (git fetch origin; in GitHub Actions, check "
                         "out with fetch-depth: 0)")
    data = (root / DATA_DIR).resolve()
    try:
        scope = data.relative_to(repo.top).as_posix()
    except ValueError:
        raise UsageError(f"--changed-since: {data} is not inside the git repository {repo.top}") from None
    names: set[str] = set()
    try:
        for args in (("diff", "--name-only", "--no-renames", "-z", f"{rev}...HEAD"),
                     ("diff", "--name-only", "--no-renames", "-z", "HEAD"),
                     ("ls-files", "--others", "--exclude-standard", "-z")):
            names.update(n for n in repo.git(*args, "--", scope).stdout.split("\0") if n)
    except GitError as exc:
        raise UsageError(f"--changed-since {rev}: {exc.message}") from None
    paths = [repo.top / name for name in sorted(names)]
    present = [p for p in paths if p.is_file() and not p.name.startswith(".")]  # as record_files
    gone = {p.stem for p in paths if not p.exists() and p.suffix == ".yaml"}
    if gone:
        mention = re.compile(r"(?<![a-z0-9-])(" + "|".join(map(re.escape, sorted(gone))) + r")(?![a-z0-9-])")
        listed = set(present)
        for path in sorted(data.rglob("*.yaml")):
            if path not in listed and mention.search(path.read_text(encoding="utf-8", errors="replace")):
                present.append(path)
    return present


def _order(f: Finding) -> tuple[str, int, int, str, str]:
    return (f.file, f.line or 0, f.column or 0, f.field, f.message)


def _selection(reg: Registry, only: Iterable[Path] | None) -> set[str] | None:
    if only is None:
        return None
    chosen: set[str] = set()
    all_files = {reg.relpath(r.path) for r in reg.all()}
    all_files |= {reg.relpath(p.path) for p in reg.unreadable} | {reg.relpath(p) for p in reg.stray}
    for path in only:
        rel = reg.relpath(path)
        if path.is_dir():
            prefix = "" if rel in ("", ".") else rel.rstrip("/") + "/"
            chosen |= {f for f in all_files if f.startswith(prefix)}
        else:
            chosen.add(rel)
    return chosen


def check_registry(reg: Registry, today: date, fresh: Iterable[Record] = ()) -> Iterator[Finding]:
    """The single-file checks of `fresh` records (not yet on disk), misplaced files, and the
    cross-file rules."""
    for record in fresh:
        yield from check_record(reg.relpath(record.path), record)
    for path in reg.stray:
        yield Finding(reg.relpath(path), None, None, "",
                      "not a record location; records live in registry/<brigades|partners|"
                      "partnerships|events|networks>/<id>.yaml", rule="location")
    yield from rules.check_all(reg, today)


def check_unreadable(rel: str, parsed: yamlio.Parsed) -> Iterator[Finding]:
    if parsed.error is not None:
        err = parsed.error
        yield Finding(rel, err.line, err.column, "", err.message, rule="yaml")
    elif parsed.data is None:
        yield Finding(rel, 1, 1, "", "the file is empty; a record is a mapping of fields "
                      "starting with 'id:'", rule="yaml")
    else:
        found = "a list" if isinstance(parsed.data, list) else "a single value"
        yield Finding(rel, 1, 1, "", f"expected a mapping of fields (key: value), found {found}",
                      rule="yaml")


def check_record(rel: str, record: Record) -> Iterator[Finding]:
    errors = [] if is_valid_quickly(record.kind, record.data) else validator(record.kind).iter_errors(record.data)
    for error in errors:
        path = list(error.absolute_path)
        unknown = error.validator == "additionalProperties"
        if unknown and isinstance(error.instance, dict):
            # Point at the first unknown key itself, which is what must change.
            allowed = error.schema.get("properties", {})
            extra = [k for k in error.instance if k not in allowed]
            path = path + extra[:1]
        where = (yamlio.locate_key if unknown else yamlio.locate)(record.text, path)
        line, col = where if where else (None, None)
        yield Finding(rel, line, col, field_path(path), schema_message(error))
    yield from _check_id(record, rel)
    yield from _check_modeline(record, rel)
    yield from _check_privacy(record, rel)


def _check_id(record: Record, rel: str) -> Iterator[Finding]:
    given = record.data.get("id")
    if isinstance(given, str) and given != record.path.stem:
        line, col = yamlio.locate(record.text, ["id"]) or (None, None)
        yield Finding(rel, line, col, "id",
                      f"id '{given}' does not match the file name '{record.path.name}'; "
                      f"rename the file to {given}.yaml or set id: {record.path.stem}", rule="id")


def _check_modeline(record: Record, rel: str) -> Iterator[Finding]:
    expected = yamlio.modeline(KINDS[record.kind].modeline_ref).rstrip("\n")
    first, _, rest = record.text.partition("\n")
    if first.rstrip("\r") != expected:
        yield Finding(rel, 1, 1, "",
                      f"first line should be '{expected}' so editors check the file; "
                      "run 'peernet fmt' to add it", Severity.WARNING, "modeline")
    elif rest.startswith(yamlio.MODELINE_PREFIX):
        yield Finding(rel, 2, 1, "", "the modeline is written twice; run 'peernet fmt' to keep one",
                      Severity.WARNING, "modeline")


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\d-])(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\d-])")


def _check_privacy(record: Record, rel: str) -> Iterator[Finding]:
    text = record.text
    if not (_EMAIL.search(text) or _PHONE.search(text)):
        return  # one scan of the raw text clears nearly every file
    for path, value in _strings(record.data, []):
        if _EMAIL.search(value):
            what = "an email address"
        elif _PHONE.search(value):
            what = "a phone number"
        else:
            continue
        line, col = yamlio.locate(record.text, path) or (None, None)
        yield Finding(rel, line, col, field_path(path),
                      f"contains {what}; the registry is public, so remove personal contact "
                      "details (link to a public contact page instead)", rule="privacy")


def _strings(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, [*path, index])
