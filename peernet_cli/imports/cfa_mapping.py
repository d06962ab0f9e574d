"""Reading Code for America's organizations.json and mapping its entries to brigade data.

The input is a list of organizations as published in codeforamerica/brigade-information
(coordinates as strings, tags with case drift, deprecated `type`, records that are not
brigades). Each entry is mapped to brigade fields here; `importer` merges them with the
registry.

Mapping
- name, website (a missing scheme becomes http://), `previous_names` -> other_names
  (note: former name);
- location and coordinates: see `cfa_location`;
- social_profiles -> social (twitter/instagram handles become URLs; slack workspaces get
  https://), projects_list_url on github.com/<owner> -> social.github, events_url on
  meetup.com -> social.meetup, any other profile (e.g. "Google") -> links;
- tags (and the deprecated comma-separated `type`), case-insensitively: "Brigade" ->
  classification brigade; "Brigade Collaboration" alone -> regional-network; "Official",
  "Code for America" and CfA's fiscally-sponsored/partner-brigade tags -> member of
  cfa-brigade-network (when that network record exists), as does a plain "Brigade" tag on a
  US entry that names no other network; other networks ("Code for All", "OK Lab", "Code for
  Japan"…) are recorded only if a network record with that id exists; status stays unknown.

Skipped, with a reason (`skip_reason`): entries tagged Government, Fellowship, Partner,
Project or Temporary, entries with no Brigade tag and entries without a name.

Reading is bounded, and every problem is one line naming the file (and line:column, where
there is one): at most MAX_FILE_BYTES, read without blocking; UTF-8; nesting at most MAX_DEPTH
and at most MAX_CONTAINERS lists and objects, both checked by a linear scan before the JSON
reader (which recurses) runs; no NaN or Infinity and no number over MAX_NUMBER_CHARS; a list
(or {"organizations": [...]}) of at most MAX_ENTRIES items. Then every value the mapping reads
is checked against what the real list has (`entry_problems`: name text, previous_names a list
of text, coordinates numbers or text…, each text one line of at most MAX_TEXT_CHARS). A file
with any such problem imports nothing: the import is a reviewed change to many records, so it
should not quietly land without some of them.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from peernet_cli.change.changeset import slugify
from peernet_cli.check.rules import website_host
from peernet_cli.errors import InvalidDataError, UsageError
from peernet_cli.imports.cfa_location import location_problems, map_location, shown, text_of, text_problem
from peernet_cli.registry.names import normalise_name

CFA_NETWORK = "cfa-brigade-network"

SKIP_TAGS = {"government": "Government", "fellowship": "Fellowship", "partner": "Partner",
             "project": "Project", "temporary": "Temporary"}
CFA_TAGS = {"official", "code for america", "code for america fiscally sponsored brigade",
            "code for america partner brigade"}
CFA_NOTES = {"code for america fiscally sponsored brigade": "fiscally sponsored brigade",
             "code for america partner brigade": "partner brigade"}
# Tags that name a network; recorded only when registry/networks/<id>.yaml exists.
NETWORK_TAGS = {"code for all", "code for all affiliate", "ok lab", "code for japan", "code for poland",
                "code for romania", "code for germany"}
SOCIAL = ("github", "twitter", "facebook", "meetup", "linkedin", "instagram", "youtube", "slack",
          "flickr", "mastodon")
HANDLE_URLS = {"twitter": "https://twitter.com/{}", "instagram": "https://www.instagram.com/{}/",
               "github": "https://github.com/{}", "facebook": "https://www.facebook.com/{}"}
URL = re.compile(r"^https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                 r"[A-Za-z0-9])?)*(?::[0-9]{1,5})?(?:[/?#][^\s]*)?$")


# --- reading (bounded) -------------------------------------------------------------------

MAX_FILE_BYTES = 20_000_000  # the real list is about 180 kB: room for 100 times that
MAX_DEPTH = 32  # levels of lists and objects; the real list uses 4
MAX_CONTAINERS = 100_000  # lists and objects in the file; the real list has about 1,000
MAX_NUMBER_CHARS = 40  # one number's characters; the real list writes coordinates as text
MAX_ENTRIES = 2_000  # the real list has 221
HINT = "check this is CfA's organizations.json (or download a fresh copy)"

# Everything up to the next bracket outside a string, then the bracket (or the end). Possessive
# quantifiers never backtrack, so a scan is linear; strings are skipped inside one match.
_TO_BRACKET = re.compile(r'(?:[^"\[\]{}]++|"(?:[^"\\]++|\\[\s\S])*+"?)*+([\[\]{}]|\Z)')
_TOKEN = re.compile(r'"(?:[^"\\]++|\\[\s\S])*+"?|(-?(?:NaN|Infinity)|-?[0-9][0-9.eE+-]*)')


class _Refused(ValueError):
    """A number JSON's reader would take that the import refuses (NaN, Infinity, too long)."""


