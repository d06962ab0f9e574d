"""Opening pull requests through the GitHub REST API (or a compatible forge: GitHub
Enterprise, Gitea/Forgejo's GitHub-style endpoints), with the standard library's HTTP.

The token never leaves this module in any message: errors are scrubbed before raising.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from peernet_cli import __version__
from peernet_cli.errors import UsageError
from peernet_cli.safetext import inert

DEFAULT_API = "https://api.github.com"
FOOTER = "Proposed with peernet."
PAGE = 100          # comments asked for per page (GitHub's largest)
MAX_PAGES = 20      # an issue with more than 2,000 comments is not read to the end


class ForgeError(UsageError):
    pass


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str               # '' when the issue has none
    state: str              # open | closed
    labels: list[str]


@dataclass(frozen=True)
class Forge:
    api: str
    owner: str
    repo: str
    token: str
    timeout: float = 30.0

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        url = f"{self.api.rstrip('/')}{path}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"peernet/{__version__}",
            **({"Content-Type": "application/json"} if data is not None else {}),
        })
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                payload = resp.read()
        except urllib.error.HTTPError as exc:
            raise ForgeError(self._scrub(_http_message(exc, method, url))) from None
        except TimeoutError:
            raise ForgeError(f"{method} {url} timed out after {self.timeout:g} s; check the network "
                             "or raise PEERNET_HTTP_TIMEOUT") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise ForgeError(f"{method} {url} timed out after {self.timeout:g} s; check the network "
                                 "or raise PEERNET_HTTP_TIMEOUT") from None
            raise ForgeError(self._scrub(f"cannot reach {self.api}: {reason}; check the network "
                                         "and PEERNET_API_URL")) from None
        except (OSError, http.client.HTTPException) as exc:
            # A connection dropped or garbled after it was made: urllib lets these through.
            raise ForgeError(self._scrub(f"{method} {url} failed: {type(exc).__name__} {exc}; check "
                                         "the network and PEERNET_API_URL")) from None
        try:
            return json.loads(payload) if payload else None
        except ValueError:
            raise ForgeError(f"{method} {url} answered with something that is not JSON; "
                             "is PEERNET_API_URL the API address?") from None

    def _scrub(self, text: str) -> str:
        return text.replace(self.token, "***") if self.token else text

    def _unexpected(self, what: str) -> ForgeError:
        return ForgeError(f"the forge at {self.api} answered {what} with something other than "
                          "GitHub's API gives; is PEERNET_API_URL the API address?")

    def default_branch(self) -> str:
        info = self._request("GET", f"/repos/{self.owner}/{self.repo}")
        if not isinstance(info, dict):
            raise self._unexpected("the repository's details")
        return str(info.get("default_branch") or "main")

    def find_open_pull(self, branch: str) -> dict[str, Any] | None:
        query = urllib.parse.urlencode({"head": f"{self.owner}:{branch}", "state": "open"})
        pulls = self._request("GET", f"/repos/{self.owner}/{self.repo}/pulls?{query}")
        if not isinstance(pulls, list) or not all(isinstance(p, dict) and p.get("html_url") for p in pulls):
            raise self._unexpected("the list of pull requests")
        return pulls[0] if pulls else None

    def open_pull(self, branch: str, base: str, title: str, body: str) -> dict[str, Any]:
        pull = self._request("POST", f"/repos/{self.owner}/{self.repo}/pulls",
                             {"title": title, "head": branch, "base": base, "body": body})
        if not isinstance(pull, dict) or not pull.get("html_url"):
            raise self._unexpected("the new pull request")
        return pull

    def update_pull(self, number: int, title: str, body: str) -> dict[str, Any]:
        """A pull request's new title and description (Pull requests > Update a pull request)."""
        pull = self._request("PATCH", f"{self._base}/pulls/{int(number)}", {"title": title, "body": body})
        if not isinstance(pull, dict) or not pull.get("html_url"):
            raise self._unexpected("the updated pull request")
        return pull

    # --- issues, their comments and labels (what the issue-form flow uses) --------------------

    @property
    def _base(self) -> str:
        return f"/repos/{self.owner}/{self.repo}"

    def repo_web_url(self) -> str:
        """The repository's web page (https://github.com/OWNER/NAME on GitHub)."""
        info = self._request("GET", self._base)
        if not isinstance(info, dict) or not isinstance(info.get("html_url"), str):
            raise self._unexpected("the repository's details")
        return str(info["html_url"]).rstrip("/")

    def issue(self, number: int) -> Issue:
        """An issue (Issues > Get an issue); a pull request's number is refused, since GitHub
        answers for those too."""
        found = self._request("GET", f"{self._base}/issues/{int(number)}")
        if not isinstance(found, dict) or not isinstance(found.get("number"), int):
            raise self._unexpected(f"issue #{number}")
        if found.get("pull_request"):
            raise ForgeError(f"#{number} is a pull request, not an issue; give the number of the issue "
                             "that was filed with the form")
        body = found.get("body")
        labels = [str(label.get("name")) if isinstance(label, dict) else str(label)
                  for label in found.get("labels") or []]
        return Issue(found["number"], str(found.get("title") or ""), body if isinstance(body, str) else "",
                     str(found.get("state") or "open"), labels)

    def comments(self, number: int) -> list[dict[str, Any]]:
        """Every comment on an issue, oldest first, page by page (Issues > List issue comments)."""
        found: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            batch = self._request("GET", f"{self._base}/issues/{int(number)}/comments?per_page={PAGE}&page={page}")
            if not isinstance(batch, list) or not all(isinstance(c, dict) and "id" in c for c in batch):
                raise self._unexpected(f"the comments of issue #{number}")
            found.extend(batch)
            if len(batch) < PAGE:
                break
        return found

    def upsert_comment(self, number: int, marker: str, body: str) -> dict[str, Any]:
        """peernet's one comment on an issue, found by `marker` (a hidden HTML comment it
        starts with) and edited in place, else created: an edited issue gets the same comment
        again, not a new one each time. A bot's comment is preferred over a person's that
        happens to start with the marker."""
        text = f"{marker}\n{body}"
        existing = self.find_comment(number, marker)
        if existing is not None:
            comment = self._request("PATCH", f"{self._base}/issues/comments/{int(existing['id'])}", {"body": text})
        else:
            comment = self._request("POST", f"{self._base}/issues/{int(number)}/comments", {"body": text})
        if not isinstance(comment, dict) or "id" not in comment:
            raise self._unexpected("the comment")
        return comment

    def find_comment(self, number: int, marker: str) -> dict[str, Any] | None:
        mine = [c for c in self.comments(number) if str(c.get("body") or "").startswith(marker)]
        bots = [c for c in mine if isinstance(c.get("user"), dict) and c["user"].get("type") == "Bot"]
        chosen = bots or mine
        return chosen[0] if chosen else None

    def set_labels(self, number: int, present: list[str], add: str, remove: tuple[str, ...]) -> None:
        """Put label `add` on the issue and take off those of `remove` it has (`present`, its
        labels as read): GitHub creates a label that does not exist yet."""
        if add not in present:
            done = self._request("POST", f"{self._base}/issues/{int(number)}/labels", {"labels": [add]})
            if not isinstance(done, list):
                raise self._unexpected("the issue's labels")
        for name in remove:
            if name in present and name != add:
                quoted = urllib.parse.quote(name, safe="")
                self._request("DELETE", f"{self._base}/issues/{int(number)}/labels/{quoted}")


