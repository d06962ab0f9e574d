"""Writing files so that a crash or a kill never leaves half of one: the one place peernet writes
atomically. A file is written to a temporary sibling and renamed over the target; a folder is
built as a temporary sibling and swapped in. Temporary names start with a dot and end in .tmp
(`.NAME.xxxxxxxx.tmp`), which the registry listing recognises as leftovers."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def umask() -> int:
    """The process's umask (reading it means setting it, so it is set back at once)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_bytes(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename, so a crash never leaves half
    a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private (0600); give it the mode a plain open() would: an
        # existing file's, else 0666 less the umask.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def publish_file(output: Path, fill: Callable[[Path], T]) -> T:
    """`fill(tmp)` creates a file at a temporary path (which does not exist yet: sqlite3 wants
    to create its file itself), then it replaces `output` in one rename."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()
        result = fill(tmp)
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


def publish_folder(output: Path, fill: Callable[[Path], T]) -> T:
    """`fill(tmp)` fills a new temporary folder, which then replaces `output` (a folder or
    nothing) as a whole: a reader sees the old folder or the new one, never a mix."""
    parent = output.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=parent))
    try:
        result = fill(tmp)
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes it private; give it a plain mkdir's mode
        old = None
        if output.exists() or output.is_symlink():
            old = parent / f".{output.name}.old-{os.getpid()}"
            os.replace(output, old)
        try:
            os.replace(tmp, output)
        except BaseException:
            if old is not None:
                os.replace(old, output)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
    return result
