"""`peernet validate` as a command: output formats, exit codes, what it reports on,
and how it finds the registry."""

from __future__ import annotations

import json
import re

import pytest

from peernet_cli.registry.loader import ENV_VAR

MODELINE = "# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
BAD_STATUS = (
    "# yaml-language-server: $schema=../../schemas/brigade.schema.json\n"
    "id: code-for-nowhere\nname: Code for Nowhere\nstatus: activ\n"
    "sources:\n  - document: 001_6fd433e7a95ecce0.txt\n"
)
NO_MODELINE = (
    "id: hack-club\nname: Hack Club\nclassification: nonprofit\n"
    "sources:\n  - document: 001_6fd433e7a95ecce0.txt\n"
)


@pytest.fixture
def broken(registry):
    """The small registry with one error (an invalid brigade status on line 4, column 9)
    and one warning (a partner file without the schema modeline)."""
    registry.write("registry/brigades/code-for-nowhere.yaml", BAD_STATUS)
    registry.write("registry/partners/hack-club.yaml", NO_MODELINE)
    return registry


# --- output formats ---------------------------------------------------------------------


def test_text_format_prints_one_line_per_finding(broken, validate):
    result = validate(broken.root)

    assert result.stdout.splitlines() == [
        "registry/brigades/code-for-nowhere.yaml:4:9: status: 'activ' is not one of: "
        "active, inactive, merged, dissolved, unknown",
        "registry/partners/hack-club.yaml:1:1: warning: first line should be "
        "'# yaml-language-server: $schema=../../schemas/partner.schema.json' so editors "
        "check the file; run 'peernet fmt' to add it",
    ]


def test_the_summary_goes_to_stderr(broken, validate):
    result = validate(broken.root)

    assert result.stderr == "peernet: 1 error(s), 1 warning(s) in 8 file(s)\n"


def test_text_is_the_default_format(broken, validate):
    assert validate(broken.root).stdout == validate(broken.root, "--format", "text").stdout


def test_json_format_is_one_document_with_counts_and_findings(broken, validate):
    result = validate(broken.root, "--format", "json")

    report = json.loads(result.stdout)
    assert set(report) == {"files_checked", "errors", "warnings", "findings"}
    assert (report["files_checked"], report["errors"], report["warnings"]) == (8, 1, 1)
    for finding in report["findings"]:
        assert set(finding) == {"file", "line", "column", "field", "message", "severity", "rule"}
    error, warning = report["findings"]
    assert error == {
        "file": "registry/brigades/code-for-nowhere.yaml", "line": 4, "column": 9,
        "field": "status", "severity": "error", "rule": "schema",
        "message": "'activ' is not one of: active, inactive, merged, dissolved, unknown",
    }
    assert (warning["file"], warning["severity"], warning["rule"]) == (
        "registry/partners/hack-club.yaml", "warning", "modeline")


def test_json_format_of_a_clean_registry_has_no_findings(registry, validate):
    report = json.loads(validate(registry.root, "--format", "json").stdout)

    assert report == {"files_checked": 6, "errors": 0, "warnings": 0, "findings": []}


def test_json_uses_null_for_an_unknown_column(registry, validate):
    registry.write("registry/partners/latin.yaml", b"id: latin\nname: Caf\xe9\n")

    [finding] = json.loads(validate(registry.root, "--format", "json").stdout)["findings"]

    assert (finding["line"], finding["column"]) == (2, None)


ANNOTATION = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.+)$")


def test_github_format_prints_workflow_annotations(broken, validate):
    """GitHub Actions turns these lines into annotations on the pull request."""
    result = validate(broken.root, "--format", "github")

    lines = result.stdout.splitlines()
    assert len(lines) == 2
    matches = [ANNOTATION.match(line) for line in lines]
    assert all(matches), lines
    error, warning = (m.groups() for m in matches)  # type: ignore[union-attr]
    assert error == ("error", "registry/brigades/code-for-nowhere.yaml", "4", "9", "peernet schema",
                     "status: 'activ' is not one of: active, inactive, merged, dissolved, unknown")
    assert warning[:5] == ("warning", "registry/partners/hack-club.yaml", "1", "1", "peernet modeline")
    assert result.exit_code == 1


def test_github_format_escapes_newlines_in_messages(registry, validate):
    """A field name holding a newline must not break the one-line annotation format."""
    registry.write("registry/partners/two-lines.yaml",
                   MODELINE + 'id: two-lines\nname: Two Lines\nclassification: nonprofit\n'
                   '"web\\nsite": https://two-lines.example.org\nsources:\n  - document: a.txt\n')

    result = validate(registry.root, "--format", "github")

    [line] = result.stdout.splitlines()
    assert line.startswith("::error file=registry/partners/two-lines.yaml,line=5,col=1,title=peernet schema::")
    assert "unknown field 'web%0Asite'" in line


# --- exit codes -------------------------------------------------------------------------


def test_a_clean_registry_exits_0_and_prints_nothing_on_stdout(registry, validate):
    result = validate(registry.root)

    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "peernet: 0 error(s), 0 warning(s) in 6 file(s)\n"


def test_a_missing_modeline_is_only_a_warning(registry, validate):
    registry.write("registry/partners/hack-club.yaml", NO_MODELINE)

    result = validate(registry.root)

    assert result.exit_code == 0
    assert "registry/partners/hack-club.yaml:1:1: warning: first line should be" in result.stdout
    assert "0 error(s), 1 warning(s)" in result.stderr


def test_a_likely_duplicate_is_only_a_warning(registry, validate):
    registry.add("partner", {"id": "the-code-for-america", "name": "The Code for America",
                             "classification": "nonprofit", "sources": [{"document": "a.txt"}]})

    result = validate(registry.root)

    assert result.exit_code == 0
    assert "warning: name: may duplicate registry/partners/code-for-america.yaml" in result.stdout


def test_errors_exit_1(broken, validate):
    assert validate(broken.root).exit_code == 1


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_the_exit_code_does_not_depend_on_the_format(fmt, broken, validate):
    assert validate(broken.root, "--format", fmt).exit_code == 1


def test_an_unknown_format_is_a_usage_error(registry, validate):
    result = validate(registry.root, "--format", "bogus")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--format must be one of: text, json, github (got 'bogus')" in result.stderr


def test_a_bad_as_of_date_is_a_usage_error(registry, cli):
    result = cli("validate", "--as-of", "2026-13-01", root=registry.root)

    assert result.exit_code == 2
    assert "--as-of '2026-13-01' is not a date; write YYYY-MM-DD" in result.stderr


def test_a_path_that_does_not_exist_is_a_usage_error(registry, validate):
    missing = registry.root / "registry" / "brigades" / "code-for-atlantis.yaml"

    result = validate(registry.root, str(missing))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"peernet: error: {missing}: no such file or folder" in result.stderr


def test_a_registry_option_pointing_nowhere_is_a_usage_error(tmp_path, validate):
    nowhere = tmp_path / "no-registry-here"
    nowhere.mkdir()

    result = validate(nowhere)

    assert result.exit_code == 2
    assert f"peernet: error: --registry points to {nowhere}, which has no registry/ folder" in result.stderr
    assert "Traceback" not in result.stderr


# --- what is reported: `validate PATH` -------------------------------------------------------


def test_a_file_argument_limits_the_report_to_that_file(broken, validate):
    result = validate(broken.root, str(broken.root / "registry/partners/hack-club.yaml"))

    assert result.stdout.startswith("registry/partners/hack-club.yaml:1:1: warning:")
    assert "code-for-nowhere" not in result.stdout
    assert result.exit_code == 0  # the error is in a file that was not asked about
    assert "in 1 file(s)" in result.stderr


def test_a_folder_argument_limits_the_report_to_files_in_it(broken, validate):
    result = validate(broken.root, "--format", "json", str(broken.root / "registry/brigades"))

    report = json.loads(result.stdout)
    assert {f["file"] for f in report["findings"]} == {"registry/brigades/code-for-nowhere.yaml"}
    assert report["files_checked"] == 2
    assert result.exit_code == 1


