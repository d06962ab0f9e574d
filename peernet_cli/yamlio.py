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
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

MODELINE_PREFIX = "# yaml-language-server: $schema="


class _FastResolver(VersionedResolver):
    """ruamel's YAML 1.2 resolver, minus its per-scalar version bookkeeping (which was
    half of the parse time): the implicit-type table is computed once."""

    _table: dict[Any, list[Any]] | None = None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            if implicit[0]:
                table = _FastResolver._table
                if table is None:
                    table = _FastResolver._table = {k: list(v) for k, v in self.versioned_resolver.items()}
                for tag, regexp in table.get(value[:1], ()):
                    if regexp.match(value):
                        return Tag(suffix=tag)
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


class ConstructError(Exception):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


_KNOWN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("map", "seq", "str", "timestamp", "null", "bool", "int", "float", "merge")}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def _plain(node: Node) -> Any:
    """Python data from a composed node: dicts, lists, str, int, float, bool, None.
    Timestamps stay text (so JSON Schema's `format: date` sees what the user wrote), and
    any other tag is refused: data files never need custom types."""
    tag = _tag(node)
    if tag not in _KNOWN_TAGS:
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise ConstructError(f"the tag {shown} is not allowed; custom YAML tags are not allowed, "
                             "write plain values", node)
    if isinstance(node, MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if _tag(key_node) == "tag:yaml.org,2002:merge":
                raise ConstructError("merge keys (<<) are not allowed; write the fields out", key_node)
            key = _plain(key_node)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise ConstructError("a key must be a plain value", key_node)
            if key in out:
                raise ConstructError(f'found duplicate key "{key}"; remove one of the two entries', key_node)
            out[key] = _plain(value_node)
        return out
    if isinstance(node, SequenceNode):
        return [_plain(item) for item in node.value]
    value = node.value
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _BOOL[value]
    if tag == "tag:yaml.org,2002:int":
        return _int(value)
    if tag == "tag:yaml.org,2002:float":
        text = value.replace("_", "").lower()
        if text in (".inf", "+.inf"):
            return float("inf")
        if text == "-.inf":
            return float("-inf")
        return float("nan") if text == ".nan" else float(text)
    raise ConstructError(f"a {tag} value is not allowed here", node)


def _tag(node: Node) -> str:
    """The node's full tag. Reads the Tag's parts directly: `node.tag` rebuilds the string
    on every access, which was a sixth of the parse time."""
    ctag: Any = node.ctag
    if getattr(ctag, "handle", None) is None and isinstance(getattr(ctag, "suffix", None), str):
        return str(ctag.suffix)
    return str(node.tag)


def _int(value: str) -> int:
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if text.lower().startswith(prefix):
            return sign * int(text[2:], base)
    return sign * int(text)


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


def _compose(text: str) -> Node | None:
    """The node tree of a YAML document: libyaml's C parser and composer when ruamel.yaml.clib
    is installed (a loader class built once, not per file as YAML().compose does), else
    ruamel's pure-Python one."""
    loader = _loader_class()(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


@cache
def _loader_class() -> Any:
    from ruamel.yaml.constructor import BaseConstructor

    try:
        from ruamel.yaml.cyaml import CParser as Parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - no C extension on this platform
        return _pure_loader_class()

    class Loader(Parser, BaseConstructor, _FastResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            Parser.__init__(self, stream)
            BaseConstructor.__init__(self, loader=self)
            _FastResolver.__init__(self, loadumper=self)

    return Loader


def _pure_loader_class() -> Any:
    class Loader:
        def __init__(self, stream: str) -> None:
            yaml = YAML(typ="safe", pure=True)
            yaml.Resolver = _FastResolver
            self.node = yaml.compose(stream)

        def get_single_node(self) -> Any:
            return self.node

        def dispose(self) -> None:
            pass

    return Loader


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
        node = _compose(text)
        return (None if node is None else _plain(node)), None
    except ConstructError as exc:
        mark = exc.node.start_mark
        return None, ParseError(exc.message, mark.line + 1, mark.column + 1)
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
        node: Node | None = _compose(text)
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
        root: Node | None = _compose(text)
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


def yaml11_reads_otherwise(text: str) -> bool:
    """True when a YAML 1.1 reader (PyYAML's safe_load, js-yaml 3, so most scripts and
    ajv-cli) would read this plain scalar as something other than a string: `ON`, `yes`,
    `2011-02-08`, `10:00` (sexagesimal 600), `012`. Such strings are written quoted, so
    every reader sees the text we see."""
    from yaml import ScalarNode
    from yaml.resolver import Resolver

    # The YAML 1.1 spec's booleans include y/n, which PyYAML leaves out and others do not.
    return text in _YAML11_YN or Resolver().resolve(ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str"


_YAML11_YN = frozenset(("y", "Y", "n", "N"))


class _Constructor(RoundTripConstructor):
    """Round-trip reading with dates and times kept as text, as the fast reader keeps them:
    every date field is a string in the schemas, and an impossible date (2020-02-30) must
    not crash an edit."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _Representer(RoundTripRepresenter):
    """Quote every string that some YAML reader would not read as a string (dates, times,
    YAML 1.1 booleans and numbers); ruamel already quotes what YAML 1.2 would misread."""

    def represent_str(self, data: str) -> Any:
        if data and yaml11_reads_otherwise(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return super().represent_str(data)


_Representer.add_representer(str, _Representer.represent_str)


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.Constructor = _Constructor
    yaml.Representer = _Representer
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold long text: folded lines end in stray spaces
    return yaml


def load_round_trip(text: str) -> Any:
    """Load for editing: the result keeps comments, key order and quoting."""
    return _round_trip().load(text)


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
    buf = io.StringIO()
    _round_trip().dump(data, buf)
    return buf.getvalue()


def modeline(schema_ref: str) -> str:
    return f"{MODELINE_PREFIX}{schema_ref}\n"


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename, so a crash never
    leaves half a record behind."""
    write_atomic_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_atomic_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private (0600); a record is an ordinary file, so give it
        # the mode a plain open() would: an existing file's, else 0666 less the umask.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
