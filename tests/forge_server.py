"""A tiny GitHub-REST-compatible forge for tests: the few calls peernet makes, nothing more.

Behaviour mirrors docs.github.com ("Getting started with the REST API" / "Troubleshooting",
"Repositories > Get a repository", "Pull requests > List / Create a pull request"); issues, their
comments and labels, and updating a pull request are in tests/forge_issues.py.
Branches are checked against a real bare git remote, so a test must really push before opening a PR.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from forge_issues import IssuesMixin

DOCS = "https://docs.github.com/rest"
API_VERSION = "2022-11-28"
MAX_BODY = 1 << 20      # bytes; larger bodies get 413
MAX_DELAY = 5.0         # seconds; forge.delay() never holds a handler longer than this
PR_FIELDS = {"title", "head", "base", "body", "draft", "maintainer_can_modify", "head_repo", "issue"}
# Isolate git from the developer's config (signing hooks, templates, default branch).
GIT_ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}


def git(*args: str, cwd: Path | None = None) -> str:
    """Run git with an isolated config and return stripped stdout (raises on failure)."""
    done = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True,
                          check=True, timeout=30)
    return done.stdout.strip()


def init_bare_remote(path: Path, default_branch: str = "main") -> Path:
    """Create a bare repo at `path` whose `default_branch` holds one commit; return `path`."""
    git("init", "--bare", "-q", "-b", default_branch, str(path))
    work = path.with_name(path.name + "-seed")
    git("clone", "-q", str(path), str(work))
    git("checkout", "-q", "-b", default_branch, cwd=work)
    git("commit", "-q", "--allow-empty", "-m", "seed", cwd=work)
    git("push", "-q", "origin", default_branch, cwd=work)
    return path


def push_branch(bare: Path, branch: str, start: str = "main") -> str:
    """Push a new `branch` (one empty commit on top of `start`) into `bare`; return its sha."""
    work = bare.with_name(f"{bare.name}-push-{branch.replace('/', '_')}")
    git("clone", "-q", "-b", start, str(bare), str(work))
    git("checkout", "-q", "-b", branch, cwd=work)
    git("commit", "-q", "--allow-empty", "-m", f"work on {branch}", cwd=work)
    git("push", "-q", "origin", branch, cwd=work)
    return git("rev-parse", "HEAD", cwd=work)


@dataclass
class Request:
    """One request as the forge saw it (headers have lower-case keys)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any


def _error(message: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, **extra, "documentation_url": DOCS}


def _invalid(field: str, code: str = "invalid") -> dict[str, Any]:
    return _error("Validation Failed", errors=[{"resource": "PullRequest", "field": field, "code": code}])


