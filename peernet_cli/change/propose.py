"""Carrying out a change: print it (dry run), write it (no PR), or propose it as a pull
request: one commit of only its files on a new branch, pushed, and a PR opened.

A change is built, checked and written (or committed) while holding the change lock
(changelock.py), from the registry as it is once the lock is held: of two runs adding the
same record at once exactly one does, and the other is told that the record now exists, or is
already proposed on a branch. First the lock's holder deals with what an interrupted run left:
temporary files under registry/ are removed (and named), a `.git/index.lock` is reported with
the command that removes it, and nothing else is done.

A proposal is committed without touching the contributor's checkout (vcs.Repo.commit_files):
their branch stays checked out and their files untouched throughout, even if peernet is killed.
If the push or the PR fails, the commit stays on its branch and the error says how to retry
(`peernet submit BRANCH`); once the push has succeeded, it says that the branch is pushed and
only its pull request is left to open (a remote that is not GitHub, no token, a forge error).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from peernet_cli.change.changeset import ChangeSet, verify
from peernet_cli.change.lock import LOCK_NAME, ChangeLock, Interrupted, remove_leftovers
from peernet_cli.errors import PeernetError, UsageError
from peernet_cli.registry import yamlio
from peernet_cli.registry.git import Repo, check_branch, check_remote, find_repo
from peernet_cli.registry.loader import Registry, load
from peernet_cli.registry.sources import DATA_DIR
from peernet_cli.safetext import inert

Build = Callable[[Registry], ChangeSet]
Note = Callable[[str], None]
BRANCH_PREFIX = "peernet/"


@dataclass(frozen=True)
class Outcome:
    written: list[str]      # paths relative to the registry root


@dataclass(frozen=True)
class Proposal:
    branch: str
    commit: str
    url: str                # the pull request's web page


def preview(root: Path, build: Build, today: date) -> str:
    """The change's diff, checked like a real one; nothing is written and nothing locked."""
    reg = load(root)
    cs = build(reg)
    verify(reg, cs, today)
    return cs.diff(reg)


def write_only(root: Path, build: Build, today: date, note: Note) -> Outcome:
    """Write the files atomically and stage them when the registry is in a git checkout."""
    repo = find_repo(root)
    with _change_lock(root, repo, note) as lock:
        reg, cs, _ = _build(root, build, today, lock)
        rels = [reg.relpath(c.path) for c in cs.changes]
        lock.step("writing", rels)
        for change in cs.changes:
            yamlio.write_atomic(change.path, change.after)
        if repo is not None:
            lock.step("staging", rels)
            repo.stage([c.path for c in cs.changes])
    return Outcome(rels)


def commit_on_branch(root: Path, build: Build, today: date, remote: str = "origin",
                     base: str | None = None, note: Note = lambda _: None,
                     branch: str | None = None) -> tuple[Repo, str, str]:
    """Commit the change on a new branch that starts from the remote's base branch (so the
    contributor's own unpushed commits never travel with it), leaving their checkout as it is.
    `branch` names it (an issue's: an earlier commit of this name is replaced, as the issue
    was edited); else it is named for the change. Returns (repo, branch, commit)."""
    check_remote(remote)
    if base is not None:
        check_branch(base)
    repo = find_repo(root)
    if repo is None:
        raise UsageError(f"{root} is not in a git checkout, so no pull request can be made; "
                         "use --no-pr to only write the files")
    original = repo.current_branch()
    repo.fetch_base(remote, base)       # the network, before the lock: it may take a while
    with _change_lock(root, repo, note) as lock:
        _, cs, checked = _build(root, build, today, lock)
        _preflight(repo, cs)
        start, label = repo.start_point(remote, base, original)
        with _context(lock):
            _not_proposed_yet(repo, cs, start, label, own=branch)
        if branch is None:
            branch = repo.unique_branch(cs.branch)
        else:
            _drop_own_branch(repo, branch)
        lock.step("committing", [branch])
        files = [(repo.rel(c.path), c.after.encode("utf-8")) for c in cs.changes]
        try:
            commit = repo.commit_files(start, files, cs.commit_message(checked), branch)
        except UsageError as exc:
            exc.message = f"{exc.message}; nothing was committed and your checkout is unchanged"
            raise
    return repo, branch, commit


