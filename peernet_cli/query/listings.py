"""Pure queries over a loaded registry: the registry with its relations indexed, and the listings
with their filters. Every listing returns rows (dicts of a type in query/rows.py) in a stable order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from peernet_cli.query.rows import BrigadeRow, EventRow, PartnerRow, PartnershipRow
from peernet_cli.registry.loader import Record, Registry


@dataclass
class LinkedRegistry:
    """A registry with the links between its records at hand: partnerships indexed by brigade
    and by partner, and the organization (partner, brigade or network) an id names."""

    reg: Registry
    # What a query derives from the whole registry once and reuses for every record it is asked
    # about (related.py's brigade profiles): one dashboard build asks about every brigade.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def by_brigade(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = defaultdict(list)
        for ship in self.partnerships():
            out[str(ship.get("brigade"))].append(ship)
        return out

    @cached_property
    def by_partner(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = defaultdict(list)
        for ship in self.partnerships():
            out[str(ship.get("partner"))].append(ship)
        return out

    def partnerships(self) -> list[Record]:
        """Every partnership in id order (sorted once: a dashboard asks for each brigade)."""
        return self._partnerships

    @cached_property
    def _partnerships(self) -> list[Record]:
        return sorted(self.reg.of("partnership").values(), key=lambda r: r.id)

    @cached_property
    def events_by_org(self) -> dict[str, list[tuple[Record, str]]]:
        """Each organization's events with its role (organizer first), in date order."""
        out: dict[str, list[tuple[Record, str]]] = defaultdict(list)
        for e in sorted(self.reg.of("event").values(), key=lambda r: (str(r.get("start_date") or ""), r.id)):
            organizers = set(e.get("organizers") or [])
            for org in organizers:
                out[str(org)].append((e, "organizer"))
            for org in set(e.get("participants") or []) - organizers:
                out[str(org)].append((e, "participant"))
        return out

    def org(self, record_id: str) -> Record | None:
        return self.reg.find(record_id, ("partner", "brigade", "network"))

    def name_of(self, record_id: Any) -> str:
        record = self.org(str(record_id))
        return record.name if record else str(record_id)

    def classification_of(self, partner_id: str) -> str | None:
        record = self.org(partner_id)
        if record is None:
            return None
        return "brigade" if record.kind == "brigade" else record.get("classification")


def matches_topic(tags: Iterable[Any], wanted: str) -> bool:
    """'food' matches the tag 'food' and tags containing it as a word ('food-security')."""
    wanted = wanted.casefold().strip()
    return any(wanted == str(t) or wanted in str(t).split("-") for t in tags)


def _any_topic(tags: Sequence[Any], wanted: Sequence[str]) -> bool:
    return any(matches_topic(tags, t) for t in wanted)


def any_of(value: Any, wanted: Sequence[str]) -> bool:
    """A repeated flag means 'any of these'; no flag means 'no filter'."""
    return not wanted or str(value).casefold() in {w.casefold() for w in wanted}


def _year(value: Any) -> str | None:
    return str(value)[:4] if value else None


@dataclass
class Place:
    """--country and --state as typed: codes or names ("BR" or "Brazil", "SC" or "Santa Catarina").
    A state is looked for within the given countries, or in every country when none is given."""

    country: list[str] = field(default_factory=list)
    state: list[str] = field(default_factory=list)

    def matcher(self) -> Callable[[Any], bool]:
        """A test of a record's `location`, the names resolved once (a usage error if one names
        no country or state). A location without a country matches a state by its code or name."""
        if not (self.country or self.state):
            return lambda _location: True
        from peernet_cli.registry import places  # pycountry only when a place filter is used

        countries = {places.country_code(c) for c in self.country}
        found = [s for text in self.state for s in places.subdivisions(text, countries)]
        keys = {(s.country, places.fold(k)) for s in found for k in (s.code, s.name)}
        any_country = {k for _, k in keys}

        def test(location: Any) -> bool:
            if not isinstance(location, dict):
                return False
            country = str(location.get("country") or "").upper()
            if countries and country not in countries:
                return False
            if not found:
                return True
            state = places.fold(str(location.get("state") or ""))
            return (country, state) in keys if country else state in any_country

        return test


# --- listings ------------------------------------------------------------------------


def brigade_row(linked: LinkedRegistry, b: Record) -> BrigadeRow:
    loc = b.get("location") or {}
    return {
        "id": b.id, "name": b.name, "classification": b.get("classification"),
        "status": b.get("status"), "city": loc.get("city"), "state": loc.get("state"),
        "country": loc.get("country"),
        "partners": len(linked.by_brigade.get(b.id, [])),
        "networks": [m.get("network") for m in b.get("networks") or [] if isinstance(m, dict)],
        "topics": list(b.get("topics") or []),
    }


@dataclass
class BrigadeFilter:
    status: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)  # resolved ids
    topic: list[str] = field(default_factory=list)
    classification: list[str] = field(default_factory=list)
    place: Place = field(default_factory=Place)


def brigade_topics(linked: LinkedRegistry, b: Record) -> list[Any]:
    """What a brigade works on: its own topics, and those of its partnerships and their partners
    (a brigade that partners with a food bank works on food even if its own file does not say so)."""
    tags = list(b.get("topics") or [])
    for s in linked.by_brigade.get(b.id, []):
        tags += _topics_of(linked, s)
    for s in linked.by_partner.get(b.id, []):  # another brigade's partnership with this one
        tags += list(s.get("topics") or [])
    return tags


def list_brigades(linked: LinkedRegistry, f: BrigadeFilter) -> list[BrigadeRow]:
    rows: list[BrigadeRow] = []
    in_place = f.place.matcher()
    for b in sorted(linked.reg.of("brigade").values(), key=lambda r: r.id):
        row = brigade_row(linked, b)
        if not (in_place(b.get("location")) and any_of(row["status"], f.status)
                and any_of(row["classification"], f.classification)):
            continue
        if f.network and not set(f.network) & set(row["networks"]):
            continue
        if f.topic and not _any_topic(brigade_topics(linked, b), f.topic):
            continue
        rows.append(row)
    return rows


@dataclass
class PartnershipFilter:
    brigade: list[str] = field(default_factory=list)  # resolved ids
    partner: list[str] = field(default_factory=list)  # resolved ids
    status: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    classification: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)


def partnership_row(linked: LinkedRegistry, s: Record) -> PartnershipRow:
    partner = str(s.get("partner"))
    return {
        "id": s.id, "brigade": s.get("brigade"), "brigade_name": linked.name_of(s.get("brigade")),
        "partner": partner, "partner_name": linked.name_of(partner),
        "classification": linked.classification_of(partner),
        "kind": s.get("kind"), "status": s.get("status"),
        "start_date": s.get("start_date"), "end_date": s.get("end_date"),
        "last_contact": s.get("last_contact"),
        "priorities": list(s.get("priorities") or []), "topics": list(s.get("topics") or []),
    }


def _topics_of(linked: LinkedRegistry, s: Record) -> list[Any]:
    partner = linked.org(str(s.get("partner")))
    return list(s.get("topics") or []) + list((partner.get("topics") if partner else None) or [])


def list_partnerships(linked: LinkedRegistry, f: PartnershipFilter) -> list[PartnershipRow]:
    rows: list[PartnershipRow] = []
    for s in _candidates(linked, f):
        row = partnership_row(linked, s)
        if not (any_of(row["brigade"], f.brigade) and any_of(row["partner"], f.partner)
                and any_of(row["status"], f.status) and any_of(row["kind"], f.kind)
                and any_of(row["classification"], f.classification)):
            continue
        if f.topic and not any(matches_topic(_topics_of(linked, s), t) for t in f.topic):
            continue
        rows.append(row)
    return rows


def _candidates(linked: LinkedRegistry, f: PartnershipFilter) -> list[Record]:
    """The partnerships a brigade or partner filter can keep, found through the indexes (so
    the other records are never unpacked), in id order."""
    if not (f.brigade or f.partner):
        return linked.partnerships()
    found = {s.id: s for b in f.brigade for s in linked.by_brigade.get(b, [])} if f.brigade else \
        {s.id: s for p in f.partner for s in linked.by_partner.get(p, [])}
    return [found[k] for k in sorted(found)]


