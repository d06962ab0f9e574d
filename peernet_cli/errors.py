"""The one error hierarchy: every user-facing failure is a PeernetError with an exit code.

The CLI turns these into a single line on stderr (see cli/app.py); nothing below the CLI
calls sys.exit or prints.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    OK = 0
    INVALID_DATA = 1
    USAGE = 2


class PeernetError(Exception):
    """A failure the user can act on. `where` names the file (and line) it concerns."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, where: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = str(where) if where is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.where is None:
            return self.message
        location = self.where if self.line is None else f"{self.where}:{self.line}"
        return f"{location}: {self.message}"


class UsageError(PeernetError):
    """Bad flags, unknown names, a missing registry: the user must change the command."""

    exit_code = ExitCode.USAGE


class InvalidDataError(PeernetError):
    """The data (a record, a file) is wrong: the user must change the data."""

    exit_code = ExitCode.INVALID_DATA


class RegistryNotFound(UsageError):
    pass


class NameNotFound(UsageError):
    """A name typed by the user matched nothing, or too much."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []
