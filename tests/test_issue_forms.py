"""Issue forms: generated from the schemas (and the committed ones never drift from them), and
read back by `peernet import issue-form` into the change `partnerships add|update` and
`brigades add|rename` make.

Each body in tests/fixtures/issue-forms/ (NAME.md, as GitHub writes a filed form) has its
outcome in NAME.expected.json: "change" (the files it writes, and fields of them), "problems"
(the labels of the fields to fix, fragments of the messages, the existing record's file) or
"refused" (not a form at all)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from factories import BASE_RECORDS, RegistryBuilder, assert_one_line_error

from peernet_cli.imports.issue_form import (
    FormProblem,
    FormProblems,
    change_for,
    form_kind,
    parse_body,
    problems_markdown,
)
from peernet_cli.imports.issue_form_parse import MAX_BODY
from peernet_cli.publish.issue_forms import FOLDER, FORMS, form_data, options, render_forms
from peernet_cli.registry import yamlio
from peernet_cli.registry.loader import load
from peernet_cli.registry.schemas import enum_values
from peernet_cli.safetext import WORD_JOINER

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "fixtures" / "issue-forms"
CASES = sorted(p.name[: -len(".md")] for p in CORPUS.glob("*.md"))


def small_registry(tmp_path: Path) -> RegistryBuilder:
    builder = RegistryBuilder(tmp_path / "reg")
    for kind, data in BASE_RECORDS:
        builder.add(kind, copy.deepcopy(data))
    return builder


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "registry").rglob("*.yaml")}


def record(root: Path, rel: str) -> dict:
    data, error = yamlio.parse_text((root / rel).read_text(encoding="utf-8"))
    assert error is None, error
    return data


# --- the corpus ------------------------------------------------------------------------------

def test_corpus_has_the_shapes_real_forms_send():
    assert {"good-new-partner", "empty-fields", "injected-heading", "hostile-text", "windows-line-endings",
            "edited-body", "mistyped-brigade", "duplicate-partnership", "unknown-enum-value"} <= set(CASES)
    assert b"\r\n" in (CORPUS / "windows-line-endings.md").read_bytes()
    for name in CASES:
        assert (CORPUS / f"{name}.expected.json").is_file(), name


@pytest.mark.parametrize("name", CASES)
def test_corpus_body_has_its_expected_outcome(cli, tmp_path, name):
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    reg = small_registry(tmp_path)
    before = snapshot(reg.root)
    result = cli("import", "issue-form", str(CORPUS / f"{name}.md"), "--no-pr", root=reg.root)
    after = snapshot(reg.root)
    errors = [line for line in result.stderr.splitlines() if line.startswith("peernet: error: ")]
    for fragment in expected.get("messages", []):
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    if expected["outcome"] == "change":
        assert result.exit_code == 0, result.stderr
        changed = sorted(rel for rel in after if before.get(rel) != after[rel])
        assert changed == sorted(expected["files"])
        for rel, fields in expected.get("fields", {}).items():
            data = record(reg.root, rel)
            for key, value in fields.items():
                assert data.get(key) == value, (rel, key)
        assert cli("validate", root=reg.root).exit_code == 0
        return
    assert after == before, "nothing may be written"
    if expected["outcome"] == "refused":
        assert result.exit_code == 2 and len(errors) == 1
        return
    assert result.exit_code == 1
    *lines, summary = errors
    assert "nothing was written" in summary
    labels = [line.split(": ")[-2] if ".yaml" in line.split(": ")[1] else line.split(": ")[1] for line in lines]
    problems = _problems(reg.root, name)
    assert [p.label for p in problems if p.label] == expected["problems"]
    assert len(lines) == len(problems) and all(p.text() in "\n".join(lines) for p in problems), labels
    if "existing" in expected:
        assert [p.existing for p in problems if p.existing] == [expected["existing"]]
        assert (reg.root / expected["existing"]).is_file()


def _problems(root: Path, name: str) -> list[FormProblem]:
    answers = parse_body((CORPUS / f"{name}.md").read_text(encoding="utf-8"))
    with pytest.raises(FormProblems) as caught:
        change_for(load(root), answers, date.today())
    return caught.value.problems


def test_a_finding_of_the_record_names_the_field_and_the_line(tmp_path):
    [problem] = _problems(small_registry(tmp_path).root, "add-brigade-invalid-country")
    assert (problem.label, problem.file) == ("Country", "registry/brigades/code-for-example.yaml")
    assert problem.line is not None and "'USA'" in problem.message


def test_a_form_makes_exactly_the_change_the_command_makes(cli, tmp_path):
    by_form, by_flags = small_registry(tmp_path / "a"), small_registry(tmp_path / "b")
    assert cli("import", "issue-form", str(CORPUS / "good-new-partner.md"), "--no-pr", root=by_form.root).exit_code == 0
    result = cli("partnerships", "add", "--no-pr", "--brigade", "Code for Boston", "--partner",
                 "Example Neighborhood Library", "--partner-classification", "nonprofit", "--status", "active",
                 "--kind", "project-partnership", "--priority", "Digital literacy", "--priority", "Homework help",
                 "--built", "Volunteers helped at the weekly computer clinic.", "--built", "Then we proposed a project.",
                 "--start-date", "2019-04", "--last-contact", "2024-03-01",
                 "--notes", "Met through the branch manager.\n\nStill going.",
                 "--source", "https://example.org/library", root=by_flags.root)
    assert result.exit_code == 0, result.stderr
    assert snapshot(by_form.root) == snapshot(by_flags.root)


def test_dry_run_prints_the_diff_and_writes_nothing(cli, tmp_path):
    reg = small_registry(tmp_path)
    before = snapshot(reg.root)
    result = cli("import", "issue-form", str(CORPUS / "update-partnership.md"), "--dry-run", root=reg.root)
    assert result.exit_code == 0, result.stderr
    assert "+status: ended" in result.stdout and "-status: active" in result.stdout
    assert snapshot(reg.root) == before


def test_the_body_can_come_from_stdin(cli, tmp_path):
    reg = small_registry(tmp_path)
    body = (CORPUS / "add-brigade.md").read_text(encoding="utf-8")
    result = cli("import", "issue-form", "-", "--no-pr", root=reg.root, input=body)
    assert result.exit_code == 0, result.stderr
    assert (reg.root / "registry/brigades/code-for-example.yaml").is_file()


def test_hostile_text_stays_text_in_a_real_process(tmp_path):
    """Run as the workflow runs it: a subprocess, the body from a file, HOME a scratch folder
    that must survive `$(rm -rf ~)`."""
    reg = small_registry(tmp_path)
    home = tmp_path / "home"
    (home / "keep").mkdir(parents=True)
    env = {**os.environ, "HOME": str(home)}
    done = subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(reg.root), "import", "issue-form",
                           str(CORPUS / "hostile-text.md"), "--no-pr"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert (home / "keep").is_dir() and "pwned" not in done.stdout + done.stderr


def test_a_too_large_body_is_refused(tmp_path):
    reg = small_registry(tmp_path)
    big = tmp_path / "big.md"
    big.write_text("### Brigade\n\n" + "x" * (MAX_BODY * 4 + 10), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(reg.root), "import", "issue-form",
                           str(big), "--no-pr"], capture_output=True, text=True, check=False)
    assert_one_line_error(done, 2, "too large for an issue body")


def test_the_pull_request_text_from_hostile_answers_is_inert(tmp_path):
    reg = load(small_registry(tmp_path).root)
    answers = parse_body((CORPUS / "hostile-text.md").read_text(encoding="utf-8"))
    message = change_for(reg, answers, date.today())(reg).commit_message(2)
    assert "@octocat" not in message and f"@{WORD_JOINER}octocat" in message
    assert "#1" not in message


# --- reading a body --------------------------------------------------------------------------

def _body(*pairs: tuple[str, str]) -> str:
    return "\n\n".join(f"### {label}\n\n{answer}" for label, answer in pairs) + "\n"


def test_parse_identifies_the_form_by_its_headings_and_reads_answers():
    answers = parse_body(_body(("Brigade", "boston"), ("Partner", "GMNC"), ("Status now", "None"),
                               ("The partner's priorities now", "1. Housing\n2) Food\n* Parks\n\n+ Jobs"),
                               ("Source", "_No response_")))
    assert form_kind(answers) == "update-partnership"
    assert answers.text("status") is None and answers.text("source") is None
    assert answers.items("priorities") == ["Housing", "Food", "Parks", "Jobs"]
    assert answers.text("notes") is None    # its heading is not there at all


def test_parse_reads_ticked_checkboxes():
    answers = parse_body(_body(("Brigade", "b"), ("Partner", "p"), ("Is the partner new?", "- [x] One\n- [ ] Two")))
    assert answers.kind == "add-partnership" and answers.ticked("new-partner") == ["One"]


def test_a_body_of_no_form_or_of_two_equally_is_refused():
    for text in ("", "### Brigade\n\nboston\n", "Just some text\n### Partner\n"):
        with pytest.raises(Exception, match="not the body of one of the registry's issue forms"):
            parse_body(text)


# --- the comment listing what to fix ---------------------------------------------------------

def test_problems_markdown_has_one_bullet_per_field_inert_and_linked():
    problems = [FormProblem("Brigade", "no brigade named '@someone <b>x</b>'"),
                FormProblem("Partner", "already recorded in registry/partnerships/a--b.yaml",
                            existing="registry/partnerships/a--b.yaml"),
                FormProblem("Partner", "Closes #12"), FormProblem(None, "nothing to change")]
    text = problems_markdown(problems, lambda rel: f"https://github.com/o/r/blob/main/{rel}")
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 3
    assert bullets[0].startswith("- **Brigade**: ") and "@someone" not in text and "<b>" not in text
    assert "(https://github.com/o/r/blob/main/registry/partnerships/a--b.yaml)" in bullets[1]
    assert "#12" not in text and bullets[2] == "- **The form**: nothing to change"


# --- the forms, generated from the schemas ---------------------------------------------------

def test_committed_forms_are_what_the_schemas_generate():
    committed = {f"{FOLDER}/{p.name}": p.read_text(encoding="utf-8") for p in (ROOT / FOLDER).glob("*.yml")}
    assert committed == render_forms(), "run 'peernet schema issue-forms' and commit the result"


def test_dropdowns_offer_the_schemas_values_and_labels_are_unique():
    for form in FORMS:
        labels = [f.label for f in form.fields]
        assert len(set(labels)) == len(labels), form.name
        for field in form.fields:
            if field.type == "dropdown" and field.schema and not field.options:
                assert options(field) == enum_values(*field.schema), (form.name, field.id)
        assert form_data(form)["labels"] == list(form.labels)
    partnership = next(f for f in FORMS if f.name == "add-partnership")
    asked = [f.label for f in partnership.fields]
    assert "What are the priorities of the partner?" in asked
    assert "What did you do to build the relationship?" in asked


def test_schema_issue_forms_writes_and_checks_a_folder(cli, tmp_path):
    out = tmp_path / "forms"
    result = cli("schema", "issue-forms", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert {p.name for p in out.glob("*.yml")} == {f"{form.name}.yml" for form in FORMS}
    assert cli("schema", "issue-forms", "--output", str(out), "--check").exit_code == 0
    (out / "add-brigade.yml").write_text("name: edited\n", encoding="utf-8")
    result = cli("schema", "issue-forms", "--output", str(out), "--check")
    assert result.exit_code == 1 and "add-brigade.yml" in result.stderr
