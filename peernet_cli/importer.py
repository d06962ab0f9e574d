"""`peernet import cfa-brigades`: brigades from Code for America's organizations.json.

The input is a list of organizations as published in codeforamerica/brigade-information
(coordinates as strings, tags with case drift, deprecated `type`, records that are not
brigades). Each entry is mapped to a brigade record, then merged with the registry:

Mapping
- name, website (a missing scheme becomes http://), `previous_names` -> other_names
  (note: former name);
- location: city, state (a two-letter postal code in the US: "California" -> CA; elsewhere the
  state or province text, e.g. "ON"), country as ISO 3166-1 alpha-2 ("USA" -> US); the
  `location` object first, then the "City, ST" text; an entry with a US state but no country
  is in the US;
- latitude/longitude parsed from the strings; left out, with a reason, when they do not parse,
  are out of range, are 0,0, disagree between the top-level and location.coordinates copies,
  or put a US city in the eastern hemisphere (positive longitude) or outside latitudes 17-72;
- social_profiles -> social (twitter/instagram handles become URLs; slack workspaces get
  https://), projects_list_url on github.com/<owner> -> social.github, events_url on
  meetup.com -> social.meetup, any other profile (e.g. "Google") -> links;
- tags (and the deprecated comma-separated `type`), case-insensitively: "Brigade" ->
  classification brigade; "Brigade Collaboration" alone -> regional-network; "Official",
  "Code for America" and CfA's fiscally-sponsored/partner-brigade tags -> member of
  cfa-brigade-network (when that network record exists), as does a plain "Brigade" tag on a
  US entry that names no other network; other networks ("Code for All", "OK Lab", "Code for
  Japan"…) are recorded only if a network record with that id exists; status stays unknown.

Skipped, with a reason: entries tagged Government, Fellowship, Partner, Project or Temporary,
entries with no Brigade tag, entries without a name, and entries that match an existing
record ambiguously.

Merge: an entry matches an existing brigade by id (slug of its name), then by name or other
name (case-insensitive), then by website host (only hosts no other entry shares). A match only
gains what it lacks: missing website, location fields (only when its city is missing or the
same), missing social profiles, other_names/classification/networks when absent. Name,
aliases, status and existing lists are never changed. The first time an entry contributes a
fact, a source citing the file is added. A website several entries share goes to `links`
rather than `website`, and a former name already used by another brigade is left out, so the
import never creates likely-duplicate warnings. New ids that collide with another record's id
get a `-brigade` suffix. Existing files are edited with the round-trip loader (comments
survive) and written in canonical form; running the import twice changes nothing.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from . import yamlio
from .changes import ChangeSet, FileChange, slugify
from .errors import InvalidDataError
from .formatting import canonical_text
from .registry import Record, Registry, path_for
from .rules import normalise_name, website_host

DOCUMENT = "cfa-brigade-information-organizations.json"
CFA_NETWORK = "cfa-brigade-network"

US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "washington dc": "DC", "washington d c": "DC", "florida": "FL", "georgia": "GA", "hawaii": "HI",
    "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY",
    "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE",
    "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
    "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
    "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
    "puerto rico": "PR", "guam": "GU", "u s virgin islands": "VI", "american samoa": "AS",
    "northern mariana islands": "MP",
}
US_CODES = set(US_STATES.values())

COUNTRIES = {
    "usa": "US", "us": "US", "united states": "US", "united states of america": "US",
    "canada": "CA", "mexico": "MX", "méxico": "MX", "brazil": "BR", "brasil": "BR", "japan": "JP",
    "taiwan": "TW", "south korea": "KR", "korea": "KR", "germany": "DE", "croatia": "HR",
    "poland": "PL", "romania": "RO", "united kingdom": "GB", "uk": "GB", "great britain": "GB",
    "ireland": "IE", "netherlands": "NL", "finland": "FI", "australia": "AU", "new zealand": "NZ",
    "pakistan": "PK", "kenya": "KE", "nigeria": "NG", "ghana": "GH", "south africa": "ZA",
    "jamaica": "JM", "france": "FR", "spain": "ES", "italy": "IT", "india": "IN", "israel": "IL",
    "belgium": "BE", "denmark": "DK", "norway": "NO", "sweden": "SE", "argentina": "AR", "chile": "CL",
    "colombia": "CO", "peru": "PE", "philippines": "PH", "singapore": "SG", "hong kong": "HK",
}

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


# --- results -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What happened to one input entry."""

    name: str
    action: str  # created | updated | unchanged | skipped
    id: str | None = None
    filled: list[str] = field(default_factory=list)  # fields added
    notes: list[str] = field(default_factory=list)  # reasons: skips, values left out, renamed ids


@dataclass
class ImportPlan:
    outcomes: list[Outcome]
    changes: ChangeSet
    total: int

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("created", "updated", "unchanged", "skipped")}


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


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def tags_of(entry: dict[str, Any]) -> list[str]:
    """Tags and the deprecated comma-separated `type`, casefolded, in order, once each."""
    raw: list[Any] = list(entry.get("tags") or []) if isinstance(entry.get("tags"), list) else []
    raw += _text(entry.get("type")).split(",")
    out: list[str] = []
    for tag in raw:
        norm = " ".join(_text(tag).casefold().split())
        if norm and norm not in out:
            out.append(norm)
    return out


def skip_reason(entry: dict[str, Any]) -> str | None:
    """Why an entry is not a brigade, or None."""
    if not _text(entry.get("name")):
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


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def country_code(text: str) -> str | None:
    text = text.strip()
    if re.fullmatch(r"[A-Z]{2}", text):
        return text
    return COUNTRIES.get(text.casefold()) or COUNTRIES.get(_key(text))


def us_state(text: str) -> str | None:
    text = text.strip()
    if text.upper() in US_CODES and len(text) == 2:
        return text.upper()
    return US_STATES.get(_key(text))


def normalise_url(value: Any) -> str | None:
    text = _text(value)
    if not text:
        return None
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = "http://" + text
    return text if URL.match(text) else None


