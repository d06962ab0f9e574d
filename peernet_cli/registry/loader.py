"""Finding the registry and loading its records: the one way to read the data.

A registry root is a folder holding `registry/<kind folder>/<id>.yaml` files. Records are
read with the fast loader; files that cannot be read come back as `Parsed` values with an
error so that a validation run can report them all.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peernet_cli.errors import RegistryNotFound
from peernet_cli.registry import yamlio
from peernet_cli.registry.parsed import Ambiguous, max_file_bytes
from peernet_cli.registry.schemas import KIND_BY_FOLDER, KINDS
from peernet_cli.registry.sources import DATA_DIR, LEFTOVER_PROBLEM, Entry, Source, WorkingTree

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


# Fields kept beside each indexed record's packed data, so that indexing the registry (by
# brigade, by partner) and resolving names never unpack records a command does not show.
HEAD_KEYS = ("name", "brigade", "partner", "aliases", "status", "kind", "classification")


class Record:
    """One record file that parsed as a YAML mapping.

    Cheap to make, because a query makes one per file: a record read from the index keeps its
    data packed (marshal bytes) until something asks for a field outside HEAD_KEYS, and its
    text is read only when a finding needs a line."""

    __slots__ = (
        "_ambiguous",
        "_data",
        "_head",
        "_packed",
        "_path",
        "_text",
        "kind",
        "rel",
        "root",
        "source",
        "stamp",
    )

    def __init__(self, kind: str, path: Path | None, data: dict[str, Any] | None = None,
                 text: str | None = None, *, stamp: str = "", source: Source | None = None,
                 root: Path | None = None, rel: str = "", packed: bytes | None = None,
                 head: dict[str, Any] | None = None, ambiguous: tuple[Ambiguous, ...] = ()) -> None:
        self.kind = kind
        self._ambiguous = ambiguous
        self._path = path
        self.root = root
        self.rel = rel
        self._data = data
        self._text = text
        self.stamp = stamp
        self.source = source
        self._packed = packed
        self._head = head

    @property
    def path(self) -> Path:
        if self._path is None:
            assert self.root is not None
            self._path = self.root / self.rel
        return self._path

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            assert self._packed is not None
            self._data, _error, ambiguous = unpack_parsed(self._packed)
            self._ambiguous = tuple(ambiguous)
            self._packed = None
        return self._data

    @property
    def ambiguous(self) -> tuple[Ambiguous, ...]:
        """Plain values a YAML 1.1 reader would read otherwise (see yamlsafe)."""
        if self._packed is not None:
            self.data  # noqa: B018 - unpacks, setting _ambiguous
        return self._ambiguous

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = _read_text(self)
        return self._text

    @property
    def id(self) -> str:
        if self._path is None:
            return self.rel[self.rel.rfind("/") + 1: -5]  # "registry/<folder>/<id>.yaml"
        return self._path.stem

    def get(self, key: str, default: Any = None) -> Any:
        if self._data is None and self._head is not None and key in HEAD_KEYS:
            return self._head.get(key, default)
        return self.data.get(key, default)

    @property
    def name(self) -> str:
        return str(self.get("name") or self.data.get("id") or self.id)

    def __repr__(self) -> str:
        return f"Record({self.kind!r}, {self.id!r})"


def _indexed(kind: str, root: Path, rel: str, stamp: str, source: Source, packed: bytes,
             head: dict[str, Any]) -> Record:
    """A record from the index, made without __init__'s keyword handling: a warm command
    makes one per file, so this is its hot path."""
    record = Record.__new__(Record)
    record.kind, record.root, record.rel, record.stamp, record.source = kind, root, rel, stamp, source
    record._path = record._data = record._text = None
    record._packed, record._head, record._ambiguous = packed, head, ()
    return record


def unpack_parsed(packed: bytes) -> tuple[Any, ...]:
    return marshal.loads(packed)  # type: ignore[no-any-return]


def _read_text(record: Record) -> str:
    if record.source is None:
        raw = record.path.read_bytes()
    else:
        rel = record.rel or record.path.relative_to(record.source.root).as_posix()
        raw = record.source.read(rel, max_file_bytes())
    return yamlio.decode(raw)[0] or ""


@dataclass
class Registry:
    """Everything read from one source: the records, and the files that are not usable
    records (as parse results with their error, and misplaced files)."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {k: {} for k in KINDS})
    unreadable: list[yamlio.Parsed] = field(default_factory=list)
    stray: list[Path] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)  # temporary files of interrupted writes
    files_read: int = 0
    files_parsed: int = 0  # how many of them were parsed, not taken from the index
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

    def rel_of(self, record: Record) -> str:
        """A record's path relative to the root, without building a Path when it has one."""
        return record.rel or self.relpath(record.path)


def record_files(root: Path) -> Iterator[tuple[str | None, Path]]:
    """Every usable file under registry/ with its kind (None for a misplaced file), in path
    order; links and other unusable entries are left out (validate reports them)."""
    for entry in WorkingTree(root).entries():
        if entry.problem is None:
            yield entry.kind, root / entry.rel


