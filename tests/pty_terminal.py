"""A program on a real pseudo-terminal, for the tests of what peernet asks: the CLI runs as a
subprocess with stdin, stdout and stderr on the pty's slave side, and the test reads what it
shows and types answers on the master side. Every wait is bounded, so a prompt that never comes
fails the test, never hangs it."""

from __future__ import annotations

import codecs
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


class Terminal:
    """A program on a pseudo-terminal: `expect` what it shows, `type` what a person would."""

    def __init__(self, proc: subprocess.Popen[bytes], master: int, timeout: float) -> None:
        self.proc, self.master = proc, master
        self.deadline = time.monotonic() + timeout
        self.screen = ""        # everything shown so far (prompts, messages, the echo of answers)
        self._pos = 0           # where the next expect() starts looking
        self._decode = codecs.getincrementaldecoder("utf-8")("replace")

    def _read(self) -> bool:
        """Read what is available (waiting until the deadline); False once the program is gone."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([self.master], [], [], min(left, 0.2))
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 4096)
        except OSError:         # EIO: every copy of the slave side is closed, the program ended
            return False
        self.screen += self._decode.decode(chunk)
        return bool(chunk)

    def expect(self, text: str) -> None:
        """Wait until `text` is shown after what was matched before."""
        while (found := self.screen.find(text, self._pos)) < 0:
            if not self._read():
                pytest.fail(f"{text!r} never appeared; the terminal showed:\n{self.screen}")
        self._pos = found + len(text)

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def wait(self) -> int:
        """Read to the end and return the exit code."""
        while self._read():
            pass
        return self.proc.wait(timeout=max(self.deadline - time.monotonic(), 1))



@contextmanager
def run_on_terminal(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 20) -> Iterator[Terminal]:
    """A Terminal running `peernet ARGS` in `cwd`; the program is killed if still running at the end."""
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "peernet_cli.cli.app", *args], cwd=cwd,
                            env={**env, "TERM": "dumb"}, stdin=slave, stdout=slave, stderr=slave,
                            start_new_session=True)
    os.close(slave)
    try:
        yield Terminal(proc, master, timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        os.close(master)
