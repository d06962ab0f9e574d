"""The lock around a change's check-write-commit step, and what an interrupted run leaves.

Of two peernet runs changing one registry at the same moment, the second waits here, then
reads the registry afresh and so sees what the first wrote: exactly one of two identical adds
succeeds. The lock is `fcntl.flock` on a file in the git directory (`.git/peernet.lock`), or
on `registry/.peernet.lock` outside a git checkout (the loader skips dotfiles). The kernel
releases a flock when its holder dies, even by SIGKILL, so the lock is never stale; the git
commands run under it inherit the descriptor, so an orphaned git child holds it until it exits.

The file also says what its holder is doing (a journal: `pid N`, `step …`, `file …` lines). It is removed when
the holder finishes, so a later run that finds it with content knows the run before was
interrupted, and at which step. Any temporary file of an atomic write found under registry/
while the lock is held is a leftover (every writer of a change holds the lock) and is removed.
"""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from peernet_cli.errors import PeernetError, UsageError
from peernet_cli.registry.sources import DATA_DIR, LEFTOVER

LOCK_NAME = "peernet.lock"
WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class Interrupted:
    """What an interrupted run's journal says: its process id, its step, and the files."""

    pid: str
    step: str
    files: list[str]


class ChangeLock:
    """`with ChangeLock(path) as lock:` holds the lock; `lock.waited` says whether another run
    held it first, `lock.previous` is the journal an interrupted run left ('' if none)."""

    def __init__(self, path: Path, timeout: float = WAIT_SECONDS) -> None:
        self.path = path
        self.timeout = timeout
        self.fd = -1
        self.waited = False
        self.previous = ""
        self._keep = False
        self._step = ""

    def __enter__(self) -> Self:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
            except OSError as exc:
                raise UsageError(f"cannot take the lock {self.path}: {exc.strerror}; check that you "
                                 "may write there (and that it is a plain file)") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                self.waited = True
                if time.monotonic() > deadline:
                    raise UsageError(f"another peernet run has been changing this registry for over "
                                     f"{self.timeout:g} s (it holds {self.path}); wait for it to "
                                     "finish and try again") from None
                time.sleep(0.02)
                continue
            # The run before may have removed the file after this one opened it: then the lock
            # taken is on a file nobody else will open, so take the one at the path instead.
            try:
                here, ours = os.stat(self.path, follow_symlinks=False), os.fstat(fd)
                same = (here.st_dev, here.st_ino) == (ours.st_dev, ours.st_ino)
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self.fd = fd
        self.previous = os.pread(fd, 1 << 16, 0).decode("utf-8", "replace").strip()
        self.step("started")
        return self

    def step(self, what: str, files: list[str] | tuple[str, ...] = ()) -> None:
        """Record what the holder is doing now, and on which files (paths relative to the
        registry root): what the next run reports, and finishes, if this one dies."""
        self._step = what
        lines = [f"pid {os.getpid()}", f"step {what}", *(f"file {f}" for f in files if "\n" not in f)]
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, ("\n".join(lines) + "\n").encode(), 0)

    def interrupted(self) -> Interrupted | None:
        """What the run before this one was doing when it was interrupted, or None when it
        finished (or there was none)."""
        if not self.previous:
            return None
        fields: dict[str, list[str]] = {}
        for line in self.previous.splitlines():
            key, _, value = line.partition(" ")
            fields.setdefault(key, []).append(value)
        return Interrupted((fields.get("pid") or ["?"])[0], (fields.get("step") or ["?"])[0],
                           fields.get("file", []))

    def keep_previous(self) -> None:
        """Leave the interrupted run's journal for the next run (this one did nothing about it)."""
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, (self.previous + "\n").encode() if self.previous else b"", 0)
        self._keep = bool(self.previous)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # Kept when this run is cut short mid-step (Ctrl-C, a crash): the next run finishes it.
        # Else removed while still held (then released), so no later run locks a removed file.
        cut_short = exc is not None and not isinstance(exc, PeernetError) and self._step != "started"
        try:
            if not (self._keep or cut_short):
                self.path.unlink(missing_ok=True)
        finally:
            os.close(self.fd)
            self.fd = -1


def leftovers(root: Path) -> list[Path]:
    """The temporary files of interrupted atomic writes under root/registry/, named as
    sources.LEFTOVER describes (what `peernet validate` reports); links are never followed."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root / DATA_DIR, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]    # as the loader: dot folders are not read
        for name in files:
            path = Path(folder, name)
            if LEFTOVER.fullmatch(name) and path.is_file() and not path.is_symlink():
                found.append(path)
    return sorted(found)


def remove_leftovers(root: Path) -> list[Path]:
    """Remove leftovers(root); call it only while holding the change lock."""
    removed = []
    for path in leftovers(root):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    return removed
