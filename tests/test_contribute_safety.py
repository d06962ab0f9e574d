"""Contributing safely: hostile flag values, two runs at once, runs killed half-way, and record
values in pull requests. Real `peernet` processes in a real git checkout of a bare remote, with
the fake GitHub API (tests/forge_server.py) recording what it is sent.

What a contributor can rely on:
- a --remote, --base or branch value never reaches git as an option: it is checked as a ref
  name first, and refused with one line (exit 2) before any git command runs;
- of two adds of the same record at the same moment exactly one succeeds, and the other says
  why (exit 2); the file holds the winner's content, and at most one pull request is opened;
- the contributor's checkout stays on its branch: a proposal is committed without checking
  anything out, so not even a kill can leave it elsewhere;
- a run killed at any moment leaves every record complete or absent; the next run removes the
  temporary files it left (and says so), stages the files it wrote, and names a stale
  .git/index.lock with the command that removes it;
- a pull request shows record values as text: nothing in it mentions, links, closes or ticks.

PEERNET_STRESS=1 runs 20 races and 80 kills per case (tests/safety_helpers.py), and
PEERNET_KILL_REPORT=FILE writes where the kills landed; the hypothesis tests follow the
`security` / `security-long` profiles of conftest.py.
"""

from __future__ import annotations

import copy
import os
import random
import re
import shlex
import string
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from factories import BASE_RECORDS
from factories import assert_one_line_error as error_line
from hypothesis import given, settings
from hypothesis import strategies as st
from safety_helpers import (
    KILL_TRIALS,
    RACE_TRIALS,
    STRESS,
    active_text,
    markdown_problems,
    race,
    run_and_kill,
)
from typer.testing import CliRunner

from peernet_cli.change.changeset import branch_name
from peernet_cli.change.forge import pull_request_body
from peernet_cli.change.records import add_partnership
from peernet_cli.errors import PeernetError
from peernet_cli.registry.git import check_branch, check_remote
from peernet_cli.registry.loader import load
from peernet_cli.safetext import WORD_JOINER, inert

if TYPE_CHECKING:
    from conftest import Checkout
    from forge_server import FakeForge

Run = Callable[..., subprocess.CompletedProcess[str]]

SOURCE_URL = "https://www.codeforboston.org/"
CITY_OF_BOSTON = ["partnerships", "add", "--brigade", "boston", "--partner", "City of Boston",
                  "--partner-classification", "city-government", "--status", "active",
                  "--kind", "project-partnership", "--priority", "Open data", "--source", SOURCE_URL]
BRANCH = "peernet/add-partnership-code-for-boston--city-of-boston"
PARTNER = "registry/partners/city-of-boston.yaml"
PARTNERSHIP = "registry/partnerships/code-for-boston--city-of-boston.yaml"
GMNC_PARTNERSHIP = "registry/partnerships/code-for-boston--greater-mattapan-neighborhood-council.yaml"
WAKE = ["partners", "add", "--name", "Wake County", "--classification", "county-government",
        "--source", "https://www.wake.gov/"]


def partner_data(classification: str = "city-government", source: str = SOURCE_URL) -> dict[str, Any]:
    return {"id": "city-of-boston", "name": "City of Boston", "classification": classification,
            "sources": [{"url": source}]}


def partnership_data(status: str = "active", source: str = SOURCE_URL,
                     brigade: str = "code-for-boston") -> dict[str, Any]:
    return {"id": f"{brigade}--city-of-boston", "brigade": brigade, "partner": "city-of-boston",
            "kind": "project-partnership", "status": status, "priorities": ["Open data"],
            "sources": [{"url": source}]}


# --- what every outcome must look like ------------------------------------------------------------

def read(root: Path, rel: str) -> Any:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def leftovers(root: Path) -> list[str]:
    """Everything an interrupted or concurrent run could leave: temporary files of atomic
    writes, peernet's lock file and private index, git's index.lock."""
    found = [p.relative_to(root).as_posix() for p in (root / "registry").rglob(".*.tmp")]
    found += [p.name for p in (root / ".git").glob("peernet*")]
    found += ["index.lock"] if (root / ".git/index.lock").exists() else []
    found += [".peernet.lock"] if (root / "registry/.peernet.lock").exists() else []
    return found


def status_lines(checkout: Checkout) -> set[str]:
    return set(checkout.status().splitlines())


def reflog(checkout: Checkout) -> str:
    """HEAD's reflog: every checkout or switch adds a line, so an unchanged reflog means the
    contributor's branch never left, not even for a moment."""
    return checkout.git("reflog", "show", "--format=%H %gs", "HEAD")


# --- 3. option injection: values never reach git as options ---------------------------------------

ADD = CITY_OF_BOSTON
UPDATE = ["partnerships", "update", "boston", "GMNC", "--status", "ended"]
RENAME = ["brigades", "rename", "boston", "Code for Greater Boston"]


def hostile(marker: Path) -> list[str]:
    """Values that run `touch marker` if git reads them as an option (or as a URL or path)."""
    return [f"--upload-pack=touch {marker};", f"--receive-pack=touch {marker};", "-ccore.sshCommand=x",
            f"ext::sh -c touch% {marker}", "../elsewhere", "origin --upload-pack=x", "main:refs/heads/main",
            "main\n--upload-pack=x", ""]


@pytest.mark.parametrize("command", [ADD, UPDATE, RENAME, WAKE], ids=["add", "update", "rename", "partners-add"])
@pytest.mark.parametrize("flag", ["--base", "--remote"])
def test_a_remote_or_base_that_git_would_read_as_an_option_is_refused_before_git_runs(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run, tmp_path: Path, flag: str,
        command: list[str]) -> None:
    marker = tmp_path / "marker"
    start, log = checkout.head(), reflog(checkout)
    for value in hostile(marker):
        result = peernet(*command, flag, value)
        line = error_line(result, 2, flag)
        assert "is not" in line
        assert "\n" not in line
    assert not marker.exists(), "git ran a command from a flag value"
    assert checkout.head() == start and checkout.branches() == {"main"} and reflog(checkout) == log
    assert checkout.status() == "" and fake_forge.received == []


@pytest.mark.parametrize("flag", ["--base", "--remote"])
def test_submit_checks_its_values_too(checkout: Checkout, fake_forge: FakeForge, peernet: Run,
                                      tmp_path: Path, flag: str) -> None:
    marker = tmp_path / "marker"
    checkout.git("branch", "peernet/ready")
    for value in hostile(marker):
        error_line(peernet("submit", "peernet/ready", flag, value), 2, flag)
        error_line(peernet("submit", "--", value), 2, "no local branch")
    assert not marker.exists()
    assert checkout.remote_head("peernet/ready") is None and fake_forge.received == []


def test_the_issue_reproduction_with_the_exact_values(checkout: Checkout, fake_forge: FakeForge,
                                                      peernet: Run, tmp_path: Path) -> None:
    """`partnerships add … --base '--upload-pack=touch /tmp/x;'` (and through --remote) ran the
    command: git fetch read the value as its --upload-pack option."""
    marker = tmp_path / "x"
    for flag in ("--base", "--remote"):
        result = peernet(*ADD, flag, f"--upload-pack=touch {marker};")
        assert error_line(result, 2) == (f"peernet: error: {flag} '--upload-pack=touch {marker};' is not "
                                         + ("a branch name; give one such as main" if flag == "--base" else
                                            "the name of a remote; give one that 'git remote' lists, such as origin"))
        assert not marker.exists()
    assert fake_forge.received == []


@pytest.mark.parametrize("name", ["main", "release/2024", "feature-x", "v1.2", "users/ana/fix"])
def test_ordinary_branch_and_remote_names_are_accepted(name: str) -> None:
    assert check_branch(name) == name
    assert check_remote(name) == name


ID_TEXT = st.text(st.characters(codec="utf-8"), max_size=120) | st.sampled_from(
    ["--upload-pack=x", "-x", "a..b", "x.lock", "x.", ".x", "a//b", "@{-1}", "@", "a b", "a:b", "a~1^2", "*?[", "\\"])


@settings(max_examples=300 if STRESS else 60, deadline=None)
@given(verb=st.sampled_from(["add-partner", "add-partnership", "update-partnership", "rename-brigade"]),
       record_id=ID_TEXT)
