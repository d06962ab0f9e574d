"""What reading a file gives: its data, or why it has none. Kept apart from the reader
(yamlsafe) so that commands answered from the index never import a YAML parser."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MAX_FILE_BYTES = 1_000_000
MAX_FILE_BYTES_VAR = "PEERNET_MAX_FILE_BYTES"


@dataclass(frozen=True)
class ParseError:
    """Why a file could not be read as a record's YAML, with a 1-based position when there is one."""

    message: str
    line: int | None = None
    column: int | None = None


# A plain value a YAML 1.1 reader would read as another type or value (`yes`, `10:00`):
# (line, column, field path, text). A plain tuple, so that marshal can store it.
Ambiguous = tuple[int, int, list[str | int], str]


@dataclass(frozen=True)
class Parsed:
    """A file as read from disk: its text, and either its data or why it has none."""

    path: Path
    text: str
    data: Any = None
    error: ParseError | None = None
    ambiguous: tuple[Ambiguous, ...] = ()


def max_file_bytes() -> int:
    """The file size limit: $PEERNET_MAX_FILE_BYTES, else DEFAULT_MAX_FILE_BYTES."""
    given = os.environ.get(MAX_FILE_BYTES_VAR, "").strip()
    if not given:
        return DEFAULT_MAX_FILE_BYTES
    try:
        limit = int(given)
    except ValueError:
        limit = 0
    if limit <= 0:
        from peernet_cli.errors import UsageError

        raise UsageError(f"{MAX_FILE_BYTES_VAR} must be a number of bytes such as 5000000 (got '{given}')")
    return limit


def too_big(size: int | None, limit: int) -> ParseError:
    what = "the file is over" if size is None else f"the file is {size:,} bytes, over"
    return ParseError(f"{what} the limit of {limit:,} bytes; a record is a few kilobytes, so check this "
                      f"is the right file (set {MAX_FILE_BYTES_VAR} to raise the limit)")
