"""`peernet import cfa-brigades`: brigades from Code for America's organizations.json.

Each entry of the file is read and mapped to brigade fields by `cfa_import` (entries that are
not brigades are skipped there, with a reason), then merged with the registry here.

Skipped, with a reason: besides what `cfa_import.skip_reason` skips, entries that match an
existing record ambiguously.

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
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from peernet_cli.change.changeset import ChangeSet, FileChange, slugify
from peernet_cli.check.rules import website_host
from peernet_cli.imports.cfa_location import compare_key, text_of
from peernet_cli.imports.cfa_mapping import Mapped, map_entry, normalise_url, skip_reason
from peernet_cli.registry import yamlio
from peernet_cli.registry.canonical import canonical_text
from peernet_cli.registry.loader import Record, Registry, path_for
from peernet_cli.registry.names import normalise_name

DOCUMENT = "cfa-brigade-information-organizations.json"


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
        self.next_suffix: dict[str, int] = {}  # base id -> the next -N to try
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

    def used_by_another(self, name: str, record_id: str) -> bool:
        return bool(self.by_name.get(normalise_name(name), set()) - {record_id})


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
    site_names: dict[str, list[str]] = {}  # site key -> names of the entries listing it, sorted
    for entry in entries:
        site = normalise_url(entry.get("website"))
        if site:
            host_count[website_host(site)] = host_count.get(website_host(site), 0) + 1
            site_names.setdefault(_site_key(site), []).append(text_of(entry.get("name")))
    for names in site_names.values():
        names.sort()

    outcomes: list[Outcome] = []
    cs = ChangeSet(title="Import brigades from the CfA brigade list", branch="peernet/import-cfa-brigades")
    claimed: dict[str, str] = {}  # record id -> entry name that merged into it
    for entry, m, reason in mapped:
        name = text_of(entry.get("name")) or "(no name)"
        if m is None:
            outcomes.append(Outcome(name, "skipped", notes=[reason or "skipped"]))
            continue
        site = m.data.get("website")
        sharing = site_names.get(_site_key(site), []) if site else []
        if site and len(sharing) > 1:
            others = _some(sharing, text_of(entry.get("name")))
            m.data.pop("website")
            m.data.setdefault("links", []).insert(0, {"url": site, "note": "website listed in the CfA brigade list, "
                                                      f"shared with {others}"})
            m.notes.append(f"website {site} recorded as a link (also listed for {others})")
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


def _some(names: list[str], own: str, limit: int = 5) -> str:
    """The names (sorted) other than one copy of `own`: 'A, B', or at most `limit` of them
    and a count: 'A, B, C, D, E and 12 others'."""
    others = list(names)
    others.remove(own)
    if len(others) <= limit:
        return ", ".join(others)
    return f"{', '.join(others[:limit])} and {len(others) - limit:,} others"


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


def _suffixed(base: str, suffix: str, limit: int = 63) -> str:
    """base + suffix within the id length limit, shortening the base (not the suffix), so each
    suffix gives a different id."""
    return base[: limit - len(suffix)].rstrip("-") + suffix


def _new_id(index: _Index, name: str, notes: list[str]) -> str:
    base = slugify(name.replace("ß", "ss")) or "brigade"
    candidate = base
    if candidate in index.taken:
        owner = index.reg.find(candidate)
        what = f"a {owner.kind}" if owner else "another new brigade"
        candidate = base if base.endswith("-brigade") else _suffixed(base, "-brigade")
        n = index.next_suffix.get(base, 2)
        while candidate in index.taken:
            candidate = _suffixed(base, f"-{n}")
            n += 1
        index.next_suffix[base] = n
        notes.append(f"id {base} is taken by {what}; created as {candidate}")
    return candidate


def _drop_conflicting_names(data: dict[str, Any], index: _Index, record_id: str, notes: list[str]) -> None:
    kept = []
    for other in data.get("other_names", []):
        if index.used_by_another(other["name"], record_id):
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
    doc = yamlio.load_for_edit(text)
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
    if loc and isinstance(have, dict) and have.get("city") and loc.get("city") and \
            compare_key(str(have["city"])) != compare_key(str(loc["city"])):
        notes.append(f"location left as is: the registry says {have.get('city')}, the list {loc.get('city')}")
    elif loc:
        had_coordinates = isinstance(have, dict) and ("latitude" in have or "longitude" in have)
        _fill_missing(doc, "location", loc, filled, ("latitude", "longitude") if had_coordinates else ())
    if new.get("social"):
        _fill_missing(doc, "social", new["social"], filled)
    return filled


def _fill_missing(doc: Any, key: str, new: dict[str, Any], filled: list[str], skip: Collection[str] = ()) -> None:
    """Give doc[key] (a mapping such as location or social) the sub-fields of `new` it lacks,
    except those in `skip`; all of them when doc has no `key`. Records each as `key.sub`."""
    have = doc.get(key)
    if have is None:
        doc[key] = dict(new)
        filled.extend(f"{key}.{k}" for k in new)
    elif isinstance(have, dict):
        for k, v in new.items():
            if k not in have and k not in skip:
                have[k] = v
                filled.append(f"{key}.{k}")


def apply(root: Path, plan: ImportPlan) -> None:
    """Write the import, holding the change lock so no contribution runs meanwhile."""
    from peernet_cli.change.propose import change_lock

    with change_lock(root) as lock:
        lock.step("rewriting", [c.path.relative_to(root).as_posix() for c in plan.changes.changes])
        for change in plan.changes.changes:
            yamlio.write_atomic(change.path, change.after)
