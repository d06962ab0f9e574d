"""The issue side of the fake forge (tests/forge_server.py): issues, their comments and labels,
and editing a pull request, as the issue-form flow uses them.

Behaviour follows docs.github.com/rest: "Issues > Get an issue" (a pull request's number answers
too, with a `pull_request` key), "Issue comments > List / Create / Update an issue comment"
(`per_page` at most 100, `page` from 1), "Labels > Add labels to an issue" (200 with all the
issue's labels; a label the repository lacks is created) and "Remove a label from an issue"
(200 with the rest; 404 "Label does not exist"), "Pull requests > Update a pull request".
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import unquote

DOCS = "https://docs.github.com/rest"
PULL_EDITABLE = {"title", "body", "state", "base", "maintainer_can_modify"}
Answer = tuple[int, Any, dict[str, str]]


def _error(message: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, **extra, "documentation_url": DOCS}


def _not_found() -> Answer:
    return 404, {**_error("Not Found"), "status": "404"}, {}


def _invalid(resource: str, field: str, code: str = "invalid") -> Answer:
    return 422, _error("Validation Failed", errors=[{"resource": resource, "field": field, "code": code}]), {}


class IssuesMixin:
    """Mixed into FakeForge, which provides these attributes."""

    owner: str
    repo: str
    url: str
    login: str
    pulls: list[dict[str, Any]]
    _lock: threading.Lock

    def _init_issues(self) -> None:
        self.issues: dict[int, dict[str, Any]] = {}
        self.comments: list[dict[str, Any]] = []    # every issue's, in the order made
        self.labels: dict[str, dict[str, Any]] = {}  # the repository's, by name
        self.pull_edits: dict[int, int] = {}        # PATCHes each pull request got
        self._numbers = 0                           # issues and pull requests share numbers, as on GitHub

    def next_number(self) -> int:
        self._numbers += 1
        return self._numbers

    # -- test controls -------------------------------------------------------------------------
    def file_issue(self, title: str, body: str | None, labels: tuple[str, ...] = (),
                   author: str = "organizer") -> int:
        """An issue filed by `author` (as a form would file it); returns its number."""
        with self._lock:
            number = self.next_number()
            self.issues[number] = {
                "id": 5000 + number, "number": number, "title": title, "body": body, "state": "open",
                "labels": [self._label(name) for name in labels], "user": {"login": author, "type": "User"},
                "html_url": f"{self.url}/{self.owner}/{self.repo}/issues/{number}",
                "url": f"{self._api}/issues/{number}", "comments": 0}
        return number

    def edit_issue(self, number: int, body: str) -> None:
        with self._lock:
            self.issues[number]["body"] = body

    def comments_on(self, number: int) -> list[dict[str, Any]]:
        return [c for c in self.comments if c["issue_number"] == number]

    def issue_labels(self, number: int) -> list[str]:
        return [label["name"] for label in self.issues[number]["labels"]]

    # -- routing -------------------------------------------------------------------------------
    @property
    def _api(self) -> str:
        return f"{self.url}/repos/{self.owner}/{self.repo}"

    def handle_issues(self, method: str, parts: list[str], query: dict[str, str], body: Any) -> Answer | None:
        """Answer a request under /repos/OWNER/REPO/ (`parts` the rest of the path), or None."""
        if parts[:1] == ["pulls"] and len(parts) == 2 and parts[1].isdigit() and method == "PATCH":
            return self._update_pull(int(parts[1]), body)
        if parts[:2] == ["issues", "comments"] and len(parts) == 3 and parts[2].isdigit():
            return self._update_comment(int(parts[2]), body) if method == "PATCH" else None
        if parts[:1] != ["issues"] or len(parts) < 2 or not parts[1].isdigit():
            return None
        number, rest = int(parts[1]), parts[2:]
        with self._lock:
            if number not in self.issues and not any(p["number"] == number for p in self.pulls):
                return _not_found()
        if (method, rest) == ("GET", []):
            return 200, self._issue_json(number), {}
        if (method, rest) == ("GET", ["comments"]):
            return self._list_comments(number, query)
        if (method, rest) == ("POST", ["comments"]):
            return self._create_comment(number, body)
        if (method, rest) == ("POST", ["labels"]):
            return self._add_labels(number, body)
        if method == "DELETE" and len(rest) == 2 and rest[0] == "labels":
            return self._remove_label(number, unquote(rest[1]))
        return None

    # -- issues and comments -------------------------------------------------------------------
    def _issue_json(self, number: int) -> dict[str, Any]:
        with self._lock:
            if number in self.issues:
                return dict(self.issues[number])
            pull = next(p for p in self.pulls if p["number"] == number)
            return {"id": pull["id"], "number": number, "title": pull["title"], "body": pull["body"],
                    "state": pull["state"], "labels": [], "user": pull["user"],
                    "html_url": pull["html_url"], "pull_request": {"url": pull["url"]}}

    def _list_comments(self, number: int, query: dict[str, str]) -> Answer:
        try:
            per_page, page = min(int(query.get("per_page", 30)), 100), max(int(query.get("page", 1)), 1)
        except ValueError:
            return 400, _error("Invalid page or per_page"), {}
        with self._lock:
            mine = [self._public(c) for c in self.comments if c["issue_number"] == number]
        return 200, mine[(page - 1) * per_page:page * per_page], {}

    def _create_comment(self, number: int, body: Any) -> Answer:
        problem = self._comment_body_problem(body)
        if problem:
            return problem
        with self._lock:
            cid = 9000 + len(self.comments) + 1
            comment = {"id": cid, "body": body["body"], "issue_number": number,
                       "user": {"login": self.login, "type": "Bot"},
                       "html_url": f"{self.url}/{self.owner}/{self.repo}/issues/{number}#issuecomment-{cid}",
                       "issue_url": f"{self._api}/issues/{number}", "url": f"{self._api}/issues/comments/{cid}",
                       "edits": 0}
            self.comments.append(comment)
            if number in self.issues:
                self.issues[number]["comments"] += 1
        return 201, self._public(comment), {"Location": comment["url"]}

    def _update_comment(self, cid: int, body: Any) -> Answer:
        problem = self._comment_body_problem(body)
        if problem:
            return problem
        with self._lock:
            comment = next((c for c in self.comments if c["id"] == cid), None)
            if comment is None:
                return _not_found()
            comment["body"], comment["edits"] = body["body"], comment["edits"] + 1
        return 200, self._public(comment), {}

    @staticmethod
    def _comment_body_problem(body: Any) -> Answer | None:
        if not isinstance(body, dict):
            return 400, _error("Problems parsing JSON"), {}
        if "body" not in body:
            return _invalid("IssueComment", "body", "missing_field")
        if not isinstance(body["body"], str) or not body["body"]:
            return _invalid("IssueComment", "body")
        return None

    @staticmethod
    def _public(comment: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in comment.items() if k not in ("issue_number", "edits")}

    # -- labels --------------------------------------------------------------------------------
    def _label(self, name: str) -> dict[str, Any]:
        """The repository's label `name`, created (grey, like GitHub's) when it lacks one."""
        if name not in self.labels:
            lid = 7000 + len(self.labels) + 1
            self.labels[name] = {"id": lid, "name": name, "color": "ededed", "default": False,
                                 "description": None, "url": f"{self._api}/labels/{name}"}
        return self.labels[name]

    def _add_labels(self, number: int, body: Any) -> Answer:
        names = body.get("labels") if isinstance(body, dict) else body
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            return _invalid("Label", "labels")
        with self._lock:
            if number not in self.issues:
                return _not_found()
            have = self.issues[number]["labels"]
            for name in names:
                if all(label["name"] != name for label in have):
                    have.append(self._label(name))
            return 200, list(have), {}

    def _remove_label(self, number: int, name: str) -> Answer:
        with self._lock:
            have = self.issues.get(number, {}).get("labels", [])
            if all(label["name"] != name for label in have):
                return 404, _error("Label does not exist"), {}
            have[:] = [label for label in have if label["name"] != name]
            return 200, list(have), {}

    # -- pull requests -------------------------------------------------------------------------
    def _update_pull(self, number: int, body: Any) -> Answer:
        if not isinstance(body, dict):
            return 400, _error("Problems parsing JSON"), {}
        unknown = sorted(set(body) - PULL_EDITABLE)     # stricter than GitHub, which ignores extras
        if unknown:
            return _invalid("PullRequest", unknown[0])
        for field in ("title", "body", "base"):
            if field in body and not isinstance(body[field], str):
                return _invalid("PullRequest", field)
        if "state" in body and body["state"] not in ("open", "closed"):
            return _invalid("PullRequest", "state")
        with self._lock:
            pull = next((p for p in self.pulls if p["number"] == number), None)
            if pull is None:
                return _not_found()
            for field in ("title", "body", "state", "maintainer_can_modify"):
                if field in body:
                    pull[field] = body[field]
            self.pull_edits[number] = self.pull_edits.get(number, 0) + 1
            return 200, dict(pull), {}
