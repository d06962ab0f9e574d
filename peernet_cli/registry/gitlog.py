"""The registry's past, read from git: the commits that touched registry/, the record files each
changed (old and new blob, renames detected), the revision in force at a date, and blobs parsed
through the same bounded reader as the working tree (cached in the index by blob id).

Every git call is `git -C ROOT` with fixed arguments and revisions checked first; output is
read in git's NUL-separated forms, so no path or message can be mistaken for structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from peernet_cli.errors import UsageError
from peernet_cli.registry.schemas import KIND_BY_FOLDER
from peernet_cli.registry.sources import DATA_DIR, RECORD_SUFFIX, cat_blobs, git_output

_SHA = re.compile(r"[0-9a-f]{40}")
_HEADER = re.compile(r"[0-9a-f]{40}( [0-9a-f]{40})*")
_EMPTY_BLOB = "0" * 40
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Commit:
    """One commit, with what history shows of it: the author's name (never the email: the
    public dataset keeps no personal addresses) and the author date."""

    sha: str
    parents: tuple[str, ...]
    author: str
    date: str  # ISO 8601 with offset, as git writes it
    subject: str


@dataclass(frozen=True)
class BlobChange:
    """A record file changed by a commit: status A(dded), M(odified), D(eleted) or R(enamed)."""

    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None

    @property
    def kind(self) -> str | None:
        return kind_of_path(self.new_path or self.old_path or "")


@dataclass
class Step:
    commit: Commit
    changes: list[BlobChange] = field(default_factory=list)


def kind_of_path(rel: str) -> str | None:
    """The record kind of a registry-relative path such as registry/brigades/x.yaml, or None."""
    parts = rel.split("/")
    if len(parts) != 3 or parts[0] != DATA_DIR or not parts[2].endswith(RECORD_SUFFIX) or parts[2].startswith("."):
        return None
    folder = KIND_BY_FOLDER.get(parts[1])
    return folder.name if folder else None


class GitHistory:
    """The history of the registry under `root` (a folder in a git work tree)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        top = self._git("rev-parse", "--show-toplevel", what=f"{root} is not in a git repository; "
                        "history needs the registry's git history").decode().strip()
        prefix = root.resolve().relative_to(Path(top).resolve()).as_posix()
        self.prefix = "" if prefix == "." else prefix + "/"
        self._dates: dict[str, list[tuple[str, str]]] = {}

    # --- revisions -------------------------------------------------------------------------

    def commit_of(self, rev: str) -> str:
        """The commit a revision names (a branch, tag, sha, HEAD~3)."""
        if not rev or rev.startswith("-"):
            raise UsageError(f"a git revision such as main or HEAD~3 is needed (got '{rev}')")
        return self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}",
                         what=f"unknown revision '{rev}'; give a branch, tag, commit or YYYY-MM-DD").decode().strip()

    def at(self, when: str, head: str = "HEAD") -> str:
        """The commit in force at REV or at the end of DATE (YYYY-MM-DD): the newest commit on
        the first-parent line of `head` made by then."""
        if _DATE.fullmatch(when):
            try:
                day = date.fromisoformat(when)
            except ValueError:
                raise UsageError(f"'{when}' is not a date; write YYYY-MM-DD") from None
            return self.at_time(datetime.combine(day, time.max, tzinfo=UTC), head, label=when)
        return self.commit_of(when)

    def at_time(self, moment: datetime, head: str = "HEAD", label: str | None = None) -> str:
        found = self._git("rev-list", "-1", "--first-parent", f"--before={moment.isoformat()}",
                          self.commit_of(head), "--").decode().strip()
        if not found:
            raise UsageError(f"the registry has no commit as early as {label or moment.date().isoformat()}; "
                             f"its first is on {self.first_date()}")
        return found

    def first_date(self) -> str:
        out = self._git("log", "--reverse", "--first-parent", "--format=%cs", "HEAD", "--").decode().split()
        return out[0] if out else "(none)"

    def commit_dates(self, head: str = "HEAD") -> list[tuple[str, str]]:
        """(sha, committer date) along the first-parent line, oldest first (read once per head:
        the dashboard asks for it for the chart and to know there is a history at all)."""
        if head not in self._dates:
            out = self._git("log", "--reverse", "--first-parent", "--format=%H %cI", self.commit_of(head), "--")
            self._dates[head] = [tuple(line.split(" ", 1)) for line in out.decode().splitlines()  # type: ignore[misc]
                                 if line]
        return self._dates[head]

    # --- the log ---------------------------------------------------------------------------

    def steps(self, since: str | None = None, head: str = "HEAD", newest: int | None = None) -> list[Step]:
        """Every commit that changed a record file, oldest first (parents before children), with
        the files it changed (with `newest`, only that many of the latest such commits). A merge
        shows no changes of its own: each change is listed once, at the commit that made it,
        with its author."""
        span = self.commit_of(head) if since is None else f"{self.commit_of(since)}..{self.commit_of(head)}"
        meta = self._commits(span)
        limit = [f"--max-count={newest}"] if newest else []  # git limits first, then reverses
        raw = self._git("log", "--reverse", "--topo-order", *limit, "--raw", "-z", "--no-abbrev", "-M",
                        "--format=%x00%H %P", span, "--",
                        f"{self.prefix}{DATA_DIR}/")
        steps: list[Step] = []
        tokens = iter(raw.decode("utf-8", "surrogateescape").split("\0"))
        for token in tokens:
            if _HEADER.fullmatch(token.strip()):  # "<sha> <parents>"; a root commit has none
                sha = token.split(" ", 1)[0]
                steps.append(Step(meta[sha]))
            elif token.lstrip("\n").startswith(":") and steps:
                fields = token.lstrip("\n")[1:].split(" ")
                status = fields[4][:1]
                paths = [next(tokens)] + ([next(tokens)] if status in "RC" else [])
                change = self._change(status, fields[2], fields[3], paths)
                if change is not None:
                    steps[-1].changes.append(change)
        return steps

    def _change(self, status: str, old: str, new: str, paths: list[str]) -> BlobChange | None:
        rels = [p.removeprefix(self.prefix) for p in paths]
        old_path, new_path = (rels[0], rels[-1]) if status in "RC" else \
            (None if status == "A" else rels[0], None if status == "D" else rels[0])
        if status == "C":
            status, old_path, old = "A", None, _EMPTY_BLOB
        if not any(kind_of_path(p) for p in (old_path, new_path) if p):
            return None
        return BlobChange(status if status in "AMDR" else "M", old_path, new_path,
                          None if old == _EMPTY_BLOB else old, None if new == _EMPTY_BLOB else new)

    def _commits(self, span: str) -> dict[str, Commit]:
        out = self._git("log", "-z", "--format=%H%x00%P%x00%an%x00%aI%x00%s", span, "--").decode("utf-8", "replace")
        fields = out.split("\0")
        commits: dict[str, Commit] = {}
        for i in range(0, len(fields) - 4, 5):
            sha, parents, author, when, subject = (f.lstrip("\n") if j == 0 else f for j, f in enumerate(fields[i:i + 5]))
            if not _SHA.fullmatch(sha):
                raise UsageError(f"git log output could not be read near commit {sha[:40]!r}", self.root)
            commits[sha] = Commit(sha, tuple(parents.split()), author, when, subject)
        return commits

    def changed_between(self, old: str, new: str) -> list[BlobChange]:
        """The record files that differ between two commits (one diff, not a walk)."""
        raw = self._git("diff-tree", "-r", "-z", "--no-abbrev", "-M", old, new, "--", f"{self.prefix}{DATA_DIR}/")
        tokens = iter(raw.decode("utf-8", "surrogateescape").split("\0"))
        out: list[BlobChange] = []
        for token in tokens:
            if token.startswith(":"):
                fields = token[1:].split(" ")
                status = fields[4][:1]
                paths = [next(tokens)] + ([next(tokens)] if status in "RC" else [])
                change = self._change(status, fields[2], fields[3], paths)
                if change is not None:
                    out.append(change)
        return out

    def last_touched(self, kind_folder: str) -> dict[str, str]:
        """The date (YYYY-MM-DD, committer) of the last commit that touched each file of a kind's
        folder, by record id (the file name); one `git log`, newest first."""
        raw = self._git("log", "-z", "--format=%x00%cs", "--name-only", "HEAD", "--",
                        f"{self.prefix}{DATA_DIR}/{kind_folder}/")
        out: dict[str, str] = {}
        day = ""
        for token in raw.decode("utf-8", "surrogateescape").split("\0"):
            token = token.lstrip("\n")
            if _DATE.fullmatch(token):
                day = token
            elif token and day:
                out.setdefault(token.rsplit("/", 1)[-1].removesuffix(RECORD_SUFFIX), day)
        return out

    # --- blobs -----------------------------------------------------------------------------

    def blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The content of many blobs, in one `git cat-file --batch`."""
        return cat_blobs(self.root, [s for s in shas if s and _SHA.fullmatch(s)])

    def _git(self, *args: str, stdin: bytes | None = None, what: str | None = None) -> bytes:
        return git_output(self.root, *args, stdin=stdin, what=what)


def read_records(history: GitHistory, shas: Iterable[str]) -> dict[str, tuple[Any, str | None]]:
    """Each blob's record data (None when unreadable) and why it could not be read, through the
    bounded safe reader. The index keeps every result by blob id, as loading a revision does,
    so across runs a blob is fetched and parsed once."""
    from peernet_cli.registry import yamlsafe
    from peernet_cli.registry.index import Index
    from peernet_cli.registry.loader import pack_parsed, unpack_parsed
    from peernet_cli.registry.parsed import max_file_bytes

    wanted = {s for s in shas if s}
    index = Index(history.root)
    try:
        known = index.blobs(wanted)
        out: dict[str, tuple[Any, str | None]] = {}
        for sha, (head, packed) in known.items():
            data, error, _ambiguous = unpack_parsed(packed)
            out[sha] = (data, None) if head is not None else (None, error[0] if error else "not a record")
        limit = max_file_bytes()
        fresh = {sha: yamlsafe.parse_bytes(history.root / f"(blob {sha[:12]})", raw[: limit + 1], limit)
                 for sha, raw in history.blobs(wanted - known.keys()).items()}
        index.store_blobs((sha, pack_parsed(parsed)) for sha, parsed in fresh.items())
    finally:
        index.close()
    for sha, parsed in fresh.items():
        ok = parsed.error is None and isinstance(parsed.data, dict)
        out[sha] = (parsed.data, None) if ok else \
            (None, parsed.error.message if parsed.error else "the file holds no mapping of fields")
    return out
