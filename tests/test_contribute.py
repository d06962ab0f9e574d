"""Contributing through pull requests, end to end: the real CLI in a subprocess, a real git
checkout of a bare remote, and the fake GitHub API (tests/forge_server.py) that records the PRs.

What a contributor can rely on (README, "Contribute"):
- a change is checked before anything is written, and refused with one line on stderr;
- by default it becomes one commit of only its files on a new branch, pushed to origin, and a
  pull request whose address is the only thing on stdout; the contributor's branch is unchanged;
- if the push or the pull request fails, the commit stays on its branch and the error says to
  retry with `peernet submit BRANCH`, which opens exactly one pull request however often it runs;
- `--no-pr` writes and stages the files, `--dry-run` prints the diff; edits keep comments.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from factories import assert_one_line_error

if TYPE_CHECKING:
    from conftest import Checkout  # fixtures: checkout, fake_forge, peernet (tests/conftest.py)
    from forge_server import FakeForge

Run = Callable[..., subprocess.CompletedProcess[str]]
TOKEN = "test-token-123"        # the GH_TOKEN the `peernet` fixture runs with, and fake_forge accepts
SOURCE = [{"document": "001_6fd433e7a95ecce0.txt"}]

CITY_OF_BOSTON = ["partnerships", "add", "--brigade", "boston", "--partner", "City of Boston",
                  "--partner-classification", "city-government", "--status", "active",
                  "--kind", "project-partnership", "--priority", "Open data",
                  "--source", "https://www.codeforboston.org/"]
CITY_OF_BOSTON_BRANCH = "peernet/add-partnership-code-for-boston--city-of-boston"
CITY_OF_BOSTON_FILES = {"registry/partners/city-of-boston.yaml",
                        "registry/partnerships/code-for-boston--city-of-boston.yaml"}
GMNC_PARTNERSHIP = "registry/partnerships/code-for-boston--greater-mattapan-neighborhood-council.yaml"


def add_partner(name: str, *extra: str) -> list[str]:
    """`peernet partners add` for a one-file change (the failure tests use one each)."""
    return ["partners", "add", "--name", name, "--classification", "county-government",
            "--source", "https://www.wake.gov/", *extra]


def read_yaml(checkout: Checkout, rel: str) -> Any:
    return yaml.safe_load((checkout.root / rel).read_text(encoding="utf-8"))


# --- what every outcome must look like -------------------------------------------------------

def assert_committed_on_branch(checkout: Checkout, branch: str, files: set[str], base: str = "main") -> str:
    """`branch` exists locally, is exactly one commit on top of `base`, and that commit changes
    only `files`. Returns the commit."""
    assert branch in checkout.branches()
    commit = checkout.head(branch)
    assert checkout.git("rev-list", "--count", f"{base}..{branch}") == "1"
    assert checkout.head(f"{branch}^") == checkout.head(base)
    changed = checkout.git("show", "--name-only", "--format=", branch).splitlines()
    assert set(changed) == files and len(changed) == len(files)
    return commit


def assert_back_where_we_started(checkout: Checkout) -> None:
    """The contributor's branch is checked out again and nothing is left in the working tree."""
    assert checkout.current_branch() == "main"
    assert checkout.status() == ""


def assert_kept_for_retry(checkout: Checkout, result: subprocess.CompletedProcess[str], branch: str,
                          files: set[str], *fragments: str,
                          secrets: tuple[str, ...] = (TOKEN,)) -> None:
    """A failed push or PR: exit 2, one error line naming the retry, the commit kept on its
    branch, the contributor back on main with a clean tree, and no token in any output."""
    error = assert_one_line_error(result, 2, f"peernet submit {branch}", *fragments)
    assert result.stderr.splitlines() == [result.stderr.splitlines()[0], error]
    assert result.stderr.startswith("peernet: committed ")
    for secret in secrets:
        assert secret not in result.stdout + result.stderr
    assert_committed_on_branch(checkout, branch, files)
    assert_back_where_we_started(checkout)


def assert_no_temporary_files(checkout: Checkout) -> None:
    """Files are written through a temporary file and a rename: none may be left behind."""
    assert sorted(p.name for p in checkout.root.rglob(".*.tmp")) == []


def assert_nothing_written(checkout: Checkout, start: str, forge: FakeForge) -> None:
    """A refusal: same commit, no new branch, a clean tree, and the forge never called."""
    assert checkout.head() == start
    assert checkout.branches() == {"main"}
    assert_back_where_we_started(checkout)
    assert forge.received == []


# --- the pull request, end to end -----------------------------------------------------------

def test_partnership_becomes_one_commit_on_a_pushed_branch_and_a_pull_request(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    start = checkout.head()
    # Run from inside registry/partners: the registry is found by walking up.
    result = peernet(*CITY_OF_BOSTON, cwd=checkout.root / "registry" / "partners")

    assert result.returncode == 0, result.stderr
    assert len(fake_forge.pulls) == 1
    pull = fake_forge.pulls[0]
    assert result.stdout == pull["html_url"] + "\n"     # stdout is the PR's address, nothing else
    assert result.stderr.splitlines() == [
        (f"peernet: committed {checkout.head(CITY_OF_BOSTON_BRANCH)[:10]} on branch {CITY_OF_BOSTON_BRANCH}; "
         "your branch is unchanged"),
        f"peernet: pull request opened for {CITY_OF_BOSTON_BRANCH}"]

    # git: one commit holding the new partner AND the partnership, pushed as it is.
    commit = assert_committed_on_branch(checkout, CITY_OF_BOSTON_BRANCH, CITY_OF_BOSTON_FILES)
    assert checkout.remote_head(CITY_OF_BOSTON_BRANCH) == commit
    assert checkout.head("main") == start
    assert_back_where_we_started(checkout)
    assert_no_temporary_files(checkout)
    assert not (checkout.root / "registry/partners/city-of-boston.yaml").exists()  # it lives on the branch
    partnership = yaml.safe_load(checkout.git(
        "show", f"{CITY_OF_BOSTON_BRANCH}:registry/partnerships/code-for-boston--city-of-boston.yaml"))
    assert partnership == {"id": "code-for-boston--city-of-boston", "brigade": "code-for-boston",
                           "partner": "city-of-boston", "kind": "project-partnership", "status": "active",
                           "priorities": ["Open data"],
                           "sources": [{"url": "https://www.codeforboston.org/"}]}

    # The PR as the forge recorded it.
    assert pull["head"] == {"ref": CITY_OF_BOSTON_BRANCH, "label": f"network:{CITY_OF_BOSTON_BRANCH}",
                            "sha": commit}
    assert pull["base"]["ref"] == "main"
    assert pull["title"] == "Add partnership: Code for Boston – City of Boston"
    body = pull["body"]
    for line in ("new partner city-of-boston: City of Boston (city-government)",
                 ("new partnership code-for-boston--city-of-boston: "
                  "Code for Boston with City of Boston (active)"),
                 "kind: project-partnership", "partner priority: Open data",
                 "Validation: peernet validate found no errors in the 2 changed file(s)."):
        assert line in body

    # Every call carried the token and the GitHub media type; nothing the forge frowned upon.
    assert fake_forge.received
    for request in fake_forge.received:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["accept"] == "application/vnd.github+json"
    assert fake_forge.header_problems == []


# --- failures after the commit: kept on the branch, retried with `peernet submit` -------------

def test_wrong_token_keeps_the_commit_then_submit_opens_exactly_one_pull_request(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    branch, files = "peernet/add-partner-wake-county", {"registry/partners/wake-county.yaml"}
    result = peernet(*add_partner("Wake County"), GH_TOKEN="wrong-token-456")

    assert_kept_for_retry(checkout, result, branch, files, "token was refused", "401",
                          secrets=(TOKEN, "wrong-token-456"))
    assert checkout.remote_head(branch) == checkout.head(branch)     # the push itself worked
    assert fake_forge.pulls == []

    retry = peernet("submit", branch)
    assert retry.returncode == 0, retry.stderr
    assert len(fake_forge.pulls) == 1
    assert retry.stdout == fake_forge.pulls[0]["html_url"] + "\n"
    assert fake_forge.pulls[0]["head"]["ref"] == branch and fake_forge.pulls[0]["base"]["ref"] == "main"
    assert fake_forge.pulls[0]["title"] == "Add partner: Wake County"

    again = peernet("submit", branch)       # idempotent: finds the open PR instead of a second one
    assert again.returncode == 0, again.stderr
    assert again.stdout == retry.stdout
    assert len(fake_forge.pulls) == 1
    assert_back_where_we_started(checkout)


def test_pull_request_refused_422_then_submit_with_the_default_base(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    branch, files = "peernet/add-partner-wake-county", {"registry/partners/wake-county.yaml"}
    result = peernet(*add_partner("Wake County", "--base", "no-such-branch"))   # GitHub: 422 base invalid

    assert_kept_for_retry(checkout, result, branch, files, "refused the pull request", "422")
    assert fake_forge.pulls == []

    retry = peernet("submit", branch)
    assert retry.returncode == 0, retry.stderr
    assert [p["base"]["ref"] for p in fake_forge.pulls] == ["main"]


def test_forge_answering_422_on_its_own(checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    fake_forge.fail_with(422, {"message": "Validation Failed", "errors": [{"message": "Branch is locked"}]})
    branch, files = "peernet/add-partner-wake-county", {"registry/partners/wake-county.yaml"}
    result = peernet(*add_partner("Wake County"))

    assert_kept_for_retry(checkout, result, branch, files, "422", "Branch is locked")
    assert peernet("submit", branch).returncode == 0
    assert len(fake_forge.pulls) == 1


def test_forge_unreachable_connection_refused(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    with socket.socket() as sock:       # a port that was free a moment ago, now closed
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    branch, files = "peernet/add-partner-wake-county", {"registry/partners/wake-county.yaml"}
    result = peernet(*add_partner("Wake County"), PEERNET_API_URL=f"http://127.0.0.1:{closed_port}")

    assert_kept_for_retry(checkout, result, branch, files, "cannot reach", "PEERNET_API_URL")
    assert peernet("submit", branch).returncode == 0
    assert len(fake_forge.pulls) == 1


def test_forge_too_slow_times_out(checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    fake_forge.delay(3)
    branch, files = "peernet/add-partner-wake-county", {"registry/partners/wake-county.yaml"}
    result = peernet(*add_partner("Wake County"), PEERNET_HTTP_TIMEOUT="0.5")

    assert_kept_for_retry(checkout, result, branch, files, "timed out after 0.5 s", "PEERNET_HTTP_TIMEOUT")
    assert fake_forge.pulls == []
    assert peernet("submit", branch).returncode == 0
    assert len(fake_forge.pulls) == 1


def test_no_origin_remote_is_a_clear_error_then_submit(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    checkout.git("remote", "rename", "origin", "upstream")
    branch, files = "peernet/add-partner-wake-county", {"registry/partners/wake-county.yaml"}
    result = peernet(*add_partner("Wake County"))

    assert_kept_for_retry(checkout, result, branch, files, "no remote named 'origin'", "--remote")
    assert checkout.remote_head(branch) is None
    assert fake_forge.received == []

    checkout.git("remote", "rename", "upstream", "origin")
    assert peernet("submit", branch).returncode == 0
    assert checkout.remote_head(branch) == checkout.head(branch)
    assert len(fake_forge.pulls) == 1


def test_push_to_a_remote_that_is_gone_says_what_git_said(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    moved = checkout.bare.with_name("moved-away.git")
    checkout.bare.rename(moved)             # origin's URL now points at nothing
    branch, files = "peernet/add-partner-wake-county", {"registry/partners/wake-county.yaml"}
    result = peernet(*add_partner("Wake County"))

    assert_kept_for_retry(checkout, result, branch, files, "git push")
    error = result.stderr.splitlines()[-1]
    # git's reason, not the tail of its advice ("...and the repository exists.")
    assert "does not appear to be a git repository" in error or "Could not read from remote" in error, error

    moved.rename(checkout.bare)
    assert peernet("submit", branch).returncode == 0
    assert checkout.remote_head(branch) == checkout.head(branch)
    assert len(fake_forge.pulls) == 1


def test_submit_of_an_unknown_branch(peernet: Run) -> None:
    result = peernet("submit", "peernet/nothing-here")
    assert_one_line_error(result, 2, "no local branch 'peernet/nothing-here'")


# --- refusals: checked before anything is written -------------------------------------------

ADD_SHIP = ["partnerships", "add", "--brigade", "boston", "--partner-classification", "city-government",
            "--source", "https://example.org/"]
NEW_SHIP = [*ADD_SHIP, "--partner", "City of Boston", "--status", "active"]


@pytest.mark.parametrize(("args", "code", "fragments"), [
    pytest.param([*ADD_SHIP, "--partner", "City of Boston", "--status", "bogus"], 2,
                 ["--status 'bogus' is not one of: prospective, active, paused, ended, unknown"],
                 id="bad-enum"),
    pytest.param([*NEW_SHIP, "--start-date", "2014/05"], 1,
                 ["start_date", "2014/05", "nothing was written"], id="bad-date-format"),
    pytest.param([*NEW_SHIP, "--start-date", "2021-02-30"], 1,
                 ["start_date", "not a real calendar date"], id="impossible-date"),
    pytest.param([*NEW_SHIP, "--last-contact", "2999-01-01"], 1,
                 ["last_contact", "in the future"], id="last-contact-in-the-future"),
    pytest.param([*ADD_SHIP, "--partner", "GMNC", "--status", "active"], 2,
                 [GMNC_PARTNERSHIP, "already exists"], id="duplicate-partnership"),
    pytest.param(["partners", "add", "--id", "../evil", "--name", "Evil", "--classification", "nonprofit",
                  "--source", "https://example.org/"], 2, ["id '../evil' is not valid"], id="path-in-id"),
    pytest.param([*ADD_SHIP, "--brigade", "bostn", "--partner", "City of Boston", "--status", "active"], 2,
                 ["no brigade named 'bostn'", "did you mean: code-for-boston"], id="unknown-brigade"),
    pytest.param([*ADD_SHIP, "--partner", "Greater Matapan Neighborhood Council", "--status", "active"], 2,
                 ["did you mean: greater-mattapan-neighborhood-council", "--new-partner"], id="partner-typo"),
    pytest.param(["brigades", "retire", "boston", "--status", "merged"], 2, ["--successor"],
                 id="merged-without-successor"),
])
def test_refused_before_any_write(checkout: Checkout, fake_forge: FakeForge, peernet: Run,
                                  args: list[str], code: int, fragments: list[str]) -> None:
    start = checkout.head()
    assert_one_line_error(peernet(*args), code, *fragments)
    assert_nothing_written(checkout, start, fake_forge)


def test_refused_when_the_tree_has_unrelated_uncommitted_work(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    edited = checkout.root / GMNC_PARTNERSHIP
    edited.write_text(edited.read_text(encoding="utf-8") + "notes: half-typed thought\n", encoding="utf-8")
    before, start = edited.read_text(encoding="utf-8"), checkout.head()

    assert_one_line_error(peernet(*CITY_OF_BOSTON), 2, "uncommitted changes in", GMNC_PARTNERSHIP,
                          "--no-pr")
    # Only the contributor's own edit is there, unstaged as they left it; nothing new.
    assert checkout.git("diff", "--name-only") == GMNC_PARTNERSHIP
    assert checkout.git("diff", "--cached", "--name-only") == ""
    assert checkout.git("ls-files", "--others", "--exclude-standard") == ""
    assert edited.read_text(encoding="utf-8") == before
    assert checkout.head() == start and checkout.branches() == {"main"}
    assert fake_forge.received == []


def test_a_new_partner_close_to_an_existing_name_needs_new_partner(checkout: Checkout, peernet: Run) -> None:
    result = peernet(*ADD_SHIP, "--partner", "Greater Matapan Neighborhood Council", "--status", "active",
                     "--new-partner", "--no-pr")
    assert result.returncode == 0, result.stderr
    assert read_yaml(checkout, "registry/partners/greater-matapan-neighborhood-council.yaml")["name"] == \
        "Greater Matapan Neighborhood Council"


# --- --no-pr and --dry-run -------------------------------------------------------------------

def test_no_pr_writes_and_stages_exactly_the_files(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    start = checkout.head()
    result = peernet(*CITY_OF_BOSTON, "--no-pr")

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert sorted(result.stderr.splitlines()) == sorted(f"peernet: wrote {f}" for f in CITY_OF_BOSTON_FILES)
    assert set(checkout.git("diff", "--cached", "--name-only").splitlines()) == CITY_OF_BOSTON_FILES
    assert checkout.git("status", "--porcelain", "--untracked-files=all").splitlines() == sorted(
        f"A  {f}" for f in CITY_OF_BOSTON_FILES)
    assert checkout.head() == start and checkout.branches() == {"main"}    # no commit, no branch
    assert fake_forge.received == []
    assert_no_temporary_files(checkout)
    assert read_yaml(checkout, "registry/partners/city-of-boston.yaml") == {
        "id": "city-of-boston", "name": "City of Boston", "classification": "city-government",
        "sources": [{"url": "https://www.codeforboston.org/"}]}


def test_dry_run_prints_a_diff_and_writes_nothing(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    start = checkout.head()
    result = peernet(*CITY_OF_BOSTON, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert result.stderr == "peernet: dry run; nothing was written\n"
    assert "--- /dev/null\n+++ b/registry/partners/city-of-boston.yaml\n" in result.stdout
    assert "+++ b/registry/partnerships/code-for-boston--city-of-boston.yaml\n" in result.stdout
    assert "+status: active\n" in result.stdout
    assert_nothing_written(checkout, start, fake_forge)
    # It is a real patch: git applies it cleanly.
    subprocess.run(["git", "-C", str(checkout.root), "apply", "--check", "-"], input=result.stdout,
                   text=True, check=True, capture_output=True, timeout=30)


# --- edits -----------------------------------------------------------------------------------

COMMENTED_PARTNERSHIP = """\
# yaml-language-server: $schema=../../schemas/partnership.schema.json
id: code-for-boston--greater-mattapan-neighborhood-council
brigade: code-for-boston
partner: greater-mattapan-neighborhood-council
# Introduced at the 2018 Mattapan kickoff; ask the council before changing.
kind: project-partnership  # confirmed by the council in 2019
status: active
start_date: '2018'
sources:
  - document: 001_6fd433e7a95ecce0.txt
"""


def test_update_keeps_comments_and_the_order_of_untouched_fields(checkout: Checkout, peernet: Run) -> None:
    checkout.commit_file(GMNC_PARTNERSHIP, COMMENTED_PARTNERSHIP, "Note where the partnership came from")
    result = peernet("partnerships", "update", "boston", "Greater Mattapan Neighborhood Council",
                     "--status", "ended", "--last-contact", "2022-05-01", "--priority", "Housing", "--no-pr")

    assert result.returncode == 0, result.stderr
    assert checkout.git("diff", "--cached", "--name-only") == GMNC_PARTNERSHIP
    assert_no_temporary_files(checkout)
    after = (checkout.root / GMNC_PARTNERSHIP).read_text(encoding="utf-8")
    assert after == COMMENTED_PARTNERSHIP.replace("status: active\nstart_date: '2018'\n",
                                                  "status: ended\nstart_date: '2018'\n"
                                                  "last_contact: '2022-05-01'\npriorities:\n  - Housing\n")
    # Put another way: the diff touches only the changed fields.
    diff = checkout.git("diff", "--cached", "-U0").splitlines()
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-status: active", "+status: ended", "+last_contact: '2022-05-01'", "+priorities:", "+  - Housing"]


def test_update_as_a_pull_request_changes_only_that_file(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    result = peernet("partnerships", "update", "boston", "GMNC", "--status", "paused")
    branch = "peernet/update-partnership-code-for-boston--greater-mattapan-neighborhood-council"

    assert result.returncode == 0, result.stderr
    assert_committed_on_branch(checkout, branch, {GMNC_PARTNERSHIP})
    assert_back_where_we_started(checkout)
    assert read_yaml(checkout, GMNC_PARTNERSHIP)["status"] == "active"      # main is untouched
    assert yaml.safe_load(checkout.git("show", f"{branch}:{GMNC_PARTNERSHIP}"))["status"] == "paused"
    assert "status: active -> paused" in fake_forge.pulls[0]["body"]


def test_rename_keeps_the_old_name_under_other_names(checkout: Checkout, peernet: Run) -> None:
    result = peernet("brigades", "rename", "boston", "Code for Greater Boston", "--no-pr")

    assert result.returncode == 0, result.stderr
    brigade = read_yaml(checkout, "registry/brigades/code-for-boston.yaml")
    assert brigade["id"] == "code-for-boston"
    assert brigade["name"] == "Code for Greater Boston"
    assert {"name": "Code for Boston", "note": "former name"} in brigade["other_names"]
    assert brigade["aliases"] == ["boston"]


def test_retire_as_merged_into_a_successor(checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    checkout.commit_record("brigade", {"id": "code-for-ohio", "name": "Code for Ohio", "status": "active",
                                       "sources": SOURCE}, "Add Code for Ohio")
    result = peernet("brigades", "retire", "boston", "--status", "merged", "--successor", "Code for Ohio",
                     "--date", "2023")
    branch = "peernet/retire-brigade-code-for-boston"

    assert result.returncode == 0, result.stderr
    assert_committed_on_branch(checkout, branch, {"registry/brigades/code-for-boston.yaml"})
    retired = yaml.safe_load(checkout.git("show", f"{branch}:registry/brigades/code-for-boston.yaml"))
    assert retired["status"] == "merged"
    assert retired["successor"] == "code-for-ohio"
    assert retired["dissolution_date"] == "2023"
    assert fake_forge.pulls[0]["title"] == "Retire brigade: Code for Boston (merged)"
    assert_back_where_we_started(checkout)


# --- a proposal carries the change and nothing else ------------------------------------------

def test_an_edit_that_changes_nothing_is_refused_before_any_branch(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    """GMNC's status already is 'active': there is nothing to propose, so nothing happens
    (no empty commit attempt leaving the contributor on a new branch)."""
    start = checkout.head()
    result = peernet("partnerships", "update", "boston", "GMNC", "--status", "active")

    assert_one_line_error(result, 2)
    assert_nothing_written(checkout, start, fake_forge)


def test_local_commits_of_the_contributor_are_never_pushed_with_the_change(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    """On a branch of their own with an unpushed commit, the contributor's proposal holds only
    the change: it is one commit on top of main (or, if peernet cannot do that, it refuses
    before writing). Either way their private commit is neither pushed nor part of a PR."""
    checkout.git("switch", "-q", "-c", "my-notes")
    notes = checkout.root / GMNC_PARTNERSHIP
    notes.write_text(notes.read_text(encoding="utf-8") + "notes: call them back after the election\n",
                     encoding="utf-8")
    checkout.git("commit", "-q", "-am", "My notes, not for publication yet")
    private = checkout.head()

    result = peernet(*add_partner("Wake County"))

    assert checkout.current_branch() == "my-notes" and checkout.status() == ""
    in_remote = subprocess.run(["git", "--git-dir", str(checkout.bare), "cat-file", "-e",
                                f"{private}^{{commit}}"], capture_output=True, timeout=30, check=False)
    assert in_remote.returncode != 0, "the contributor's unpushed commit was pushed to origin"
    if result.returncode == 0:
        assert_committed_on_branch(checkout, "peernet/add-partner-wake-county",
                                   {"registry/partners/wake-county.yaml"}, base="main")
        assert [p["base"]["ref"] for p in fake_forge.pulls] == ["main"]
    else:
        assert_one_line_error(result, 2)
        assert checkout.branches() == {"main", "my-notes"} and fake_forge.pulls == []
