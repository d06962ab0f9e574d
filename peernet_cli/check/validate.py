"""`peernet validate`: per-file checks (YAML, schema, id, privacy, coordinates) and the cross-file
rules in rules.py, collected as findings so one run reports every problem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from peernet_cli.check import rules
from peernet_cli.check.findings import Finding, Severity, field_path
from peernet_cli.check.messages import schema_message
from peernet_cli.registry import yamlio
from peernet_cli.registry.loader import Record, Registry, load
from peernet_cli.registry.schemas import KINDS, is_valid_quickly, validator


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
    parse results and single-file findings of unchanged files come from the index, and a
    registry unchanged since the last run gets that run's findings."""
    from peernet_cli.registry.index import Index
    from peernet_cli.registry.sources import WorkingTree

    today = today or date.today()
    source = WorkingTree(root.resolve())
    entries = source.entries()
    stamps = {e.rel: e.stamp for e in entries}
    signature = _signature(stamps, today)
    index = Index(source.root) if use_cache else None
    try:
        stored = index.entries(RESULT_MAP, {"all": signature}) if index is not None else {}
        if "all" in stored:  # nothing changed since the last run: its findings stand
            findings = [_finding(t) for t in stored["all"]]
        else:
            reg = load(source, use_index=use_cache, entries=entries)
            findings = [*file_findings(reg, today, index), *check_registry(reg, today)]
            if index is not None and all(index.settled(stamp) for stamp in stamps.values()):
                index.store_map(RESULT_MAP, {"all": (signature, [_finding_tuple(f) for f in findings])})
    finally:
        if index is not None:
            index.close()
    selected = _selection(source.root, stamps, only)
    if selected is not None:
        findings = [f for f in findings if f.file in selected]
        checked = len(selected)
    else:
        checked = len(entries)
    return Report(sorted(set(findings), key=_order), checked)


RESULT_MAP = "validate"


def _signature(stamps: dict[str, str], today: date) -> str:
    """What a whole run's findings depend on: every listed file's stamp, and "today"."""
    import hashlib

    digest = hashlib.sha256(today.isoformat().encode())
    digest.update("\0".join(f"{rel}\0{stamp}" for rel, stamp in sorted(stamps.items())).encode())
    return digest.hexdigest()


CHECKS_MAP = "checks"


def file_findings(reg: Registry, today: date, index: Any = None) -> list[Finding]:
    """Everything that can be said about each file on its own: unreadable files, the schema,
    the id, the modeline, privacy, dates. Findings of records unchanged since the last run
    (on the same "today") come from the index's `checks` map; the rest are computed (in
    worker processes when many)."""
    stamps = {rel: f"{stamp}@{today.isoformat()}" for rel, stamp in reg.stamps.items() if stamp}
    known = index.entries(CHECKS_MAP, stamps) if index is not None else {}
    out: list[Finding] = []
    for parsed in reg.unreadable:
        out.extend(check_unreadable(reg.relpath(parsed.path), parsed))
    from peernet_cli.registry.sources import LEFTOVER_PROBLEM

    out.extend(Finding(reg.relpath(path), None, None, "", LEFTOVER_PROBLEM, Severity.WARNING, "leftover")
               for path in reg.leftovers)
    todo: list[Record] = []
    for record in reg.all():
        found = known.get(reg.rel_of(record))
        if found is None:
            todo.append(record)
        else:
            out.extend(_finding(t) for t in found)
    fresh = _check_records(reg, todo, today)
    for found in fresh:
        out.extend(_finding(t) for t in found)
    if index is not None and (fresh or len(known) != len(stamps)):
        entries = {rel: (stamps[rel], value) for rel, value in known.items()}
        entries.update((reg.rel_of(r), (stamps.get(reg.rel_of(r), ""), value))
                       for r, value in zip(todo, fresh, strict=True))
        index.store_map(CHECKS_MAP, entries)
    return out


PARALLEL_FROM = 1500  # as for parsing: below this, starting workers costs more than it saves
_FORKED: list[tuple[Registry, list[Record], date]] = []  # what forked workers inherit


