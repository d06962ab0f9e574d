"""Proposing the change an issue asked for: one branch per issue (`peernet/issue-N`), made again
from the base each time the issue is edited and pushed over the earlier one, and one pull
request that closes the issue, updated in place rather than opened a second time.

The push replaces the branch only if it holds what peernet put there: `--force-with-lease`
against the commit the remote had when this run looked, and a refusal when anyone added a
commit to it (a maintainer's fix on the pull request is never thrown away by an edit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from peernet_cli.change.forge import FOOTER, Forge
from peernet_cli.change.propose import BRANCH_PREFIX, Build, Note, commit_on_branch, title_body
from peernet_cli.errors import UsageError
from peernet_cli.registry.git import Repo, check_branch, check_remote


@dataclass(frozen=True)
class IssueProposal:
    branch: str
    commit: str
    url: str            # the pull request's web page
    number: int         # the pull request's
    updated: bool       # an open pull request was updated (the issue was edited), not opened


def issue_branch(number: int) -> str:
    return f"{BRANCH_PREFIX}issue-{int(number)}"


def propose_for_issue(root: Path, build: Build, today: date, issue: int, forge: Forge,
                      remote: str = "origin", base: str | None = None,
                      note: Note = lambda _: None) -> IssueProposal:
    """Commit the change on the issue's branch, push it (replacing an earlier push for the
    same issue), and open its pull request, or update the one already open."""
    branch = issue_branch(issue)
    repo, branch, commit = commit_on_branch(root, build, today, remote, base, note, branch=branch)
    note(f"peernet: committed {commit[:10]} on branch {branch}")
    lease = _remote_tip(repo, remote, branch)
    if lease:
        _only_ours(repo, remote, branch, lease, commit)
    ref = f"refs/heads/{branch}"
    repo.git("push", "--quiet", f"--force-with-lease={ref}:{lease}", "--", remote, f"{ref}:{ref}")
    try:
        title, body = title_body(repo, branch, f"Closes #{int(issue)}\n\n{FOOTER}")
        existing = forge.find_open_pull(branch)
        if existing is not None and isinstance(existing.get("number"), int):
            pull = forge.update_pull(existing["number"], title, body)
        else:
            pull = forge.open_pull(branch, base or forge.default_branch(), title, body)
    except UsageError as exc:
        exc.message = (f"{exc.message}. Branch {branch} is pushed; what is left is its pull request: "
                       "run this again, or open one from that branch on the forge's web page")
        raise
    return IssueProposal(branch, commit, str(pull.get("html_url")), int(pull.get("number") or 0),
                         existing is not None)


def _remote_tip(repo: Repo, remote: str, branch: str) -> str:
    """The commit `branch` is at on the remote now, '' when the remote has no such branch."""
    ref = f"refs/heads/{check_branch(branch, 'branch')}"
    out = repo.git("ls-remote", "--", check_remote(remote), ref).stdout
    return next((line.split("\t")[0] for line in out.splitlines() if line.endswith(f"\t{ref}")), "")


def _only_ours(repo: Repo, remote: str, branch: str, tip: str, commit: str) -> None:
    """The remote branch is one commit on top of a base (peernet's earlier one for this issue):
    anything more was added by someone, and is not pushed over."""
    ref = f"refs/heads/{branch}"
    repo.git("fetch", "--quiet", "--", remote, f"+{ref}:refs/remotes/{remote}/{branch}")
    extra = int(repo.git("rev-list", "--count", f"{commit}^..{tip}").stdout.strip() or 0)
    if extra > 1:
        raise UsageError(f"branch {branch} on {remote} has {extra} commits where peernet made one: someone "
                         "added to its pull request, so the edited issue was not pushed over it; carry the "
                         f"edit into that pull request by hand, or delete the branch ({branch}) to have "
                         "peernet make it again")
