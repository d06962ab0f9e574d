"""Hostile files: CI runs `validate` and `fmt --check` on pull requests from anyone, so no file
may crash, stall or exhaust either, nor any other command.

Each case drops one hostile file into a copy of the small valid registry and runs the real CLI
in a subprocess (address space capped at 512 MiB, 60 s harness timeout): `validate` exits 1
with one line naming the file (and the line, where the problem has one); `fmt --check` and
`fmt` skip the file without touching it; a listing still answers; nothing prints a traceback.
Below them, the safe reader's rules one by one, as documentation.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peernet_cli.check.validate import has_email, has_phone
from peernet_cli.errors import UsageError
from peernet_cli.registry import yamlio, yamlsafe

MEMORY_CAP = 512 * 2**20  # a normal run peaks near 60 MB of address space


def _capped() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def peernet(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, bounded in memory and (generously) in time."""
    return subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(root), *args],
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60, check=False, preexec_fn=_capped)


def nested_block(depth: int) -> bytes:
    """`k0:` / ` k1:` / `  k2:` ...: block mappings nested `depth` deep."""
    return b"".join(b" " * i + b"k%d:\n" % i for i in range(depth)) + b" " * depth + b"end\n"


def alias_bomb() -> bytes:
    """The billion laughs: 9 levels of 9 aliases of the level below (9**9 strings once expanded)."""
    lines = [b"id: bomb", b'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for below, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + below] * 9)}]".encode())
    return b"\n".join(lines) + b"\n"


PARTNER = "# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
BRIGADE = "# yaml-language-server: $schema=../../schemas/brigade.schema.json\n"
EVENT = "# yaml-language-server: $schema=../../schemas/event.schema.json\n"


@dataclass(frozen=True)
class Case:
    """A hostile file at `rel` and what validate must say of it: `message` on `line`."""

    name: str
    rel: str
    content: Callable[[], bytes]
    message: str
    line: int | None
    env: dict[str, str] = field(default_factory=dict)
    same_data_after_fmt: bool = False  # a record fmt may re-quote, but whose data it must keep

    @property
    def query(self) -> tuple[str, ...]:
        return (self.rel.split("/")[1], "list", "--format", "json")


def _text(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


CASES = [
    Case("alias-bomb", "registry/partners/bomb.yaml", alias_bomb, "anchors and aliases", 2),
    Case("anchor-and-alias", "registry/partners/alias.yaml",
         _text(PARTNER + "id: alias\nname: &n Alias Inc\nother_names:\n  - name: *n\n"), "anchors and aliases", 3),
    Case("merge-key", "registry/partners/merge.yaml",
         _text(PARTNER + "id: merge\nname: Merge\nclassification: nonprofit\nsources:\n  - <<: {document: a.txt}\n"),
         "merge keys (<<) are not allowed", 6),
    Case("block-nesting-1000", "registry/partners/deep.yaml", lambda: nested_block(1000),
         "nested more than 64 levels deep", 65),
    Case("block-nesting-50000", "registry/partners/deeper.yaml", lambda: b"- " * 50_000 + b"x\n",
         "nested more than 64 levels deep", 1),
    Case("flow-nesting-50000", "registry/partners/flow.yaml", lambda: b"[" * 50_000 + b"]" * 50_000 + b"\n",
         "nested more than 64 levels deep", 1),
    Case("50-mb-file", "registry/partners/huge.yaml", lambda: b"id: huge\n" + b"# padding\n" * 5_000_000,
         "over the limit of 1,000,000 bytes", None),
    Case("5-mb-line", "registry/partners/line.yaml", lambda: b"id: line\nnotes: " + b"a" * 5_000_000 + b"\n",
         "PEERNET_MAX_FILE_BYTES", None),
    Case("5-mb-value-with-a-raised-limit", "registry/partners/value.yaml",
         lambda: b"id: value\nnotes: " + b"a" * 5_000_000 + b"\n", "this value is 5,000,000 characters long", 2,
         env={"PEERNET_MAX_FILE_BYTES": "10000000"}),
    Case("nul-byte", "registry/partners/nul.yaml", lambda: b"id: nul\nname: a\x00b\n", "NUL byte", 2),
    Case("utf-16", "registry/partners/utf16.yaml", lambda: "id: utf16\nname: UTF-16\n".encode("utf-16"),
         "UTF-16", 1),
    Case("utf-16-without-bom", "registry/partners/utf16le.yaml",
         lambda: "id: utf16le\n".encode("utf-16-le"), "NUL byte", 1),
    Case("lone-surrogate", "registry/partners/surrogate.yaml", lambda: b"id: surrogate\nname: a\xed\xa0\x80\n",
         "not UTF-8 text (byte 0xed)", 2),
    Case("null-key", "registry/partners/tilde.yaml", _text("id: tilde\n~: 1\n"), "a key must be text", 2),
    Case("boolean-key", "registry/partners/true.yaml", _text("id: 'true'\ntrue: 1\n"), "a key must be text", 2),
    Case("number-key", "registry/partners/one.yaml", _text("id: one\n1: one\n"), "a key must be text", 2),
    Case("5000-digit-integer", "registry/partners/digits.yaml", lambda: b"id: digits\nname: " + b"7" * 5000 + b"\n",
         "a number of 5,000 digits is too long", 2),
    Case("yaml-1.1-directive", "registry/partners/yaml11.yaml",
         _text("%YAML 1.1\n---\nid: yaml11\nname: yes\nfounded: 10:00\n"), "%YAML 1.1 directive is not allowed", 1),
    Case("yaml-2.0-directive", "registry/partners/yaml20.yaml", _text("%YAML 2.0\n---\nid: yaml20\n"),
         "%YAML", 1),
    Case("second-document", "registry/partners/two.yaml", _text(PARTNER + "id: two\n---\nid: three\n"),
         "a second YAML document", 3),
    Case("custom-tag", "registry/partners/tag.yaml", _text("id: tag\nname: !!binary aGVsbG8=\n"),
         "custom YAML tags are not allowed", 2),
    Case("nan-latitude", "registry/brigades/nan.yaml", _text(
        BRIGADE + "id: nan\nname: Nan\nstatus: active\nlocation:\n  city: Boston\n  latitude: .nan\n"
        "  longitude: -71.06\nsources:\n  - document: a.txt\n"), "latitude", 7, same_data_after_fmt=True),
    Case("impossible-date", "registry/events/leap.yaml", _text(
        EVENT + "id: leap\nname: Leap\ntype: hack-night\nstart_date: 2020-02-30\nsources:\n  - document: a.txt\n"),
        "'2020-02-30' is not a real calendar date", 5, same_data_after_fmt=True),
]


def _make(case: Case, root: Path) -> Path:
    path = root / case.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(case.content())
    return path


def _assert_no_traceback(*runs: subprocess.CompletedProcess[str]) -> None:
    for run in runs:
        assert "Traceback" not in run.stdout + run.stderr, (run.args[3:], run.stderr[-3000:])


def _assert_reported(case: Case, run: subprocess.CompletedProcess[str]) -> None:
    """validate exits 1 with one line for the file, at the line when there is one."""
    assert run.returncode == 1, run.stdout + run.stderr
    mine = [line for line in run.stdout.splitlines() if line.startswith(case.rel + ":")]
    assert len(mine) == 1, run.stdout
    where = f"{case.rel}:{case.line}:" if case.line is not None else f"{case.rel}: "
    assert mine[0].startswith(where) and case.message in mine[0], mine[0]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_hostile_file_is_reported_and_crashes_nothing(case: Case, registry) -> None:
    path = _make(case, registry.root)
    before = path.read_bytes()

    validate = peernet(registry.root, "validate", env=case.env)
    check = peernet(registry.root, "fmt", "--check", env=case.env)
    fmt = peernet(registry.root, "fmt", env=case.env)
    query = peernet(registry.root, *case.query, env=case.env)

    _assert_no_traceback(validate, check, fmt, query)
    _assert_reported(case, validate)
    assert check.returncode in (0, 1) and fmt.returncode == 0, check.stderr + fmt.stderr
    if case.same_data_after_fmt:
        # A readable record with a bad value: fmt may re-quote it, but never change its data.
        assert yamlio.parse_text(path.read_text(encoding="utf-8"))[0] == yamlio.parse_text(before.decode())[0]
    else:
        assert path.read_bytes() == before
        assert f"skipped {case.rel}: " in check.stderr and f"skipped {case.rel}: " in fmt.stderr
    assert query.returncode in (0, 1), query.stderr
    if query.returncode == 0:
        assert query.stdout.lstrip().startswith("[")  # the readable records are still listed


def test_an_alias_bomb_is_refused_at_its_first_anchor() -> None:
    """Nothing is expanded: the reader stops at `&a`, before the first alias."""
    data, error = yamlio.parse_text(alias_bomb().decode())
    assert data is None and error is not None
    assert (error.line, error.column) == (2, 4)


# --- things a listing meets (registry.py refuses them; the reader refuses them too) ----


def test_a_fifo_is_reported_without_opening_it(registry) -> None:
    """Opening a named pipe for reading waits for a writer: it must be refused by its type."""
    fifo = registry.root / "registry/partners/pipe.yaml"
    os.mkfifo(fifo)
    runs = [peernet(registry.root, *args) for args in (("validate",), ("fmt", "--check"), ("fmt",),
                                                       ("partners", "list", "--format", "json"))]
    _assert_no_traceback(*runs)
    assert runs[0].returncode == 1
    assert any(line.startswith("registry/partners/pipe.yaml: ") and "not a regular file" in line
               for line in runs[0].stdout.splitlines()), runs[0].stdout
    assert all(run.returncode in (0, 1) for run in runs)
    assert yamlsafe.read(fifo).error == yamlsafe.ParseError(
        "not a regular file (a named pipe); a record is an ordinary text file")


def test_a_folder_named_like_a_record_is_reported(registry) -> None:
    folder = registry.root / "registry/partners/x.yaml"
    folder.mkdir()
    runs = [peernet(registry.root, *args) for args in (("validate",), ("fmt", "--check"), ("fmt",),
                                                       ("partners", "list", "--format", "json"))]
    _assert_no_traceback(*runs)
    assert runs[0].returncode == 1
    assert any(line.startswith("registry/partners/x.yaml: ") for line in runs[0].stdout.splitlines()), runs[0].stdout
    assert runs[1].returncode == 0 and runs[2].returncode == 0 and runs[3].returncode in (0, 1)
    assert yamlsafe.read(folder).error is not None
    assert "a folder, not a file" in yamlsafe.read(folder).error.message  # type: ignore[union-attr]


def test_an_unreadable_file_is_reported(registry, validate, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root here, and root reads a chmod 000 file, so the refusal is simulated:
    opening that one file raises PermissionError, as it would for anyone else."""
    path = registry.root / "registry/partners/code-for-america.yaml"
    real_open = os.open

    def deny(target: object, *args: object, **kwargs: object) -> int:
        if Path(str(target)).name == path.name:
            raise PermissionError(13, "Permission denied")
        return real_open(target, *args, **kwargs)  # type: ignore[arg-type]

    if os.geteuid() != 0:
        path.chmod(0)  # the real thing, where it can be had
    else:
        monkeypatch.setattr(os, "open", deny)
    try:
        result = validate(registry.root)
        assert yamlsafe.read(path).error == yamlsafe.ParseError("cannot read the file: Permission denied")
    finally:
        monkeypatch.undo()
        path.chmod(0o644)
    assert result.exit_code == 1
    assert "registry/partners/code-for-america.yaml: " in result.stdout
    assert "Permission denied" in result.stdout


# --- what is accepted -------------------------------------------------------------------


def test_crlf_line_ends_and_a_utf8_bom_validate_clean(registry) -> None:
    for path in sorted((registry.root / "registry").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = peernet(registry.root, "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_a_5_mb_comment_line_is_checked_for_personal_details_quickly(registry) -> None:
    """Raw-text checks run over the whole file, comments too; with the size limit raised, a
    5 MB line of letters takes a fraction of a second (quadratic patterns took hours)."""
    path = registry.root / "registry/partners/code-for-america.yaml"
    path.write_bytes(path.read_bytes() + b"# " + b"a" * 5_000_000 + b"\n")
    started = time.perf_counter()
    result = peernet(registry.root, "validate", env={"PEERNET_MAX_FILE_BYTES": "10000000"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert time.perf_counter() - started < 30  # generous: the point is minutes versus hours


# --- the safe reader, rule by rule --------------------------------------------------------


def test_values_are_read_by_the_yaml_1_2_core_schema() -> None:
    data, error = yamlsafe.parse_text(
        "a: yes\nb: 10:00\nc: 2011-02-08\nd: 012\ne: 0o12\nf: 0x1F\ng: 1_000\nh: .inf\ni: ~\nj: true\n"
        "k: 1.5e3\nl: '12'\nm: !!str 12\nn: !!int '12'\no: !!float 1\np:\n")
    assert error is None
    assert data == {"a": "yes", "b": "10:00", "c": "2011-02-08", "d": 12, "e": 10, "f": 31, "g": "1_000",
                    "h": float("inf"), "i": None, "j": True, "k": 1500.0, "l": "12", "m": "12", "n": 12,
                    "o": 1.0, "p": None}


def test_nan_is_read_as_a_float_for_the_schema_to_judge() -> None:
    data, error = yamlsafe.parse_text("latitude: .nan\n")
    assert error is None and math.isnan(data["latitude"])


@pytest.mark.parametrize(("text", "line", "column", "message"), [
    ("id: x\nname: x\nlinks:\n  - a\n  - *a\n", 5, 5, "anchors and aliases (&name / *name) are not allowed"),
    ("id: x\nname: &n x\n", 2, 7, "write the value out (found &n)"),
    ("id: x\n<<: {a: 1}\n", 2, 1, "merge keys (<<) are not allowed"),
    ("id: x\nname: !!merge x\n", 2, 7, "merge keys (<<) are not allowed"),
    ("id: x\nname: !!python/object:os.system x\n", 2, 7, "custom YAML tags are not allowed"),
    ("id: x\nname: !local x\n", 2, 7, "the tag !local is not allowed"),
    ("id: x\nname: !!int twelve\n", 2, 7, "'twelve' is not a valid !!int"),
    ("id: x\nid: y\n", 2, 1, 'found duplicate key "id"; remove one of the two entries'),
    ("id: x\n~: y\n", 2, 1, 'a key must be text, and ~ is read as null (no value); write it in quotes ("~")'),
    ("id: x\nnull: y\n", 2, 1, "a key must be text"),
    ("id: x\nfalse: y\n", 2, 1, "is read as a boolean (true/false)"),
    ("id: x\n1.5: y\n", 2, 1, "is read as a number"),
    ("id: x\n[a]: y\n", 2, 1, "a key must be text, not a list"),
    ("id: x\n? {a: 1}\n: y\n", 2, 3, "a key must be text, not a mapping"),
    ("%YAML 1.1\n---\nid: x\n", 1, 1, "the %YAML 1.1 directive is not allowed"),
    ("# a comment\n%YAML 1.1\n---\nid: x\n", 2, 1, "the %YAML 1.1 directive is not allowed"),
    ("id: x\n---\nid: y\n", 2, 1, "a second YAML document starts here"),
    ("id: x\nname:\tx\n", 2, 6, "tab character found; indent with spaces, not tabs"),
    ("id: x\nname: a\x01b\n", 2, 8, "the character U+0001 is not allowed in YAML"),
    ("id: x\nlatitude: " + "9" * 31 + "\n", 2, 11, "a number of 31 digits is too long (the limit is 30)"),
    ("id: x\nlatitude: 1." + "0" * 40 + "\n", 2, 11, "a number of 41 digits is too long"),
])
def test_what_the_reader_refuses_and_where(text: str, line: int, column: int, message: str) -> None:
    data, error = yamlsafe.parse_text(text)
    assert data is None and error is not None
    assert (error.line, error.column) == (line, column), error
    assert message in error.message, error.message


def test_nesting_is_limited_to_64_levels_in_block_and_flow_style() -> None:
    assert yamlsafe.parse_text("[" * 64 + "]" * 64)[1] is None
    error = yamlsafe.parse_text("[" * 65 + "]" * 65)[1]
    assert error == yamlsafe.ParseError("nested more than 64 levels deep (the limit); a record needs only a "
                                        "few levels, so check the brackets and indentation", 1, 65)
    assert yamlsafe.parse_text(nested_block(64).decode())[1] is None  # 64 mappings, then a value
    assert yamlsafe.parse_text(nested_block(65).decode())[1] is not None


def test_a_long_value_is_refused_but_long_text_in_quotes_of_the_limit_is_read() -> None:
    ok = "notes: '" + "a" * yamlsafe.MAX_SCALAR_CHARS + "'\n"
    assert yamlsafe.parse_text(ok)[1] is None
    error = yamlsafe.parse_text("notes: " + "a" * (yamlsafe.MAX_SCALAR_CHARS + 1) + "\n")[1]
    assert error is not None and error.message.startswith("this value is 100,001 characters long")
    assert yamlsafe.parse_text("id: '" + "7" * 5000 + "'\n")[0] == {"id": "7" * 5000}  # quoted: text


def test_the_file_size_limit_is_checked_before_reading_and_can_be_raised(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"id: big\n" + b"# padding\n" * 200_000)  # 2,000,008 bytes
    error = yamlsafe.read(path).error
    assert error == yamlsafe.ParseError(
        "the file is 2,000,008 bytes, over the limit of 1,000,000 bytes; a record is a few kilobytes, so "
        "check this is the right file (set PEERNET_MAX_FILE_BYTES to raise the limit)")
    monkeypatch.setenv("PEERNET_MAX_FILE_BYTES", "3000000")
    assert yamlsafe.read(path).data == {"id": "big"}
    monkeypatch.setenv("PEERNET_MAX_FILE_BYTES", "lots")
    with pytest.raises(UsageError, match="PEERNET_MAX_FILE_BYTES must be a number of bytes"):
        yamlsafe.read(path)


@pytest.mark.parametrize(("raw", "message", "line"), [
    ("id: x\n".encode("utf-16"), "the file is UTF-16 text; save it as UTF-8", 1),
    (b"id: x\nname: \x00\n", "the file holds a NUL byte (0x00)", 2),
    (b"id: x\nname: \xed\xa0\x80\n", "the file is not UTF-8 text (byte 0xed); save it as UTF-8", 2),
    (b"id: x\nname: \xe9\n", "the file is not UTF-8 text (byte 0xe9)", 2),
])
def test_bytes_that_are_not_utf8_text_are_refused_with_their_line(raw: bytes, message: str, line: int) -> None:
    text, error = yamlsafe.decode(raw)
    assert text is None and error is not None
    assert message in error.message and error.line == line


def test_a_bom_and_crlf_line_ends_are_read_as_plain_text() -> None:
    assert yamlsafe.decode(b"\xef\xbb\xbfid: x\r\nname: y\r\n") == ("id: x\nname: y\n", None)
    parsed = yamlsafe.parse_bytes(Path("x.yaml"), b"\xef\xbb\xbfid: x\r\nname: y\r\n")
    assert parsed.data == {"id": "x", "name": "y"} and parsed.text == "id: x\nname: y\n"


def test_a_lone_surrogate_in_text_is_refused() -> None:
    data, error = yamlsafe.parse_text("id: x\nname: a\ud800\n")
    assert data is None and error is not None and error.line == 2 and "lone surrogate (U+D800)" in error.message


def test_a_yaml_1_2_directive_is_accepted() -> None:
    assert yamlsafe.parse_text("%YAML 1.2\n---\nid: x\n") == ({"id": "x"}, None)


def test_plain_values_a_yaml_1_1_reader_would_read_otherwise_are_listed() -> None:
    """`yes` is text to peernet but true to PyYAML; quoted values are text to everyone."""
    parsed = yamlsafe.read_text("id: x\nname: yes\ntimes:\n  - 10:00\n  - '10:00'\nwhen: 2011-02-08\n"
                                "code: 012\nok: 0o12\nbig: 1_000\non: 1\nfine: 12\nnull_ok: ~\n")
    assert parsed.ambiguous == (
        (2, 7, ["name"], "yes"), (4, 5, ["times", 0], "10:00"), (6, 7, ["when"], "2011-02-08"),
        (7, 7, ["code"], "012"), (8, 5, ["ok"], "0o12"), (9, 6, ["big"], "1_000"), (10, 1, ["on"], "on"))
    assert yamlsafe.yaml11_value("10:00") == 600 and yamlsafe.yaml11_value("on") is True


def test_locate_finds_values_and_keys_and_gives_up_on_unsafe_text() -> None:
    text = "id: x\nlocation:\n  city: Boston\nlinks:\n  - url: https://a.example\n"
    assert yamlio.locate(text, ["location", "city"]) == (3, 9)
    assert yamlio.locate(text, ["location", "state"]) == (3, 3)  # where the missing key would go
    assert yamlio.locate_key(text, ["links", 0, "url"]) == (5, 5)
    assert yamlio.locate(text, ["links", 0, "url"]) == (5, 10)
    assert yamlio.locate("a: &x 1\nb: *x\n", ["b"]) is None


# --- the personal-details check is linear ----------------------------------------------

OLD_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
OLD_PHONE = re.compile(r"(?<![\d-])(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\d-])")


@pytest.mark.parametrize("text", ["a" * 5_000_000, "1" * 5_000_000, "a@" * 2_500_000, "123 " * 1_250_000,
                                  "x@" + "a." * 2_500_000, "lorem ipsum " * 400_000])
def test_email_and_phone_checks_take_linear_time_on_5_mb(text: str) -> None:
    started = time.perf_counter()
    has_email(text), has_phone(text)
    assert time.perf_counter() - started < 10  # generous: the old patterns took hours


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ab1.-@_%+ Z(9)\n", max_size=40))
def test_the_linear_checks_find_what_the_old_patterns_found(text: str) -> None:
    assert has_email(text) == bool(OLD_EMAIL.search(text))
    assert has_phone(text) == bool(OLD_PHONE.search(text))


@pytest.mark.parametrize(("text", "email", "phone"), [
    ("jane.doe@bpl.example.org", True, False), ("write to a@b.co", True, False), ("a@localhost", False, False),
    ("(617) 555-0142", False, True), ("+1 617-555-0142", False, True), ("617.555.0142", False, True),
    ("1-617-555-0142", False, True), ("call 6175550142", False, False), ("2019-2020 1234", False, False),
])
def test_ordinary_emails_and_phone_numbers(text: str, email: bool, phone: bool) -> None:
    assert (has_email(text), has_phone(text)) == (email, phone)


def _pyyaml_reads(text: str) -> object:
    import yaml

    try:
        return yaml.safe_load(f"v: {text}\n")["v"]
    except (yaml.YAMLError, ValueError, TypeError):
        return Exception  # PyYAML cannot read it at all (an impossible date, `=`)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0127:-._+xoeEbyYnNsSfFtTrRuUlLaA~", min_size=1, max_size=8))
def test_a_plain_value_is_listed_exactly_when_pyyaml_reads_it_otherwise(text: str) -> None:
    parsed = yamlsafe.read_text(f"v: {text}\n")
    if parsed.error is not None or not isinstance(parsed.data, dict) or list(parsed.data) != ["v"]:
        return  # not one plain value (`v: -`, `v: a: b`, ...)
    ours, theirs = parsed.data["v"], _pyyaml_reads(text)
    both_nan = isinstance(ours, float) and isinstance(theirs, float) and math.isnan(ours) and math.isnan(theirs)
    same = type(ours) is type(theirs) and (ours == theirs or both_nan)
    listed = bool(parsed.ambiguous)
    # y, Y, n and N are booleans in the YAML 1.1 spec (go-yaml v2 reads them so), not in PyYAML.
    assert listed == (not same or text in ("y", "Y", "n", "N")), (text, ours, theirs)