def submit(repo: Repo, branch: str, remote: str, base: str | None) -> str:
    """Push branch and open (or find) its pull request; returns the PR's web URL."""
    from peernet_cli.change import forge as forges

    check_branch(branch, "branch")
    check_remote(remote)
    if base is not None:
        check_branch(base)
    retry = f"your change is safe on branch {branch}; fix the problem and run: peernet submit {branch}"
    try:
        url = repo.remote_url(remote)
        repo.push(remote, branch)
        # From here the branch is published: an error must say so, or the contributor pushes
        # again, or gives up on a change that only lacks its pull request.
        retry = (f"Branch {branch} is pushed to {remote}; what is left is its pull request: open one "
                 f"from {branch} on the forge's web page, or fix the problem and run: peernet submit {branch}")
        forge = forges.configure(url)
        title, body = title_body(repo, branch)
        existing = forge.find_open_pull(branch)
        if existing:
            return str(existing.get("html_url"))
        pull = forge.open_pull(branch, base or forge.default_branch(), title, body)
        return str(pull.get("html_url"))
    except UsageError as exc:
        exc.message = f"{exc.message}. {retry}"
        raise


def pull_request(root: Path, build: Build, today: date, remote: str = "origin", base: str | None = None,
                 note: Note = lambda _: None) -> Proposal:
    """The whole proposal: the change built, checked and committed on its own branch
    (commit_on_branch), then pushed and its pull request opened (submit). The commit is noted
    before the push, so a failed push or PR still tells where the change is."""
    repo, branch, commit = commit_on_branch(root, build, today, remote, base, note)
    note(f"peernet: committed {commit[:10]} on branch {branch}; your branch is unchanged")
    return Proposal(branch, commit, submit(repo, branch, remote, base))


# --- the lock and what an interrupted run left --------------------------------------------------

@contextmanager
def change_lock(root: Path, note: Note = lambda _: None) -> Iterator[ChangeLock]:
    """The change lock, for every other command that writes under registry/ (fmt, import):
    holding it, no change runs meanwhile, and its temporary files are safe from the clean-up.
    Call lock.step("rewriting", rels) before writing (not "writing": that step's files are
    staged by the next run if this one is killed)."""
    with _change_lock(root, find_repo(root), note, uses_index=False) as lock:
        yield lock


@contextmanager
def _change_lock(root: Path, repo: Repo | None, note: Note, uses_index: bool = True) -> Iterator[ChangeLock]:
    path = repo.common_dir() / LOCK_NAME if repo is not None else root / DATA_DIR / f".{LOCK_NAME}"
    with ChangeLock(path) as lock:
        if repo is not None:
            repo.keep_fds.append(lock.fd)
        try:
            earlier = lock.interrupted()
            if repo is not None and uses_index:
                try:
                    _refuse_index_lock(repo, earlier)
                except UsageError:
                    lock.keep_previous()    # so the next run still knows, and says, what happened
                    raise
            if repo is not None:
                for private in repo.git_dir().glob("peernet-index-*"):     # commit_files' own
                    private.unlink(missing_ok=True)
            removed = [p.relative_to(root).as_posix() for p in remove_leftovers(root)]
            if removed:
                note(f"peernet: removed {len(removed)} temporary file(s) an interrupted write left: "
                     f"{', '.join(removed)}")
            if earlier is not None:
                _finish(root, repo, earlier, note)
            yield lock
        finally:
            if repo is not None:
                repo.keep_fds.remove(lock.fd)


def _finish(root: Path, repo: Repo | None, earlier: Interrupted, note: Note) -> None:
    """Say what an interrupted run left, and finish what it can be trusted to have done: the
    files of a write are each complete or absent (atomic), so those there are staged, as that
    run would have."""
    who = f"an earlier peernet run (process {earlier.pid}) was interrupted"
    if earlier.step == "committing" and earlier.files and repo is not None:
        branch = earlier.files[0]
        # Its update-ref's lock on the new branch, if that died holding it (it held this lock too).
        (repo.common_dir() / "refs" / "heads" / f"{check_branch(branch, 'branch')}.lock").unlink(missing_ok=True)
        note(f"peernet: {who} while committing; if 'git branch' lists {branch}, the change is on it "
             f"and 'peernet submit {branch}' proposes it")
    elif earlier.step in ("writing", "staging"):
        data = (root / DATA_DIR).resolve()
        there = [root / rel for rel in earlier.files if (root / rel).is_file()
                 and not (root / rel).is_symlink() and (root / rel).resolve().is_relative_to(data)]
        unstaged = repo.unstaged(there) if repo is not None and there else []
        if repo is not None and unstaged:
            repo.stage(unstaged)
            note(f"peernet: {who} while writing; staged the file(s) it had written, each complete: "
                 f"{', '.join(p.relative_to(root).as_posix() for p in unstaged)}")
        elif repo is None and there:
            note(f"peernet: {who} while writing; the file(s) it had written are complete: "
                 f"{', '.join(p.relative_to(root).as_posix() for p in there)}")
    elif earlier.step != "started":
        note(f"peernet: {who} while {earlier.step}; each file it wrote is complete or absent: check "
             f"them with '{'git status' if repo is not None else 'peernet validate'}'")


