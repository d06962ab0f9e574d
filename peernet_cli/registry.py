"""Finding the registry and loading its records: the one way to read the data.

A registry root is a folder holding `registry/<kind folder>/<id>.yaml` files. Records are
read with the fast loader; files that cannot be read come back as `Parsed` values with an
error so that a validation run can report them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlio
from .errors import RegistryNotFound
from .schemas import KIND_BY_FOLDER, KINDS, canonical
from .sources import DATA_DIR, Entry, Source, WorkingTree

ENV_VAR = "PEERNET_REGISTRY"


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
    (to place a finding), since records may come from the index."""

    kind: str
    path: Path
    data: dict[str, Any]
    _text: str | None = None
    # What the file's content is known by (see sources.Entry.stamp), and where to re-read it.
    stamp: str = ""
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        if self._text is None:
            object.__setattr__(self, "_text", _read_text(self))
        return self._text or ""

    @property
    def id(self) -> str:
        return self.path.stem

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def name(self) -> str:
        return str(self.data.get("name") or self.data.get("id") or self.id)


def _read_text(record: Record) -> str:
    if record.source is None:
        raw = record.path.read_bytes()
    else:
        raw = record.source.read(Path(record.path).relative_to(record.source.root).as_posix(),
                                 _max_file_bytes())
    return yamlio.decode(raw)[0] or ""


@dataclass
class Registry:
    """Everything read from one source: the records, and the files that are not usable
    records (as parse results with their error, and misplaced files)."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {k: {} for k in KINDS})
    unreadable: list[yamlio.Parsed] = field(default_factory=list)
    stray: list[Path] = field(default_factory=list)
    files_read: int = 0
    source: Source | None = field(default=None, repr=False)
    # Each listed file's stamp by path relative to the root, for results derived per file.
    stamps: dict[str, str] = field(default_factory=dict, repr=False)

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
    """Every usable file under registry/ with its kind (None for a misplaced file), in path
    order; links and other unusable entries are left out (validate reports them)."""
    for entry in WorkingTree(root).entries():
        if entry.problem is None:
            yield entry.kind, root / entry.rel


PARALLEL_FROM = 1500  # below this many files to parse, starting workers costs more than it saves


def load(where: Path | Source, use_index: bool = True) -> Registry:
    """Read every record of a source: a registry root's working tree (a Path) or a
    `sources.GitRevision`. The one way to read the data.

    Files unchanged since the last run come from the index; the rest are parsed with the
    bounded safe reader (in worker processes when there are many)."""
    source: Source = WorkingTree(where.resolve()) if isinstance(where, Path) else where
    reg = Registry(root=source.root.resolve(), source=source)
    entries = source.entries()
    index = _open_index(reg.root) if use_index else None
    usable = [e for e in entries if e.problem is None and e.kind is not None]
    known = _known(index, source, usable)
    todo = [e for e in usable if e.rel not in known]
    fresh = dict(zip((e.rel for e in todo), _parse_all(source, todo), strict=True))
    for entry in entries:
        reg.files_read += 1
        path = reg.root / entry.rel
        reg.stamps[entry.rel] = entry.stamp
        if entry.problem is not None:
            reg.unreadable.append(yamlio.Parsed(path, "", None, yamlio.ParseError(entry.problem)))
        elif entry.kind is None:
            reg.stray.append(path)
        else:
            parsed = fresh.get(entry.rel) or _from_payload(path, known[entry.rel])
            _add(reg, entry, path, parsed)
    if index is not None:
        _remember(index, source, todo, fresh, entries)
        index.close()
    return reg


def _open_index(root: Path) -> Any:
    from .index import Index

    return Index(root)


def _known(index: Any, source: Source, usable: list[Entry]) -> dict[str, Any]:
    if index is None:
        return {}
    if source.content_addressed:
        by_blob = index.blobs(e.stamp for e in usable)
        return {e.rel: by_blob[e.stamp] for e in usable if e.stamp in by_blob}
    return index.files({e.rel: e.stamp for e in usable})  # type: ignore[no-any-return]


def _remember(index: Any, source: Source, todo: list[Entry], fresh: dict[str, yamlio.Parsed],
              entries: list[Entry]) -> None:
    if source.content_addressed:
        index.store_blobs((e.stamp, _payload(fresh[e.rel])) for e in todo)
    else:
        index.store("files", ((e.rel, e.stamp, _payload(fresh[e.rel])) for e in todo),
                    present=[e.rel for e in entries])


def _payload(parsed: yamlio.Parsed) -> tuple[Any, ...]:
    error = parsed.error
    return (parsed.data, None if error is None else (error.message, error.line, error.column),
            tuple(getattr(parsed, 'ambiguous', ())))


def _from_payload(path: Path, payload: tuple[Any, ...]) -> yamlio.Parsed:
    data, error, ambiguous = payload
    return yamlio.Parsed(path, "", data, None if error is None else yamlio.ParseError(*error))


def _add(reg: Registry, entry: Entry, path: Path, parsed: yamlio.Parsed) -> None:
    assert entry.kind is not None
    if parsed.error is None and isinstance(parsed.data, dict):
        reg.records[entry.kind][path.stem] = Record(entry.kind, path, parsed.data, parsed.text or None,
                                                    entry.stamp, reg.source)
    else:
        reg.unreadable.append(parsed)


def parse_entry(source: Source, entry: Entry) -> yamlio.Parsed:
    """One file read through the bounded safe parse; never raises for bad content."""
    path = source.root / entry.rel
    limit = _max_file_bytes()
    try:
        raw = source.read(entry.rel, limit)
    except OSError as exc:
        return yamlio.Parsed(path, "", None, yamlio.ParseError(f"cannot read the file: {exc.strerror or exc}"))
    return _parse_bytes(path, raw, limit)


def _max_file_bytes() -> int:  # TEMP until yamlsafe lands
    return int(os.environ.get("PEERNET_MAX_FILE_BYTES", 1_000_000))


def _parse_bytes(path: Path, raw: bytes, limit: int) -> yamlio.Parsed:  # TEMP until yamlsafe lands
    if len(raw) > limit:
        return yamlio.Parsed(path, "", None, yamlio.ParseError(f"the file is over {limit} bytes"))
    text, error = yamlio.decode(raw)
    if text is None:
        return yamlio.Parsed(path, "", None, error)
    data, error = yamlio.parse_text(text)
    return yamlio.Parsed(path, text, data, error)


def _parse_lean(job: tuple[Source, Entry]) -> yamlio.Parsed:
    """parse_entry for worker processes: the text stays behind (a record re-reads it only if
    something needs it), so less crosses between processes."""
    parsed = parse_entry(*job)
    return yamlio.Parsed(parsed.path, "", parsed.data, parsed.error)


def _parse_all(source: Source, todo: list[Entry]) -> list[yamlio.Parsed]:
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or workers < 2 or source.content_addressed:
        prefetch = getattr(source, "prefetch", None)
        if prefetch is not None:
            prefetch([e.rel for e in todo])
        return [parse_entry(source, e) for e in todo]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    jobs = [(source, e) for e in todo]
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_parse_lean, jobs, chunksize=max(1, len(jobs) // (workers * 8))))


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
