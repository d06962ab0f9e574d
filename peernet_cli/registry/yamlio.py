"""Reading and writing record files: the one door to YAML for the rest of peernet.

Reading goes through yamlsafe: a bounded, event-by-event parse (libyaml's parser via
PyYAML) that keeps errors as values, so one run reports every bad file and no file can
crash or stall it. `locate` finds the line and column of a field only when a finding
needs one. Writing goes through yamlwrite (ruamel's round-trip loader) so comments and key
order survive an edit; atomic writes are here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from peernet_cli import files
from peernet_cli.registry.parsed import Ambiguous, Parsed, ParseError

__all__ = ["Ambiguous", "ParseError", "Parsed", "decode", "locate", "locate_key", "parse", "parse_text"]

MODELINE_PREFIX = "# yaml-language-server: $schema="


# The reader (yamlsafe: PyYAML and its patterns) and the writer (yamlwrite: ruamel) are
# imported when first used: a query answered from the index needs neither.


def decode(raw: bytes) -> tuple[str | None, ParseError | None]:
    """UTF-8 text of a file's bytes, or why it is not."""
    from peernet_cli.registry import yamlsafe

    return yamlsafe.decode(raw)


def parse_text(text: str) -> tuple[Any, ParseError | None]:
    """Load YAML text with the safe reader; errors come back as values."""
    from peernet_cli.registry import yamlsafe

    return yamlsafe.parse_text(text)


def parse(path: Path) -> Parsed:
    """Read and parse one file; never raises for bad content."""
    from peernet_cli.registry import yamlsafe

    return yamlsafe.read(path)


def locate(text: str, field_path: Iterable[str | int]) -> tuple[int, int] | None:
    """1-based (line, column) of the value at `field_path`, or of the nearest ancestor.

    For a missing key this lands on the mapping that should hold it, which is where
    a person would add it.
    """
    from peernet_cli.registry import yamlsafe

    marks = yamlsafe.positions(text)
    best = marks.get(()) if marks is not None else None
    if marks is None or best is None:
        return None
    steps: list[str | int] = []
    for step in field_path:
        steps.append(step)
        found = marks.get(tuple(steps))
        if found is None:
            break
        best = found
    return best[2] + 1, best[3] + 1


def locate_key(text: str, field_path: Iterable[str | int]) -> tuple[int, int] | None:
    """Like `locate`, but for the last step return the position of the key itself
    (used for unknown fields, where the key is what is wrong)."""
    from peernet_cli.registry import yamlsafe

    steps = tuple(field_path)
    marks = yamlsafe.positions(text) if steps else None
    found = marks.get(steps) if marks is not None else None
    if found is None:
        return locate(text, steps)
    return found[0] + 1, found[1] + 1


# --- writing -------------------------------------------------------------------------


def load_round_trip(text: str) -> Any:
    """Load for editing: the result keeps comments, key order and quoting."""
    from peernet_cli.registry import yamlwrite

    return yamlwrite.load(text)


def strip_modeline(text: str) -> str:
    """The text without its leading modeline lines (however many times it was written), so
    a re-dump adds exactly one, pointing at the right schema."""
    while text.startswith(MODELINE_PREFIX):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return text


def load_for_edit(text: str) -> Any:
    """A record file's text loaded for editing, its modeline left out (it is re-added)."""
    return load_round_trip(strip_modeline(text))


def dump(data: Any) -> str:
    """YAML text for data (a plain dict or a round-trip document)."""
    from peernet_cli.registry import yamlwrite

    return yamlwrite.dump(data)


def modeline(schema_ref: str) -> str:
    return f"{MODELINE_PREFIX}{schema_ref}\n"


def write_atomic(path: Path, text: str) -> None:
    """Write a record atomically (see peernet_cli.files)."""
    files.write_text(path, text)


def write_atomic_bytes(path: Path, data: bytes) -> None:
    files.write_bytes(path, data)