def _refuse_index_lock(repo: Repo, earlier: Interrupted | None) -> None:
    """git refuses to stage or commit while .git/index.lock exists; say so before anything."""
    index_lock = repo.index_lock()
    if not index_lock.exists():
        return
    if earlier is not None:
        said = (f"is left from an interrupted git command: an earlier peernet run (process {earlier.pid}) "
                "was interrupted, and no git command of that run is still running; if no other git "
                "command is running")
    else:
        said = ("exists: another git command is running in this checkout, or one was interrupted and "
                "left it; if no git command is running")
    raise UsageError(f"{index_lock} {said}, remove it: rm {shlex.quote(str(index_lock))}")


def _build(root: Path, build: Build, today: date, lock: ChangeLock) -> tuple[Registry, ChangeSet, int]:
    """The change, built and checked from the registry as it is now that the lock is held."""
    reg = load(root)
    with _context(lock):
        cs = build(reg)
        checked = verify(reg, cs, today)
    return reg, cs, checked


@contextmanager
def _context(lock: ChangeLock) -> Iterator[None]:
    """A refusal made after waiting for another run says that the registry changed meanwhile."""
    try:
        yield
    except PeernetError as exc:
        if lock.waited:
            exc.message = (f"{exc.message} (another peernet run changed the registry while this one "
                           "waited for it)")
        raise


# --- checks before a proposal -------------------------------------------------------------------

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


def _drop_own_branch(repo: Repo, branch: str) -> None:
    """A named branch (an issue's) is made again from the base on each edit of the issue, so
    an earlier one is deleted first (commit_files only makes new branches). Killed in between,
    the branch is gone from this checkout only: the remote keeps it until the next push."""
    if not repo.branch_exists(check_branch(branch, "branch")):
        return
    if repo.current_branch() == branch:
        raise UsageError(f"branch {branch} is checked out, and peernet makes it again from the base; "
                         "switch to another branch (git switch main) and run this again")
    repo.git("update-ref", "-d", f"refs/heads/{branch}")


def _not_proposed_yet(repo: Repo, cs: ChangeSet, start: str, label: str, own: str | None = None) -> None:
    """The change applies to `start` (the commit the branch starts from, `label` its name) as it
    does to the working tree: a new file is neither there already nor on another peernet/
    branch (another run's proposal, made while this one waited, or an earlier one's; `own`, the
    branch this change replaces, is not another), and an edited file there is exactly the text
    the edit was made from."""
    new = [repo.rel(c.path) for c in cs.changes if c.before is None]
    edited = [(repo.rel(c.path), c.before) for c in cs.changes if c.before is not None]
    branches = [b for b in repo.branches(BRANCH_PREFIX) if b != own]
    found = repo.files_at([f"{start}:{rel}" for rel in new + [rel for rel, _ in edited]]
                          + [f"refs/heads/{b}:{rel}" for b in branches for rel in new])
    for rel in new:
        if found[f"{start}:{rel}"] is not None:
            raise UsageError(f"{rel} already exists on {label}, where the pull request would go; bring "
                             "your branch up to date (git pull) and edit it with 'update' instead of 'add'")
        holder = next((b for b in branches if found[f"refs/heads/{b}:{rel}"] is not None), None)
        if holder is not None:
            raise UsageError(f"{rel} is already proposed on branch {holder} (by another peernet run, or "
                             f"an earlier one); open its pull request with 'peernet submit {holder}', or "
                             f"delete that branch (git branch -D {holder}) to propose it again")
    for rel, before in edited:
        there = found[f"{start}:{rel}"]
        if there is None:
            raise UsageError(f"{rel} is not on {label}, where the pull request would go; push the "
                             "commit that adds it first, or use --no-pr")
        if there.decode("utf-8", "replace").replace("\r\n", "\n") != (before or "").replace("\r\n", "\n"):
            raise UsageError(f"{rel} differs from its copy on {label}, where the pull request would go, "
                             "so the edit would carry changes that are not published; bring your branch "
                             "up to date with it (git pull), or use --no-pr")


def title_body(repo: Repo, branch: str, footer: str | None = None) -> tuple[str, str]:
    """The pull request's title and body from the branch's commit (peernet's, or a retry's of
    any commit): the title made inert, the body quoted as text (forge.pull_request_body), then
    `footer` (ours, so not made inert: it may say `Closes #N`)."""
    from peernet_cli.change.forge import FOOTER, pull_request_body

    message = repo.message(branch).strip()
    title, _, body = message.partition("\n")
    return inert(title.strip()) or branch, pull_request_body(body, footer or FOOTER)