PARALLEL_FROM = 1500  # below this many files to parse, starting workers costs more than it saves
FILES_MAP = "files"


def load(where: Path | Source, use_index: bool = True, entries: list[Entry] | None = None) -> Registry:
    """Read every record of a source: a registry root's working tree (a Path) or a
    `sources.GitRevision`. The one way to read the data.

    Files unchanged since the last run come from the index; the rest are parsed with the
    bounded safe reader (in worker processes when there are many). `entries`: the source's
    listing, when the caller has just made it."""
    source: Source = WorkingTree(where.resolve()) if isinstance(where, Path) else where
    root = source.root.resolve()
    reg = Registry(root=root, source=source)
    entries = source.entries() if entries is None else entries
    index = _open_index(root) if use_index else None
    usable = [e for e in entries if e.problem is None and e.kind is not None]
    known = _known(index, source, usable)
    todo = [e for e in usable if e.rel not in known]
    fresh = dict(zip((e.rel for e in todo), _parse_all(source, todo), strict=True))
    records = reg.records
    for rel, kind, stamp, problem in entries:
        reg.stamps[rel] = stamp
        if problem == LEFTOVER_PROBLEM:
            reg.leftovers.append(root / rel)
        elif problem is not None:
            reg.unreadable.append(yamlio.Parsed(root / rel, "", None, yamlio.ParseError(problem)))
        elif kind is None:
            reg.stray.append(root / rel)
        elif rel in fresh:
            parsed = fresh[rel]
            if parsed.error is None and isinstance(parsed.data, dict):
                record = Record(kind, parsed.path, parsed.data, parsed.text or None, stamp=stamp,
                                source=source, root=root, rel=rel, ambiguous=parsed.ambiguous)
                records[kind][record.id] = record
            else:
                reg.unreadable.append(parsed)
        else:
            head, packed = known[rel]
            if head is None:  # stored as unreadable: unpack to report why
                data, error, _ambiguous = unpack_parsed(packed)
                reg.unreadable.append(yamlio.Parsed(root / rel, "", data, _error(error)))
            else:
                records[kind][rel[rel.rfind("/") + 1: -5]] = _indexed(kind, root, rel, stamp, source, packed, head)
    reg.files_read = len(entries)
    reg.files_parsed = len(todo)
    if index is not None:
        _remember(index, source, usable, known, fresh)
        index.close()
    return reg


def _open_index(root: Path) -> Any:
    from peernet_cli.registry.index import Index

    return Index(root)


def _known(index: Any, source: Source, usable: list[Entry]) -> dict[str, tuple[Any, bytes]]:
    """(head, packed) of every usable entry the index already has."""
    if index is None:
        return {}
    if source.content_addressed:
        by_blob = index.blobs(e.stamp for e in usable)
        return {e.rel: by_blob[e.stamp] for e in usable if e.stamp in by_blob}
    return index.entries(FILES_MAP, {e.rel: e.stamp for e in usable})  # type: ignore[no-any-return]


def _remember(index: Any, source: Source, usable: list[Entry], known: dict[str, tuple[Any, bytes]],
              fresh: dict[str, yamlio.Parsed]) -> None:
    if not fresh and (source.content_addressed or len(known) == len(usable)):
        return  # nothing new to store (and, for a working tree, no file gone)
    packed = {rel: pack_parsed(parsed) for rel, parsed in fresh.items()}
    if source.content_addressed:
        index.store_blobs((e.stamp, packed[e.rel]) for e in usable if e.rel in packed)
    else:
        index.store_map(FILES_MAP, {e.rel: (e.stamp, known.get(e.rel) or packed[e.rel]) for e in usable})


def pack_parsed(parsed: yamlio.Parsed) -> tuple[Any, bytes]:
    """What the index keeps of a parse result: the head fields (None when it is no record)
    and the whole result packed."""
    error = parsed.error
    data = parsed.data
    ok = error is None and isinstance(data, dict)
    head = {k: data[k] for k in HEAD_KEYS if k in data} if ok else None
    packed = marshal.dumps((data, None if error is None else (error.message, error.line, error.column),
                            parsed.ambiguous))
    return head, packed


def _error(value: Any) -> yamlio.ParseError | None:
    return None if value is None else yamlio.ParseError(*value)


def parse_entry(source: Source, entry: Entry) -> yamlio.Parsed:
    """One file read through the bounded safe parse; never raises for bad content."""
    path = source.root / entry.rel
    limit = max_file_bytes()
    try:
        raw = source.read(entry.rel, limit)
    except OSError as exc:
        return yamlio.Parsed(path, "", None, yamlio.ParseError(f"cannot read the file: {exc.strerror or exc}"))
    from peernet_cli.registry import yamlsafe

    return yamlsafe.parse_bytes(path, raw, limit)


def _parse_lean(job: tuple[Source, Entry]) -> yamlio.Parsed:
    """parse_entry for worker processes: the text stays behind (a record re-reads it only if
    something needs it), so less crosses between processes."""
    parsed = parse_entry(*job)
    return yamlio.Parsed(parsed.path, "", parsed.data, parsed.error, parsed.ambiguous)


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
