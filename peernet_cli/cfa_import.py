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
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .cfa_location import map_location, text_of
from .changes import slugify
from .errors import InvalidDataError
from .rules import normalise_name, website_host

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


# --- reading -------------------------------------------------------------------------------


def read_entries(path: Path) -> list[dict[str, Any]]:
    """The organizations in a CfA organizations.json file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidDataError(f"cannot read the file: {exc.strerror}", path) from exc
    except ValueError as exc:
        raise InvalidDataError(f"not valid JSON: {exc}", path) from exc
    if isinstance(data, dict) and isinstance(data.get("organizations"), list):
        data = data["organizations"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise InvalidDataError("expected a JSON list of organizations (objects with a name)", path)
    return data


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
    for old in entry.get("previous_names") or []:
        old = " ".join(text_of(old).split())
        if old and normalise_name(old) != normalise_name(name) and \
                all(normalise_name(o["name"]) != normalise_name(old) for o in previous):
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