def test_branch_names_made_from_any_id_are_valid_and_never_options(verb: str, record_id: str) -> None:
    name = branch_name(verb, record_id)
    assert name.startswith(f"peernet/{verb}-") and len(name) <= 100
    done = subprocess.run(["git", "check-ref-format", "--branch", name], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stdout.strip() == name, (name, done.stderr)


# --- 4. two runs at once ---------------------------------------------------------------------------

def one_winner(results: list[subprocess.CompletedProcess[str]], *fragments: str
               ) -> tuple[subprocess.CompletedProcess[str], list[subprocess.CompletedProcess[str]]]:
    """Exactly one run succeeded; every other failed with one clear line (exit 2)."""
    winners = [r for r in results if r.returncode == 0]
    assert len(winners) == 1, [(r.returncode, r.stderr) for r in results]
    losers = [r for r in results if r.returncode != 0]
    for loser in losers:
        error_line(loser, 2, *fragments)
    return winners[0], losers


@pytest.mark.parametrize("trial", range(RACE_TRIALS))
@pytest.mark.parametrize("racers", [2, 4])
def test_identical_adds_at_the_same_moment_write_once(
        checkout: Checkout, peernet_environ: Callable[..., dict[str, str]], tmp_path: Path,
        racers: int, trial: int) -> None:
    results = race([[*CITY_OF_BOSTON, "--no-pr"]] * racers, checkout.root, peernet_environ(), tmp_path / "race")

    one_winner(results, PARTNERSHIP, "already exists")
    assert checkout.current_branch() == "main"
    assert status_lines(checkout) == {f"A  {PARTNER}", f"A  {PARTNERSHIP}"}     # staged; nothing untracked
    assert read(checkout.root, PARTNER) == partner_data()
    assert read(checkout.root, PARTNERSHIP) == partnership_data()
    assert leftovers(checkout.root) == []


@pytest.mark.parametrize("trial", range(RACE_TRIALS))
def test_two_different_adds_of_the_same_record_keep_the_winners_content_whole(
        checkout: Checkout, peernet_environ: Callable[..., dict[str, str]], tmp_path: Path, trial: int) -> None:
    first = [*CITY_OF_BOSTON, "--no-pr"]
    second = [*CITY_OF_BOSTON[:-1], "https://second.example/", "--no-pr"]
    for i, flag in enumerate(second):
        if flag in ("--partner-classification", "--status"):
            second[i + 1] = {"--partner-classification": "county-government", "--status": "prospective"}[flag]
    results = race([first, second], checkout.root, peernet_environ(), tmp_path / "race")

    winner, _ = one_winner(results, "already exists")
    if winner.args == first:
        expected = partner_data(), partnership_data()
    else:
        expected = (partner_data("county-government", "https://second.example/"),
                    partnership_data("prospective", "https://second.example/"))
    assert (read(checkout.root, PARTNER), read(checkout.root, PARTNERSHIP)) == expected
    assert status_lines(checkout) == {f"A  {PARTNER}", f"A  {PARTNERSHIP}"}
    assert leftovers(checkout.root) == []


@pytest.mark.parametrize("trial", range(RACE_TRIALS))
def test_two_brigades_adding_the_same_new_partner_at_once_both_succeed(
        checkout: Checkout, peernet_environ: Callable[..., dict[str, str]], tmp_path: Path, trial: int) -> None:
    """The second run, reading the registry once the first is done, finds the partner made and
    adds its partnership to it: one partner file (one run's, whole), two partnerships."""
    cambridge_brigade = {**copy.deepcopy(dict(BASE_RECORDS)["brigade"]), "id": "code-for-cambridge",
                         "name": "Code for Cambridge", "aliases": ["cambridge"],
                         "location": {"city": "Cambridge", "state": "MA", "country": "US"}}
    checkout.commit_record("brigade", cambridge_brigade, "Add Cambridge")
    boston = [*CITY_OF_BOSTON[:-1], "https://boston.example/", "--no-pr"]
    cambridge = [*boston[:3], "code-for-cambridge", *boston[4:-2], "https://cambridge.example/", "--no-pr"]
    results = race([boston, cambridge], checkout.root, peernet_environ(), tmp_path / "race")

    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert read(checkout.root, PARTNER) in (partner_data(source="https://boston.example/"),
                                            partner_data(source="https://cambridge.example/"))
    assert read(checkout.root, PARTNERSHIP) == partnership_data(source="https://boston.example/")
    assert read(checkout.root, "registry/partnerships/code-for-cambridge--city-of-boston.yaml") == \
        partnership_data(source="https://cambridge.example/", brigade="code-for-cambridge")
    assert status_lines(checkout) == {f"A  {PARTNER}", f"A  {PARTNERSHIP}",
                                      "A  registry/partnerships/code-for-cambridge--city-of-boston.yaml"}
    assert leftovers(checkout.root) == []


@pytest.mark.parametrize("trial", range(RACE_TRIALS))
def test_identical_proposals_at_the_same_moment_open_one_pull_request(
        checkout: Checkout, fake_forge: FakeForge, peernet_environ: Callable[..., dict[str, str]],
        tmp_path: Path, trial: int) -> None:
    log = reflog(checkout)
    results = race([CITY_OF_BOSTON] * 2, checkout.root, peernet_environ(), tmp_path / "race")

    winner, _ = one_winner(results, "already proposed on branch", f"peernet submit {BRANCH}")
    assert len(fake_forge.pulls) == 1 and winner.stdout == fake_forge.pulls[0]["html_url"] + "\n"
    assert checkout.branches() == {"main", BRANCH}
    assert checkout.current_branch() == "main" and reflog(checkout) == log
    assert checkout.status() == "" and leftovers(checkout.root) == []
    committed = checkout.git("show", "--name-only", "--format=", BRANCH).splitlines()
    assert sorted(committed) == [PARTNER, PARTNERSHIP]


@pytest.mark.parametrize("trial", range(RACE_TRIALS))
def test_identical_adds_outside_a_git_checkout_write_once(registry: Any, tmp_path: Path, trial: int) -> None:
    from factories import peernet_env

    results = race([[*CITY_OF_BOSTON, "--no-pr"]] * 2, registry.root, peernet_env("http://127.0.0.1:9"),
                   tmp_path / "race")

    one_winner(results, "already exists")
    assert read(registry.root, PARTNER) == partner_data()
    assert read(registry.root, PARTNERSHIP) == partnership_data()
    assert leftovers(registry.root) == []


def test_a_run_that_waited_for_another_says_the_registry_changed_meanwhile(
        checkout: Checkout, peernet_environ: Callable[..., dict[str, str]]) -> None:
    """Another peernet run holds the lock and adds the partnership meanwhile (played here by a
    process that takes the lock, writes the files and lets go 1.5 s later)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(checkout.root), "1.5", PARTNER, PARTNERSHIP],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", *CITY_OF_BOSTON, "--no-pr"],
                            cwd=checkout.root, env=peernet_environ(), capture_output=True, text=True,
                            timeout=60, check=False)
    holder.wait(timeout=30)
    assert time.monotonic() - started > 1.0         # it waited for the lock
    error_line(result, 2, PARTNERSHIP, "already exists",
               "another peernet run changed the registry while this one waited for it")


# Takes peernet's lock as another run would, writes a valid file at each path given, holds on.
HOLDER = r"""
import fcntl, os, sys, time
root, hold, paths = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
fd = os.open(os.path.join(root, ".git", "peernet.lock"), os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b"pid %d\nstep writing\n" % os.getpid())
print("locked", flush=True)
for rel in paths:
    id_ = os.path.basename(rel)[:-5]
    brigade, _, partner = id_.partition("--")
    body = (f"id: {id_}\nbrigade: {brigade}\npartner: {partner}\nstatus: active\nsources:\n  - url: https://x.org/\n"
            if partner else f"id: {id_}\nname: City of Boston\nclassification: city-government\n"
            "sources:\n  - url: https://x.org/\n")
    with open(os.path.join(root, rel), "w") as f:
        f.write(body)
time.sleep(hold)
os.unlink(os.path.join(root, ".git", "peernet.lock"))
os.close(fd)
"""


# --- 5. killed at a random moment -------------------------------------------------------------------

_duration: dict[str, float] = {}
_kill_outcomes: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_kills() -> Iterator[None]:
    """PEERNET_KILL_REPORT=FILE: where the kills landed, appended to FILE at the end."""
    yield
    report = os.environ.get("PEERNET_KILL_REPORT")
    if report and _kill_outcomes:
        with open(report, "a", encoding="utf-8") as handle:
            handle.write(f"kill trials: {dict(sorted(_kill_outcomes.items()))}\n")


def kill_window(peernet: Run, key: str, args: list[str]) -> float:
    """How long a whole run takes here (a dry run, timed once, plus a margin for the writes, git
    and the forge): kills are spread over that, so they land before, during and after."""
    if key not in _duration:
        started = time.monotonic()
        peernet(*args, "--dry-run")
        _duration[key] = (time.monotonic() - started) * (1.15 if "--no-pr" in args else 1.6) + 0.05
    return _duration[key]


def follow_up(peernet: Run, args: list[str], checkout: Checkout) -> list[str]:
    """Run the command again as a contributor would, doing what each error says (remove the
    index.lock it names, submit the branch it names) until the change is done. Returns stderr
    of every run."""
    said = []
    for _ in range(4):
        result = peernet(*args)
        said.append(result.stderr)
        if result.returncode == 0:
            return said
        line = error_line(result, 2)
        if "index.lock" in line:
            assert "interrupted" in line and "rm " in line, line
            target = Path(shlex.split(line.rsplit(": rm ", 1)[1])[0])
            assert target == checkout.root / ".git" / "index.lock"
            target.unlink()
        elif "already exists" in line:          # the killed run had finished the change
            return said
        elif match := re.search(r"peernet submit ([\w./-]+)", line):
            submitted = peernet("submit", match.group(1))
            assert submitted.returncode == 0, submitted.stderr
            return said
        else:
            pytest.fail(f"no way on from: {line}")
    pytest.fail(f"the change was not done after {len(said)} runs: {said}")


@pytest.mark.parametrize("trial", range(KILL_TRIALS))
@pytest.mark.parametrize("mode", ["no-pr, with its git", "no-pr, peernet only", "pull request, with its git"])
def test_a_run_killed_at_a_random_moment_leaves_nothing_half_done(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run, peernet_environ: Callable[..., dict[str, str]],
        mode: str, trial: int) -> None:
    no_pr = mode.startswith("no-pr")
    args = [*CITY_OF_BOSTON, "--no-pr"] if no_pr else CITY_OF_BOSTON
    rng = random.Random(f"{os.environ.get('PEERNET_KILL_SEED', '')}{mode}-{trial}")
    window = kill_window(peernet, mode, args)
    # Half the kills anywhere in a run, half in its last part, where the files and git are written.
    delay = window * (rng.uniform(0, 1) if rng.random() < 0.5 else rng.uniform(0.6, 1))
    log = reflog(checkout)
    # The remote's side of a push runs apart, as a server's would: the kill reaches peernet's git only.
    checkout.git("config", "remote.origin.receivepack", "setsid git-receive-pack")
    code = run_and_kill(args, checkout.root, peernet_environ(), delay, whole_group="with its git" in mode)

    # Right after the kill: on main, every record file complete or absent.
    assert checkout.current_branch() == "main" and reflog(checkout) == log
    for rel, expected in ((PARTNER, partner_data()), (PARTNERSHIP, partnership_data())):
        if (checkout.root / rel).exists():
            assert no_pr and read(checkout.root, rel) == expected
    temporary = [p for p in leftovers(checkout.root) if p.endswith(".tmp")]
    if temporary:
        shown = subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "validate"], cwd=checkout.root,
                               env=peernet_environ(), capture_output=True, text=True, timeout=60, check=False)
        for rel in temporary:
            assert rel in shown.stdout + shown.stderr, "validate does not name a temporary file"
    _kill_outcomes["finished before the kill" if code is not None else
                   "left temporary files" if temporary else
                   "left index.lock" if (checkout.root / ".git/index.lock").exists() else
                   "left a record" if no_pr and (checkout.root / PARTNER).exists() else
                   "left a branch" if BRANCH in checkout.branches() else "killed, nothing to see"] += 1

    said = follow_up(peernet, args, checkout)

    if temporary:
        assert any("temporary file" in s for s in said), said
    assert checkout.current_branch() == "main" and reflog(checkout) == log
    assert leftovers(checkout.root) == []
    if no_pr:
        assert status_lines(checkout) == {f"A  {PARTNER}", f"A  {PARTNERSHIP}"}
        assert read(checkout.root, PARTNER) == partner_data()
        assert read(checkout.root, PARTNERSHIP) == partnership_data()
    else:
        assert checkout.status() == ""
        assert checkout.branches() == {"main", BRANCH}
        assert checkout.remote_head(BRANCH) == checkout.head(BRANCH)
        assert [p["head"]["ref"] for p in fake_forge.pulls] == [BRANCH]
        assert yaml.safe_load(checkout.git("show", f"{BRANCH}:{PARTNER}")) == partner_data()


# --- 5. what an interrupted run leaves, made on purpose ----------------------------------------------

def test_temporary_files_of_interrupted_writes_are_named_by_validate_then_removed_by_the_next_change(
        checkout: Checkout, peernet: Run) -> None:
    planted = ["registry/partners/.city-of-boston.yaml.k3j4h5g6.tmp",
               "registry/partnerships/.code-for-boston--x.yaml.a_b1c2d3.tmp"]
    kept = ["registry/partners/.notes.tmp", "registry/partners/keep.tmp"]   # not peernet's pattern
    for rel in planted + kept:
        (checkout.root / rel).write_text("id: half-writ", encoding="utf-8")

    shown = peernet("validate")
    for rel in planted:
        assert rel in shown.stdout + shown.stderr
    result = peernet(*WAKE, "--no-pr")

    assert result.returncode == 0, result.stderr
    assert f"peernet: removed 2 temporary file(s) an interrupted write left: {', '.join(planted)}" in \
        result.stderr.splitlines()
    assert [rel for rel in planted + kept if (checkout.root / rel).exists()] == kept


def test_an_index_lock_an_interrupted_peernet_run_left_is_reported_with_the_command_to_remove_it(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    (checkout.root / ".git/peernet.lock").write_text("pid 4242\nstep staging\nfile registry/partners/x.yaml\n")
    index_lock = checkout.root / ".git/index.lock"
    index_lock.touch()
    for args in ([*WAKE, "--no-pr"], WAKE):
        assert error_line(peernet(*args), 2) == (
            f"peernet: error: {index_lock} is left from an interrupted git command: an earlier peernet run "
            "(process 4242) was interrupted, and no git command of that run is still running; if no other "
            f"git command is running, remove it: rm {shlex.quote(str(index_lock))}")
    assert not (checkout.root / "registry/partners/wake-county.yaml").exists()
    assert checkout.branches() == {"main"} and fake_forge.received == []

    index_lock.unlink()
    assert peernet(*WAKE).returncode == 0 and len(fake_forge.pulls) == 1


def test_an_index_lock_of_someone_elses_git_is_reported_too(checkout: Checkout, peernet: Run) -> None:
    index_lock = checkout.root / ".git/index.lock"
    index_lock.touch()
    error_line(peernet(*WAKE, "--no-pr"), 2, f"{index_lock} exists: another git command is running in this "
               "checkout, or one was interrupted and left it; if no git command is running, remove it: "
               f"rm {shlex.quote(str(index_lock))}")
    assert index_lock.exists()      # never removed for the user: a git command may really be running


def test_files_an_interrupted_write_left_are_staged_by_the_next_run(checkout: Checkout, peernet: Run) -> None:
    """The run was killed after writing the partner, before the partnership and the staging."""
    from factories import RegistryBuilder

    RegistryBuilder(checkout.root).add("partner", partner_data())
    (checkout.root / ".git/peernet.lock").write_text(f"pid 4242\nstep writing\nfile {PARTNER}\nfile {PARTNERSHIP}\n")

    result = peernet(*CITY_OF_BOSTON, "--no-pr")

    assert result.returncode == 0, result.stderr
    assert ("peernet: an earlier peernet run (process 4242) was interrupted while writing; staged the "
            f"file(s) it had written, each complete: {PARTNER}") in result.stderr.splitlines()
    assert status_lines(checkout) == {f"A  {PARTNER}", f"A  {PARTNERSHIP}"}
    assert leftovers(checkout.root) == []


def test_a_run_killed_while_committing_leaves_nothing_that_blocks_the_next(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    """Killed inside `git update-ref`: its lock on the new branch and peernet's private index
    are left; the next run removes both (the lock said which branch) and proposes the change."""
    (checkout.root / ".git/peernet.lock").write_text(f"pid 4242\nstep committing\nfile {BRANCH}\n")
    ref_lock = checkout.root / ".git/refs/heads" / f"{BRANCH}.lock"
    ref_lock.parent.mkdir(parents=True)
    ref_lock.write_text("0" * 40 + "\n")
    (checkout.root / ".git/peernet-index-4242").write_bytes(b"DIRC")

    result = peernet(*CITY_OF_BOSTON)

    assert result.returncode == 0, result.stderr
    assert (f"peernet: an earlier peernet run (process 4242) was interrupted while committing; if 'git branch' "
            f"lists {BRANCH}, the change is on it and 'peernet submit {BRANCH}' proposes it") in result.stderr
    assert [p["head"]["ref"] for p in fake_forge.pulls] == [BRANCH]
    assert leftovers(checkout.root) == [] and not ref_lock.exists()


def test_outside_a_checkout_the_lock_file_is_in_registry_and_never_stays(registry: Any, cli: Any) -> None:
    lock = registry.root / "registry/.peernet.lock"
    lock.write_text("pid 4242\nstep writing\nfile registry/partners/wake-county.yaml\n")
    result = cli(*WAKE, "--no-pr", root=registry.root)
    assert result.exit_code == 0, result.stderr
    assert not lock.exists()
    assert read(registry.root, "registry/partners/wake-county.yaml")["name"] == "Wake County"


# --- a proposal carries only what the contributor meant ---------------------------------------------

def test_an_edit_of_a_file_that_differs_from_the_base_branch_is_refused(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    """The edit is made from the contributor's copy; committed on top of origin/main it would
    carry their unpublished commit's changes to that file."""
    path = checkout.root / GMNC_PARTNERSHIP
    path.write_text(path.read_text(encoding="utf-8") + "notes: private, not for publication\n", encoding="utf-8")
    checkout.git("commit", "-q", "-am", "My private notes")

    line = error_line(peernet(*UPDATE), 2, GMNC_PARTNERSHIP, "differs from its copy on origin/HEAD")
    assert "private" not in line
    assert checkout.branches() == {"main"} and fake_forge.received == []


def test_a_new_record_someone_else_already_merged_is_refused(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run, tmp_path: Path) -> None:
    """origin/main has the partner since the last fetch; the contributor's main does not."""
    from forge_server import git

    other = tmp_path / "other"
    git("clone", "-q", str(checkout.bare), str(other))
    from factories import RegistryBuilder

    RegistryBuilder(other).add("partner", {"id": "wake-county", "name": "Wake County",
                                           "classification": "county-government",
                                           "sources": [{"url": "https://www.wake.gov/"}]})
    git("add", "registry", cwd=other)
    git("commit", "-q", "-m", "Wake County", cwd=other)
    git("push", "-q", "origin", "main", cwd=other)
    checkout.git("fetch", "-q", "origin")

    error_line(peernet(*WAKE), 2, "registry/partners/wake-county.yaml already exists on origin/HEAD", "git pull")
    assert checkout.branches() == {"main"} and fake_forge.received == []


# --- 6. record values in the pull request are text ---------------------------------------------------

HOSTILE_NAME = ("Evil Corp Fixes #1 @everyone - [x] Approved <img src=x onerror=alert(1)> **bold** `tick` "
                "``` GH-2 org/repo#3 closes https://github.com/network/registry/issues/4 \u202e- [x] LGTM")


def pull_of(fake_forge: FakeForge) -> dict[str, Any]:
    """The one pull request, as the forge received it (the POST's JSON)."""
    posts = [r.json for r in fake_forge.received if r.method == "POST" and r.path.endswith("/pulls")]
    assert len(posts) == 1
    post: dict[str, Any] = posts[0]
    return post


def assert_quoted_as_text(checkout: Checkout, fake_forge: FakeForge) -> dict[str, Any]:
    post = pull_of(fake_forge)
    message = checkout.git("log", "-1", "--format=%B", post["head"])
    assert active_text(message) == [], "the commit message acts on something (a squash merge keeps it)"
    assert active_text(post["title"]) == [] and "\n" not in post["title"]
    body_lines = message.partition("\n")[2].strip("\n").split("\n")
    assert markdown_problems(post["body"], body_lines) == []
    return post


def test_markup_mentions_and_closing_keywords_in_a_name_reach_the_pull_request_as_text(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    result = peernet("partnerships", "add", "--brigade", "boston", "--partner", HOSTILE_NAME,
                     "--partner-classification", "city-government", "--status", "active",
                     "--priority", "@maintainers merge this; Resolves #7", "--source", "https://example.org/")
    assert result.returncode == 0, result.stderr

    post = assert_quoted_as_text(checkout, fake_forge)
    # Still readable as typed: the word joiners are invisible, the right-to-left override is shown.
    shown = post["body"].replace(WORD_JOINER, "")
    assert HOSTILE_NAME.replace("\u202e", "\\u202e") in shown
    assert "partner priority: @maintainers merge this; Resolves #7" in shown


def test_line_breaks_in_a_value_never_start_a_new_markdown_line(
        checkout: Checkout, fake_forge: FakeForge, peernet: Run) -> None:
    notes = "Met in May.\nFixes #1\n@everyone\n- [x] Approved by the board\n```\n# Heading\n<details>"
    result = peernet("partnerships", "update", "boston", "GMNC", "--notes", notes)
    assert result.returncode == 0, result.stderr

    post = assert_quoted_as_text(checkout, fake_forge)
    assert "Met in May.\\nFixes #\u20601\\n@\u2060everyone\\n- [x] Approved by the board\\n```\\n" in post["body"]


def test_a_name_with_line_breaks_is_refused_or_quoted(checkout: Checkout, fake_forge: FakeForge,
                                                      peernet: Run) -> None:
    result = peernet("partnerships", "add", "--brigade", "boston", "--partner",
                     "City of Boston\nFixes #1\n@everyone\n- [x] Approved", "--partner-classification",
                     "city-government", "--status", "active", "--source", "https://example.org/")
    if result.returncode != 0:      # the schema refuses control characters in a name
        error_line(result, 1, "nothing was written")
        assert fake_forge.received == []
    else:
        assert_quoted_as_text(checkout, fake_forge)


@pytest.mark.parametrize("text", [
    "```\n# Heading\n```", "~~~\n<script>alert(1)</script>", "````text\n- [x] done\n````",
    "    indented\n> quoted\n1. listed\n| a | b |\n|---|---|", "\n\n- [ ] task\n\n", "`` ` ``", "",
    "<!-- comment -->\n<details open>", "[link](https://evil.example) ![img](https://evil.example/x.png)",
    "https://github.com/network/registry/issues/1 fixes https://github.com/network/registry/issues/2",
])
def test_the_body_holds_any_commit_message_as_text(text: str) -> None:
    body = pull_request_body(text)
    quoted = [inert(line) for line in text.strip("\n").split("\n")] if text.strip() else []
    assert markdown_problems(body, quoted) == []
    assert body.endswith("Proposed with peernet.")


# --- the hypothesis profile: random names through add -> commit message -> pull request body ------

PIECES = ["[/]", "[x]", "- [x] ", "\n- [ ] ", "@everyone", "@a", "#1", "Fixes #12", "fixes: #3", "GH-4",
          "org/repo#5", "closes https://github.com/o/r/issues/6", "=1+1", "+cmd|' /C calc'!A0", "`", "```",
          "~~~", "<img src=x>", "<!--", "**", "_", "\\", "\n", "\r\n", "\t", "\x00", "\x1b[2J", "\u2028",
          "\u2029", "\u202e", "\u200b", "\u2060", "\ufeff", "&#64;x", "&amp;", "> ", "# ", "    ", "|"]
NAMES = st.lists(st.one_of(st.sampled_from(PIECES), st.text(string.ascii_letters + " éü", min_size=1, max_size=6),
                           st.characters()), min_size=1, max_size=6).map("".join)
_LOADED = getattr(settings, "get_current_profile_name", lambda: "default")()
PROFILE = settings.get_profile(_LOADED if _LOADED.startswith("security") else "security")


@pytest.fixture(scope="module")
def small_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from factories import RegistryBuilder

    builder = RegistryBuilder(tmp_path_factory.mktemp("names") / "reg")
    for kind, data in BASE_RECORDS:
        builder.add(kind, copy.deepcopy(data))
    return builder.root


@settings(PROFILE, max_examples=max(PROFILE.max_examples, 200))
@given(name=NAMES, priority=NAMES)
def test_no_name_becomes_a_mention_reference_closing_keyword_or_task(
        small_registry: Path, name: str, priority: str) -> None:
    assert "\n" not in inert(name) and "\r" not in inert(name) and inert(inert(name)) == inert(name)
    assert active_text(inert(name)) == []
    reg = load(small_registry)
    try:
        cs = add_partnership(reg, "boston", name, {"status": "active", "priorities": [priority]},
                             {"classification": "nonprofit"}, create=True)
    except PeernetError:
        return      # no id can be made from the name, or it names an existing record
    title, _, body = cs.commit_message(2).partition("\n")
    assert active_text(title) == [] and active_text(body) == []
    quoted = body.strip("\n").split("\n")
    assert markdown_problems(pull_request_body(body), quoted) == []


@settings(PROFILE)
@given(name=NAMES)
def test_a_dry_run_with_any_name_never_crashes(small_registry: Path, name: str) -> None:
    from peernet_cli.cli.app import app

    result = CliRunner().invoke(app, ["--registry", str(small_registry), "partnerships", "add", "--brigade",
                                      "boston", "--partner", name, "--partner-classification", "nonprofit",
                                      "--status", "active", "--source", "https://example.org/", "--new-partner",
                                      "--dry-run"], catch_exceptions=False)
    assert result.exit_code in (0, 1, 2), result.stderr
    if result.exit_code:
        errors = [line for line in result.stderr.splitlines() if line.startswith(("peernet: error: ", "Error: "))]
        assert len(errors) == 1, result.stderr     # ours, or click's for a name it takes for an option
    assert list((small_registry / "registry").rglob(".*.tmp")) == []
    assert len(list((small_registry / "registry").rglob("*.yaml"))) == len(BASE_RECORDS)
