"""Building additions and edits as ChangeSets, from values the user gave (flags, prompts, or
any other front end such as an issue form).

The values come as typed objects (BrigadeValues, PartnerValues, EventValues, PartnershipValues,
PartnershipEdit) that know the record fields they stand for; `add` and `update` are the use
cases a front end calls. Each function resolves names, derives ids, and returns the change;
nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from peernet_cli.change.answers import new_id as _new_id
from peernet_cli.change.answers import partner_answer
from peernet_cli.change.changeset import ChangeSet, branch_name
from peernet_cli.errors import NameNotFound, UsageError
from peernet_cli.query.find import find_partnership as _find_partnership
from peernet_cli.registry import yamlio
from peernet_cli.registry.loader import Record, Registry
from peernet_cli.registry.names import resolve


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop unset values (None, empty lists/dicts) so records hold only what is known."""
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = clean(value)
        if value is None or value == [] or value == {}:
            continue
        out[key] = value
    return out


def sources(values: list[str], note: str | None = None) -> list[dict[str, str]]:
    """--source values: a URL becomes {url}, anything else {document} (a file name)."""
    out = []
    for value in values:
        key = "url" if value.startswith(("http://", "https://")) else "document"
        out.append(clean({key: value, "note": note}))
    return out


def _location(city: str | None, state: str | None, country: str | None,
              latitude: float | None = None, longitude: float | None = None) -> dict[str, Any]:
    return {"city": city, "state": state, "country": country, "latitude": latitude, "longitude": longitude}


def _members(networks: list[str]) -> list[dict[str, str]]:
    return [{"network": n, "role": "member"} for n in networks]


# --- the values a contributor gives, and the record fields they stand for ------------------------
# Names (brigade, partner) are as people type them; unset values are left out of the record.

@dataclass(frozen=True, kw_only=True)
class BrigadeValues:
    record_kind: ClassVar[str] = "brigade"
    name: str
    status: str
    sources: list[str]
    source_note: str | None = None
    record_id: str | None = None        # default: derived from the name
    classification: str = "brigade"
    city: str | None = None
    state: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    website: str | None = None
    description: str | None = None
    founding_date: str | None = None
    division_id: str | None = None
    other_names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)    # ids of networks it is a member of
    topics: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        return {"name": self.name, "other_names": [{"name": n} for n in self.other_names],
                "aliases": self.aliases, "classification": self.classification, "status": self.status,
                "founding_date": self.founding_date, "description": self.description,
                "division_id": self.division_id,
                "location": _location(self.city, self.state, self.country, self.latitude, self.longitude),
                "website": self.website, "topics": self.topics, "networks": _members(self.networks),
                "sources": sources(self.sources, self.source_note)}


@dataclass(frozen=True, kw_only=True)
class PartnerValues:
    record_kind: ClassVar[str] = "partner"
    name: str
    classification: str
    sources: list[str]
    source_note: str | None = None
    record_id: str | None = None        # default: derived from the name
    description: str | None = None
    website: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    division_id: str | None = None
    other_names: list[str] = field(default_factory=list)
    parent: str | None = None           # id of the organization it is part of
    networks: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        return {"name": self.name, "other_names": [{"name": n} for n in self.other_names],
                "classification": self.classification, "description": self.description,
                "website": self.website,
                "location": _location(self.city, self.state, self.country, self.latitude, self.longitude),
                "division_id": self.division_id, "parent": self.parent, "topics": self.topics,
                "networks": _members(self.networks), "sources": sources(self.sources, self.source_note)}


@dataclass(frozen=True, kw_only=True)
class EventValues:
    record_kind: ClassVar[str] = "event"
    name: str
    type: str
    sources: list[str]
    source_note: str | None = None
    record_id: str | None = None        # default: derived from the name
    description: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    start_time: str | None = None
    timezone: str | None = None
    date_note: str | None = None
    recurring: bool = False
    online: bool = False
    attendance: int | None = None       # people who took part
    city: str | None = None
    state: str | None = None
    country: str | None = None
    organizers: list[str] = field(default_factory=list)     # ids
    participants: list[str] = field(default_factory=list)   # ids
    topics: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "description": self.description,
                "start_date": self.start_date, "end_date": self.end_date, "start_time": self.start_time,
                "timezone": self.timezone, "date_note": self.date_note,
                "recurring": True if self.recurring else None, "online": True if self.online else None,
                "attendance": {"people": self.attendance},
                "location": _location(self.city, self.state, self.country), "organizers": self.organizers,
                "participants": self.participants, "topics": self.topics,
                "sources": sources(self.sources, self.source_note)}


