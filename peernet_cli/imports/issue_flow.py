"""An issue filed with one of the registry's forms, carried through: its body read through the
forge's API, its answers made into a change (imports/issue_form.py) and then either proposed
as one pull request that closes the issue (change/issue_pr.py), or answered with one comment
that lists what to fix, field by field. Each outcome puts its label on the issue and takes the
other's off; an edited issue goes through again and updates the same pull request, or the same
comment (found by a hidden marker), never a second one.

The body only ever travels as data (the API's JSON, then Python strings): no shell sees it.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from peernet_cli.change import forge as forges
from peernet_cli.change.issue_pr import propose_for_issue
from peernet_cli.change.propose import Note
from peernet_cli.errors import InvalidDataError, UsageError
from peernet_cli.imports.issue_form import (
    FormProblem,
    FormProblems,
    change_for,
    parse_body,
    problems_markdown,
)
from peernet_cli.registry.git import check_branch, check_remote, find_repo
from peernet_cli.registry.loader import load

MARKER = "<!-- peernet:issue-form -->"
OPENED = "peernet: pull request opened"
NEEDS_CHANGES = "peernet: needs changes"


@dataclass(frozen=True)
class IssueOutcome:
    state: str                          # "opened", "updated" (the pull request) or "needs-changes"
    url: str                            # the pull request's page, or the comment's
    problems: list[FormProblem] = field(default_factory=list)


def read_issue_body(root: Path, number: int, remote: str = "origin") -> str:
    """Issue #number's body, read through the API of the forge `remote` is on."""
    return _forge(root, remote).issue(number).body


def carry_issue(root: Path, number: int, today: date, remote: str = "origin", base: str | None = None,
                note: Note = lambda _: None) -> IssueOutcome:
    """Read issue #number, then open or update its pull request, or comment what to fix."""
    if base is not None:
        check_branch(base)
    forge = _forge(root, remote)
    issue = forge.issue(number)
    if issue.state != "open":
        raise UsageError(f"issue #{number} is {issue.state}; reopen it to have its form imported")
    try:
        build = change_for(load(root), parse_body(issue.body), today)
    except FormProblems as exc:
        return _needs_changes(forge, issue, exc.problems, base)
    except UsageError as exc:       # not a form's body, or too long for one
        return _needs_changes(forge, issue, [FormProblem(None, exc.message)], base)
    try:
        proposal = propose_for_issue(root, build, today, number, forge, remote, base, note)
    except InvalidDataError as exc:
        # Checked again under the change lock, the change no longer fits (the registry changed
        # meanwhile): the author is told like any other problem, so exit 1 always means a comment.
        return _needs_changes(forge, issue, [FormProblem(None, str(exc))], base)
    forge.set_labels(number, issue.labels, OPENED, (NEEDS_CHANGES,))
    if forge.find_comment(number, MARKER) is not None:
        # The list of what to fix would be stale: say instead that it is all fixed.
        forge.upsert_comment(number, MARKER, f"Thank you: the answers check out now, and pull request "
                             f"#{proposal.number} proposes the change for a maintainer to review.\n")
    return IssueOutcome("updated" if proposal.updated else "opened", proposal.url)


def _needs_changes(forge: forges.Forge, issue: forges.Issue, problems: list[FormProblem],
                   base: str | None) -> IssueOutcome:
    """One comment (made, or edited in place) naming each field to fix; a record that already
    exists is linked on the base branch. No branch is made."""
    blob = f"{forge.repo_web_url()}/blob/{urllib.parse.quote(base or forge.default_branch(), safe='')}/"

    def file_url(rel: str) -> str:
        return blob + urllib.parse.quote(rel)

    comment = forge.upsert_comment(issue.number, MARKER, problems_markdown(problems, file_url))
    forge.set_labels(issue.number, issue.labels, NEEDS_CHANGES, (OPENED,))
    return IssueOutcome("needs-changes", str(comment.get("html_url") or ""), problems)


def _forge(root: Path, remote: str) -> forges.Forge:
    repo = find_repo(root)
    if repo is None:
        raise UsageError(f"{root} is not in a git checkout, so no issue can be imported into a pull "
                         "request; save the issue's body to a file and use: peernet import issue-form FILE --no-pr")
    return forges.configure(repo.remote_url(check_remote(remote)))
