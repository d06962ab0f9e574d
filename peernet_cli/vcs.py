"""Git, behind one small interface: the steps of proposing a change on a branch.

Every git failure becomes a PeernetError naming what to do; nothing here prints.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError


class GitError(UsageError):
    pass


@dataclass(frozen=True)
class Repo:
    top: Path

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(["git", "-C", str(self.top), *args], capture_output=True, text=True,
                                  timeout=120)
        except FileNotFoundError:
            raise GitError("git is not installed; install git or use --no-pr") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"'git {args[0]}' took longer than 120 s; check the remote and retry") from None
        if check and done.returncode != 0:
            raise GitError(f"'git {' '.join(args[:2])}' failed: {_reason(done.stderr or done.stdout)}")
        return done

    def current_branch(self) -> str | None:
        """The checked-out branch, or None on a detached HEAD."""
        done = self.git("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return done.stdout.strip() or None

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").stdout.strip()

    def dirty(self) -> list[str]:
        """Tracked files with uncommitted (staged or unstaged) changes."""
        out = self.git("status", "--porcelain", "--untracked-files=no").stdout
        return [line[3:] for line in out.splitlines() if line.strip()]

    def untracked(self, paths: list[Path]) -> list[str]:
        rels = [self.rel(p) for p in paths]
        out = self.git("status", "--porcelain", "--untracked-files=all", "--", *rels).stdout
        return [line[3:] for line in out.splitlines() if line.startswith("??")]

    def branch_exists(self, name: str) -> bool:
        return self.git("rev-parse", "--verify", "--quiet", f"refs/heads/{name}", check=False).returncode == 0

    def unique_branch(self, name: str) -> str:
        candidate, n = name, 2
        while self.branch_exists(candidate):
            candidate, n = f"{name}-{n}", n + 1
        return candidate

    def switch_new(self, name: str, start: str = "HEAD") -> None:
        self.git("switch", "--quiet", "--no-track", "-c", name, start)

    def start_point(self, remote: str, base: str | None, current: str | None) -> str:
        """Where a proposal branch starts: the remote's copy of the base branch (fetched
        when the network allows; the last known copy otherwise), else HEAD."""
        if base:
            self.git("fetch", "--quiet", remote, base, check=False)
        candidates = [f"refs/remotes/{remote}/{base}"] if base else []
        candidates += [f"refs/remotes/{remote}/HEAD"]
        if current:
            candidates.append(f"refs/remotes/{remote}/{current}")
        for ref in candidates:
            if self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).returncode == 0:
                return ref
        return "HEAD"

    def switch(self, name: str) -> None:
        self.git("switch", name)

    def detach(self, commit: str) -> None:
        self.git("switch", "--detach", commit)

    def commit_paths(self, paths: list[Path], message: str) -> str:
        rels = [self.rel(p) for p in paths]
        self.git("add", "--", *rels)
        self.git("commit", "--quiet", "-m", message, "--", *rels)
        return self.head()

    def stage(self, paths: list[Path]) -> None:
        self.git("add", "--", *[self.rel(p) for p in paths])

    def push(self, remote: str, branch: str) -> None:
        self.git("push", "--quiet", "--set-upstream", remote, f"{branch}:{branch}")

    def remote_url(self, remote: str) -> str:
        done = self.git("remote", "get-url", remote, check=False)
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
    return chosen.rstrip(".")


def find_repo(path: Path) -> Repo | None:
    """The git work tree containing path, or None when it is not in one (or git is missing)."""
    try:
        done = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"],
                              capture_output=True, text=True, timeout=30)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return Repo(Path(done.stdout.strip()).resolve())