class FakeForge(IssuesMixin):
    """A threaded HTTP server on 127.0.0.1 speaking the GitHub REST contract for one repository."""

    def __init__(self, bare_remote: Path, owner: str = "network", repo: str = "registry",
                 token: str = "test-token-123", default_branch: str = "main", login: str = "peernet-bot"):
        self.bare_remote, self.owner, self.repo = Path(bare_remote), owner, repo
        self.token, self.default_branch, self.login = token, default_branch, login
        self.url = ""
        self.received: list[Request] = []
        self.pulls: list[dict[str, Any]] = []
        self.fail_next: dict[str, Any] = {}     # {"status", "json", "headers"} and/or {"delay"}; one-shot
        self.header_problems: list[str] = []    # lenient-but-wrong headers (GitHub serves these anyway)
        self._lock = threading.Lock()
        self._init_issues()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- test controls -------------------------------------------------------------------------
    def fail_with(self, status: int = 500, json_body: dict[str, Any] | None = None,
                  headers: dict[str, str] | None = None) -> None:
        """Make the next request fail with `status` (e.g. 500, or 403 plus rate-limit headers)."""
        self.fail_next.update(status=status, json=json_body or _error("Server Error"), headers=headers or {})

    def delay(self, seconds: float) -> None:
        """Hold the next request `seconds` (capped at MAX_DELAY, cut short by stop()) before answering."""
        self.fail_next["delay"] = min(seconds, MAX_DELAY)

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeForge:
        """Bind 127.0.0.1 on a free port and serve from a daemon thread; sets `url`."""
        forge = self
        self._stopping.clear()

        class Handler(_Handler):
            pass

        Handler.forge = forge
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-forge", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut down promptly, even with a handler parked in delay()."""
        self._stopping.set()    # releases any delayed handler at once
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- behaviour -----------------------------------------------------------------------------
    def _branch_sha(self, branch: str) -> str | None:
        done = subprocess.run(["git", "--git-dir", str(self.bare_remote), "rev-parse", "--verify", "--quiet",
                               f"refs/heads/{branch}^{{commit}}"], capture_output=True, text=True,
                              env=GIT_ENV, timeout=10, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def _repo_json(self) -> dict[str, Any]:
        full = f"{self.owner}/{self.repo}"
        return {"id": 1, "name": self.repo, "full_name": full, "private": False,
                "owner": {"login": self.owner, "type": "Organization"},
                "default_branch": self.default_branch, "html_url": f"{self.url}/{full}",
                "url": f"{self.url}/repos/{full}"}

    def handle(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        """Route one request; returns (status, json body, extra headers)."""
        h = req.headers
        # Troubleshooting docs: requests without a User-Agent header are rejected (403).
        if not h.get("user-agent"):
            return 403, _error("Request forbidden by administrative rules. "
                               "Please make sure your request has a User-Agent header"), {}
        if h.get("accept") != "application/vnd.github+json":
            self.header_problems.append(f"{req.method} {req.path}: Accept={h.get('accept')!r}")
        if h.get("x-github-api-version") != API_VERSION:
            self.header_problems.append(f"{req.method} {req.path}: "
                                        f"X-GitHub-Api-Version={h.get('x-github-api-version')!r}")
        # Authentication docs: "Authorization: Bearer|token <TOKEN>"; a wrong one is 401 Bad credentials.
        # (GitHub serves public repos anonymously; this fake insists on a token, as peernet always sends one.)
        if h.get("authorization") not in (f"Bearer {self.token}", f"token {self.token}"):
            return 401, {**_error("Bad credentials"), "status": "401"}, {}
        parts = req.path.strip("/").split("/")
        if len(parts) < 3 or parts[0] != "repos" or parts[1:3] != [self.owner, self.repo]:
            return 404, {**_error("Not Found"), "status": "404"}, {}
        route = (req.method, "/".join(parts[3:]))
        if route == ("GET", ""):
            return 200, self._repo_json(), {}
        if route == ("GET", "pulls"):
            return 200, self._list_pulls(req.query), {}
        if route == ("POST", "pulls"):
            return self._create_pull(req.json)
        answer = self.handle_issues(req.method, parts[3:], req.query, req.json)
        if answer is not None:
            return answer
        return 404, {**_error("Not Found"), "status": "404"}, {}

    def _list_pulls(self, query: dict[str, str]) -> list[dict[str, Any]]:
        # List pull requests: state open|closed|all (default open); head "user:ref-name" filter.
        state, head = query.get("state", "open"), query.get("head")
        with self._lock:
            found = [p for p in self.pulls if (state == "all" or p["state"] == state)
                     and (head is None or p["head"]["label"] == head)]
        for pull in found:      # a pull request follows its branch: a push moves its head
            pull["head"]["sha"] = self._branch_sha(pull["head"]["ref"]) or pull["head"]["sha"]
        return found

    def _create_pull(self, body: Any) -> tuple[int, Any, dict[str, str]]:
        # Create a pull request: title/head/base required; validation errors are 422 Validation Failed.
        if body is _UNPARSEABLE:        # Troubleshooting docs: invalid JSON is 400, not 422
            return 400, _error("Problems parsing JSON"), {}
        if not isinstance(body, dict):
            return 400, _error("Body should be a JSON object"), {}
        for field in ("title", "head", "base"):
            if field not in body:
                return 422, _invalid(field, "missing_field"), {}
        unknown = sorted(set(body) - PR_FIELDS)     # stricter than GitHub, which ignores extras
        if unknown:
            return 422, _invalid(unknown[0]), {}
        for field, kinds in (("title", str), ("head", str), ("base", str), ("body", (str, type(None))),
                             ("draft", bool), ("maintainer_can_modify", bool)):
            if field in body and not isinstance(body[field], kinds):
                return 422, _invalid(field), {}
        owner, _, ref = body["head"].rpartition(":")
        if owner not in ("", self.owner):   # forks are out of scope: another owner's head is invalid
            return 422, _invalid("head"), {}
        head_sha, base_sha = self._branch_sha(ref), self._branch_sha(body["base"])
        if head_sha is None:
            return 422, _invalid("head"), {}
        if base_sha is None:
            return 422, _invalid("base"), {}
        label = f"{self.owner}:{ref}"
        with self._lock:
            if any(p["state"] == "open" and p["head"]["label"] == label for p in self.pulls):
                return 422, _error("Validation Failed", errors=[{
                    "resource": "PullRequest", "code": "custom",
                    "message": f"A pull request already exists for {label}."}]), {}
            number = self.next_number()
            api = f"{self.url}/repos/{self.owner}/{self.repo}/pulls/{number}"
            pull = {"id": 1000 + number, "number": number, "state": "open", "title": body["title"],
                    "body": body.get("body"), "draft": body.get("draft", False),
                    "maintainer_can_modify": body.get("maintainer_can_modify", False),
                    "html_url": f"{self.url}/{self.owner}/{self.repo}/pull/{number}", "url": api,
                    "head": {"ref": ref, "label": label, "sha": head_sha},
                    "base": {"ref": body["base"], "label": f"{self.owner}:{body['base']}", "sha": base_sha},
                    "user": {"login": self.login}}
            self.pulls.append(pull)
        return 201, pull, {"Location": api}


_UNPARSEABLE = object()


class _Handler(BaseHTTPRequestHandler):
    forge: FakeForge
    timeout = 5     # socket timeout: a stalled client cannot pin a handler thread

    def log_message(self, format: str, *args: Any) -> None:   # keep pytest output clean
        pass

    def _serve(self) -> None:
        forge = self.forge
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, _error("Payload too large"), {})
            return
        raw = self.rfile.read(length) if length else b""
        try:
            parsed: Any = json.loads(raw) if raw else None
        except ValueError:
            parsed = _UNPARSEABLE
        url = urlsplit(self.path)
        req = Request(self.command, url.path, dict(parse_qsl(url.query)),
                      {k.lower(): v for k, v in self.headers.items()},
                      None if parsed is _UNPARSEABLE else parsed)
        with forge._lock:
            forge.received.append(req)
            forced, forge.fail_next = forge.fail_next, {}
        if forced.get("delay") and forge._stopping.wait(forced["delay"]):
            self.close_connection = True
            return      # stopped while delayed: drop the connection
        if "status" in forced:
            self._send(forced["status"], forced["json"], forced["headers"])
            return
        self._send(*forge.handle(replace(req, json=parsed)))   # handle() sees the parse failure

    def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass    # the client gave up (e.g. its timeout fired during forge.delay())

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve
