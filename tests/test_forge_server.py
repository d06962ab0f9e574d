"""Tests for the fake GitHub forge itself, driven with plain urllib against a real bare remote."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from forge_server import GIT_ENV, FakeForge, init_bare_remote, push_branch

TOKEN = "test-token-123"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/vnd.github+json",
           "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "peernet/0.1.0"}


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bare = init_bare_remote(tmp_path_factory.mktemp("forge") / "registry.git")
    push_branch(bare, "add/code-for-x")
    push_branch(bare, "add/other")
    return bare


@pytest.fixture
def forge(remote: Path) -> Iterator[FakeForge]:
    with FakeForge(remote) as f:
        yield f


def call(forge: FakeForge, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
         raw: bytes | None = None, timeout: float = 5) -> tuple[int, Any, dict[str, str]]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(forge.url + path, data=data, method=method,
                                 headers=HEADERS if headers is None else headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read()), dict(resp.headers)
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read()), dict(err.headers)


def open_pr(forge: FakeForge, head: str = "add/code-for-x", **extra: Any) -> tuple[int, Any, dict[str, str]]:
    return call(forge, "POST", "/repos/network/registry/pulls",
                {"title": "Add Code for X", "head": head, "base": "main", **extra})


def test_bad_or_missing_token_is_401(forge: FakeForge) -> None:
    for auth in ({**HEADERS, "Authorization": "Bearer nope"}, {k: v for k, v in HEADERS.items()
                                                               if k != "Authorization"}):
        status, body, _ = call(forge, "GET", "/repos/network/registry", headers=auth)
        assert status == 401
        assert body == {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                        "status": "401"}
    assert call(forge, "GET", "/repos/network/registry",
                headers={**HEADERS, "Authorization": f"token {TOKEN}"})[0] == 200


def test_get_repo_and_unknown_repo(forge: FakeForge) -> None:
    status, body, _ = call(forge, "GET", "/repos/network/registry")
    assert status == 200
    assert body["default_branch"] == "main" and body["full_name"] == "network/registry"
    assert body["owner"]["login"] == "network" and body["html_url"] == f"{forge.url}/network/registry"
    status, body, _ = call(forge, "GET", "/repos/network/elsewhere")
    assert (status, body["message"]) == (404, "Not Found")


def test_create_pr_for_pushed_branch(forge: FakeForge) -> None:
    status, pr, headers = open_pr(forge, head="network:add/code-for-x", body="Adds a brigade.", draft=False)
    assert status == 201
    assert pr["number"] == 1 and pr["state"] == "open" and pr["body"] == "Adds a brigade."
    assert pr["html_url"] == f"{forge.url}/network/registry/pull/1"
    assert pr["head"]["ref"] == "add/code-for-x" and pr["head"]["label"] == "network:add/code-for-x"
    assert pr["base"]["ref"] == "main" and pr["user"]["login"]
    assert headers["Location"] == pr["url"] == f"{forge.url}/repos/network/registry/pulls/1"
    assert open_pr(forge, head="add/other")[1]["number"] == 2
    assert len(forge.pulls) == 2
    sent = forge.received[0]
    assert (sent.method, sent.path, sent.json["head"]) == ("POST", "/repos/network/registry/pulls",
                                                           "network:add/code-for-x")
    assert sent.headers["user-agent"] == "peernet/0.1.0" and forge.header_problems == []


def test_missing_branches_are_422(forge: FakeForge) -> None:
    status, body, _ = open_pr(forge, head="add/never-pushed")
    assert status == 422
    assert body["message"] == "Validation Failed"
    assert body["errors"] == [{"resource": "PullRequest", "field": "head", "code": "invalid"}]
    status, body, _ = call(forge, "POST", "/repos/network/registry/pulls",
                           {"title": "t", "head": "add/other", "base": "develop"})
    assert (status, body["errors"][0]["field"]) == (422, "base")
    assert forge.pulls == []


def test_body_validation(forge: FakeForge) -> None:
    status, body, _ = call(forge, "POST", "/repos/network/registry/pulls",
                           {"head": "add/other", "base": "main"})
    assert status == 422
    assert body["errors"] == [{"resource": "PullRequest", "field": "title", "code": "missing_field"}]
    assert open_pr(forge, labels=["x"])[1]["errors"][0] == {"resource": "PullRequest", "field": "labels",
                                                           "code": "invalid"}
    assert open_pr(forge, draft="yes")[0] == 422
    assert call(forge, "POST", "/repos/network/registry/pulls", raw=b"{not json")[1] == {
        "message": "Problems parsing JSON", "documentation_url": "https://docs.github.com/rest"}
    assert call(forge, "POST", "/repos/network/registry/pulls", body=["x"])[0] == 400


def test_duplicate_open_pr_is_422(forge: FakeForge) -> None:
    assert open_pr(forge)[0] == 201
    status, body, _ = open_pr(forge)
    assert status == 422
    assert body["errors"] == [{"resource": "PullRequest", "code": "custom",
                               "message": "A pull request already exists for network:add/code-for-x."}]


def test_list_pulls_filters_by_head_and_state(forge: FakeForge) -> None:
    open_pr(forge)
    open_pr(forge, head="add/other")
    forge.pulls[1]["state"] = "closed"
    path = "/repos/network/registry/pulls?head=network:add/code-for-x&state=open"
    status, body, _ = call(forge, "GET", path)
    assert status == 200 and [p["number"] for p in body] == [1]
    assert call(forge, "GET", "/repos/network/registry/pulls?head=network:add/other")[1] == []
    assert len(call(forge, "GET", "/repos/network/registry/pulls?state=all")[1]) == 2
    assert forge.received[-3].query == {"head": "network:add/code-for-x", "state": "open"}


def test_header_problems_are_recorded_not_refused(forge: FakeForge) -> None:
    lax = {**HEADERS, "Accept": "application/json", "X-GitHub-Api-Version": "2020-01-01"}
    status, _, _ = call(forge, "GET", "/repos/network/registry", headers=lax)
    assert status == 200
    assert len(forge.header_problems) == 2 and "Accept='application/json'" in forge.header_problems[0]
    no_agent = urllib.request.Request(forge.url + "/repos/network/registry", headers=HEADERS)
    no_agent.remove_header("User-agent")
    http = urllib.request.build_opener()
    http.addheaders = []    # drop urllib's default "Python-urllib/x.y" User-Agent
    with pytest.raises(urllib.error.HTTPError) as err:
        http.open(no_agent, timeout=5)
    err.value.close()
    assert err.value.code == 403


def test_forced_failure_is_one_shot(forge: FakeForge) -> None:
    forge.fail_with(status=500)
    assert call(forge, "GET", "/repos/network/registry")[0] == 500
    assert call(forge, "GET", "/repos/network/registry")[0] == 200


def test_delay_trips_client_timeout_and_stop_is_prompt(remote: Path) -> None:
    forge = FakeForge(remote).start()
    forge.delay(30)     # capped at MAX_DELAY; stop() must release it anyway
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        call(forge, "GET", "/repos/network/registry", timeout=0.3)
    assert call(forge, "GET", "/repos/network/registry")[0] == 200    # delay was one-shot
    forge.delay(30)
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        call(forge, "GET", "/repos/network/registry", timeout=0.2)
    started = time.monotonic()
    forge.stop()
    assert time.monotonic() - started < 1.5


# --- issues, comments, labels and updating a pull request (tests/forge_issues.py) -------------

ISSUES = "/repos/network/registry/issues"


def test_get_issue_and_a_pull_requests_number(forge: FakeForge) -> None:
    number = forge.file_issue("Add partnership", "### Brigade\n\nboston\n", labels=("new-partnership",))
    status, issue, _ = call(forge, "GET", f"{ISSUES}/{number}")
    assert status == 200
    assert (issue["number"], issue["state"], issue["body"]) == (number, "open", "### Brigade\n\nboston\n")
    assert [label["name"] for label in issue["labels"]] == ["new-partnership"]
    assert "pull_request" not in issue and issue["html_url"].endswith(f"/network/registry/issues/{number}")
    pull_number = open_pr(forge)[1]["number"]
    assert pull_number == number + 1                  # issues and pull requests share numbers
    status, as_issue, _ = call(forge, "GET", f"{ISSUES}/{pull_number}")
    assert status == 200 and as_issue["pull_request"]["url"].endswith(f"/pulls/{pull_number}")
    assert call(forge, "GET", f"{ISSUES}/999")[0] == 404


def test_comments_are_created_listed_by_page_and_edited(forge: FakeForge) -> None:
    number = forge.file_issue("t", "b")
    made = []
    for n in range(3):
        status, comment, headers = call(forge, "POST", f"{ISSUES}/{number}/comments", {"body": f"note {n}"})
        assert status == 201 and headers["Location"] == comment["url"]
        assert comment["html_url"].endswith(f"/issues/{number}#issuecomment-{comment['id']}")
        assert comment["user"]["type"] == "Bot" and "issue_number" not in comment
        made.append(comment["id"])
    status, page, _ = call(forge, "GET", f"{ISSUES}/{number}/comments?per_page=2&page=2")
    assert status == 200 and [c["body"] for c in page] == ["note 2"]
    assert len(call(forge, "GET", f"{ISSUES}/{number}/comments")[1]) == 3
    status, edited, _ = call(forge, "PATCH", f"{ISSUES}/comments/{made[0]}", {"body": "changed"})
    assert status == 200 and edited["id"] == made[0] and edited["body"] == "changed"
    assert forge.comments_on(number)[0]["edits"] == 1
    assert call(forge, "PATCH", f"{ISSUES}/comments/1", {"body": "x"})[0] == 404
    status, body, _ = call(forge, "POST", f"{ISSUES}/{number}/comments", {"text": "x"})
    assert status == 422 and body["errors"] == [{"resource": "IssueComment", "field": "body",
                                                 "code": "missing_field"}]
    assert call(forge, "POST", f"{ISSUES}/999/comments", {"body": "x"})[0] == 404


def test_labels_are_added_created_and_removed(forge: FakeForge) -> None:
    number = forge.file_issue("t", "b", labels=("new-partnership",))
    status, labels, _ = call(forge, "POST", f"{ISSUES}/{number}/labels", {"labels": ["peernet: needs changes"]})
    assert status == 200 and [label["name"] for label in labels] == ["new-partnership", "peernet: needs changes"]
    assert "peernet: needs changes" in forge.labels      # the repository gained the label
    status, rest, _ = call(forge, "DELETE", f"{ISSUES}/{number}/labels/peernet%3A%20needs%20changes")
    assert status == 200 and [label["name"] for label in rest] == ["new-partnership"]
    status, body, _ = call(forge, "DELETE", f"{ISSUES}/{number}/labels/peernet%3A%20needs%20changes")
    assert (status, body["message"]) == (404, "Label does not exist")
    assert call(forge, "POST", f"{ISSUES}/{number}/labels", {"labels": []})[0] == 422


def test_update_pull_and_its_head_follows_the_branch(forge: FakeForge, remote: Path) -> None:
    push_branch(remote, "add/moving")      # a branch of its own: the remote is shared by the module
    pull = open_pr(forge, head="add/moving")[1]
    path = f"/repos/network/registry/pulls/{pull['number']}"
    status, updated, _ = call(forge, "PATCH", path, {"title": "New title", "body": "Closes #1"})
    assert status == 200 and (updated["title"], updated["body"]) == ("New title", "Closes #1")
    assert forge.pull_edits == {pull["number"]: 1}
    assert call(forge, "PATCH", path, {"head": "elsewhere"})[0] == 422
    assert call(forge, "PATCH", "/repos/network/registry/pulls/999", {"title": "x"})[0] == 404
    moved = push_branch(remote, "add/moving-on", start="add/moving")
    subprocess.run(["git", "--git-dir", str(remote), "update-ref", "refs/heads/add/moving", moved],
                   check=True, env=GIT_ENV, timeout=30)
    [listed] = call(forge, "GET", "/repos/network/registry/pulls?head=network:add/moving")[1]
    assert listed["head"]["sha"] == moved
