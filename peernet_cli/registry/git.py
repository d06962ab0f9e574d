"""Git, behind one small interface: the steps of proposing a change on a branch.

A value the user typed never reaches git as an option: a remote or branch name is checked
first (`check_remote`, `check_branch`: a valid ref name that does not start with '-', as
`git check-ref-format` sees it), and positional values follow `--` wherever git accepts it.
A proposal is committed with git's plumbing (a private index, `commit-tree`, `update-ref`), so
the user's checkout, index and branch are never touched, and a run killed at any moment
leaves at most unreachable objects behind.

Every git failure becomes a PeernetError naming what to do; nothing here prints.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from peernet_cli.errors import UsageError
from peernet_cli.safetext import one_line


class GitError(UsageError):
    pass


_OBJECT_TYPES = (b"blob", b"tree", b"commit", b"tag")


def _run(args: list[str], input: bytes | None = None, env: dict[str, str] | None = None,
         keep_fds: tuple[int, ...] = ()) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], input=input, capture_output=True, timeout=120, env=env,
                              pass_fds=keep_fds, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed; install git or use --no-pr") from None
    except subprocess.TimeoutExpired:
        command = args[2] if args[0] == "-C" else args[0]
        raise GitError(f"'git {command}' took longer than 120 s; check the remote and retry") from None


def _valid_ref(ref: str) -> bool:
    return _run(["check-ref-format", ref]).returncode == 0


def check_branch(name: str, flag: str = "--base") -> str:
    """`name` if it is a branch name git accepts; never one starting with '-' (an option)."""
    if not name or name.startswith("-") or not _valid_ref(f"refs/heads/{name}"):
        raise UsageError(f"{flag} '{one_line(name)}' is not a branch name; give one such as main")
    return name


def check_remote(name: str) -> str:
    """`name` if it can be a remote's name (git's own rule: refs/remotes/NAME/x is a valid ref);
    never a URL, a path or something starting with '-' (an option)."""
    if not name or name.startswith("-") or not _valid_ref(f"refs/remotes/{name}/x"):
        raise UsageError(f"--remote '{one_line(name)}' is not the name of a remote; give one that "
                         "'git remote' lists, such as origin")
    return name


@dataclass(frozen=True)
class Repo:
    top: Path
    # Descriptors every git command inherits (the change lock's): while an orphaned git child
    # of a killed peernet still runs, the lock stays held. Mutable on purpose.
    keep_fds: list[int] = field(default_factory=list, compare=False)

    def run(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None,
            check: bool = True) -> subprocess.CompletedProcess[bytes]:
        done = _run(["-C", str(self.top), *args], input, env, tuple(self.keep_fds))
        if check and done.returncode != 0:
            reason = _reason(done.stderr.decode(errors="replace") or done.stdout.decode(errors="replace"))
            raise GitError(f"'git {' '.join(args[:2])}' failed: {reason}")
        return done

    def git(self, *args: str, check: bool = True, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        done = self.run(*args, input=input.encode() if input is not None else None, env=env, check=check)
        return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(errors="replace"),
                                           done.stderr.decode(errors="replace"))

    def current_branch(self) -> str | None:
        """The checked-out branch, or None on a detached HEAD."""
        done = self.git("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return done.stdout.strip() or None

    def head(self) -> str:
        return self.git("rev-parse", "--verify", "HEAD^{commit}").stdout.strip()

    def git_dir(self) -> Path:
        """This work tree's git directory (where its index and index.lock are)."""
        return Path(self.git("rev-parse", "--absolute-git-dir").stdout.strip())

    def index_lock(self) -> Path:
        return self.git_dir() / "index.lock"

    def common_dir(self) -> Path:
        """The git directory shared by every work tree of the repository (branches live there)."""
        return (self.top / self.git("rev-parse", "--git-common-dir").stdout.strip()).resolve()

    def dirty(self) -> list[str]:
        """Tracked files with uncommitted (staged or unstaged) changes."""
        out = self.git("status", "--porcelain", "--untracked-files=no").stdout
        return [line[3:] for line in out.splitlines() if line.strip()]

    def untracked(self, paths: list[Path]) -> list[str]:
        rels = [self.rel(p) for p in paths]
        out = self.git("status", "--porcelain", "--untracked-files=all", "--", *rels).stdout
        return [line[3:] for line in out.splitlines() if line.startswith("??")]

    def unstaged(self, paths: list[Path]) -> list[Path]:
        """Those of `paths` with changes that are not staged (edited, or new and untracked)."""
        by_rel = {self.rel(p): p for p in paths}
        out = self.git("status", "--porcelain", "--untracked-files=all", "--", *by_rel).stdout
        return [by_rel[line[3:]] for line in out.splitlines() if line[1:2] not in ("", " ") and line[3:] in by_rel]

    def branch_exists(self, name: str) -> bool:
        return self.git("rev-parse", "--verify", "--quiet", f"refs/heads/{name}", check=False).returncode == 0

    def branches(self, prefix: str) -> list[str]:
        """Local branches whose name starts with `prefix` (e.g. 'peernet/')."""
        out = self.git("for-each-ref", "--format=%(refname:strip=2)", f"refs/heads/{prefix}").stdout
        return out.split()

    def unique_branch(self, name: str) -> str:
        candidate, n = name, 2
        while self.branch_exists(candidate):
            candidate, n = f"{name}-{n}", n + 1
        return candidate

    def remotes(self) -> list[str]:
        return self.git("remote").stdout.split()

    def fetch_base(self, remote: str, base: str | None) -> None:
        """Bring the remote's copy of the base branch up to date when the network allows (a
        failure is not an error: start_point then uses the last known copy)."""
        if base and remote in self.remotes():
            self.git("fetch", "--quiet", "--", check_remote(remote), check_branch(base), check=False)

    def start_point(self, remote: str, base: str | None, current: str | None) -> tuple[str, str]:
        """Where a proposal branch starts, as (commit, name): the remote's copy of the base
        branch, else of its default branch, else of the current branch, else HEAD."""
        candidates = [f"{remote}/{base}"] if base else []
        candidates.append(f"{remote}/HEAD")
        if current:
            candidates.append(f"{remote}/{current}")
        for name in candidates:
            done = self.git("rev-parse", "--verify", "--quiet", f"refs/remotes/{name}^{{commit}}", check=False)
            if done.returncode == 0:
                return done.stdout.strip(), name
        return self.head(), "HEAD"

    def files_at(self, specs: list[str]) -> dict[str, bytes | None]:
        """The content of each `REV:PATH` in `specs` (None where there is no such file), read
        with one `git cat-file --batch`."""
        if not specs:
            return {}
        if any("\n" in spec for spec in specs):
            raise GitError("a path with a line break cannot be looked up in git")
        out = self.run("cat-file", "--batch", input="".join(f"{s}\n" for s in specs).encode()).stdout
        found: dict[str, bytes | None] = {}
        pos = 0
        for spec in specs:
            end = out.index(b"\n", pos)
            header = out[pos:end].split(b" ")
            pos = end + 1
            # "<oid> <type> <size>" and the content follow, else "<spec> missing" (or ambiguous).
            if len(header) == 3 and header[1] in _OBJECT_TYPES and header[2].isdigit():
                size = int(header[2])
                found[spec] = out[pos:pos + size] if header[1] == b"blob" else None
                pos += size + 1
            else:
                found[spec] = None
        return found

    def commit_files(self, parent: str, files: list[tuple[str, bytes]], message: str, branch: str) -> str:
        """One commit on top of `parent` that sets `files` (path relative to the work tree,
        content), made into the new branch `branch` (refused if it exists). The work tree, the
        index and HEAD are left as they are. Returns the commit."""
        check_branch(branch, "branch")
        index = self.git_dir() / f"peernet-index-{os.getpid()}"
        env = {**os.environ, "GIT_INDEX_FILE": str(index)}
        try:
            self.git("read-tree", parent, env=env)
            entries = []
            for rel, data in files:
                if "\n" in rel or "\t" in rel:
                    raise GitError(f"cannot commit '{one_line(rel)}': a path with a tab or line break")
                blob = self.run("hash-object", "-w", "--stdin", f"--path={rel}", input=data).stdout.decode().strip()
                entries.append(f"100644 {blob}\t{rel}\n")
            self.git("update-index", "--index-info", input="".join(entries), env=env)
            tree = self.git("write-tree", env=env).stdout.strip()
            # commit-tree signs only when asked; `git commit` would have signed by this setting.
            sign = self.git("config", "--type=bool", "commit.gpgSign", check=False).stdout.strip() == "true"
            commit = self.git("commit-tree", *(["-S"] if sign else []), tree, "-p", parent, "-F", "-",
                              input=message).stdout.strip()
            # An empty old value: create the branch, or fail if another run made it meanwhile.
            self.git("update-ref", "-m", "peernet: propose a change", f"refs/heads/{branch}", commit, "")
        finally:
            index.unlink(missing_ok=True)
            index.with_name(index.name + ".lock").unlink(missing_ok=True)
        return commit

    def stage(self, paths: list[Path]) -> None:
        self.git("add", "--", *[self.rel(p) for p in paths])

    def message(self, branch: str) -> str:
        """The message of the commit at the tip of `branch`."""
        return self.git("log", "-1", "--format=%B", f"refs/heads/{check_branch(branch, 'branch')}", "--").stdout

    def push(self, remote: str, branch: str) -> None:
        ref = f"refs/heads/{check_branch(branch, 'branch')}"
        self.git("push", "--quiet", "--set-upstream", "--", check_remote(remote), f"{ref}:{ref}")

    def remote_url(self, remote: str) -> str:
        done = self.git("remote", "get-url", "--", check_remote(remote), check=False)
        if done.returncode != 0:
            raise GitError(f"this repository has no remote named '{remote}'; add it with "
                           f"'git remote add {remote} URL' or pass --remote NAME")
        return done.stdout.strip()

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.top).as_posix()


def _reason(output: str) -> str:
    """git's own words for a failure: its fatal:/error: line(s), else its last line."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    key = [line for line in lines if line.startswith(("fatal:", "error:"))]
    chosen = " ".join(key[:2]) if key else (lines[-1] if lines else "no output")
    return one_line(chosen.rstrip("."))


def find_repo(path: Path) -> Repo | None:
    """The git work tree containing path, or None when it is not in one (or git is missing)."""
    try:
        done = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"],
                              check=False, capture_output=True, text=True, timeout=30)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return Repo(Path(done.stdout.strip()).resolve())
