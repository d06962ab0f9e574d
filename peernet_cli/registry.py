"""Finding the registry and loading its records: the one way to read the data.

A registry root is a folder holding `registry/<kind folder>/<id>.yaml` files. Records are
read with the fast loader; files that cannot be read come back as `Parsed` values with an
error so that a validation run can report them all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlio
from .errors import RegistryNotFound
from .schemas import KIND_BY_FOLDER, KINDS, canonical

ENV_VAR = "PEERNET_REGISTRY"
DATA_DIR = "registry"


def find_root(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The folder holding `registry/`: from --registry, then $PEERNET_REGISTRY, then the
    nearest ancestor of the working directory."""
    for given, how in ((explicit, "--registry"), (os.environ.get(ENV_VAR) or None, ENV_VAR)):
        if given is None:
            continue
        path = Path(given).expanduser().resolve()
        if (path / DATA_DIR).is_dir():
            return path
        if path.name == DATA_DIR and path.is_dir():
            return path.parent
        raise RegistryNotFound(
            f"{how} points to {path}, which has no {DATA_DIR}/ folder; "
            "give the folder that holds registry/"
        )
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / DATA_DIR).is_dir():
            return folder
    raise RegistryNotFound(
        f"no {DATA_DIR}/ folder found in {start} or any folder above it; "
        f"run inside a peernet registry, or pass --registry PATH or set {ENV_VAR}"
    )


@dataclass(frozen=True)
class Record:
    """One record file that parsed as a YAML mapping. Its text is read only when needed
    (to place a finding), since records may come from the cache."""

    kind: str
    path: Path
    data: dict[str, Any]
    _text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            object.__setattr__(self, "_text", yamlio.decode(self.path.read_bytes())[0] or "")
        return self._text or ""

    @property
    def id(self) -> str:
        return self.path.stem

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def name(self) -> str:
        return str(self.data.get("name") or self.data.get("id") or self.id)


