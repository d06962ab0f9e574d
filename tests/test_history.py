"""The network over time, from git: `peernet history`, `--at`, `report growth` and
`report changes`, on real repositories built commit by commit in tmp_path, by several authors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from factories import SOURCE, RegistryBuilder
from forge_server import GIT_ENV

from peernet_cli.query.growth import period_ends


class Repo:
    """A registry in a git repository, changed by named authors on given dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.reg = RegistryBuilder(root)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, author: str = "Test", when: str = "2022-01-01T12:00:00+00:00") -> str:
        env = {**GIT_ENV, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author.split()[0].lower()}@example.org",
               "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def commit(self, message: str, author: str, when: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, author=author, when=when)
        return self.git("rev-parse", "HEAD")


def brigade(bid: str, status: str = "active", **extra: Any) -> dict[str, Any]:
    return {"id": bid, "name": bid.replace("-", " ").title(), "classification": "brigade", "status": status,
            "location": {"city": "Boston", "state": "MA", "country": "US"}, "sources": SOURCE, **extra}


def ship(b: str, p: str, status: str) -> dict[str, Any]:
    return {"id": f"{b}--{p}", "brigade": b, "partner": p, "status": status, "sources": SOURCE}


PARTNER = {"id": "city-of-boston", "name": "City of Boston", "classification": "city-government", "sources": SOURCE}
SHIP = "code-for-boston--city-of-boston"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Ana creates the registry (Jan 2022); Ben adds a partnership (Mar); Chloe pauses it on a
    branch merged in May; Ana ends it (Aug); Ben commits a broken file (Sep) and Chloe fixes it
    (Oct); a brigade is renamed on disk (Nov), deleted (Dec) and re-added (Feb 2023)."""
    r = Repo(tmp_path)
    r.reg.add("brigade", brigade("code-for-boston"))
    r.reg.add("brigade", brigade("code-for-cambridge"))
    r.reg.add("partner", PARTNER)
    r.commit("start", "Ana Lima", "2022-01-10T10:00:00+00:00")
    r.reg.add("partnership", ship("code-for-boston", "city-of-boston", "prospective"))
    r.commit("add a partnership", "Ben Ode", "2022-03-05T10:00:00+00:00")
    r.git("checkout", "-q", "-b", "pause")
    r.reg.add("partnership", ship("code-for-boston", "city-of-boston", "paused"))
    r.commit("pause it", "Chloe Ng", "2022-04-20T10:00:00+00:00")
    r.git("checkout", "-q", "main")
    r.reg.add("brigade", brigade("code-for-somerville"))
    r.commit("another brigade", "Ana Lima", "2022-04-25T10:00:00+00:00")
    r.git("merge", "-q", "--no-ff", "-m", "merge pause", "pause", author="Ana Lima", when="2022-05-02T10:00:00+00:00")
    r.reg.add("partnership", ship("code-for-boston", "city-of-boston", "ended"))
    r.commit("end it", "Ana Lima", "2022-08-15T10:00:00+00:00")
    r.reg.write("registry/brigades/code-for-cambridge.yaml", "id: code-for-cambridge\nname: [unclosed\n")
    r.commit("broken", "Ben Ode", "2022-09-01T10:00:00+00:00")
    r.reg.add("brigade", brigade("code-for-cambridge", status="inactive"))
    r.commit("fix", "Chloe Ng", "2022-10-01T10:00:00+00:00")
    r.git("mv", "registry/brigades/code-for-somerville.yaml", "registry/brigades/somerville-brigade.yaml")
    data = brigade("somerville-brigade", name="Code for Somerville")
    r.reg.add("brigade", data)
    r.commit("rename file and id", "Ben Ode", "2022-11-01T10:00:00+00:00")
    r.git("rm", "-q", "registry/brigades/somerville-brigade.yaml")
    r.commit("delete", "Ben Ode", "2022-12-01T10:00:00+00:00")
    r.reg.add("brigade", data)
    r.commit("re-add", "Chloe Ng", "2023-02-01T10:00:00+00:00")
    return r


def run(repo: Repo, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **{k: v for k, v in GIT_ENV.items() if k.startswith("GIT_CONFIG")}}
    env.pop("PEERNET_REGISTRY", None)
    done = subprocess.run(["peernet", "--registry", str(repo.root), *args], capture_output=True, text=True, env=env)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    return done


def history(repo: Repo, name: str) -> list[dict[str, Any]]:
    return json.loads(run(repo, "history", name, "--format", "json").stdout)


def test_history_lists_each_change_with_author_date_and_field(repo):
    rows = history(repo, SHIP)
    assert [(r["date"], r["author"], r["change"], r["field"], r["old"], r["new"]) for r in rows] == [
        ("2022-03-05", "Ben Ode", "created", None, None, f"registry/partnerships/{SHIP}.yaml"),
        ("2022-04-20", "Chloe Ng", "changed", "status", "prospective", "paused"),
        ("2022-08-15", "Ana Lima", "changed", "status", "paused", "ended"),
    ]


def test_a_merge_adds_no_row_of_its_own(repo):
    authors = [r["author"] for r in history(repo, SHIP)]
    assert authors.count("Ana Lima") == 1  # the merge commit (by Ana) repeats nothing


def test_history_follows_a_rename_and_a_delete_and_readd(repo):
    rows = history(repo, "somerville-brigade")
    assert [(r["change"], r["field"], r["id"]) for r in rows] == [
        ("created", None, "code-for-somerville"),
        ("renamed", "file", "somerville-brigade"),
        ("changed", "id", "somerville-brigade"),
        ("changed", "name", "somerville-brigade"),
        ("deleted", None, "somerville-brigade"),
        ("created", None, "somerville-brigade"),
    ]
    renamed = rows[1]
    assert (renamed["old"], renamed["new"]) == ("registry/brigades/code-for-somerville.yaml",
                                                "registry/brigades/somerville-brigade.yaml")


def test_a_name_as_people_type_it_finds_the_record(repo):
    assert history(repo, "Code for Boston")[0]["id"] == "code-for-boston"


def test_a_broken_version_is_reported_and_skipped(repo):
    rows = history(repo, "code-for-cambridge")
    assert [r["change"] for r in rows] == ["created", "unreadable", "changed"]
    assert rows[1]["author"] == "Ben Ode" and "skipped" in rows[1]["new"]
    fixed = rows[2]
    assert (fixed["field"], fixed["old"], fixed["new"]) == ("status", "active", "inactive")


def test_history_formats_parse(repo):
    table = list(csv.DictReader(io.StringIO(run(repo, "history", SHIP, "--format", "csv").stdout)))
    assert [r["new"] for r in table][1:] == ["paused", "ended"]
    md = run(repo, "history", SHIP, "--format", "md").stdout
    assert md.startswith(f"# History of {SHIP}") and "| prospective | paused |" in md


def test_an_unknown_record_is_one_line_with_a_hint(repo):
    done = run(repo, "history", "code-for-bostn", code=2)
    assert done.stderr.count("\n") == 1 and "did you mean: code-for-boston" in done.stderr


def test_at_a_date_lists_the_registry_as_it_stood(repo):
    rows = json.loads(run(repo, "partnerships", "list", "--at", "2022-04-30", "--format", "json").stdout)
    assert [(r["id"], r["status"]) for r in rows] == [(SHIP, "prospective")]  # the branch is not merged yet
    rows = json.loads(run(repo, "partnerships", "list", "--at", "2022-05-02", "--format", "json").stdout)
    assert [r["status"] for r in rows] == ["paused"]


def test_at_a_revision_and_the_working_tree_is_untouched(repo):
    first = repo.git("rev-list", "--max-parents=0", "HEAD")
    rows = json.loads(run(repo, "brigades", "list", "--at", first, "--format", "json").stdout)
    assert sorted(r["id"] for r in rows) == ["code-for-boston", "code-for-cambridge"]
    assert repo.git("status", "--porcelain") == ""


def test_at_before_the_first_commit_is_a_usage_error(repo):
    done = run(repo, "brigades", "list", "--at", "2021-01-01", code=2)
    assert "no commit as early as 2021-01-01" in done.stderr and "2022-01-10" in done.stderr


def test_growth_by_quarter_counts_and_changes(repo):
    rows = json.loads(run(repo, "report", "growth", "--every", "quarter", "--to", "2023-03-31",
                          "--format", "json").stdout)
    assert [r["period"] for r in rows] == ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1"]
    q1, q2, q3, q4, q5 = rows
    assert (q1["brigades"], q1["partnerships"], q1["partnerships_by_status"]["prospective"]) == (2, 1, 1)
    assert q2["status_changes"] == [f"{SHIP}: prospective -> paused"] and q2["new_brigades"] == ["code-for-somerville"]
    assert q3["ended_partnerships"] == [SHIP]
    assert q4["brigades_by_status"]["inactive"] == 1 and q4["brigades"] == 2  # somerville deleted in December
    assert q5["brigades"] == 3


def test_growth_csv_is_one_flat_row_per_period(repo):
    rows = list(csv.DictReader(io.StringIO(run(repo, "report", "growth", "--every", "year", "--to", "2023-12-31",
                                                "--format", "csv").stdout)))
    assert [(r["period"], r["brigades"], r["partnerships_ended"], r["ended_partnerships"]) for r in rows] == [
        ("2022", "2", "1", "0"),  # the first point has no interval before it
        ("2023", "3", "1", "0")]
    quarters = list(csv.DictReader(io.StringIO(run(repo, "report", "growth", "--every", "quarter", "--to",
                                                   "2022-09-30", "--format", "csv").stdout)))
    assert [r["ended_partnerships"] for r in quarters] == ["0", "0", "1"]


def test_changes_since_a_date_feed_the_new_and_changed(repo):
    rows = json.loads(run(repo, "report", "changes", "--since", "2022-06-01", "--format", "json").stdout)
    assert [(r["id"], r["change"]) for r in rows][:2] == [(SHIP, "changed"), ("code-for-cambridge", "unreadable")]
    assert all(r["date"] > "2022-06-01" for r in rows)


def test_period_ends_cut_at_the_last_day():
    assert period_ends(date(2022, 2, 10), date(2022, 7, 4), "quarter") == [
        ("2022-Q1", date(2022, 3, 31)), ("2022-Q2", date(2022, 6, 30)), ("2022-Q3", date(2022, 7, 4))]


def test_followups_can_show_when_git_last_changed_a_never_recorded_partnership(tmp_path):
    r = Repo(tmp_path)
    r.reg.add("brigade", brigade("code-for-boston"))
    r.reg.add("partner", PARTNER)
    r.reg.add("partner", {**PARTNER, "id": "mit", "name": "MIT", "classification": "university"})
    r.reg.add("partnership", ship("code-for-boston", "city-of-boston", "active"))
    r.commit("start", "Ana Lima", "2022-01-10T10:00:00+00:00")
    r.reg.add("partnership", ship("code-for-boston", "mit", "active"))
    r.commit("mit", "Ben Ode", "2022-06-01T10:00:00+00:00")
    plain = json.loads(run(r, "report", "followups", "--format", "json").stdout)
    assert [row["last_changed_in_git"] for row in plain] == [None, None]
    rows = json.loads(run(r, "report", "followups", "--history", "--format", "json").stdout)
    assert {row["partner"]: (row["last_contact"], row["last_changed_in_git"]) for row in rows} == {
        "city-of-boston": (None, "2022-01-10"), "mit": (None, "2022-06-01")}
    md = run(r, "report", "followups", "--history", "--format", "md").stdout
    assert "not a contact date" in md and "| 2022-01-10 |" in md
    table = run(r, "report", "followups", "--history")
    assert "not a contact date" in table.stderr
