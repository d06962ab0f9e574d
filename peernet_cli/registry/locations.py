"""Where peernet's own files are: the schemas it ships, and the cache folder that holds the
index and the generated schema checks (never inside a registry)."""

from __future__ import annotations

import os
from pathlib import Path

from peernet_cli.errors import UsageError

SHARED = "defs.schema.json"


def schema_dir() -> Path:
    """The folder holding the schemas: packaged copy first, then the source checkout's."""
    package = Path(__file__).resolve().parent.parent  # peernet_cli/
    for candidate in (package / "schemas", package.parent / "schemas"):
        if (candidate / SHARED).is_file():
            return candidate
    raise UsageError(
        f"schemas not found next to {package}; reinstall peernet (pip install --force-reinstall peernet)"
    )



def cache_dir() -> Path:
    """$PEERNET_CACHE_DIR, else $XDG_CACHE_HOME/peernet, else ~/.cache/peernet."""
    given = os.environ.get("PEERNET_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "peernet"
