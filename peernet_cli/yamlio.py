"""The only module that imports ruamel.yaml.

Reading is split in two on purpose (parsing is the whole cost of a validation run):
- `parse` uses the C-backed safe loader and keeps errors as values, so one run reports
  every bad file;
- `locate` re-reads a file's node tree only when a finding needs a line and column.
Writing goes through the round-trip loader so comments and key order survive an edit.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.representer import RoundTripRepresenter

MODELINE_PREFIX = "# yaml-language-server: $schema="


class _DatesAsText(SafeConstructor):
    """Keep YAML timestamps as the text the user wrote, so JSON Schema's `format: date`
    and our reduced-precision date pattern see exactly that text."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:  # noqa: ARG002
        return self.construct_scalar(node)


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _DatesAsText.construct_yaml_timestamp)


@dataclass(frozen=True)
class ParseError:
    """Why a file could not be read as YAML, with a 1-based position when there is one."""

    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Parsed:
    """A file as read from disk: its text, and either its data or why it has none."""

    path: Path
    text: str
    data: Any = None
    error: ParseError | None = None


def _safe_loader() -> YAML:
    yaml = YAML(typ="safe")
    yaml.Constructor = _DatesAsText
    yaml.allow_duplicate_keys = False
    return yaml


_SAFE: YAML | None = None


def _safe() -> YAML:
    global _SAFE
    if _SAFE is None:
        _SAFE = _safe_loader()
    return _SAFE


def decode(raw: bytes) -> tuple[str | None, ParseError | None]:
    """UTF-8 text of a file, or an error naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig"), None  # a BOM some editors add is not content
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, ParseError(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line, None
        )


def parse_text(text: str) -> tuple[Any, ParseError | None]:
    """Load YAML text with the fast safe loader; errors come back as values."""
    if "\t" in text:
        line = text[: text.index("\t")].count("\n") + 1
        col = len(text[: text.index("\t")].rsplit("\n", 1)[-1]) + 1
        # The YAML error for a tab is cryptic; tabs are never right in our files.
        return None, ParseError("tab character found; indent with spaces, not tabs", line, col)
    try:
        return _safe().load(text), None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        context = exc.context or ""
        if exc.context_mark is not None and context.startswith(("while scanning a quoted", "while parsing a flow")):
            # An unclosed quote or bracket: the useful place is where it opens, not where
            # the parser gave up (often the end of the file).
            mark = exc.context_mark
            problem = f"{context.replace('while scanning', 'this').replace('while parsing', 'this')} " \
                      f"is never closed ({problem})"
        if "duplicate key" in problem or "found duplicate key" in str(exc):
            problem = f"{problem}; remove one of the two entries"
        elif "could not determine a constructor" in problem:
            problem = f"{problem}; custom YAML tags are not allowed, write plain values"
        else:
            problem = f"YAML syntax error: {problem}"
        if mark is None:
            return None, ParseError(problem)
        return None, ParseError(problem, mark.line + 1, mark.column + 1)
    except YAMLError as exc:
        return None, ParseError(f"YAML error: {str(exc).splitlines()[0]}")


def parse(path: Path) -> Parsed:
    """Read and parse one file; never raises for bad content."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Parsed(path, "", None, ParseError(f"cannot read the file: {exc.strerror}"))
    text, error = decode(raw)
    if text is None:
        return Parsed(path, "", None, error)
    data, error = parse_text(text)
    return Parsed(path, text, data, error)


def locate(text: str, field_path: Iterable[str | int]) -> tuple[int, int] | None:
    """1-based (line, column) of the value at `field_path`, or of the nearest ancestor.

    For a missing key this lands on the mapping that should hold it, which is where
    a person would add it.
    """
    try:
        node: Node | None = _safe().compose(text)
    except YAMLError:
        return None
    if node is None:
        return None
    best = node
    for step in field_path:
        child = _child(node, step)
        if child is None:
            break
        node = best = child
    return best.start_mark.line + 1, best.start_mark.column + 1


def _child(node: Node, step: str | int) -> Node | None:
    if isinstance(node, MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if key.value == step:
                return value  # type: ignore[no-any-return]
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]  # type: ignore[no-any-return]
    return None


def locate_key(text: str, field_path: Iterable[str | int]) -> tuple[int, int] | None:
    """Like `locate`, but for the last step return the position of the key itself
    (used for unknown fields, where the key is what is wrong)."""
    steps = list(field_path)
    if not steps:
        return locate(text, steps)
    try:
        root: Node | None = _safe().compose(text)
    except YAMLError:
        return None
    node = root
    for step in steps[:-1]:
        node = _child(node, step) if node is not None else None
    if isinstance(node, MappingNode):
        for key, _value in node.value:
            if key.value == steps[-1]:
                return key.start_mark.line + 1, key.start_mark.column + 1
    return locate(text, steps)


# --- writing -------------------------------------------------------------------------


_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Representer(RoundTripRepresenter):
    """Write full dates unquoted (`start_date: 2011-02-08`), however they were read: our
    loader keeps them as text, the round-trip loader as dates, and both must look alike."""

    def represent_str(self, data: str) -> Any:
        if _FULL_DATE.fullmatch(data):
            return self.represent_scalar("tag:yaml.org,2002:timestamp", data)
        return super().represent_str(data)


_Representer.add_representer(str, _Representer.represent_str)


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.Representer = _Representer
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold long text: folded lines end in stray spaces
    return yaml


def load_round_trip(text: str) -> Any:
    """Load for editing: the result keeps comments, key order and quoting."""
    return _round_trip().load(text)


def dump(data: Any) -> str:
    """YAML text for data (a plain dict or a round-trip document)."""
    buf = io.StringIO()
    _round_trip().dump(data, buf)
    return buf.getvalue()


def modeline(schema_ref: str) -> str:
    return f"{MODELINE_PREFIX}{schema_ref}\n"


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename, so a crash never
    leaves half a record behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