def list_partners(linked: LinkedRegistry, f: PartnershipFilter, place: Place | None = None) -> list[PartnerRow]:
    """Partners, with the brigades they work with. Partnership filters (brigade, status,
    kind, topic) keep a partner when at least one of its partnerships passes them all;
    `place` is the partner's own location."""
    in_place = (place or Place()).matcher()
    ships = list_partnerships(linked, PartnershipFilter(brigade=f.brigade, status=f.status, kind=f.kind))
    by_partner: dict[str, list[PartnershipRow]] = defaultdict(list)
    for row in ships:
        by_partner[row["partner"]].append(row)
    needs_ship = bool(f.brigade or f.status or f.kind)
    rows: list[PartnerRow] = []
    for p in sorted(linked.reg.of("partner").values(), key=lambda r: r.id):
        mine = by_partner.get(p.id, [])
        if needs_ship and not mine:
            continue
        if not any_of(p.get("classification"), f.classification) or not any_of(p.id, f.partner):
            continue
        if not in_place(p.get("location")):
            continue
        tags = list(p.get("topics") or []) + [t for r in mine for t in r["topics"]]
        if f.topic and not any(matches_topic(tags, t) for t in f.topic):
            continue
        rows.append({
            "id": p.id, "name": p.name, "classification": p.get("classification"),
            "brigades": sorted({r["brigade"] for r in mine}),
            "status": sorted({str(r["status"]) for r in mine}),
            "kind": sorted({str(r["kind"]) for r in mine if r["kind"]}),
            "priorities": [x for r in mine for x in r["priorities"]],
        })
    return rows


@dataclass
class EventFilter:
    year: list[str] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    participant: list[str] = field(default_factory=list)  # resolved ids
    organizer: list[str] = field(default_factory=list)  # resolved ids
    city: list[str] = field(default_factory=list)
    place: Place = field(default_factory=Place)


def event_row(e: Record) -> EventRow:
    loc = e.get("location") or {}
    where = "online" if e.get("online") else ", ".join(str(loc[k]) for k in ("city", "state") if loc.get(k))
    return {
        "id": e.id, "name": e.name, "type": e.get("type"),
        "start_date": e.get("start_date"), "end_date": e.get("end_date"),
        "date_note": e.get("date_note"), "where": where or None,
        "organizers": list(e.get("organizers") or []), "participants": list(e.get("participants") or []),
    }


def list_events(linked: LinkedRegistry, f: EventFilter) -> list[EventRow]:
    rows: list[EventRow] = []
    in_place = f.place.matcher()
    for e in linked.reg.of("event").values():
        row = event_row(e)
        if not (any_of(_year(row["start_date"]), f.year) and any_of(row["type"], f.type)):
            continue
        people = set(row["organizers"]) | set(row["participants"])
        if f.participant and not people & set(f.participant):
            continue
        if f.organizer and not set(row["organizers"]) & set(f.organizer):
            continue
        if not any_of((e.get("location") or {}).get("city"), f.city) or not in_place(e.get("location")):
            continue
        rows.append(row)
    return sorted(rows, key=lambda r: (str(r["start_date"] or "9999"), r["id"]))


RowT = TypeVar("RowT", bound=Mapping[str, Any])


def sort_rows(rows: Sequence[RowT], key: str | None, limit: int | None) -> list[RowT]:
    """Sort by a column (prefix '-' for descending; empty values last) and cut to limit."""
    out = list(rows)
    if key:
        desc = key.startswith("-")
        col = key.lstrip("-")
        present = [r for r in out if r.get(col) not in (None, "", [])]
        missing = [r for r in out if r.get(col) in (None, "", [])]
        present.sort(key=lambda r: _sort_key(r.get(col)), reverse=desc)
        out = present + missing
    return out[:limit] if limit is not None else out


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    if isinstance(value, list):
        return (1, ", ".join(map(str, value)).casefold())
    return (1, str(value).casefold())

