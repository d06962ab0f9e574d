"""An issue form, end to end: `peernet import issue-form --from-issue N` (as the workflow
.github/workflows/issue-form.yml runs it) against the fake GitHub API (tests/forge_server.py,
with the issue, comment, label and pull-update endpoints) and a real bare remote.

What an organizer who never opens a terminal can rely on:
- a good form becomes one pull request from `peernet/issue-N` that says `Closes #N`, whose
  files validate; editing the issue updates that same pull request (the branch moves);
- a bad form gets one comment naming each field to fix, and no branch; editing it again
  updates that comment rather than adding another;
- a partnership already recorded is refused with a link to its file on the base branch.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from factories import assert_one_line_error
from forge_server import git

from peernet_cli.imports.issue_flow import MARKER, NEEDS_CHANGES, OPENED
from peernet_cli.publish.issue_forms import FORMS

if TYPE_CHECKING:
    from conftest import Checkout  # fixtures: checkout, fake_forge, peernet (tests/conftest.py)
    from forge_server import FakeForge

Run = Callable[..., subprocess.CompletedProcess[str]]
SHIP = "registry/partnerships/code-for-boston--city-of-boston.yaml"
GOOD = {"brigade": "boston", "partner": "City of Boston", "partner-classification": "city-government",
        "status": "active", "kind": "project-partnership", "priorities": "- Open data",
        "source": "https://www.codeforboston.org/"}


def form_body(answers: dict[str, str], form: str = "add-partnership", crlf: bool = False) -> str:
    """The body GitHub writes for a filed form: `### Label`, a blank line, the answer (or
    `_No response_`), for each field in the form's order."""
    fields = next(f for f in FORMS if f.name == form).fields
    text = "\n\n".join(f"### {f.label}\n\n{answers.get(f.id) or '_No response_'}" for f in fields) + "\n"
    return text.replace("\n", "\r\n") if crlf else text


def file_form(forge: FakeForge, answers: dict[str, str], **kw: Any) -> int:
    return forge.file_issue("Add partnership: Code for Boston and City of Boston", form_body(answers, **kw),
                            labels=("new-partnership",))


def import_issue(peernet: Run, number: int, *args: str) -> subprocess.CompletedProcess[str]:
    return peernet("import", "issue-form", "--from-issue", str(number), *args)


def at_branch(checkout: Checkout, branch: str, rel: str) -> Any:
    return yaml.safe_load(git("--git-dir", str(checkout.bare), "show", f"{branch}:{rel}"))


def validate_branch(checkout: Checkout, branch: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`peernet validate` on the pull request's tree: a fresh clone of the branch."""
    tree = tmp_path / f"review-{branch.replace('/', '-')}"
    git("clone", "-q", "-b", branch, str(checkout.bare), str(tree))
    return subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "validate"], cwd=tree,
                          capture_output=True, text=True, timeout=120, check=False)


def open_pulls(forge: FakeForge) -> list[dict[str, Any]]:
    return forge._list_pulls({"state": "open"})


# --- a good form -----------------------------------------------------------------------------

