"""Findings: the values every check returns, and what they add up to."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file. `file` is relative to the registry root; line and column
    are 1-based; `field` is the dotted path of the value (e.g. sources.0.url)."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR
    rule: str = "schema"

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["severity"] = self.severity.value
        return out

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def text(self) -> str:
        field = f"{self.field}: " if self.field else ""
        tag = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.location}: {tag}{field}{self.message}"


def field_path(path: Any) -> str:
    return ".".join(str(p) for p in path)
