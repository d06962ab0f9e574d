"""A per-file cache of parse results and single-file findings, so a second `validate`
only re-reads the files that changed.

An entry is reused only while the file's size and modification time (ns) are unchanged,
and the whole cache is dropped when peernet's version or any schema changes. It lives
outside the registry (in $PEERNET_CACHE_DIR, else $XDG_CACHE_HOME/peernet, else
~/.cache/peernet) so it never shows up in a contribution.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from . import __version__


def cache_dir() -> Path:
    given = os.environ.get("PEERNET_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "peernet"


def _fingerprint() -> str:
    from .schemas import schema_dir

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(schema_dir().glob("*.json")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class Cache:
    """Entries keyed by path relative to the registry root."""

    def __init__(self, root: Path) -> None:
        key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self.path = cache_dir() / f"registry-{key}.json"
        self.fingerprint = _fingerprint()
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        try:
            # marshal, not JSON: YAML data may have non-string keys, and marshal keeps
            # plain data exactly without being able to run code the way pickle can.
            stored = marshal.loads(self.path.read_bytes())
            if stored.get("fingerprint") == self.fingerprint:
                self.entries = stored.get("files", {})
        except (OSError, ValueError, EOFError, TypeError, AttributeError):
            pass  # no cache, or an unreadable one: start afresh

    def get(self, rel: str, stat: os.stat_result) -> dict[str, Any] | None:
        entry = self.entries.get(rel)
        if entry and entry.get("m") == stat.st_mtime_ns and entry.get("s") == stat.st_size:
            return entry
        return None

    def put(self, rel: str, stat: os.stat_result, **fields: Any) -> None:
        self.entries[rel] = {"m": stat.st_mtime_ns, "s": stat.st_size, **fields}
        self.dirty = True

    def update(self, rel: str, **fields: Any) -> None:
        if rel in self.entries:
            self.entries[rel].update(fields)
            self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the cache (only entries for files that still exist); failures are ignored,
        since a cache is never needed for correctness."""
        gone = set(self.entries) - keep
        if not self.dirty and not gone:
            return
        from .yamlio import write_atomic_bytes

        for rel in gone:
            del self.entries[rel]
        try:
            write_atomic_bytes(self.path, marshal.dumps({"fingerprint": self.fingerprint, "files": self.entries}))
        except (OSError, ValueError):
            pass