def map_location(entry: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    loc: dict[str, Any] = entry["location"] if isinstance(entry.get("location"), dict) else {}
    city_text = _text(entry.get("city"))
    first, _, rest = city_text.partition(",") if "," in city_text else (city_text, "", "")
    city = _text(loc.get("city")) or first.strip()
    state_text = _text(loc.get("state"))
    country_text = _text(loc.get("country"))
    country = country_code(country_text) if country_text else None
    if country_text and not country:
        notes.append(f"country '{country_text}' left out (no ISO code known)")
    rest = rest.strip()
    if not state_text and rest:
        state_text = rest
    if not country_text and not loc and city and country_code(city) and not rest:
        country, city = country_code(city), ""  # "Japan": a country, not a city
    out: dict[str, Any] = {}
    us = us_state(state_text) if state_text else None
    if country in (None, "US") and us:
        out_state: str | None = us
        country = "US"
    elif country == "US":
        out_state = None
        if state_text:
            notes.append(f"state '{state_text}' left out (not a US state)")
    else:
        # Outside the US: keep the state/province text, minus a repeated country name.
        out_state = re.split(r"\s+-\s+", state_text)[0].strip() if state_text else None
        if out_state and (country_code(out_state) == country or _key(out_state) == _key(country_text)):
            out_state = None
    if city and country_code(city) == country and _key(city) == _key(country_text):
        city = ""
    if city:
        out["city"] = city
    if out_state:
        out["state"] = out_state
    if country:
        out["country"] = country
    coords = map_coordinates(entry, loc, country, notes)
    if coords:
        out["latitude"], out["longitude"] = coords
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = _text(value)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def map_coordinates(entry: dict[str, Any], loc: dict[str, Any], country: str | None,
                    notes: list[str]) -> tuple[float, float] | None:
    inner: dict[str, Any] = loc["coordinates"] if isinstance(loc.get("coordinates"), dict) else {}
    pairs = []
    for where, src in (("latitude/longitude", entry), ("location.coordinates", inner)):
        lat_raw, lon_raw = src.get("latitude"), src.get("longitude")
        if _text(lat_raw) == "" and _text(lon_raw) == "" and not isinstance(lat_raw, (int, float)):
            continue
        lat, lon = _number(lat_raw), _number(lon_raw)
        if lat is None or lon is None:
            notes.append(f"coordinates left out: {where} '{lat_raw}', '{lon_raw}' are not numbers")
            return None
        pairs.append((lat, lon))
    if not pairs:
        return None
    lat, lon = pairs[0]
    if any(abs(a - lat) > 1e-6 or abs(b - lon) > 1e-6 for a, b in pairs[1:]):
        notes.append(f"coordinates left out: latitude/longitude ({pairs[0][0]}, {pairs[0][1]}) and "
                     f"location.coordinates ({pairs[1][0]}, {pairs[1][1]}) disagree")
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        notes.append(f"coordinates left out: ({lat}, {lon}) is out of range")
        return None
    if lat == 0 and lon == 0:
        notes.append("coordinates left out: 0, 0 is a placeholder")
        return None
    if country == "US" and lon > 0:
        notes.append(f"coordinates left out: positive longitude {lon} puts a US city east of Greenwich")
        return None
    if country == "US" and not 17 <= lat <= 72:
        notes.append(f"coordinates left out: latitude {lat} is outside the US")
        return None
    return lat, lon


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
        kind = _text(key).casefold()
        url = _profile_url(kind, _text(value)) if _text(value) else None
        if not url:
            if _text(value):
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
    name = " ".join(_text(entry.get("name")).split())
    tags = tags_of(entry)
    data: dict[str, Any] = {"name": name}
    previous: list[dict[str, str]] = []
    for old in entry.get("previous_names") or []:
        old = " ".join(_text(old).split())
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
    raw_site = _text(entry.get("website"))
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


# --- merging -------------------------------------------------------------------------------


def _site_key(url: str) -> str:
    return website_host(url) + urlparse(url).path.rstrip("/")


LABELS = {"name": "name", "other_names": "former names", "classification": "classification",
          "location": "location", "coordinates": "coordinates", "website": "website",
          "social": "social links", "networks": "network membership", "links": "links"}


def _describe(fields: list[str]) -> str:
    """'location, coordinates, social links' for fields like location.city, location.latitude."""
    wanted = {"coordinates" if f in ("location.latitude", "location.longitude") else f.split(".")[0]
              for f in fields}
    return ", ".join(label for key, label in LABELS.items() if key in wanted)


def _source(name: str, fields: list[str]) -> dict[str, str]:
    return {"document": DOCUMENT, "note": f'entry "{name}" in the CfA brigade list: {_describe(fields)}'}


class _Index:
    """Existing brigades (and ids of every kind) to match entries against."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self.taken = {r.id for r in reg.all()}
        self.by_name: dict[str, set[str]] = {}
        self.by_host: dict[str, set[str]] = {}
        self.site_keys: dict[str, set[str]] = {}
        for record in reg.of("brigade").values():
            self.add(record.id, record.data)

    def add(self, record_id: str, data: dict[str, Any]) -> None:
        names = [data.get("name")] + [o.get("name") for o in data.get("other_names") or [] if isinstance(o, dict)]
        for n in names:
            if isinstance(n, str) and normalise_name(n):
                self.by_name.setdefault(normalise_name(n), set()).add(record_id)
        site = data.get("website")
        if isinstance(site, str) and website_host(site):
            self.by_host.setdefault(website_host(site), set()).add(record_id)
            self.site_keys.setdefault(_site_key(site), set()).add(record_id)

    def names_of_others(self, record_id: str) -> set[str]:
        return {n for n, ids in self.by_name.items() if ids - {record_id}}


def plan_import(reg: Registry, entries: list[dict[str, Any]]) -> ImportPlan:
    """What importing `entries` would do to the registry at reg.root (nothing is written)."""
    networks = set(reg.of("network")) | {r.id for r in reg.of("brigade").values()
                                        if r.get("classification") == "regional-network"}
    index = _Index(reg)
    mapped: list[tuple[dict[str, Any], Mapped | None, str | None]] = []
    for entry in entries:
        reason = skip_reason(entry)
        mapped.append((entry, None if reason else map_entry(entry, networks), reason))
    # Hosts and sites several entries share identify no single organization.
    host_count: dict[str, int] = {}
    site_count: dict[str, int] = {}
    for entry in entries:
        site = normalise_url(entry.get("website"))
        if site:
            host_count[website_host(site)] = host_count.get(website_host(site), 0) + 1
            site_count[_site_key(site)] = site_count.get(_site_key(site), 0) + 1

    outcomes: list[Outcome] = []
    cs = ChangeSet(title="Import brigades from the CfA brigade list", branch="peernet/import-cfa-brigades")
    claimed: dict[str, str] = {}  # record id -> entry name that merged into it
    for entry, m, reason in mapped:
        name = _text(entry.get("name")) or "(no name)"
        if m is None:
            outcomes.append(Outcome(name, "skipped", notes=[reason or "skipped"]))
            continue
        site = m.data.get("website")
        if site and site_count.get(_site_key(site), 0) > 1:
            others = sorted(_text(e.get("name")) for e in entries
                            if normalise_url(e.get("website")) and _site_key(normalise_url(e.get("website")) or "")
                            == _site_key(site) and e is not entry)
            m.data.pop("website")
            m.data.setdefault("links", []).insert(0, {"url": site, "note": "website listed in the CfA brigade list, "
                                                      f"shared with {', '.join(others)}"})
            m.notes.append(f"website {site} recorded as a link (also listed for {', '.join(others)})")
        match, how = _match(index, m, site if site and host_count.get(website_host(site), 0) == 1 else None)
        if how == "ambiguous":
            outcomes.append(Outcome(name, "skipped", notes=[f"matches more than one brigade: {', '.join(match)}"]))
            continue
        if match:
            record_id = match[0]
            if record_id in claimed:
                outcomes.append(Outcome(name, "skipped", record_id,
                                        notes=[f"matches {record_id}, already merged from entry \"{claimed[record_id]}\""]))
                continue
            claimed[record_id] = name
            record = reg.of("brigade")[record_id]
            outcome = _merge(record, m, index, cs)
            outcomes.append(outcome)
            continue
        outcome = _create(reg, m, index, cs)
        claimed[outcome.id or ""] = name
        outcomes.append(outcome)
    return ImportPlan(outcomes, cs, len(entries))


def _match(index: _Index, m: Mapped, site: str | None) -> tuple[list[str], str | None]:
    slug = slugify(m.name.replace("ß", "ss"))
    if slug in index.reg.of("brigade"):
        return [slug], "id"
    names = {normalise_name(m.name)} | {normalise_name(o["name"]) for o in m.data.get("other_names", [])}
    found: set[str] = set()
    for n in names:
        found |= index.by_name.get(n, set())
    if len(found) == 1:
        return sorted(found), "name"
    if len(found) > 1:
        return sorted(found), "ambiguous"
    if site:
        hosts = index.by_host.get(website_host(site), set())
        if len(hosts) == 1:
            return sorted(hosts), "website"
    return [], None


def _new_id(index: _Index, name: str, notes: list[str]) -> str:
    base = slugify(name.replace("ß", "ss")) or "brigade"
    candidate = base
    if candidate in index.taken:
        owner = index.reg.find(candidate)
        what = f"a {owner.kind}" if owner else "another new brigade"
        candidate = base if base.endswith("-brigade") else slugify(f"{base}-brigade")
        n = 2
        while candidate in index.taken:
            candidate = slugify(f"{base}-{n}")
            n += 1
        notes.append(f"id {base} is taken by {what}; created as {candidate}")
    return candidate


def _drop_conflicting_names(data: dict[str, Any], index: _Index, record_id: str, notes: list[str]) -> None:
    others = index.names_of_others(record_id)
    kept = []
    for other in data.get("other_names", []):
        if normalise_name(other["name"]) in others:
            notes.append(f"former name '{other['name']}' left out (another brigade has that name)")
        else:
            kept.append(other)
    if kept:
        data["other_names"] = kept
    else:
        data.pop("other_names", None)


def _create(reg: Registry, m: Mapped, index: _Index, cs: ChangeSet) -> Outcome:
    notes = list(m.notes)
    record_id = _new_id(index, m.name, notes)
    data = dict(m.data)
    _drop_conflicting_names(data, index, record_id, notes)
    site = data.get("website")
    if site and index.site_keys.get(_site_key(site)):
        notes.append(f"website {site} recorded as a link (brigade {min(index.site_keys[_site_key(site)])} "
                     "has the same website)")
        data.pop("website")
        data.setdefault("links", []).insert(0, {"url": site, "note": "website listed in the CfA brigade list"})
    fields = [k for k in data if k != "status"]
    if "latitude" in data.get("location", {}):
        fields.append("location.latitude")
    record = {"id": record_id, **data, "sources": [_source(m.name, fields)]}
    index.taken.add(record_id)
    index.add(record_id, record)
    cs.changes.append(FileChange("brigade", path_for(reg.root, "brigade", record_id),
                                 canonical_text("brigade", record)))
    return Outcome(m.name, "created", record_id, fields, notes)


def _merge(record: Record, m: Mapped, index: _Index, cs: ChangeSet) -> Outcome:
    """Fill what the record lacks; never change what it has. The decision is made on the
    fast-loaded data; only a record that gains something is re-read for editing (the
    round-trip loader keeps comments but is slow)."""
    notes = list(m.notes)
    new = dict(m.data)
    _drop_conflicting_names(new, index, record.id, notes)
    filled = _fill(copy.deepcopy(record.data), new, index, record.id, notes)
    if not filled:
        return Outcome(m.name, "unchanged", record.id, notes=notes)
    text = record.text
    lines = text.split("\n")
    body = "\n".join(lines[1:]) if lines and lines[0].startswith(yamlio.MODELINE_PREFIX) else text
    doc = yamlio.load_round_trip(body)
    _fill(doc, copy.deepcopy(new), index, record.id, [])
    sources = doc.get("sources")
    if isinstance(sources, list) and not any(isinstance(s, dict) and s.get("document") == DOCUMENT for s in sources):
        sources.append(_source(m.name, filled))
    index.add(record.id, doc)
    cs.changes.append(FileChange("brigade", record.path, canonical_text("brigade", doc), text))
    return Outcome(m.name, "updated", record.id, filled, notes)


def _fill(doc: Any, new: dict[str, Any], index: _Index, record_id: str, notes: list[str]) -> list[str]:
    """Add to `doc` (a record's mapping) the fields of `new` it lacks; returns what was added."""
    filled: list[str] = []
    site = new.get("website")
    if site and "website" not in doc:
        if index.site_keys.get(_site_key(site), set()) - {record_id}:
            notes.append(f"website {site} left out (another brigade has it)")
        else:
            doc["website"] = site
            filled.append("website")
    for key in ("other_names", "classification", "networks", "links"):
        if key in new and key not in doc:
            doc[key] = new[key]
            filled.append(key)
    loc = new.get("location")
    have = doc.get("location")
    if loc and have is None:
        doc["location"] = dict(loc)
        filled.extend(f"location.{k}" for k in loc)
    elif loc and isinstance(have, dict):
        if have.get("city") and loc.get("city") and _key(str(have["city"])) != _key(str(loc["city"])):
            notes.append(f"location left as is: the registry says {have.get('city')}, the list {loc.get('city')}")
        else:
            had_coordinates = "latitude" in have or "longitude" in have
            for k, v in loc.items():
                if k not in have and not (k in ("latitude", "longitude") and had_coordinates):
                    have[k] = v
                    filled.append(f"location.{k}")
    social = new.get("social")
    have = doc.get("social")
    if social and have is None:
        doc["social"] = dict(social)
        filled.extend(f"social.{k}" for k in social)
    elif social and isinstance(have, dict):
        for k, v in social.items():
            if k not in have:
                have[k] = v
                filled.append(f"social.{k}")
    return filled


def apply(plan: ImportPlan) -> None:
    for change in plan.changes.changes:
        yamlio.write_atomic(change.path, change.after)