def test_form_becomes_one_pull_request_that_closes_the_issue(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run, tmp_path: Path) -> None:
    number = file_form(fake_forge, GOOD, crlf=True)     # as a browser on Windows sends it
    result = import_issue(peernet, number)

    assert result.returncode == 0, result.stderr
    [pull] = open_pulls(fake_forge)
    branch = f"peernet/issue-{number}"
    assert result.stdout == pull["html_url"] + "\n"
    assert f"peernet: pull request opened for issue #{number}" in result.stderr
    assert pull["head"]["ref"] == branch and pull["base"]["ref"] == "main"
    assert pull["head"]["sha"] == checkout.remote_head(branch)
    assert f"Closes #{number}" in pull["body"]
    assert "new partnership code-for-boston--city-of-boston" in pull["body"]
    assert pull["title"] == "Add partnership: Code for Boston – City of Boston"
    assert at_branch(checkout, branch, SHIP)["priorities"] == ["Open data"]
    checked = validate_branch(checkout, branch, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    assert fake_forge.issue_labels(number) == ["new-partnership", OPENED]
    assert fake_forge.comments_on(number) == []         # nothing to fix, so no comment
    assert checkout.current_branch() == "main" and checkout.status() == ""


@pytest.mark.parametrize("fresh", [False, True], ids=["same-checkout", "fresh-checkout"])
def test_edited_issue_updates_the_same_pull_request(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run, tmp_path: Path, fresh: bool) -> None:
    number = file_form(fake_forge, GOOD)
    assert import_issue(peernet, number).returncode == 0
    branch = f"peernet/issue-{number}"
    first = checkout.remote_head(branch)
    if fresh:       # the workflow's checkout: the issue's branch is on the remote only
        checkout.git("branch", "-q", "-D", branch)

    fake_forge.edit_issue(number, form_body({**GOOD, "priorities": "- Open data\n- Housing"}))
    again = import_issue(peernet, number)

    assert again.returncode == 0, again.stderr
    [pull] = open_pulls(fake_forge)                     # the same pull request, not a second
    assert again.stdout == pull["html_url"] + "\n"
    assert f"peernet: pull request updated for issue #{number}" in again.stderr
    assert fake_forge.pull_edits == {pull["number"]: 1}
    moved = checkout.remote_head(branch)
    assert moved not in (None, first) and pull["head"]["sha"] == moved
    assert at_branch(checkout, branch, SHIP)["priorities"] == ["Open data", "Housing"]
    # Still one commit on top of main: the edit replaced the first, it did not pile on it.
    assert git("--git-dir", str(checkout.bare), "rev-list", "--count", f"main..{branch}") == "1"
    assert f"Closes #{number}" in pull["body"] and "partner priority: Housing" in pull["body"]
    assert validate_branch(checkout, branch, tmp_path).returncode == 0
    assert fake_forge.issue_labels(number) == ["new-partnership", OPENED]


def test_an_edit_never_pushes_over_a_maintainers_commit(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run, tmp_path: Path) -> None:
    number = file_form(fake_forge, GOOD)
    assert import_issue(peernet, number).returncode == 0
    branch = f"peernet/issue-{number}"
    work = tmp_path / "maintainer"
    git("clone", "-q", "-b", branch, str(checkout.bare), str(work))
    git("commit", "-q", "--allow-empty", "-m", "Reviewer's fix", cwd=work)
    git("push", "-q", "origin", branch, cwd=work)
    fixed = checkout.remote_head(branch)

    fake_forge.edit_issue(number, form_body({**GOOD, "priorities": "- Housing"}))
    result = import_issue(peernet, number)

    assert result.returncode == 2
    assert "someone added to its pull request" in result.stderr
    assert checkout.remote_head(branch) == fixed
    assert fake_forge.pull_edits == {}


# --- a bad form ------------------------------------------------------------------------------

BAD = {**GOOD, "brigade": "bostn", "status": "", "source": "my friend told me"}


def test_bad_form_gets_one_comment_naming_each_field_and_no_branch(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    number = file_form(fake_forge, BAD)
    result = import_issue(peernet, number)

    assert result.returncode == 1
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("peernet: error: ")]
    for label in ("Brigade:", "Status:", "Source:"):
        assert any(label in line for line in errors), result.stderr
    [comment] = fake_forge.comments_on(number)
    assert comment["body"].startswith(MARKER + "\n")
    for field in ("**Brigade**", "**Status**", "**Source**"):
        assert field in comment["body"]
    assert f"commented on issue #{number} what to fix: {comment['html_url']}" in result.stderr
    assert fake_forge.issue_labels(number) == ["new-partnership", NEEDS_CHANGES]
    assert checkout.remote_head(f"peernet/issue-{number}") is None
    assert checkout.branches() == {"main"} and fake_forge.pulls == []


def test_edited_still_bad_updates_the_comment_then_fixed_opens_the_pull_request(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    number = file_form(fake_forge, BAD)
    assert import_issue(peernet, number).returncode == 1

    fake_forge.edit_issue(number, form_body({**GOOD, "status": "sort of"}))
    still = import_issue(peernet, number)
    assert still.returncode == 1
    [comment] = fake_forge.comments_on(number)          # the same comment, edited in place
    assert comment["edits"] == 1
    assert "**Status**" in comment["body"] and "**Brigade**" not in comment["body"]

    fake_forge.edit_issue(number, form_body(GOOD))
    fixed = import_issue(peernet, number)
    assert fixed.returncode == 0, fixed.stderr
    assert len(open_pulls(fake_forge)) == 1
    [comment] = fake_forge.comments_on(number)
    assert comment["edits"] == 2 and "check out now" in comment["body"] and "**Status**" not in comment["body"]
    assert fake_forge.issue_labels(number) == ["new-partnership", OPENED]


def test_a_recorded_partnership_is_refused_with_a_link_to_it(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    rel = "registry/partnerships/code-for-boston--greater-mattapan-neighborhood-council.yaml"
    number = file_form(fake_forge, {**GOOD, "partner": "Greater Mattapan Neighborhood Council",
                                    "partner-classification": ""})
    result = import_issue(peernet, number)

    assert result.returncode == 1
    assert "already recorded" in result.stderr
    [comment] = fake_forge.comments_on(number)
    assert f"({fake_forge.url}/network/registry/blob/main/{rel})" in comment["body"]
    assert checkout.remote_head(f"peernet/issue-{number}") is None and fake_forge.pulls == []


def test_hostile_text_stays_text(checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    marker = checkout.root / "pwned"
    number = file_form(fake_forge, {**BAD, "brigade": "<script>alert(1)</script> $(touch pwned) `touch pwned`"})
    result = import_issue(peernet, number)

    assert result.returncode == 1
    [comment] = fake_forge.comments_on(number)
    assert "<script>" not in comment["body"] and "**Brigade**" in comment["body"]
    assert not marker.exists() and not (Path.cwd() / "pwned").exists()


# --- what is not a form's issue --------------------------------------------------------------

def test_not_a_form_gets_a_comment(checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    number = fake_forge.file_issue("Hello", "Just wanted to say hi!\n", labels=("new-partnership",))
    result = import_issue(peernet, number)
    assert result.returncode == 1
    [comment] = fake_forge.comments_on(number)
    assert "not the body of one of the registry's issue forms" in comment["body"]


@pytest.mark.parametrize("what", ["closed", "pull request", "missing"])
def test_only_an_open_issue_is_imported(checkout: Checkout, fake_forge: FakeForge, peernet: Run, what: str) -> None:
    number = file_form(fake_forge, GOOD)
    if what == "closed":
        fake_forge.issues[number]["state"] = "closed"
    elif what == "pull request":
        git("push", "-q", "origin", "main:refs/heads/some-branch", cwd=checkout.root)
        fake_forge.pulls.append({"number": 99, "id": 1099, "state": "open", "title": "t", "body": "",
                                 "user": {"login": "x"}, "html_url": "h", "url": "u",
                                 "head": {"ref": "some-branch", "label": "network:some-branch", "sha": ""}})
        number = 99
    else:
        number = 12345
    result = import_issue(peernet, number)
    assert result.returncode == 2, result.stderr
    said = {"closed": "reopen it", "pull request": "is a pull request", "missing": "no such issue"}[what]
    assert said in result.stderr
    assert fake_forge.comments == [] and len(fake_forge.pulls) == (1 if what == "pull request" else 0)


def test_dry_run_from_an_issue_reads_it_and_changes_nothing(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    number = file_form(fake_forge, GOOD)
    result = import_issue(peernet, number, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"+++ b/{SHIP}" in result.stdout
    assert [r.method for r in fake_forge.received] == ["GET"]
    assert fake_forge.comments == [] and fake_forge.pulls == [] and checkout.branches() == {"main"}


def test_a_body_comes_from_a_file_or_an_issue_not_both(checkout: Checkout, fake_forge: FakeForge,
                                                       peernet: Run) -> None:
    for args in (["body.md", "--from-issue", "1"], []):
        assert_one_line_error(peernet("import", "issue-form", *args), 2, "--from-issue N; not both")
    assert fake_forge.received == []
