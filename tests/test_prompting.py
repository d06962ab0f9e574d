"""Missing required values: asked for on a terminal, an error everywhere else.

The terminal is a real pseudo-terminal: the CLI runs as a subprocess with stdin, stdout and
stderr on the pty's slave side, and the test reads what it shows and types answers on the
master side. Every wait is bounded, so a prompt that never comes fails the test, never hangs it.
"""

from __future__ import annotations

import codecs
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

import pytest
import yaml

if TYPE_CHECKING:
    from conftest import Checkout  # fixtures: checkout, peernet, peernet_environ (tests/conftest.py)

STATUS_PROMPT = "Status (prospective, active, paused, ended, unknown):"
STATUS_CHOICES = "choose one of: prospective, active, paused, ended, unknown"
SHIP = "registry/partnerships/code-for-boston--city-of-boston.yaml"


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


OnTerminal = Callable[..., AbstractContextManager[Terminal]]


@pytest.fixture
def on_terminal(checkout: Checkout, peernet_environ: Callable[..., dict[str, str]]) -> OnTerminal:
    """on_terminal(*args) -> context manager yielding a Terminal running `peernet ARGS` in the checkout."""

    @contextmanager
    def run(*args: str, timeout: float = 20) -> Iterator[Terminal]:
        master, slave = os.openpty()
        env = peernet_environ(TERM="dumb")
        proc = subprocess.Popen([sys.executable, "-m", "peernet_cli.cli.app", *args], cwd=checkout.root,
                                env=env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
        os.close(slave)
        try:
            yield Terminal(proc, master, timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=5)
            os.close(master)

    return run


def test_missing_status_is_asked_with_its_choices_until_the_answer_is_valid(
        checkout: Checkout, on_terminal: OnTerminal) -> None:
    with on_terminal("partnerships", "add", "--brigade", "boston", "--partner", "City of Boston",
                     "--partner-classification", "city-government", "--source", "https://www.boston.gov/",
                     "--no-pr") as term:
        term.expect(STATUS_PROMPT)
        term.type("bogus")
        term.expect(STATUS_CHOICES)         # refused, with the allowed values ...
        term.expect(STATUS_PROMPT)          # ... and asked again
        term.type("active")
        term.expect(f"peernet: wrote {SHIP}")
        assert term.wait() == 0, term.screen

    assert "Traceback" not in term.screen
    written = yaml.safe_load((checkout.root / SHIP).read_text(encoding="utf-8"))
    assert written["status"] == "active"
    assert checkout.git("diff", "--cached", "--name-only").splitlines() == [
        "registry/partners/city-of-boston.yaml", SHIP]


def test_every_missing_value_is_asked_for_in_turn(
        checkout: Checkout, on_terminal: OnTerminal) -> None:
    with on_terminal("partners", "add", "--no-pr") as term:
        term.expect("Organization name:")
        term.type("")                       # an empty answer is not a name: asked again
        term.expect("Organization name:")
        term.type("Wake County")
        term.expect("Classification (")
        term.type("county-government")
        term.expect("Source (URL or document name):")
        term.type("https://www.wake.gov/")
        term.expect("peernet: wrote registry/partners/wake-county.yaml")
        assert term.wait() == 0, term.screen

    written = (checkout.root / "registry/partners/wake-county.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(written) == {
        "id": "wake-county", "name": "Wake County", "classification": "county-government",
        "sources": [{"url": "https://www.wake.gov/"}]}


def test_without_a_terminal_a_missing_value_is_an_error_not_a_hang(
        checkout: Checkout, peernet: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    started = time.monotonic()
    result = peernet("partnerships", "add", "--brigade", "boston", "--partner", "City of Boston",
                     "--source", "https://www.boston.gov/", "--no-pr")     # stdin is /dev/null

    assert time.monotonic() - started < 20      # no waiting for input that never comes
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "peernet: error: missing --status; pass it on the command line\n"
    assert checkout.status() == ""
    assert not (checkout.root / SHIP).exists()


def test_nothing_is_asked_when_every_value_is_given(
        checkout: Checkout, on_terminal: OnTerminal) -> None:
    with on_terminal("partnerships", "add", "--brigade", "boston", "--partner", "City of Boston",
                     "--status", "prospective", "--source", "https://www.boston.gov/", "--no-pr") as term:
        assert term.wait() == 0, term.screen
    assert sorted(term.screen.splitlines()) == [      # no prompt: only what was written
        "peernet: wrote registry/partners/city-of-boston.yaml", f"peernet: wrote {SHIP}"]
    assert (checkout.root / SHIP).exists()
