"""Carrying out a ChangeSet: print it (dry run), write it (no PR), or propose it as a pull
request: a branch with one commit of only its files, pushed, and a PR opened.

If the push or the PR fails, the commit stays on its branch, the user's branch is restored,
and the error says how to retry (`peernet submit BRANCH`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import yamlio
from .changes import ChangeSet
from .errors import UsageError
from .registry import Registry
from .vcs import Repo, find_repo


@dataclass(frozen=True)
class Outcome:
    written: list[Path]
    branch: str | None = None
    commit: str | None = None


def write_only(reg: Registry, cs: ChangeSet) -> Outcome:
    """Write the files atomically and stage them when the registry is in a git checkout."""
    for change in cs.changes:
        yamlio.write_atomic(change.path, change.after)
    repo = find_repo(reg.root)
    paths = [c.path for c in cs.changes]
    if repo is not None:
        repo.stage(paths)
    return Outcome(paths)


def _preflight(repo: Repo, cs: ChangeSet) -> None:
    dirty = repo.dirty()
    if dirty:
        shown = ", ".join(dirty[:3]) + (" …" if len(dirty) > 3 else "")
        raise UsageError(f"uncommitted changes in {shown}; commit or stash them first so they do not "
                         "mix with this change (or use --no-pr to only write the files)")
    stray = repo.untracked([c.path for c in cs.changes if c.before is None])
    if stray:
        raise UsageError(f"{stray[0]} exists but is not committed; move it away or commit it first")
    if repo.git("var", "GIT_COMMITTER_IDENT", check=False).returncode != 0:
        raise UsageError("git does not know who you are; run git config --global user.name 'Your Name' "
                         "and git config --global user.email you@example.org")


def commit_on_branch(reg: Registry, cs: ChangeSet, message: str, remote: str = "origin",
                     base: str | None = None) -> tuple[Repo, str, str]:
    """Commit the change on a new branch that starts from the remote's base branch (so the
    user's own unpushed commits never travel with it), then return to the user's branch.
    Returns (repo, branch, commit)."""
    repo = find_repo(reg.root)
    if repo is None:
        raise UsageError(f"{reg.root} is not in a git checkout, so no pull request can be made; "
                         "use --no-pr to only write the files")
    _preflight(repo, cs)
    original = repo.current_branch()
    start = repo.head()
    branch = repo.unique_branch(cs.branch)
    repo.switch_new(branch, repo.start_point(remote, base, original))
    for change in cs.changes:
        yamlio.write_atomic(change.path, change.after)
    try:
        commit = repo.commit_paths([c.path for c in cs.changes], message)
    except UsageError as exc:
        # Back to the user's branch with the files left in the working tree (nothing typed
        # is lost), and no empty branch behind.
        _return(repo, original, start)
        repo.git("branch", "-D", branch, check=False)
        exc.message = f"{exc.message}; nothing was committed, the files are left in your working tree"
        raise
    _return(repo, original, start)
    return repo, branch, commit


def _return(repo: Repo, original: str | None, start: str) -> None:
    if original:
        repo.switch(original)
    else:
        repo.detach(start)


def submit(repo: Repo, branch: str, remote: str, base: str | None) -> str:
    """Push branch and open (or find) its pull request; returns the PR's web URL."""
    from . import forge as forges

    retry = f"your change is safe on branch {branch}; fix the problem and run: peernet submit {branch}"
    try:
        url = repo.remote_url(remote)
        repo.push(remote, branch)
        forge = forges.configure(url)
        title, body = _title_body(repo, branch)
        existing = forge.find_open_pull(branch)
        if existing:
            return str(existing.get("html_url"))
        pull = forge.open_pull(branch, base or forge.default_branch(), title, body)
        return str(pull.get("html_url"))
    except UsageError as exc:
        exc.message = f"{exc.message}. {retry}"
        raise


def _title_body(repo: Repo, branch: str) -> tuple[str, str]:
    message = repo.git("log", "-1", "--format=%B", branch).stdout.strip()
    title, _, body = message.partition("\n")
    return title.strip(), (body.strip() + "\n\nProposed with peernet.").strip()
