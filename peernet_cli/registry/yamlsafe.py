"""Reading a record file safely: bounded by construction, every problem a value.

Records are small mappings of text, numbers, true/false and lists, so this reader
accepts only that. It pulls events one at a time from libyaml's parser (PyYAML's C
binding; libyaml keeps its own stack, so nothing recursive runs in C or Python) and
builds plain data from them, refusing, before anything is expanded or nested further:

- anchors, aliases, merge keys (`<<`) and custom tags (an alias bomb stops at its
  first `&`);
- nesting deeper than MAX_DEPTH, a value longer than MAX_SCALAR_CHARS, a number of more
  than MAX_NUMBER_DIGITS digits, a file over the size limit (read from its size, before
  any byte is read; PEERNET_MAX_FILE_BYTES raises it);
- keys that are not text (`~:`, `true:`, `1:`), duplicate keys, a second document, and a
  `%YAML` directive other than 1.2;
- anything that is not a regular file, UTF-16, NUL bytes and bytes that are not UTF-8.

Values are read by the YAML 1.2 core schema (what editors use): `yes`, `on` and `10:00`
are text, and dates stay text so that JSON Schema's `format: date` sees what was written.
Plain values that a YAML 1.1 reader (PyYAML, go-yaml v2) would read differently are
listed in `Parsed.ambiguous`. Every check over the raw text is a single linear scan.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from peernet_cli.registry.parsed import (
    Ambiguous,
    Parsed,
    ParseError,
    max_file_bytes,
    too_big,
)

try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml: the same events, slower
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _PyReader
    from yaml.scanner import Scanner as _PyScanner

    class _Parser(_PyReader, _PyScanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: bytes) -> None:
            _PyReader.__init__(self, stream)
            _PyScanner.__init__(self)
            _PyParser.__init__(self)

        def dispose(self) -> None:
            pass

MAX_DEPTH = 64  # levels of mappings and lists; records use four at most
MAX_SCALAR_CHARS = 100_000  # one value (or key); long prose belongs in a linked document
MAX_NUMBER_DIGITS = 30  # digits in a number; beyond that it is an id or a mistake


# --- bytes to text ---------------------------------------------------------------------


def read(path: Path) -> Parsed:
    """Read and parse one file; never raises for bad content, and never blocks: a FIFO,
    socket or device is refused from its file type before anything is read."""
    raw, error = read_bytes(path)
    if raw is None:
        return Parsed(path, "", None, error)
    return parse_bytes(path, raw)


def parse_bytes(path: Path, raw: bytes, limit: int | None = None) -> Parsed:
    """Parse a file's bytes (at most `limit` + 1 of them were read, so more than `limit`
    means the file is too big)."""
    limit = max_file_bytes() if limit is None else limit
    if len(raw) > limit:
        return Parsed(path, "", None, too_big(None, limit))
    text, error = decode(raw)
    if text is None:
        return Parsed(path, "", None, error)
    return _parse(path, text, raw)


def read_bytes(path: Path) -> tuple[bytes | None, ParseError | None]:
    """A regular file's bytes, refused by size before reading."""
    limit = max_file_bytes()
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer;
        # O_NOFOLLOW: a link is never followed (it could point at a secret elsewhere).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if os.path.islink(path):
            return None, ParseError("a symbolic link; peernet never follows links in registry/ (one could "
                                    "point at a secret outside it), so replace it with the file itself")
        return None, ParseError(f"cannot read the file: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return None, ParseError("this is a folder, not a file; a record is a file named <id>.yaml")
        if not stat.S_ISREG(info.st_mode):
            return None, ParseError(f"not a regular file (a {_file_type(info.st_mode)}); a record is an "
                                    "ordinary text file")
        if info.st_size > limit:
            return None, too_big(info.st_size, limit)
        raw = _read_at_most(fd, info.st_size, limit)
    except OSError as exc:
        return None, ParseError(f"cannot read the file: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(raw) > limit:
        return None, too_big(len(raw), limit)
    return raw, None


def _read_at_most(fd: int, size: int, limit: int) -> bytes:
    """The file's bytes, but never more than limit + 1 of them, even if it grows meanwhile.
    (One read of the size it has: a read of `limit` bytes would allocate that much.)"""
    parts: list[bytes] = []
    got, ask = 0, size + 1
    while got <= limit:
        chunk = os.read(fd, min(ask, limit + 1 - got))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
        ask = 1 << 16
    return b"".join(parts)


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"


def decode(raw: bytes) -> tuple[str | None, ParseError | None]:
    """UTF-8 text of a file (a leading BOM dropped, CRLF read as LF), or an error naming the
    line of the first bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, ParseError("the file is UTF-16 text; save it as UTF-8", 1, 1)
    nul = raw.find(b"\0")
    if nul >= 0:
        line, column = _position(raw, nul)
        return None, ParseError("the file holds a NUL byte (0x00), so it is not text (UTF-16 or a binary "
                                "file?); save it as UTF-8 text", line, column)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, ParseError(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line, None
        )
    # Windows line ends read as "\n", as YAML reads them, so every check of the text agrees.
    return (text.replace("\r\n", "\n") if "\r" in text else text), None


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[start:offset].decode("utf-8", "replace")) + 1


# --- text to data ----------------------------------------------------------------------


def parse_text(text: str) -> tuple[Any, ParseError | None]:
    """Data from YAML text, or why there is none."""
    parsed = _parse(Path(), text, None)
    return parsed.data, parsed.error


def read_text(text: str, path: Path = Path()) -> Parsed:
    """Like `read`, for text already in memory (with the YAML 1.1 look-alikes found in it)."""
    return _parse(path, text, None)


def _parse(path: Path, text: str, raw: bytes | None) -> Parsed:
    error = _text_error(text)
    if error is None:
        if raw is None:
            try:
                raw = text.encode("utf-8")
            except UnicodeEncodeError as exc:
                line, column = _position(text[: exc.start].encode("utf-8", "replace"), exc.start)
                return Parsed(path, text, None, ParseError(
                    f"the text holds a lone surrogate (U+{ord(text[exc.start]):04X}), which is not "
                    "valid UTF-8; remove it", line, column))
            limit = max_file_bytes()
            if len(raw) > limit:
                return Parsed(path, text, None, too_big(len(raw), limit))
        try:
            data, ambiguous = _load(raw, None)
            return Parsed(path, text, data, None, tuple(ambiguous))
        except _Refused as exc:
            error = ParseError(exc.message, exc.mark.line + 1, exc.mark.column + 1)
        except yaml.MarkedYAMLError as exc:
            error = _syntax_error(exc)
        except yaml.reader.ReaderError as exc:
            line, column = _position(raw, exc.position)
            error = ParseError(f"the character U+{exc.character:04X} is not allowed in YAML "
                               f"({exc.reason}); remove it", line, column)
        except yaml.YAMLError as exc:
            error = ParseError(f"YAML error: {str(exc).splitlines()[0]}")
    return Parsed(path, text, None, error)


def _text_error(text: str) -> ParseError | None:
    tab = text.find("\t")
    if tab >= 0:
        # The YAML error for a tab is cryptic; tabs are never right in our files.
        start = text.rfind("\n", 0, tab) + 1
        return ParseError("tab character found; indent with spaces, not tabs", text.count("\n", 0, tab) + 1,
                          tab - start + 1)
    return None


def _syntax_error(exc: yaml.MarkedYAMLError) -> ParseError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    if exc.context_mark is not None and context.startswith(("while scanning a quoted", "while parsing a flow")):
        # An unclosed quote or bracket: the useful place is where it opens, not where
        # the parser gave up (often the end of the file).
        mark = exc.context_mark
        problem = f"{context.replace('while scanning', 'this').replace('while parsing', 'this')} " \
                  f"is never closed ({problem})"
    if problem == "found incompatible YAML document":
        problem = "this %YAML version is not supported: peernet reads YAML 1.2; remove the %YAML line"
    elif problem == "exceeded maximum nesting depth":  # libyaml's own limit (1000), met scanning ahead
        problem = _too_deep()
    else:
        problem = f"YAML syntax error: {problem}"
    if mark is None:
        return ParseError(problem)
    return ParseError(problem, mark.line + 1, mark.column + 1)


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


_NO_KEY: Any = object()  # a mapping waiting for its next key
_STD = "tag:yaml.org,2002:"
_MAP, _SEQ = _STD + "map", _STD + "seq"
_INF, _NAN = float("inf"), float("nan")
# YAML 1.2 core schema: the words, then the number patterns.
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True), **dict.fromkeys(("false", "False", "FALSE"), False),
    **{f"{sign}.{word}": value for sign, value in (("", _INF), ("+", _INF), ("-", -_INF))
       for word in ("inf", "Inf", "INF")},
    **dict.fromkeys((".nan", ".NaN", ".NAN"), _NAN),
}
_NOT_ALWAYS_TEXT = frozenset([*"0123456789+-.tTfFnN~", ""])  # how every plain non-text value starts
_DECIMAL = re.compile(r"[-+]?[0-9]+")
_OCTAL = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


def _resolve(text: str, event: Any) -> Any:
    """The value of a plain scalar by the YAML 1.2 core schema (text unless it is a
    null, a boolean or a number)."""
    value = _WORDS.get(text, _NO_KEY)
    if value is not _NO_KEY:
        return value
    if text[0] not in "0123456789+-.":
        return text
    if len(text) > MAX_NUMBER_DIGITS and _is_number(text):
        digits = sum(map(str.isdigit, text))
        if digits > MAX_NUMBER_DIGITS:
            raise _Refused(f"a number of {digits:,} digits is too long (the limit is {MAX_NUMBER_DIGITS}); "
                           "put it in quotes if it is text", event.start_mark)
    if _DECIMAL.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _OCTAL.fullmatch(text) or _HEX.fullmatch(text):
        return int(text, 0)
    return text


def plain_value(text: str) -> Any:
    """What a plain (unquoted) scalar with this text reads as: text, or a null, boolean or
    number. (A number too long to read is reported as text here: writers quote it.)"""
    try:
        return _resolve(text, None) if text else None
    except (_Refused, AttributeError):  # AttributeError: the refusal's missing event
        return text


def _is_number(text: str) -> bool:
    return any(p.fullmatch(text) for p in (_DECIMAL, _FLOAT, _OCTAL, _HEX))


def _tagged(tag: str, text: str, event: Any) -> Any:
    """A scalar with an explicit tag: the standard ones only, and the value must fit it."""
    name = tag[len(_STD):] if tag.startswith(_STD) else None
    if name in ("str", "timestamp"):
        return text  # dates stay text, as when untagged
    if name == "merge":
        raise _Refused("merge keys (<<) are not allowed; write the fields out", event.start_mark)
    if name not in ("null", "bool", "int", "float"):
        raise _Refused(_tag_message(tag), event.start_mark)
    value = _resolve(text, event)
    fits = {"null": value is None, "bool": isinstance(value, bool),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, (int, float)) and not isinstance(value, bool)}[name]
    if not fits:
        raise _Refused(f"'{_shown(text)}' is not a valid !!{name}; remove the tag or fix the value",
                       event.start_mark)
    return float(value) if name == "float" else value


def _too_deep() -> str:
    return (f"nested more than {MAX_DEPTH} levels deep (the limit); a record needs only a few levels, "
            "so check the brackets and indentation")


def _tag_message(tag: str) -> str:
    shown = tag.replace(_STD, "!!")
    return f"the tag {_shown(shown)} is not allowed; custom YAML tags are not allowed, write plain values"


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _key_message(text: str, value: Any) -> str:
    what = ("null (no value)" if value is None else "a boolean (true/false)" if isinstance(value, bool)
            else "a number")
    return f"a key must be text, and {_shown(text) or 'an empty key'} is read as {what}; write it in " \
           f"quotes (\"{_shown(text)}\") if you mean the text"


def _anchor(event: Any) -> _Refused:
    sign = "*" if isinstance(event, AliasEvent) else "&"
    return _Refused(f"anchors and aliases (&name / *name) are not allowed; write the value out "
                    f"(found {sign}{_shown(event.anchor)})", event.start_mark)


Marks = dict[tuple[str | int, ...], tuple[int, int, int, int]]


def _load(raw: bytes, marks: Marks | None) -> tuple[Any, list[Ambiguous]]:
    """The data of a one-document stream. With `marks`, also fill it with the 0-based
    (key line, key column, value line, value column) of every value, by field path."""
    parser = _Parser(raw)
    ambiguous: list[Ambiguous] = []
    try:
        get = parser.get_event
        get()  # the stream start
        event: Any = get()
        if event.__class__ is StreamEndEvent:
            return None, ambiguous  # nothing but comments
        version = event.version
        if version is not None and version != (1, 2):
            raise _Refused(f"the %YAML {version[0]}.{version[1]} directive is not allowed: peernet reads "
                           "YAML 1.2, where yes, no, on and 10:00 are text; remove the %YAML line",
                           event.start_mark)
        data = _document(get, marks, ambiguous)
        event = get()
        if event.__class__ is not StreamEndEvent:
            raise _Refused("a second YAML document starts here; a record file holds one document, so "
                           "remove the '---' and what follows (or move it to its own file)", event.start_mark)
        return data, ambiguous
    finally:
        parser.dispose()


def _document(get: Any, marks: Marks | None, ambiguous: list[Ambiguous]) -> Any:
    """Build one document's data from its events, up to its end. `cur` is the open
    mapping or list, `stack` the ones around it, each with the key (or None) it will be
    stored under in its parent."""
    stack: list[tuple[Any, bool, Any]] = []
    cur: Any = None
    is_map = False
    key: Any = _NO_KEY
    key_mark: Any = None
    root: Any = None
    while True:
        event = get()
        cls = event.__class__
        if cls is ScalarEvent:
            if event.anchor is not None:
                raise _anchor(event)
            text = event.value
            if len(text) > MAX_SCALAR_CHARS:
                raise _Refused(f"this value is {len(text):,} characters long, over the limit of "
                               f"{MAX_SCALAR_CHARS:,}; shorten it (link to a document for long text)",
                               event.start_mark)
            tag = event.tag
            plain = tag is None and event.implicit[0]
            if plain:
                first = text[:1]
                value = _resolve(text, event) if first in _NOT_ALWAYS_TEXT else text
                if (text in _YAML11_WORDS) if first.isalpha() else (
                        first in _YAML11_FIRST and (_YAML11_ANY.match(text) if value.__class__ is str
                                                    else _differs_in_yaml11(text, value))):
                    step = (text if key is _NO_KEY else key) if is_map else len(cur) if cur is not None else None
                    mark = event.start_mark
                    ambiguous.append((mark.line + 1, mark.column + 1, _path(stack, step), text))
            elif tag is None or tag == "!":
                value = text
            else:
                value = _tagged(tag, text, event)
            if is_map and key is _NO_KEY:
                if plain and text == "<<":
                    raise _Refused("merge keys (<<) are not allowed; write the fields out", event.start_mark)
                if value.__class__ is not str:
                    raise _Refused(_key_message(text, value), event.start_mark)
                if value in cur:
                    raise _Refused(f'found duplicate key "{_shown(value)}"; remove one of the two entries',
                                   event.start_mark)
                key = value
                key_mark = event.start_mark
                continue
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if event.anchor is not None:
                raise _anchor(event)
            is_mapping = cls is MappingStartEvent
            tag = event.tag
            if tag is not None and tag != "!" and tag != (_MAP if is_mapping else _SEQ):
                raise _Refused(_tag_message(tag), event.start_mark)
            if is_map and key is _NO_KEY:
                raise _Refused(f"a key must be text, not a {'mapping' if is_mapping else 'list'}",
                               event.start_mark)
            if len(stack) >= MAX_DEPTH:
                raise _Refused(_too_deep(), event.start_mark)
            if marks is not None:
                _mark(marks, stack, cur, is_map, key, key_mark, event.start_mark)
            stack.append((cur, is_map, key))
            cur, is_map, key = ({}, True, _NO_KEY) if is_mapping else ([], False, None)
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            value = cur
            cur, is_map, key = stack.pop()
            if cur is None:
                root = value
            elif is_map:
                cur[key] = value
                key = _NO_KEY
            else:
                cur.append(value)
            continue
        elif cls is AliasEvent:
            raise _anchor(event)
        elif cls is DocumentEndEvent:
            return root
        else:
            continue
        # a scalar value (not a key)
        if marks is not None:
            _mark(marks, stack, cur, is_map, key, key_mark, event.start_mark)
        if is_map:
            cur[key] = value
            key = _NO_KEY
        elif cur is not None:
            cur.append(value)
        else:
            root = value


def _path(stack: list[tuple[Any, bool, Any]], step: str | int | None) -> list[str | int]:
    """The field path of the value being read: the keys and indexes from the stack, then `step`."""
    path: list[str | int] = []
    for container, is_map, key in stack[1:]:
        path.append(key if is_map else len(container))
    if stack and step is not None:
        path.append(step)
    return path


def _mark(marks: Marks, stack: list[tuple[Any, bool, Any]], cur: Any, is_map: bool, key: Any,
          key_mark: Any, mark: Any) -> None:
    if cur is None:
        marks[()] = (mark.line, mark.column, mark.line, mark.column)
        return
    path = (*_path(stack, key if is_map else len(cur)),)
    where = key_mark if is_map else mark
    marks[path] = (where.line, where.column, mark.line, mark.column)


@lru_cache(maxsize=8)
def positions(text: str) -> Marks | None:
    """0-based (key line, key column, value line, value column) of every value in a
    document, by field path; None when the text does not read safely."""
    if _text_error(text) is not None:
        return None
    marks: Marks = {}
    try:
        raw = text.encode("utf-8")
        if len(raw) > max_file_bytes():
            return None
        _load(raw, marks)
    except (_Refused, yaml.YAMLError, UnicodeEncodeError):
        return None
    return marks


# --- what a YAML 1.1 reader would make of a plain value ---------------------------------

# PyYAML's own YAML 1.1 table, plus y/Y/n/N, booleans in the 1.1 spec (and go-yaml v2).
_YAML11: dict[str, list[tuple[str, Any]]] = {
    first: list(resolvers) for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
for _first in "yYnN":
    _YAML11.setdefault(_first, []).insert(0, (_STD + "bool", re.compile(r"^(?:y|Y|n|N)$")))
_YAML11_FIRST = frozenset(_YAML11) | {""}
# Of the plain values starting with a letter, 1.1 types only these words differently (its
# true/false/null words read as in 1.2), so they need no pattern; the tests hold it to PyYAML.
_YAML11_WORDS = frozenset(("y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
                           "off", "Off", "OFF"))
# One pattern for "a YAML 1.1 reader gives this a type", to pass over plain text quickly.
_YAML11_ANY = re.compile("|".join(dict.fromkeys(f"(?:{regexp.pattern})" for resolvers in _YAML11.values()
                                                for _tag, regexp in resolvers)), re.VERBOSE)


def yaml11_tag(text: str) -> str | None:
    """The type a YAML 1.1 reader gives a plain value ('bool', 'int', 'timestamp', ...),
    or None for text."""
    for tag, regexp in _YAML11.get(text[:1], ()):
        if regexp.match(text):
            return str(tag)[len(_STD):]
    return None


def _differs_in_yaml11(text: str, ours: Any) -> bool:
    if ours.__class__ is int and text.isdigit() and (text[0] != "0" or len(text) == 1):
        return False  # the common case, quickly: a plain decimal reads alike in both
    theirs = yaml11_tag(text)
    if theirs is None:
        return ours.__class__ is not str
    if theirs == "null":
        return ours is not None
    if theirs == "bool":
        return ours is not (text.lower() in ("yes", "y", "true", "on"))
    if theirs == "int" and ours.__class__ is int:
        # A core-schema integer: 1.1 reads it alike, but for a leading zero (012 is octal 10).
        digits = text.lstrip("+-")
        if len(digits) < 2 or digits[0] != "0" or digits[1] == "x":
            return False
        return int(digits, 8) != abs(ours)
    # A core-schema float that 1.1 also reads as a float has the same value (no `_` or `:`).
    return not (theirs == "float" and ours.__class__ is float)


def yaml11_value(text: str) -> Any:
    """What PyYAML's YAML 1.1 safe loader reads a plain value as (for messages); the
    text itself when it would fail (an impossible date, a tag it has no type for)."""
    tag = yaml11_tag(text)
    if tag is None:
        return text
    if tag == "bool":
        return text.lower() in ("yes", "y", "true", "on")
    if tag == "int" and len(text) > 4 * MAX_NUMBER_DIGITS:
        return text  # sexagesimal values of any length would be costly to compute
    try:
        return yaml.SafeLoader("").construct_object(yaml.ScalarNode(_STD + tag, text))
    except (yaml.YAMLError, ValueError, OverflowError):
        return text
