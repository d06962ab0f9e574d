"""Missing required values: asked for on a terminal, an error everywhere else.

The terminal is a real pseudo-terminal (tests/pty_terminal.py); the interactive add as a
whole (answers checked as typed, the summary and confirmation) is in test_interactive_add.py.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import pytest
import yaml
from pty_terminal import Terminal, run_on_terminal

if TYPE_CHECKING:
    from conftest import Checkout  # fixtures: checkout, peernet, peernet_environ (tests/conftest.py)

STATUS_PROMPT = "Status (prospective, active, paused, ended, unknown):"
STATUS_CHOICES = "choose one of: prospective, active, paused, ended, unknown"
SHIP = "registry/partnerships/code-for-boston--city-of-boston.yaml"


OnTerminal = Callable[..., AbstractContextManager[Terminal]]


@pytest.fixture
def on_terminal(checkout: Checkout, peernet_environ: Callable[..., dict[str, str]]) -> OnTerminal:
    """on_terminal(*args) -> context manager yielding a Terminal running `peernet ARGS` in the checkout."""

    def run(*args: str, timeout: float = 20) -> AbstractContextManager[Terminal]:
        return run_on_terminal(list(args), checkout.root, peernet_environ(), timeout)

    return run


def test_missing_status_is_asked_with_its_choices_until_the_answer_is_valid(
        checkout: Checkout, on_terminal: OnTerminal) -> None:
    with on_terminal("partnerships", "add", "--brigade", "boston", "--partner", "City of Boston",
                     "--partner-classification", "city-government", "--kind", "project-partnership",
                     "--last-contact", "2024-05", "--source", "https://www.boston.gov/", "--no-pr") as term:
        term.expect(STATUS_PROMPT)
        term.type("bogus")
        term.expect(STATUS_CHOICES)         # refused, with the allowed values ...
        term.expect(STATUS_PROMPT)          # ... and asked again
        term.type("active")
        term.expect("Write these files? [Y/n]:")
        term.type("")                       # Enter: yes
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
                     "--partner-classification", "city-government", "--kind", "informal",
                     "--last-contact", "today", "--status", "prospective", "--source", "https://www.boston.gov/",
                     "--no-pr") as term:
        assert term.wait() == 0, term.screen
    assert sorted(term.screen.splitlines()) == [      # no prompt: only what was written
        "peernet: wrote registry/partners/city-of-boston.yaml", f"peernet: wrote {SHIP}"]
    assert (checkout.root / SHIP).exists()