def pull_request_body(text: str, footer: str = FOOTER) -> str:
    """A pull request's description that shows `text` (a commit message's body: the change's
    summary and validation result, record values and all) as text, however it was made: each
    line inert (safetext.inert: one line, no mention, reference or closing keyword) and all of
    them in a fenced code block, in which GitHub renders no Markdown or HTML and makes no task
    list or link; the fence is longer than any run of backticks inside, so nothing closes it
    early. Then `footer`, which is ours."""
    lines = [inert(line) for line in text.strip("\n").split("\n")] if text.strip() else []
    if not lines:
        return footer
    longest = max((len(run) for run in re.findall(r"`+", "\n".join(lines))), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"{fence}text", *lines, fence, "", footer])


def _http_message(exc: urllib.error.HTTPError, method: str, url: str) -> str:
    try:
        detail = json.loads(exc.read() or b"{}")
    except ValueError:
        detail = {}
    said = detail.get("message", exc.reason)
    errors = [e.get("message") or f"{e.get('field')} {e.get('code')}" for e in detail.get("errors", [])
              if isinstance(e, dict)]
    if errors:
        said = f"{said}: {'; '.join(str(e) for e in errors)}"
    if exc.code == 401:
        hint = "the token was refused; set a valid GH_TOKEN (needs pull-request write access)"
    elif exc.code == 403:
        hint = "the token lacks permission for this repository"
    elif exc.code == 404 and "/issues/" in url:
        hint = "no such issue or comment in this repository (or the token cannot see it); check the number"
    elif exc.code == 404:
        hint = "repository not found; check PEERNET_REPO (owner/name) and the token's access"
    elif exc.code == 422 and "/issues/" in url:
        hint = "the forge refused the comment or label"
    elif exc.code == 422:
        hint = "the forge refused the pull request"
    else:
        hint = "the forge answered with an error"
    return f"{hint} ({method} {url} -> {exc.code} {said})"


_GITHUB_REMOTE = re.compile(r"(?:github\.com[:/])([^/]+)/([^/]+?)(?:\.git)?/?$")


def repo_slug(remote_url: str) -> tuple[str, str] | None:
    """owner and name from a GitHub remote URL (https or ssh), or None."""
    match = _GITHUB_REMOTE.search(remote_url)
    return (match.group(1), match.group(2)) if match else None


def token_from_environment() -> str | None:
    for var in ("GH_TOKEN", "GITHUB_TOKEN"):
        if os.environ.get(var):
            return os.environ[var]
    if shutil.which("gh"):
        try:
            done = subprocess.run(["gh", "auth", "token"], check=False, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            return None
        token = done.stdout.strip()
        return token if done.returncode == 0 and token else None
    return None


def configure(remote_url: str) -> Forge:
    """The forge for this repository, from PEERNET_API_URL / PEERNET_REPO or the remote URL."""
    api = os.environ.get("PEERNET_API_URL") or DEFAULT_API
    slug = os.environ.get("PEERNET_REPO")
    if slug:
        owner, _, name = slug.partition("/")
        if not owner or not name:
            raise ForgeError(f"PEERNET_REPO must be owner/name (got '{slug}')")
    else:
        found = repo_slug(remote_url)
        if found is None:
            raise ForgeError("cannot tell the GitHub repository from the remote URL; set "
                             "PEERNET_REPO=owner/name (and PEERNET_API_URL for another forge)")
        owner, name = found
    token = token_from_environment()
    if not token:
        raise ForgeError("no token to open the pull request: set GH_TOKEN (or GITHUB_TOKEN), "
                         "or log in with 'gh auth login'")
    try:
        timeout = float(os.environ.get("PEERNET_HTTP_TIMEOUT") or 30)
    except ValueError:
        raise ForgeError("PEERNET_HTTP_TIMEOUT must be a number of seconds") from None
    return Forge(api, owner, name, token, timeout)
