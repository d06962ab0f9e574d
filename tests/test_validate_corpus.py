"""`peernet validate` on a corpus of bad files, and on good files that use every field.

Each file under tests/fixtures/invalid/<folder>/ is dropped into an otherwise valid
registry; tests/fixtures/invalid/expected.json says where the one problem in it must be
reported and what the message must say. Files under tests/fixtures/valid/ must pass clean.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from peernet_cli.registry.schemas import KIND_BY_FOLDER, load_schema

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
EXPECTED: dict[str, dict] = json.loads((INVALID / "expected.json").read_text(encoding="utf-8"))
VALID_FILES = sorted(p.relative_to(VALID).as_posix() for p in VALID.rglob("*.yaml"))

SOURCES = [{"document": "001_6fd433e7a95ecce0.txt"}]
# Organisations some partnership cases need, so that each of those files has exactly
# one problem (a partnership file is named after its pair, so its partner must exist).
SUPPORT = [
    ("brigade", {"id": "code-for-philly", "name": "Code for Philly", "status": "active",
                 "sources": SOURCES}),
    ("partner", {"id": "city-of-boston", "name": "City of Boston",
                 "classification": "city-government", "sources": SOURCES}),
    ("partner", {"id": "boston-public-library", "name": "Boston Public Library",
                 "classification": "other", "sources": SOURCES}),
    ("partner", {"id": "northeastern-university", "name": "Northeastern University",
                 "classification": "university", "sources": SOURCES}),
]


@pytest.fixture
def corpus_registry(registry):
    """The small valid registry plus the support organisations."""
    for kind, data in SUPPORT:
        registry.add(kind, data)
    return registry


def _drop_in(builder, source: Path, rel: str) -> str:
    """Copy a fixture to registry/<folder>/<file name>; returns its registry-relative path."""
    target = builder.root / "registry" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return f"registry/{rel}"


def _case_id(case: str) -> str:
    return f"{case} ({EXPECTED[case]['about']})"


def test_the_corpus_covers_every_expected_case_and_nothing_else():
    """Every bad file has an expectation and every expectation has a file."""
    on_disk = {p.relative_to(INVALID).as_posix() for p in INVALID.rglob("*.yaml")}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 28
    assert {case.split("/")[0] for case in EXPECTED} == set(KIND_BY_FOLDER)


def test_the_support_registry_is_valid(corpus_registry, validate):
    """The corpus starts from a clean registry, so any finding comes from the bad file."""
    result = validate(corpus_registry.root)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("case", sorted(EXPECTED), ids=_case_id)
def test_a_bad_file_is_reported_at_the_right_place(case, corpus_registry, validate):
    """The finding names the file, line and column, the field and a useful message;
    the run exits 1 and never shows a traceback."""
    expected = EXPECTED[case]
    rel = _drop_in(corpus_registry, INVALID / case, case)

    result = validate(corpus_registry.root)

    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exit_code == 1, output
    location = f"{rel}:{expected['line']}"
    if expected["column"] is not None:
        location += f":{expected['column']}"
    location += ": "
    field = f"{expected['field']}: " if expected["field"] else ""
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(location + field) and expected["message"] in line for line in lines
    ), f"expected a line starting {location + field!r} containing {expected['message']!r}; got:\n{result.stdout}"
    # The rest of the registry is clean and the file has one problem, so nothing else is said.
    assert all(line.startswith(location) for line in lines), result.stdout


def test_a_bad_file_is_reported_in_json_with_the_same_position(corpus_registry, validate):
    """The json report carries the line, column and field that the text report shows."""
    case = "brigades/misspelled-field.yaml"
    rel = _drop_in(corpus_registry, INVALID / case, case)

    result = validate(corpus_registry.root, "--format", "json")

    report = json.loads(result.stdout)
    [finding] = report["findings"]
    assert (finding["file"], finding["line"], finding["column"], finding["field"]) == (rel, 5, 1, "websit")
    assert finding["rule"] == "schema"
    assert "did you mean 'website'?" in finding["message"]


def test_every_bad_file_is_reported_in_one_run(corpus_registry, validate):
    """One run reports all problems: a registry holding the whole corpus names every file."""
    for case in EXPECTED:
        _drop_in(corpus_registry, INVALID / case, case)

    result = validate(corpus_registry.root, "--format", "json")

    assert result.exit_code == 1
    reported = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert {f"registry/{case}" for case in EXPECTED} <= reported


def test_an_impossible_date_is_reported_once(corpus_registry, validate):
    """One wrong value is one finding, even when both the schema and the date rule see it."""
    case = "networks/impossible-last-verified.yaml"
    rel = _drop_in(corpus_registry, INVALID / case, case)

    result = validate(corpus_registry.root, "--format", "json")

    findings = [f for f in json.loads(result.stdout)["findings"] if f["file"] == rel]
    assert len(findings) == 1, findings


def test_non_utf8_bytes_anywhere_are_reported_with_their_line(corpus_registry, validate):
    """A stray Windows-1252 quote on line 4 is reported on line 4 with the byte's value."""
    corpus_registry.write(
        "registry/partners/smart-quote.yaml",
        b"id: smart-quote\nname: Smart Quote Co\nclassification: company\n"
        b"description: \x93quoted\x94\nsources:\n  - document: a.txt\n",
    )

    result = validate(corpus_registry.root)

    assert result.exit_code == 1
    assert "registry/partners/smart-quote.yaml:4: the file is not UTF-8 text (byte 0x93)" in result.stdout


@pytest.mark.parametrize("rel", VALID_FILES)
def test_a_good_file_using_every_field_validates_clean(rel, registry, validate):
    """No errors and no warnings (not even the modeline or duplicate-name ones)."""
    _drop_in(registry, VALID / rel, rel)

    result = validate(registry.root)

    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 error(s), 0 warning(s) in 7 file(s)" in result.stderr


def test_all_good_files_together_validate_clean(registry, validate):
    for rel in VALID_FILES:
        _drop_in(registry, VALID / rel, rel)

    result = validate(registry.root)

    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("folder", sorted(KIND_BY_FOLDER))
def test_the_good_files_use_every_top_level_field(folder):
    """So a field the validator mishandles cannot hide behind a fixture that omits it."""
    kind = KIND_BY_FOLDER[folder]
    fields = set(load_schema(kind.schema_file)["properties"])
    from peernet_cli.registry import yamlio

    [path] = sorted((VALID / folder).glob("*.yaml"))
    data, error = yamlio.parse_text(path.read_text(encoding="utf-8"))
    assert error is None
    assert fields - set(data) == set()