@dataclass
class Registry:
    """Everything loaded from one registry root."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {k: {} for k in KINDS})
    # Files that are not usable records (bad YAML, not a mapping, wrong place), as values.
    unreadable: list[yamlio.Parsed] = field(default_factory=list)
    stray: list[Path] = field(default_factory=list)
    files_read: int = 0
    # Single-file findings gathered while loading, when a check was asked for.
    file_findings: list[Any] = field(default_factory=list)

    def of(self, kind: str) -> dict[str, Record]:
        return self.records[kind]

    def all(self) -> Iterator[Record]:
        for by_id in self.records.values():
            yield from by_id.values()

    def find(self, record_id: str, kinds: Iterable[str] = KINDS) -> Record | None:
        for kind in kinds:
            if record_id in self.records[kind]:
                return self.records[kind][record_id]
        return None

    def relpath(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()  # the common case, without resolve()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def record_files(root: Path) -> Iterator[tuple[str | None, Path]]:
    """Every file under registry/, sorted, with its kind (None for a file in no known
    folder). os.scandir rather than Path.rglob: listing was a third of a cached run."""
    data = root / DATA_DIR
    found: list[tuple[str, str | None, Path]] = []
    for top in os.scandir(data):
        if top.name.startswith("."):
            continue
        kind = KIND_BY_FOLDER.get(top.name) if top.is_dir() else None
        if kind is None:
            found.extend((p.as_posix(), None, p) for p in _walk(Path(top.path))
                         if p.suffix in (".yaml", ".yml"))
            continue
        for entry in os.scandir(top.path):
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_file() and entry.name.endswith(".yaml"):
                found.append((entry.path, kind.name, path))
            else:
                found.extend((p.as_posix(), None, p) for p in _walk(path))
    for _key, kind_name, path in sorted(found, key=lambda t: t[0]):
        yield kind_name, path


def _walk(path: Path) -> list[Path]:
    if path.is_file():
        return [] if path.name.startswith(".") else [path]
    return [p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")]


# A per-file check run while loading (in worker processes for big cold runs):
# (kind, path relative to the root, parsed file) -> findings.
FileCheck = Callable[[str, str, yamlio.Parsed], list[Any]]

PARALLEL_FROM = 1500  # below this many files to parse, starting workers costs more than it saves


def load(root: Path, use_cache: bool = False, check: FileCheck | None = None) -> Registry:
    """Load every record under root/registry/ (the one way to read the data).

    With `check`, also run that per-file check and keep its findings. With `use_cache`,
    reuse parse results and findings for files unchanged since the last run."""
    from .cache import Cache

    reg = Registry(root=root.resolve())
    cache = Cache(reg.root) if use_cache else None
    todo: list[tuple[str, Path, str, os.stat_result]] = []
    seen: set[str] = set()
    for kind, path in record_files(reg.root):
        reg.files_read += 1
        if kind is None:
            reg.stray.append(path)
            continue
        rel = reg.relpath(path)
        seen.add(rel)
        stat = path.stat()
        entry = cache.get(rel, stat) if cache else None
        if entry is not None and (check is None or entry.get("findings") is not None):
            _add(reg, kind, path, yamlio.Parsed(path, "", entry["data"], _error(entry["error"])))
            if check is not None:
                reg.file_findings.extend(_finding(f) for f in entry["findings"])
            continue
        todo.append((kind, path, rel, stat))
    for (kind, path, rel, stat), (parsed, findings) in zip(todo, _scan(todo, check), strict=True):
        _add(reg, kind, path, parsed)
        reg.file_findings.extend(findings)
        if cache is not None:
            error = parsed.error
            cache.put(rel, stat, data=parsed.data,
                      error=None if error is None else (error.message, error.line, error.column),
                      findings=None if check is None else [_finding_tuple(f) for f in findings])
    if cache is not None:
        cache.save(seen)
    return reg


def _add(reg: Registry, kind: str, path: Path, parsed: yamlio.Parsed) -> None:
    if parsed.error is None and isinstance(parsed.data, dict):
        reg.records[kind][path.stem] = Record(kind, path, parsed.data, parsed.text or None)
    else:
        reg.unreadable.append(parsed)


def _scan_one(job: tuple[str, Path, str, FileCheck | None]) -> tuple[yamlio.Parsed, list[Any]]:
    kind, path, rel, check = job
    parsed = yamlio.parse(path)
    return parsed, (check(kind, rel, parsed) if check else [])


def _scan_one_lean(job: tuple[str, Path, str, FileCheck | None]) -> tuple[yamlio.Parsed, list[Any]]:
    """_scan_one for worker processes: the text stays behind (records read it again only
    if a finding needs a line), so less crosses between processes."""
    parsed, findings = _scan_one(job)
    return yamlio.Parsed(parsed.path, "", parsed.data, parsed.error), findings


def _scan(todo: list[tuple[str, Path, str, os.stat_result]],
          check: FileCheck | None) -> Iterable[tuple[yamlio.Parsed, list[Any]]]:
    jobs = [(kind, path, rel, check) for kind, path, rel, _stat in todo]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return map(_scan_one, jobs)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_scan_one_lean, jobs, chunksize=max(1, len(jobs) // (workers * 8))))


def _error(value: Any) -> yamlio.ParseError | None:
    return None if value is None else yamlio.ParseError(*value)


def _finding_tuple(f: Any) -> tuple[Any, ...]:
    return (f.file, f.line, f.column, f.field, f.message, f.severity.value, f.rule)


def _finding(t: Any) -> Any:
    from .findings import Finding, Severity

    file, line, column, field_, message, severity, rule = t
    return Finding(file, line, column, field_, message, Severity(severity), rule)


def path_for(root: Path, kind: str, record_id: str) -> Path:
    return root / DATA_DIR / KINDS[kind].folder / f"{record_id}.yaml"


def kind_of(root: Path, path: Path) -> str | None:
    """The kind a file belongs to by where it sits, or None."""
    try:
        rel = path.resolve().relative_to(root.resolve() / DATA_DIR).parts
    except ValueError:
        return None
    kind = KIND_BY_FOLDER.get(rel[0]) if len(rel) == 2 else None
    return kind.name if kind else None


def render(kind: str, data: dict[str, Any]) -> str:
    """The canonical text of a record: modeline, then fields in schema order."""
    return yamlio.modeline(KINDS[kind].modeline_ref) + yamlio.dump(canonical(kind, data))
