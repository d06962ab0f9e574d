"""The canonical text of a record: the modeline, then its fields in schema key order at every
level, two-space indentation, values quoted wherever some YAML reader would read them otherwise.
What `fmt` writes, what every change writes, what tests build registries with: one function."""

from __future__ import annotations

from typing import Any

from peernet_cli.registry import yamlio
from peernet_cli.registry.schemas import KINDS, canonical


def canonical_text(kind: str, data: Any) -> str:
    """Modeline plus the data in schema key order; a round-trip document (yamlio.load_for_edit)
    keeps its comments."""
    body = yamlio.dump(canonical(kind, data)) if data is not None else ""
    return yamlio.modeline(KINDS[kind].modeline_ref) + body