def _check_records(reg: Registry, records: list[Record], today: date) -> list[list[tuple[Any, ...]]]:
    """check_record for each record, as finding tuples. Many records are checked in forked
    workers, which inherit the loaded registry instead of being sent it."""
    import os

    workers = min(os.cpu_count() or 1, 8)
    if len(records) < PARALLEL_FROM or workers < 2 or os.name != "posix":
        return [_check_one(reg, r, today) for r in records]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from peernet_cli.check.coordinates import load_gazetteer

    load_gazetteer()  # read once here, so the forked workers inherit it instead of each reading it
    _FORKED[:] = [(reg, records, today)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            step = max(1, len(records) // (workers * 8))
            chunks = pool.map(_check_range, [(i, min(i + step, len(records))) for i in range(0, len(records), step)])
            return [found for chunk in chunks for found in chunk]
    finally:
        _FORKED.clear()


def _check_range(bounds: tuple[int, int]) -> list[list[tuple[Any, ...]]]:
    reg, records, today = _FORKED[0]
    return [_check_one(reg, r, today) for r in records[bounds[0]:bounds[1]]]


def _check_one(reg: Registry, record: Record, today: date) -> list[tuple[Any, ...]]:
    return [_finding_tuple(f) for f in check_record(reg.rel_of(record), record, today)]


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
    from peernet_cli.errors import UsageError
    from peernet_cli.registry.git import GitError, find_repo
    from peernet_cli.registry.sources import DATA_DIR

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


def _selection(root: Path, listed: Iterable[str], only: Iterable[Path] | None) -> set[str] | None:
    if only is None:
        return None
    chosen: set[str] = set()
    all_files = set(listed)
    for path in only:
        rel = _relative(root, path)
        if path.is_dir():
            prefix = "" if rel in ("", ".") else rel.rstrip("/") + "/"
            chosen |= {f for f in all_files if f.startswith(prefix)}
        else:
            chosen.add(rel)
    return chosen


def _relative(root: Path, path: Path) -> str:
    for candidate in (path, path.resolve()):
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    return str(path)


def check_registry(reg: Registry, today: date, fresh: Iterable[Record] = ()) -> Iterator[Finding]:
    """The single-file checks of `fresh` records (not yet on disk), misplaced files, and the
    cross-file rules."""
    for record in fresh:
        yield from check_record(reg.relpath(record.path), record, today)
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


def check_record(rel: str, record: Record, today: date) -> Iterator[Finding]:
    errors = [] if is_valid_quickly(record.kind, record.data) else list(validator(record.kind).iter_errors(record.data))
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
    dated = list(rules.dates(rel, record, today))
    yield from dated
    wrong = {f.field for f in dated} | {field_path(e.absolute_path) for e in errors}
    yield from _check_ambiguous(record, rel, wrong)
    from peernet_cli.check.coordinates import far_from_city

    yield from far_from_city(rel, record)


def _check_ambiguous(record: Record, rel: str, wrong: set[str]) -> Iterator[Finding]:
    """Warn of plain values that YAML 1.1 readers (PyYAML's safe_load, ajv-cli's js-yaml) read
    as another type: the data would mean different things to different tools. Not for a value
    already reported as wrong: one wrong value is one finding."""
    from peernet_cli.registry.yamlsafe import yaml11_value

    for line, column, path, text in record.ambiguous:
        if field_path(path) in wrong:
            continue
        theirs = yaml11_value(text)
        shown = "a date" if theirs.__class__.__name__ in ("date", "datetime") else repr(theirs)
        yield Finding(rel, line, column, field_path(path),
                      f"{text} is unquoted, so YAML 1.1 readers (PyYAML, ajv-cli) read it as {shown}; "
                      f"write it in quotes ('{text}'), or run 'peernet fmt'", Severity.WARNING, "yaml-1.1")


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


# These scan whole files, so both run in linear time (a 5 MB line of letters takes
# milliseconds; `name+@` patterns retried at every letter of a long run were quadratic).
# They find what `[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}` and
# `(?<![\d-])(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\d-])` find: an email is
# searched from its '@' (with one name character before it), a phone number from its last
# seven digits, then its first three are checked in a window of fixed size before them.
_EMAIL = re.compile(r"@(?<=[A-Za-z0-9._%+-]@)[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)*?\.[A-Za-z]{2}")
_PHONE_TAIL = re.compile(r"[\s.-]\d{3}[\s.-]\d{4}(?![\d-])")
_PHONE_HEAD = re.compile(r"(?<![\d-])(?:\+?1[\s.-]?)?\(?\d{3}\)?\Z")


def has_email(text: str) -> bool:
    return "@" in text and _EMAIL.search(text) is not None


def has_phone(text: str) -> bool:
    for tail in _PHONE_TAIL.finditer(text):
        start = tail.start()
        if _PHONE_HEAD.search(text, max(0, start - 8), start):  # "+1-(617)" is the longest head
            return True
    return False


def _check_privacy(record: Record, rel: str) -> Iterator[Finding]:
    text = record.text
    if not (has_email(text) or has_phone(text)):
        return  # one scan of the raw text clears nearly every file
    for path, value in _strings(record.data, []):
        if has_email(value):
            what = "an email address"
        elif has_phone(value):
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