@dataclass(frozen=True, kw_only=True)
class PartnershipValues:
    brigade: str
    partner: str                        # created in the same change when it is new
    status: str
    sources: list[str]
    source_note: str | None = None
    kind: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    last_contact: str | None = None
    priorities: list[str] = field(default_factory=list)
    built: list[str] = field(default_factory=list)          # what built the relationship
    introduced_by: str | None = None
    referred_by: str | None = None
    projects: list[str] = field(default_factory=list)       # names of projects done together
    topics: list[str] = field(default_factory=list)
    notes: str | None = None
    partner_classification: str | None = None   # of a new partner
    new_partner: bool = False           # create the partner even if a similar name exists

    def fields(self) -> dict[str, Any]:
        return {"kind": self.kind, "status": self.status, "start_date": self.start_date,
                "end_date": self.end_date, "last_contact": self.last_contact, "priorities": self.priorities,
                "relationship_building": self.built, "introduced_by": self.introduced_by,
                "referred_by": self.referred_by, "projects": [{"name": n} for n in self.projects],
                "topics": self.topics, "notes": self.notes, "sources": sources(self.sources, self.source_note)}

    def partner_fields(self) -> dict[str, Any]:
        """The fields of the partner, when it is new."""
        return {"classification": self.partner_classification,
                "sources": sources(self.sources, self.source_note)}


@dataclass(frozen=True, kw_only=True)
class PartnershipEdit:
    """New values for a partnership's fields; None leaves a field as it is, and a list
    replaces the one there."""
    brigade: str
    partner: str
    status: str | None = None
    kind: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    last_contact: str | None = None
    priorities: list[str] | None = None
    built: list[str] | None = None
    introduced_by: str | None = None
    referred_by: str | None = None
    notes: str | None = None
    topics: list[str] | None = None

    def changes(self) -> dict[str, Any]:
        return {"status": self.status, "kind": self.kind, "start_date": self.start_date,
                "end_date": self.end_date, "last_contact": self.last_contact, "priorities": self.priorities,
                "relationship_building": self.built, "introduced_by": self.introduced_by,
                "referred_by": self.referred_by, "notes": self.notes, "topics": self.topics}


NewRecord = BrigadeValues | PartnerValues | EventValues | PartnershipValues


def add(reg: Registry, values: NewRecord) -> ChangeSet:
    """The change that adds what `values` describe (a partnership with its partner, if new)."""
    if isinstance(values, PartnershipValues):
        return add_partnership(reg, values.brigade, values.partner, values.fields(),
                               values.partner_fields(), values.new_partner)
    return add_record(reg, values.record_kind, values.fields(), values.record_id)


def update(reg: Registry, values: PartnershipEdit) -> ChangeSet:
    """The change that edits a partnership (comments in its file are kept)."""
    return update_partnership(reg, values.brigade, values.partner, values.changes())


def add_record(reg: Registry, kind: str, fields: dict[str, Any], given_id: str | None = None) -> ChangeSet:
    """A new brigade, partner or event."""
    name = str(fields["name"])
    record_id = _new_id(reg, given_id, name)
    data = clean({"id": record_id, **fields})
    cs = ChangeSet(f"Add {kind}: {name}", branch_name(f"add-{kind}", record_id))
    cs.add_new(reg, kind, data)
    cs.summary.append(f"new {kind} {record_id}: {name}")
    return cs


def add_partnership(reg: Registry, brigade: str, partner: str, fields: dict[str, Any],
                    new_partner: dict[str, Any] | None = None, create: bool = False) -> ChangeSet:
    """A new partnership; the partner is created in the same change when it does not exist
    (and no existing partner's name is close enough to be a typo, unless `create`)."""
    b = resolve(reg, ["brigade"], brigade, "brigade")
    partner_record, partner_id = _partner(reg, partner, create)
    ship_id = f"{b.id}--{partner_id}"
    cs = ChangeSet(f"Add partnership: {b.name} – {partner_record.name if partner_record else partner}",
                   branch_name("add-partnership", ship_id))
    if partner_record is None:
        data = clean({"id": partner_id, "name": partner, **(new_partner or {})})
        data.setdefault("classification", "unknown")
        cs.add_new(reg, "partner", data)
        cs.summary.append(f"new partner {partner_id}: {partner} ({data['classification']})")
    cs.add_new(reg, "partnership", clean({"id": ship_id, "brigade": b.id, "partner": partner_id, **fields}))
    status = fields.get("status", "")
    cs.summary.append(f"new partnership {ship_id}: {b.name} with "
                      f"{partner_record.name if partner_record else partner} ({status})")
    for key in ("kind", "start_date", "last_contact"):
        if fields.get(key):
            cs.summary.append(f"{key}: {fields[key]}")
    for item in fields.get("priorities") or []:
        cs.summary.append(f"partner priority: {item}")
    return cs


