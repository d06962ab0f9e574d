"""The interactive add, on a real pseudo-terminal (tests/pty_terminal.py): each answer is
checked as it is typed and, when refused, asked again at once with the reason; a new partner
is announced and its classification asked; kind, status and last contact are asked with their
choices (today the default last contact); at the end the change is shown and confirmed.
Also: `--last-contact today`, and what an error after a successful push says."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from factories import assert_one_line_error
from pty_terminal import Terminal, run_on_terminal

from peernet_cli.change.answers import date_answer, expand_today
from peernet_cli.errors import UsageError

if TYPE_CHECKING:
    from conftest import Checkout  # fixtures: checkout, fake_forge, peernet, peernet_environ

Run = Callable[..., subprocess.CompletedProcess[str]]
OnTerminal = Callable[..., AbstractContextManager[Terminal]]

TODAY = date.today().isoformat()
CITY = "registry/partners/city-of-boston.yaml"
SHIP = "registry/partnerships/code-for-boston--city-of-boston.yaml"
GMNC_SHIP = "registry/partnerships/code-for-boston--greater-mattapan-neighborhood-council.yaml"
KIND_PROMPT = ("Kind of partnership (project-partnership, partner-support, service-learning, informal, "
               "brigade-collaboration, sponsorship, unknown, -):")
STATUS_PROMPT = "Status (prospective, active, paused, ended, unknown):"
LAST_CONTACT_PROMPT = f"Last contact (YYYY, YYYY-MM, YYYY-MM-DD or today; - for none) [{TODAY}]:"


@pytest.fixture
def on_terminal(checkout: Checkout, peernet_environ: Callable[..., dict[str, str]]) -> OnTerminal:
    def run(*args: str, timeout: float = 30, **env: str | None) -> AbstractContextManager[Terminal]:
        return run_on_terminal(list(args), checkout.root, peernet_environ(**env), timeout)

    return run


def read_yaml(checkout: Checkout, rel: str) -> Any:
    return yaml.safe_load((checkout.root / rel).read_text(encoding="utf-8"))


def test_a_mistyped_brigade_is_corrected_at_its_prompt_and_the_rest_is_asked_then_confirmed(
        checkout: Checkout, on_terminal: OnTerminal) -> None:
    with on_terminal("partnerships", "add", "--no-pr") as term:
        term.expect("Brigade:")
        term.type("bostn")
        term.expect("no brigade named 'bostn'; did you mean: code-for-boston?")
        term.expect("Brigade:")                 # asked again at once, before any other question
        assert "Partner organization" not in term.screen
        term.type("boston")
        term.expect("→ Code for Boston (code-for-boston)")
        term.expect("Partner organization:")
        term.type("City of Boston")
        term.expect(f"new partner: will create {CITY}")
        term.expect("Classification of the new partner (city-government, county-government,")
        term.type("city-goverment")
        term.expect("did you mean city-government?")
        term.expect("Classification of the new partner (")
        term.type("city-government")
        term.expect(KIND_PROMPT)
        term.type("project-partnership")
        term.expect(STATUS_PROMPT)
        term.type("active")
        term.expect(LAST_CONTACT_PROMPT)
        term.type("")                           # Enter: today
        term.expect("Source (URL or document name):")
        term.type("https://www.boston.gov/")
        term.expect("peernet: the change:")
        term.expect(f"create {CITY}")
        term.expect(f"create {SHIP}")
        term.expect("new partner city-of-boston: City of Boston (city-government)")
        term.expect(f"last_contact: {TODAY}")
        term.expect("Write these files? [Y/n]:")
        assert not (checkout.root / SHIP).exists()      # nothing before the yes
        term.type("y")
        term.expect(f"peernet: wrote {SHIP}")
        assert term.wait() == 0, term.screen

    assert "Traceback" not in term.screen
    assert read_yaml(checkout, SHIP) == {
        "id": "code-for-boston--city-of-boston", "brigade": "code-for-boston", "partner": "city-of-boston",
        "kind": "project-partnership", "status": "active", "last_contact": TODAY,
        "sources": [{"url": "https://www.boston.gov/"}]}
    assert read_yaml(checkout, CITY)["classification"] == "city-government"
    assert set(checkout.git("diff", "--cached", "--name-only").splitlines()) == {CITY, SHIP}


def test_partner_answers_an_existing_pair_a_near_duplicate_and_an_existing_partner(
        checkout: Checkout, on_terminal: OnTerminal) -> None:
    with on_terminal("partnerships", "add", "--brigade", "boston", "--kind", "informal", "--status", "active",
                     "--last-contact", "2024-05", "--source", "https://www.codeforamerica.org/",
                     "--no-pr") as term:
        term.expect("Partner organization:")
        term.type("GMNC")                       # the pair is recorded already: refused at once
        term.expect(f"{GMNC_SHIP} already exists; edit it with 'peernet partnerships update "
                    "code-for-boston greater-mattapan-neighborhood-council'")
        term.expect("Partner organization:")
        term.type("Code for Americaa")          # a typo of an existing partner's name
        term.expect("'Code for Americaa' is close to the name of an existing partner: "
                    "code-for-america (Code for America)")
        term.expect("Add it as a new partner anyway? [y/N]:")
        term.type("")                           # no: asked again
        term.expect("Partner organization:")
        term.type("Code for America")
        term.expect("→ Code for America (existing partner)")
        term.expect("create registry/partnerships/code-for-boston--code-for-america.yaml")
        term.expect("Write these files? [Y/n]:")
        term.type("")
        assert term.wait() == 0, term.screen

    assert "Classification" not in term.screen      # an existing partner has one
    assert not (checkout.root / "registry/partners/code-for-americaa.yaml").exists()
    assert read_yaml(checkout, "registry/partnerships/code-for-boston--code-for-america.yaml")[
        "last_contact"] == "2024-05"


def test_no_at_the_confirmation_writes_nothing_and_exits_0(checkout: Checkout, on_terminal: OnTerminal) -> None:
    with on_terminal("partnerships", "add", "--brigade", "boston", "--partner", "City of Boston",
                     "--partner-classification", "city-government", "--status", "active",
                     "--source", "https://www.boston.gov/") as term:     # a pull request, if confirmed
        term.expect(KIND_PROMPT)
        term.type("-")                          # left out
        term.expect(LAST_CONTACT_PROMPT)
        term.type("2999-01-01")                 # refused as typed: it has not happened yet
        term.expect(f"last contact 2999-01-01 is in the future (today is {TODAY})")
        term.expect("Last contact (")
        term.type("-")
        term.expect("Commit this on a new branch and open a pull request? [Y/n]:")
        term.type("n")
        term.expect("peernet: nothing was written")
        assert term.wait() == 0, term.screen

    assert checkout.status() == "" and checkout.branches() == {"main"}


def test_brigades_add_refuses_a_taken_name_at_its_prompt(checkout: Checkout, on_terminal: OnTerminal) -> None:
    with on_terminal("brigades", "add", "--no-pr") as term:
        term.expect("Brigade name:")
        term.type("Code for Boston")
        term.expect("id 'code-for-boston' is already used by registry/brigades/code-for-boston.yaml")
        term.expect("Brigade name:")
        term.type("Code for Worcester")
        term.expect("new brigade: will create registry/brigades/code-for-worcester.yaml")
        term.expect("Status (active, inactive, merged, dissolved, unknown):")
        term.type("active")
        term.expect("Source (URL or document name):")
        term.type("https://example.org/worcester")
        term.expect("Write these files? [Y/n]:")
        term.type("yes")
        term.expect("peernet: wrote registry/brigades/code-for-worcester.yaml")
        assert term.wait() == 0, term.screen

    assert read_yaml(checkout, "registry/brigades/code-for-worcester.yaml")["status"] == "active"


def test_update_on_a_terminal_offers_today_as_the_last_contact(
        checkout: Checkout, on_terminal: OnTerminal) -> None:
    with on_terminal("partnerships", "update", "boston", "GMNC", "--status", "paused", "--no-pr") as term:
        term.expect(f"Last contact (YYYY, YYYY-MM, YYYY-MM-DD or today; - to leave it as it is) [{TODAY}]:")
        term.type("")
        assert term.wait() == 0, term.screen
    assert read_yaml(checkout, GMNC_SHIP)["last_contact"] == TODAY

    with on_terminal("partnerships", "update", "boston", "GMNC", "--status", "ended", "--no-pr") as term:
        term.expect("Last contact (")
        term.type("-")                          # left as it is
        assert term.wait() == 0, term.screen
    assert read_yaml(checkout, GMNC_SHIP)["last_contact"] == TODAY
    assert read_yaml(checkout, GMNC_SHIP)["status"] == "ended"


def test_update_on_a_terminal_names_a_wrong_partnership_before_asking(on_terminal: OnTerminal) -> None:
    with on_terminal("partnerships", "update", "bostn", "GMNC", "--status", "paused", "--no-pr") as term:
        term.expect("peernet: error: no brigade named 'bostn'")
        assert term.wait() == 2, term.screen
    assert "Last contact" not in term.screen


def test_last_contact_today_on_the_command_line(checkout: Checkout, peernet: Run) -> None:
    added = peernet("partnerships", "add", "--brigade", "boston", "--partner", "Code for America",
                    "--status", "active", "--last-contact", "today", "--source", "https://example.org/", "--no-pr")
    assert added.returncode == 0, added.stderr
    assert read_yaml(checkout, "registry/partnerships/code-for-boston--code-for-america.yaml")[
        "last_contact"] == TODAY

    updated = peernet("partnerships", "update", "boston", "GMNC", "--last-contact", "Today", "--no-pr")
    assert updated.returncode == 0, updated.stderr
    assert read_yaml(checkout, GMNC_SHIP)["last_contact"] == TODAY


@pytest.mark.parametrize(("text", "expected"), [
    ("today", "2026-03-04"), ("2024", "2024"), ("2024-02", "2024-02"), ("2024-02-29", "2024-02-29"),
    ("2026-03", "2026-03"),                     # this month has begun
])
def test_date_answers(text: str, expected: str) -> None:
    assert date_answer(text, date(2026, 3, 4), not_future=True) == expected


@pytest.mark.parametrize(("text", "fragment"), [
    ("2023-02-29", "is not a date"), ("2024/02", "is not a date"), ("24-02", "is not a date"),
    ("2024-13", "is not a date"), ("2026-03-05", "is in the future"), ("2027", "is in the future"),
])
def test_date_answers_refused(text: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        date_answer(text, date(2026, 3, 4), not_future=True)


def test_only_today_is_expanded_on_the_command_line() -> None:
    assert expand_today(" TODAY ", date(2026, 3, 4)) == "2026-03-04"
    assert expand_today("2024-05", date(2026, 3, 4)) == "2024-05"     # checked with the change
    assert expand_today(None, date(2026, 3, 4)) is None


# --- errors after a successful push ------------------------------------------------------------

WAKE = ["partners", "add", "--name", "Wake County", "--classification", "county-government",
        "--source", "https://www.wake.gov/"]
WAKE_BRANCH = "peernet/add-partner-wake-county"


def assert_pushed_and_told(checkout: Checkout, result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    error = assert_one_line_error(result, 2, f"Branch {WAKE_BRANCH} is pushed to origin",
                                  f"open one from {WAKE_BRANCH}", f"peernet submit {WAKE_BRANCH}", *fragments)
    assert "your change is safe on branch" not in error        # that is said before a push
    assert checkout.remote_head(WAKE_BRANCH) == checkout.head(WAKE_BRANCH)
    assert checkout.current_branch() == "main" and checkout.status() == ""


def test_a_remote_that_is_not_github_says_the_branch_is_pushed(checkout: Checkout, peernet: Run) -> None:
    # origin is a bare repository in tmp_path: no GitHub owner/name in its URL, and none set.
    result = peernet(*WAKE, PEERNET_REPO=None)
    assert_pushed_and_told(checkout, result, "cannot tell the GitHub repository from the remote URL")


def test_no_token_after_the_push_says_the_branch_is_pushed(checkout: Checkout, peernet: Run) -> None:
    result = peernet(*WAKE, GH_TOKEN=None, PATH="/usr/bin:/bin")    # no gh to ask either
    assert_pushed_and_told(checkout, result, "no token to open the pull request")


def test_a_forge_error_after_the_push_says_the_branch_is_pushed(
        checkout: Checkout, fake_forge: Any, peernet: Run) -> None:
    fake_forge.fail_with(500)
    result = peernet(*WAKE)
    assert_pushed_and_told(checkout, result, "500")
    assert peernet("submit", WAKE_BRANCH).returncode == 0       # the retry it names works
    assert len(fake_forge.pulls) == 1


def test_a_forge_answering_something_unexpected_after_the_push_says_the_branch_is_pushed(
        checkout: Checkout, fake_forge: Any, peernet: Run) -> None:
    fake_forge.fail_with(200, {"message": "not a list of pull requests"})
    result = peernet(*WAKE)
    assert_pushed_and_told(checkout, result, "something other than GitHub's API gives")


def test_a_failed_push_still_says_the_change_is_safe_on_its_branch(checkout: Checkout, peernet: Run) -> None:
    checkout.bare.rename(checkout.bare.with_name("gone.git"))
    result = peernet(*WAKE)
    error = assert_one_line_error(result, 2, f"your change is safe on branch {WAKE_BRANCH}",
                                  f"peernet submit {WAKE_BRANCH}")
    assert "is pushed" not in error


def test_off_a_terminal_a_new_partner_without_classification_is_announced(
        checkout: Checkout, peernet: Run) -> None:
    result = peernet("partnerships", "add", "--brigade", "boston", "--partner", "City of Boston",
                     "--status", "active", "--source", "https://www.boston.gov/", "--no-pr")
    assert result.returncode == 0, result.stderr
    assert (f"peernet: note: {CITY} is a new partner, recorded with classification: unknown; "
            "pass --partner-classification to set it") in result.stderr.splitlines()
    assert read_yaml(checkout, CITY)["classification"] == "unknown"
