"""Where registry files come from: a working tree, or a git revision read from git's objects.

A source lists its files as `Entry` values and reads their bytes; it never parses. Listing is
where hostile trees are met, so it never follows a symbolic link, never opens anything but a
regular file, and turns whatever it cannot use (a link, a FIFO, an unreadable folder, a folder
named like a record) into an entry with a `problem` for validate to report.
"""

from __future__ import annotations

import os
import re
import stat as stat_mode
import subprocess
from pathlib import Path
from typing import NamedTuple, Protocol

from peernet_cli.errors import UsageError
from peernet_cli.registry.schemas import KIND_BY_FOLDER

DATA_DIR = "registry"
RECORD_SUFFIX = ".yaml"
STRAY_SUFFIXES = (".yaml", ".yml")


class Entry(NamedTuple):
    """One file (or unusable thing) under registry/.

    `rel` is the path relative to the registry root (`registry/partners/x.yaml`); `kind` is the
    record kind its folder holds, or None for a file outside every record folder; `stamp`
    changes whenever the content may have (size, mtime, ctime and inode for a file on disk,
    the blob id in git); `problem` says why it cannot be read as a record."""

    rel: str
    kind: str | None
    stamp: str
    problem: str | None = None  # a NamedTuple: listing makes one per file, so it must be cheap


class Source(Protocol):
    """A registry's files at one point: the working tree now, or a git revision."""

    root: Path
    # Index rows of a source whose stamps name content (git blobs) are shared by every
    # path and revision; rows of a working tree are per path.
    content_addressed: bool

    def entries(self) -> list[Entry]: ...

    def read(self, rel: str, limit: int) -> bytes:
        """The file's bytes, at most `limit` + 1 of them (so a caller can tell it is too big).
        Raises OSError when it cannot be read."""
        ...


def stamp_of(st: os.stat_result) -> str:
    # (Written out again in WorkingTree._kind_folder, the hot loop.)
    # ctime and inode too: `cp -p` and `rsync -t` restore the mtime and may keep the size,
    # but the kernel sets ctime on every change and a replaced file has a new inode.
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