def test_several_paths_are_reported_together(broken, validate):
    result = validate(broken.root, "--format", "json",
                      str(broken.root / "registry/brigades/code-for-nowhere.yaml"),
                      str(broken.root / "registry/partners"))

    report = json.loads(result.stdout)
    assert report["files_checked"] == 4
    assert {f["file"] for f in report["findings"]} == {
        "registry/brigades/code-for-nowhere.yaml", "registry/partners/hack-club.yaml"}


def test_a_relative_path_is_taken_from_the_working_directory(broken, validate, monkeypatch):
    monkeypatch.chdir(broken.root / "registry")

    result = validate(broken.root, "brigades")

    assert result.stdout.startswith("registry/brigades/code-for-nowhere.yaml:4:9:")
    assert "hack-club" not in result.stdout


def test_cross_file_rules_still_see_the_whole_registry(registry, validate):
    """Restricting the report does not hide the records a reference points to."""
    result = validate(registry.root, str(registry.root / "registry/partnerships"))

    assert result.exit_code == 0
    assert result.stdout == ""


def test_a_cross_file_problem_is_reported_on_the_file_that_must_change(registry, validate):
    (registry.root / "registry/partners/greater-mattapan-neighborhood-council.yaml").unlink()

    only_partnerships = validate(registry.root, str(registry.root / "registry/partnerships"))
    only_partners = validate(registry.root, str(registry.root / "registry/partners"))

    assert "is not a known partner or brigade id" in only_partnerships.stdout
    assert only_partnerships.exit_code == 1
    assert (only_partners.exit_code, only_partners.stdout) == (0, "")


# --- finding the registry ------------------------------------------------------------------


@pytest.fixture
def no_env_registry(monkeypatch):
    """Discovery tests must not see a PEERNET_REGISTRY set by whoever runs the suite."""
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_the_registry_option_names_the_root(broken, validate, no_env_registry):
    assert validate(broken.root).exit_code == 1


def test_the_registry_option_may_name_the_registry_folder_itself(broken, validate, no_env_registry):
    result = validate(broken.root / "registry")

    assert result.stdout.startswith("registry/brigades/code-for-nowhere.yaml:4:9:")


def test_the_environment_variable_names_the_root(broken, validate, no_env_registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = validate(None, env={ENV_VAR: str(broken.root)})

    assert result.exit_code == 1
    assert result.stdout.startswith("registry/brigades/code-for-nowhere.yaml:4:9:")


def test_the_registry_option_wins_over_the_environment(broken, validate, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "registry").mkdir(parents=True)

    result = validate(broken.root, env={ENV_VAR: str(elsewhere)})

    assert result.exit_code == 1
    assert "code-for-nowhere" in result.stdout


def test_an_environment_variable_pointing_nowhere_is_a_usage_error(tmp_path, validate, no_env_registry):
    result = validate(None, env={ENV_VAR: str(tmp_path / "gone")})

    assert result.exit_code == 2
    assert f"{ENV_VAR} points to {tmp_path / 'gone'}, which has no registry/ folder" in result.stderr


def test_the_registry_is_found_from_a_folder_inside_it(broken, validate, no_env_registry, monkeypatch):
    """Run from registry/partners: validate walks up to the folder holding registry/."""
    monkeypatch.chdir(broken.root / "registry" / "partners")

    result = validate(None)

    assert result.exit_code == 1
    assert "registry/brigades/code-for-nowhere.yaml:4:9:" in result.stdout
    assert "in 8 file(s)" in result.stderr


def test_no_registry_anywhere_is_a_usage_error(tmp_path, validate, no_env_registry, monkeypatch):
    lost = tmp_path / "lost"
    lost.mkdir()
    monkeypatch.chdir(lost)

    result = validate(None)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "peernet: error: no registry/ folder found in" in result.stderr
    assert "pass --registry PATH or set PEERNET_REGISTRY" in result.stderr