def _position(text: str, pos: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1, pos - line_start + 1


def _error(path: Path, text: str, pos: int, message: str) -> InvalidDataError:
    line, column = _position(text, pos)
    return InvalidDataError(message, f"{path}:{line}:{column}")


def _read_text(path: Path) -> str:
    """The file's text, read without blocking and at most MAX_FILE_BYTES + 1 bytes of it."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UsageError("not a regular file; give the path of organizations.json", path)
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read the file ({exc.strerror}); check the path and its permissions", path) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidDataError(f"the file is over the import limit of {MAX_FILE_BYTES:,} bytes (the CfA list "
                               f"is about 180 kB); {HINT}", path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1
        where = f"{path}:{line}:{column}"
        raise InvalidDataError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", where) from exc


def _scan(path: Path, text: str) -> list[int]:
    """Refuse nesting deeper than MAX_DEPTH and more than MAX_CONTAINERS lists and objects
    before the JSON reader (which recurses) sees the text. Returns where each list or object
    directly inside the top-level list starts."""
    depth = containers = 0
    starts: list[int] = []
    for match in _TO_BRACKET.finditer(text):
        bracket = match.group(1)
        if not bracket:
            break
        if bracket in "]}":
            depth = max(depth - 1, 0)  # an unmatched bracket is the JSON reader's to report
            continue
        if depth == 1:
            starts.append(match.start(1))
        depth += 1
        containers += 1
        if depth > MAX_DEPTH:
            raise _error(path, text, match.start(1), f"lists and objects nested deeper than {MAX_DEPTH} levels "
                         f"(the CfA list uses 4); {HINT}")
        if containers > MAX_CONTAINERS:
            raise _error(path, text, match.start(1), f"more than {MAX_CONTAINERS:,} lists and objects (the CfA "
                         f"list has about 1,000); {HINT}")
    return starts


def _number(token: str, kind: type[int | float]) -> int | float:
    if len(token) > MAX_NUMBER_CHARS:
        raise _Refused(f"a number of {len(token):,} characters, more than the {MAX_NUMBER_CHARS} allowed; "
                       "shorten it or leave the field out")
    return kind(token)


def _constant(token: str) -> Any:
    raise _Refused(f"{token} is not a JSON value (JSON has no NaN or Infinity); write a number or leave the "
                   "field out")


def _refused_at(text: str) -> int:
    """Where the first number the JSON reader refused is (only run after a refusal)."""
    for match in _TOKEN.finditer(text):
        token = match.group(1)
        if token and (len(token) > MAX_NUMBER_CHARS or token.lstrip("-") in ("NaN", "Infinity")):
            return match.start(1)
    return 0


def read_json(path: Path) -> tuple[list[Any], list[int | None]]:
    """The items of a CfA organizations.json file and the line each starts on (None when
    unknown). Every problem with the file as a whole is an InvalidDataError naming the file,
    line and column; the items themselves are not checked here (see `entry_problems`)."""
    text = _read_text(path)
    starts = _scan(path, text)
    try:
        data = json.loads(text, parse_constant=_constant, parse_int=lambda t: _number(t, int),
                          parse_float=lambda t: _number(t, float))
    except json.JSONDecodeError as exc:
        raise InvalidDataError(f"not valid JSON: {exc.msg}; fix the file or download a fresh copy",
                               f"{path}:{exc.lineno}:{exc.colno}") from exc
    except _Refused as exc:
        raise _error(path, text, _refused_at(text), str(exc)) from exc
    except (ValueError, RecursionError) as exc:  # not expected after _scan; still one line
        raise InvalidDataError(f"not valid JSON: {exc}; {HINT}", path) from exc
    lines: list[int | None] = []
    if isinstance(data, list):
        positions = iter(_lines(text, starts))
        lines = [next(positions, None) if isinstance(item, (dict, list)) else None for item in data]
    elif isinstance(data, dict) and isinstance(data.get("organizations"), list):
        data = data["organizations"]
        lines = [None] * len(data)
    else:
        raise InvalidDataError(f"expected a JSON list of organizations (objects with a name), got "
                               f"{shown(data)}; {HINT}", path)
    if len(data) > MAX_ENTRIES:
        raise InvalidDataError(f"{len(data):,} entries, more than the {MAX_ENTRIES:,} an import takes (the CfA "
                               f"list has about 220); {HINT}", path)
    return data, lines


def _lines(text: str, positions: list[int]) -> list[int]:
    """The line of each position (ascending), in one pass over the text."""
    out: list[int] = []
    line, last = 1, 0
    for pos in positions:
        line += text.count("\n", last, pos)
        last = pos
        out.append(line)
    return out


def read_file(path: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The entries of the file and every problem with their values (see `entry_problems`)."""
    items, lines = read_json(path)
    problems = [Problem(number, line, label_of(item), f, m)
                for number, (item, line) in enumerate(zip(items, lines), start=1)
                for f, m in entry_problems(item)]
    return [item for item in items if isinstance(item, dict)], problems


def read_entries(path: Path) -> list[dict[str, Any]]:
    """The organizations in a CfA organizations.json file; InvalidDataError names the first
    problem when there is any."""
    entries, problems = read_file(path)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise InvalidDataError(problems[0].text(path) + more)
    return entries


# --- checking each entry's values ------------------------------------------------------------

TEXT_FIELDS = ("name", "type", "website", "events_url", "projects_list_url")
LIST_FIELDS = {"previous_names": "names", "tags": "tags"}
MAX_LIST_ITEMS = 20  # previous names, tags or social profiles of one entry; the real list has 4 at most


@dataclass(frozen=True)
class Problem:
    """A value in one entry the import cannot use (wrong type, too long, a control character).
    Entries are numbered from 1; `line` is where the entry starts, when known."""

    entry: int
    line: int | None
    name: str | None
    field: str
    message: str

    def text(self, path: Path) -> str:
        where = f"{path}:{self.line}" if self.line else str(path)
        label = f"entry {self.entry}" + (f" ({self.name})" if self.name else "")
        return f"{where}: {label}: {self.field + ': ' if self.field else ''}{self.message}"


def label_of(item: Any) -> str | None:
    """An entry's name for messages, when it is usable text."""
    name = item.get("name") if isinstance(item, dict) else None
    if not isinstance(name, str) or text_problem(name) or not name.strip():
        return None
    name = " ".join(name.split())
    return name if len(name) <= 60 else name[:59] + "…"


def entry_problems(entry: Any) -> list[tuple[str, str]]:
    """(field, message) for every value the import reads that has the wrong type: what each
    field must be is what the real list has. A missing field or null is no problem."""
    if not isinstance(entry, dict):
        return [("", f"expected an object with the organization's fields, got {shown(entry)}")]
    out: list[tuple[str, str]] = []
    for key in TEXT_FIELDS:
        if entry.get(key) is not None and (message := text_problem(entry[key])):
            out.append((key, message))
    for key, what in LIST_FIELDS.items():
        value = entry.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            out.append((key, f"expected a list of {what}, got {shown(value)}"))
        elif len(value) > MAX_LIST_ITEMS:
            out.append((key, f"{len(value):,} {what}, more than the {MAX_LIST_ITEMS} an entry may have"))
        else:
            out.extend((f"{key}[{i}]", m) for i, item in enumerate(value) if (m := text_problem(item)))
    out.extend(location_problems(entry))
    profiles = entry.get("social_profiles")
    if profiles is not None and not isinstance(profiles, dict):
        out.append(("social_profiles", f"expected an object of profile names and addresses, got {shown(profiles)}"))
    elif isinstance(profiles, dict) and len(profiles) > MAX_LIST_ITEMS:
        out.append(("social_profiles", f"{len(profiles):,} profiles, more than the {MAX_LIST_ITEMS} an entry may have"))
    elif isinstance(profiles, dict):
        for key, value in profiles.items():
            if message := text_problem(key):
                out.append(("social_profiles", f"profile name {shown(key)}: {message}"))
            elif value is not None and (message := text_problem(value)):
                out.append((f"social_profiles.{key}", message))
    return out


def tags_of(entry: dict[str, Any]) -> list[str]:
    """Tags and the deprecated comma-separated `type`, casefolded, in order, once each."""
    raw: list[Any] = list(entry.get("tags") or []) if isinstance(entry.get("tags"), list) else []
    raw += text_of(entry.get("type")).split(",")
    out: list[str] = []
    for tag in raw:
        norm = " ".join(text_of(tag).casefold().split())
        if norm and norm not in out:
            out.append(norm)
    return out


def skip_reason(entry: dict[str, Any]) -> str | None:
    """Why an entry is not a brigade, or None."""
    if not text_of(entry.get("name")):
        return "no name"
    tags = tags_of(entry)
    hits = [SKIP_TAGS[t] for t in tags if t in SKIP_TAGS]
    if hits:
        return f"not a brigade (tagged {', '.join(hits)})"
    if "brigade" not in tags and "brigade collaboration" not in tags:
        shown = ", ".join(tags) if tags else "none"
        return f"not a brigade (no Brigade tag; tags: {shown})"
    return None


# --- mapping -------------------------------------------------------------------------------


def normalise_url(value: Any) -> str | None:
    text = text_of(value)
    if not text:
        return None
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = "http://" + text
    return text if URL.match(text) else None


def _profile_url(kind: str, value: str) -> str | None:
    value = value.strip()
    if value.startswith("@") and kind in HANDLE_URLS:
        return HANDLE_URLS[kind].format(value[1:])
    if re.fullmatch(r"[A-Za-z0-9_.-]+", value) and kind in HANDLE_URLS:
        return HANDLE_URLS[kind].format(value)
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        value = "https://" + value  # profiles live on https sites
    return normalise_url(value)


def map_social(entry: dict[str, Any], notes: list[str]) -> tuple[dict[str, str], list[dict[str, str]]]:
    social: dict[str, str] = {}
    links: list[dict[str, str]] = []
    profiles: dict[str, Any] = entry["social_profiles"] if isinstance(entry.get("social_profiles"), dict) else {}
    for key, value in profiles.items():
        kind = text_of(key).casefold()
        url = _profile_url(kind, text_of(value)) if text_of(value) else None
        if not url:
            if text_of(value):
                notes.append(f"social profile {key} '{value}' left out (not a web address)")
            continue
        if kind in SOCIAL:
            social.setdefault(kind, url)
        else:
            what = "Google Groups forum" if website_host(url) == "groups.google.com" else f"{key} profile"
            links.append({"url": url, "note": what})
    projects = normalise_url(entry.get("projects_list_url"))
    if projects:
        parsed = urlparse(projects)
        parts = [p for p in parsed.path.split("/") if p]
        if website_host(projects) == "github.com" and len(parts) == 1:
            social.setdefault("github", f"https://github.com/{parts[0]}")
    events = normalise_url(entry.get("events_url"))
    if events and website_host(events) == "meetup.com" and [p for p in urlparse(events).path.split("/") if p]:
        social.setdefault("meetup", events)
    return social, links


def map_networks(tags: list[str], country: str | None, known: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    other = [t for t in tags if t in NETWORK_TAGS]
    cfa = any(t in CFA_TAGS for t in tags) or ("brigade" in tags and country == "US" and not other)
    if cfa and CFA_NETWORK in known:
        member: dict[str, Any] = {"network": CFA_NETWORK, "role": "member"}
        notes = [CFA_NOTES[t] for t in tags if t in CFA_NOTES]
        if notes:
            member["note"] = f"{', '.join(notes)} (CfA brigade list)"
        out.append(member)
    for tag in other:
        net_id = slugify(tag)
        if net_id in known and all(m["network"] != net_id for m in out):
            out.append({"network": net_id, "role": "member"})
    return out


@dataclass
class Mapped:
    """One input entry as brigade fields (before merging)."""

    name: str
    data: dict[str, Any]
    notes: list[str]
    tags: list[str]


def map_entry(entry: dict[str, Any], networks: set[str]) -> Mapped:
    notes: list[str] = []
    name = " ".join(text_of(entry.get("name")).split())
    tags = tags_of(entry)
    data: dict[str, Any] = {"name": name}
    previous: list[dict[str, str]] = []
    seen = {normalise_name(name)}
    for old in entry.get("previous_names") or []:
        old = " ".join(text_of(old).split())
        if old and normalise_name(old) not in seen:
            seen.add(normalise_name(old))
            previous.append({"name": old, "note": "former name"})
    if previous:
        data["other_names"] = previous
    data["classification"] = "brigade" if "brigade" in tags else "regional-network"
    data["status"] = "unknown"
    location = map_location(entry, notes)
    if location:
        data["location"] = location
    raw_site = text_of(entry.get("website"))
    website = normalise_url(raw_site)
    if raw_site and not website:
        notes.append(f"website '{raw_site}' left out (not a web address)")
    if website:
        data["website"] = website
    social, links = map_social(entry, notes)
    if social:
        data["social"] = {k: social[k] for k in SOCIAL if k in social}
    members = map_networks(tags, location.get("country"), networks)
    if members:
        data["networks"] = members
    if links:
        data["links"] = links
    return Mapped(name, data, notes, tags)