class WorkingTree:
    """The files on disk under root/registry/."""

    content_addressed = False

    def __init__(self, root: Path) -> None:
        self.root = root

    def entries(self) -> list[Entry]:
        found: list[Entry] = []
        data = self.root / DATA_DIR
        for entry in _scan(data, found, DATA_DIR):
            kind = KIND_BY_FOLDER.get(entry.name)
            rel = f"{DATA_DIR}/{entry.name}"
            if entry.is_symlink():
                found.append(Entry(rel, None, "", _LINK))
            elif kind is not None and entry.is_dir(follow_symlinks=False):
                self._kind_folder(Path(entry.path), rel, kind.name, found)
            elif entry.is_dir(follow_symlinks=False):
                self._strays(Path(entry.path), rel, found, STRAY_SUFFIXES)
            elif entry.name.endswith(STRAY_SUFFIXES):
                found.append(_file_entry(entry, rel, None))
        return sorted(found)  # by rel: paths are unique, so later fields never decide

    def _kind_folder(self, folder: Path, rel: str, kind: str, found: list[Entry]) -> None:
        # The hot loop of every command (one pass per file): plain files take the short path.
        append, regular = found.append, stat_mode.S_ISREG
        for entry in _scan(folder, found, rel):
            name = entry.name
            path = f"{rel}/{name}"
            if name.endswith(RECORD_SUFFIX) and entry.is_file(follow_symlinks=False):
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    append(Entry(path, kind, "", f"cannot read the file: {exc.strerror}"))
                    continue
                if regular(st.st_mode):
                    append(Entry(path, kind, f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"))
                    continue
            if entry.is_symlink():
                append(Entry(path, kind, "", _LINK))
            elif entry.is_dir(follow_symlinks=False):
                if name.endswith(STRAY_SUFFIXES):
                    append(Entry(path, kind, "", "a folder, not a record file; records are files "
                                 f"{rel}/<id>.yaml, so rename or remove the folder"))
                else:
                    self._strays(Path(entry.path), path, found)
            else:
                append(_file_entry(entry, path, kind if name.endswith(RECORD_SUFFIX) else None))

    def _strays(self, folder: Path, rel: str, found: list[Entry], suffixes: tuple[str, ...] = ("",)) -> None:
        """Every file (with one of `suffixes`) below a folder that is no record location,
        to be reported as misplaced."""
        pending = [(folder, rel)]
        while pending:  # a stack, not recursion: folder depth is the contributor's choice
            here, here_rel = pending.pop()
            for entry in _scan(here, found, here_rel):
                path = f"{here_rel}/{entry.name}"
                if entry.is_symlink():
                    found.append(Entry(path, None, "", _LINK))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), path))
                elif entry.name.endswith(suffixes):
                    found.append(_file_entry(entry, path, None))

    def read(self, rel: str, limit: int) -> bytes:
        # O_NOFOLLOW: a file swapped for a link after listing is still never followed;
        # O_NONBLOCK: opening a FIFO swapped in never hangs (reading it then fails below).
        fd = os.open(self.root / rel, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        try:
            st = os.fstat(fd)
            if not stat_mode.S_ISREG(st.st_mode):
                raise OSError(0, "not a regular file")
            with os.fdopen(fd, "rb", closefd=False) as handle:
                # Sized from fstat: read(limit + 1) alone would allocate the limit every time.
                return handle.read(min(st.st_size, limit) + 1)
        finally:
            os.close(fd)


_LINK = ("a symbolic link; peernet never follows links in registry/ (one could point at a "
         "secret outside it), so replace it with the file itself")


# What an atomic write names its temporary file (yamlio.write_atomic_bytes: mkstemp with
# prefix ".<name>." and suffix ".tmp"); one left behind means a write was interrupted.
LEFTOVER = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
LEFTOVER_PROBLEM = ("a temporary file left by an interrupted peernet write; nothing uses it, so "
                    "delete it (the next peernet change removes it)")


def _scan(folder: Path, found: list[Entry], rel: str) -> list[os.DirEntry[str]]:
    """A folder's entries, dotfiles left out (editor files), except the temporary files of an
    interrupted write, which become entries saying so; an unreadable folder becomes an entry
    with the reason."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
            visible = [e for e in entries if e.name[:1] != "."]  # sorted once, by the caller
            if len(visible) < len(entries):
                found.extend(Entry(f"{rel}/{e.name}", None, "", LEFTOVER_PROBLEM) for e in entries
                             if LEFTOVER.fullmatch(e.name) and not e.is_dir(follow_symlinks=False))
            return visible
    except FileNotFoundError:
        if rel == DATA_DIR:
            raise
        return []
    except OSError as exc:
        found.append(Entry(rel, None, "", f"cannot read the folder: {exc.strerror}; check its permissions"))
        return []


def _file_entry(entry: os.DirEntry[str], rel: str, kind: str | None) -> Entry:
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError as exc:
        return Entry(rel, kind, "", f"cannot read the file: {exc.strerror}")
    if not stat_mode.S_ISREG(st.st_mode):
        return Entry(rel, kind, "", "not a regular file (a FIFO, socket or device); records are plain files")
    return Entry(rel, kind, stamp_of(st))


class GitRevision:
    """The registry as it stood at a git revision, read from git's object store with
    `git ls-tree` and `git cat-file --batch`: no checkout, the working tree untouched."""

    content_addressed = True

    def __init__(self, root: Path, rev: str) -> None:
        if not rev or rev.startswith("-"):
            raise UsageError(f"a git revision such as main or HEAD~3 is needed (got '{rev}')")
        self.root = root
        self.rev = rev
        top = self._git("rev-parse", "--show-toplevel").decode().strip()
        self.prefix = root.resolve().relative_to(Path(top).resolve()).as_posix()
        self.prefix = "" if self.prefix == "." else self.prefix + "/"
        self.commit = self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}",
                                what=f"unknown revision '{rev}'; check the name").decode().strip()
        self._blobs: dict[str, str] = {}
        self._cache: dict[str, bytes] = {}

    def entries(self) -> list[Entry]:
        out = self._git("ls-tree", "-r", "-z", "--full-tree", self.commit, "--", f"{self.prefix}{DATA_DIR}/")
        found: list[Entry] = []
        for item in out.split(b"\0"):
            if not item:
                continue
            meta, _, name = item.partition(b"\t")
            mode, _type, blob = meta.decode().split(" ")
            rel = name.decode("utf-8", "replace")[len(self.prefix):]
            parts = rel.split("/")
            kind_folder = KIND_BY_FOLDER.get(parts[1]) if len(parts) == 3 else None
            kind = kind_folder.name if kind_folder else None
            if any(p.startswith(".") for p in parts):
                continue
            if kind is None and not rel.endswith(STRAY_SUFFIXES):
                continue
            if kind is not None and not rel.endswith(RECORD_SUFFIX):
                kind = None
            if mode == "120000":
                found.append(Entry(rel, kind, "", _LINK))
            elif mode not in ("100644", "100755"):
                found.append(Entry(rel, kind, "", "not a regular file in git (a submodule?)"))
            else:
                self._blobs[rel] = blob
                found.append(Entry(rel, kind, blob))
        return sorted(found)  # by rel: paths are unique, so later fields never decide

    def prefetch(self, rels: list[str]) -> None:
        """Read many blobs in one `git cat-file --batch` (one process, not one per file)."""
        wanted = [r for r in rels if r not in self._cache]
        if wanted:
            found = cat_blobs(self.root, [self._blobs[r] for r in wanted])
            self._cache.update((r, found.get(self._blobs[r], b"")) for r in wanted)

    def read(self, rel: str, limit: int) -> bytes:
        if rel not in self._blobs:
            raise OSError(0, f"not in revision {self.rev}")
        self.prefetch([rel])
        return self._cache[rel][: limit + 1]

    def _git(self, *args: str, stdin: bytes | None = None, what: str | None = None) -> bytes:
        return git_output(self.root, *args, stdin=stdin, what=what)


def git_output(root: Path, *args: str, stdin: bytes | None = None, what: str | None = None) -> bytes:
    """The stdout of `git -C ROOT ARGS` (reading objects, never writing); a missing git or a
    failure is one usage error line (`what`, else git's last line)."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=600)
    except FileNotFoundError:
        raise UsageError("git is not installed; reading the registry's git history needs git") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(what or f"git {args[0]} failed: {reason[-1] if reason else 'no output'}", root)
    return done.stdout


def cat_blobs(root: Path, blobs: list[str]) -> dict[str, bytes]:
    """The content of many blobs by id, in one `git cat-file --batch`; a missing one is left out."""
    wanted = sorted(set(blobs))
    if not wanted:
        return {}
    out = git_output(root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in wanted).encode())
    found: dict[str, bytes] = {}
    pos = 0
    for blob in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split(b" ")
        if len(header) < 3:  # "<id> missing"
            pos = end + 1
            continue
        size = int(header[2])
        found[blob] = out[end + 1: end + 1 + size]
        pos = end + 1 + size + 1
    return found