def _partner(reg: Registry, partner: str, create: bool) -> tuple[Record | None, str]:
    """The existing partner `partner` names, or (None, new id) when it is new. A name very
    close to an existing partner's is taken for a typo unless `create` says otherwise."""
    answer = partner_answer(reg, partner)
    if answer.close and not create:
        raise NameNotFound(f"no partner named '{partner}'; did you mean: {', '.join(answer.close)}? "
                           "To add it as a new partner, pass --new-partner", answer.close)
    return answer.existing, answer.record_id


def find_partnership(reg: Registry, brigade: str, partner: str) -> Record:
    """The partnership to edit (query.find.find_partnership), its absence told how to add it."""
    return _find_partnership(reg, brigade, partner, hint="; add it with 'peernet partnerships add'")


def edit(reg: Registry, record: Record, changes: dict[str, Any], title: str, verb: str) -> ChangeSet:
    """Apply field changes through the round-trip loader so comments and order survive."""
    data = yamlio.load_for_edit(record.text)
    summary = []
    for key, value in changes.items():
        if value is None:
            continue
        old = data.get(key)
        if _same(old, value):
            continue
        data[key] = value
        summary.append(f"{key}: {_show(old)} -> {_show(value)}")
    if not summary:
        raise UsageError(f"nothing to change in {reg.relpath(record.path)}: the values given are "
                         "already there (pass a field option with a new value; see --help)")
    cs = ChangeSet(title, branch_name(verb, record.id))
    cs.edit(reg, record, data)
    cs.summary.extend(summary)
    return cs


def _same(old: Any, new: Any) -> bool:
    """Equal as the user sees them (a round-trip date object equals its text)."""
    if isinstance(old, list) and isinstance(new, list):
        return [str(x) for x in old] == [str(x) for x in new]
    return old is not None and str(old) == str(new)


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def update_partnership(reg: Registry, brigade: str, partner: str, changes: dict[str, Any]) -> ChangeSet:
    record = find_partnership(reg, brigade, partner)
    return edit(reg, record, changes, f"Update partnership: {record.id}", "update-partnership")


def rename_brigade(reg: Registry, brigade: str, new_name: str) -> ChangeSet:
    """Give a brigade a new name and keep the old one in other_names."""
    record = resolve(reg, ["brigade"], brigade, "brigade")
    if new_name == record.name:
        raise UsageError(f"{record.id} is already named '{new_name}'")
    others = list(record.get("other_names") or [])
    if not any(isinstance(o, dict) and o.get("name") == record.name for o in others):
        others.append({"name": record.name, "note": "former name"})
    return edit(reg, record, {"name": new_name, "other_names": others},
                f"Rename brigade: {record.name} -> {new_name}", "rename-brigade")


RETIRED = ("inactive", "dissolved", "merged")


def retirement_status(status: str) -> str:
    """The status a brigade is retired with, one of RETIRED; a usage error otherwise."""
    if status not in RETIRED:
        raise UsageError(f"--status '{status}' is not one of: {', '.join(RETIRED)}")
    return status


def retire_brigade(reg: Registry, brigade: str, status: str, successor: str | None,
                   when: str | None) -> ChangeSet:
    """Mark a brigade inactive, dissolved, or merged into a successor."""
    retirement_status(status)
    record = resolve(reg, ["brigade"], brigade, "brigade")
    if status == "merged" and not successor:
        raise UsageError("a merged brigade needs --successor BRIGADE")
    succ = resolve(reg, ["brigade"], successor, "brigade").id if successor else None
    return edit(reg, record, {"status": status, "successor": succ, "dissolution_date": when},
                f"Retire brigade: {record.name} ({status})", "retire-brigade")

