"""Networks (`peernet networks list|show`): who belongs to each and in what role, the networks
above and below it, its projects and its events.

Membership is stored on the members, not on the network: a brigade or partner lists
`networks: [{network: <id>, role: <role>}]`, so every question here starts from an index of
those lists, built once per query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from peernet_cli.query.listings import LinkedRegistry, any_of
from peernet_cli.query.relations import events_of
from peernet_cli.query.rows import NetworkRow
from peernet_cli.registry.loader import Record

# The kinds of record that can be members of a network.
MEMBER_KINDS = ("brigade", "partner")


@dataclass(frozen=True)
class Membership:
    member: Record
    role: str | None
    note: str | None


def memberships(linked: LinkedRegistry) -> dict[str, list[Membership]]:
    """Every network id with its memberships, as the members' `networks` lists state them."""
    out: dict[str, list[Membership]] = defaultdict(list)
    for kind in MEMBER_KINDS:
        for record in linked.reg.of(kind).values():
            for entry in record.get("networks") or []:
                if isinstance(entry, dict) and entry.get("network"):
                    role, note = entry.get("role"), entry.get("note")
                    out[str(entry["network"])].append(
                        Membership(record, str(role) if role else None, str(note) if note else None))
    return out


def _role_order(role: str | None) -> tuple[int, str]:
    # A special role (steering-committee, …) says more than plain membership: list it first.
    return (2 if role is None else 1 if role == "member" else 0, role or "")


def roles_of(members: list[Membership]) -> list[str]:
    """The distinct roles, special roles first, each with its count: 'steering-committee: 7'."""
    counts: dict[str | None, int] = defaultdict(int)
    for m in members:
        counts[m.role] += 1
    return [f"{role or 'no role'}: {n}" for role, n in sorted(counts.items(), key=lambda kv: _role_order(kv[0]))]


def _children(linked: LinkedRegistry, network_id: str) -> list[Record]:
    return sorted((n for n in linked.reg.of("network").values() if n.get("parent") == network_id),
                  key=lambda r: r.id)


@dataclass
class NetworkFilter:
    classification: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    parent: list[str] = field(default_factory=list)  # resolved ids


def list_networks(linked: LinkedRegistry, f: NetworkFilter) -> list[NetworkRow]:
    index = memberships(linked)
    rows: list[NetworkRow] = []
    for n in sorted(linked.reg.of("network").values(), key=lambda r: r.id):
        if not (any_of(n.get("classification"), f.classification) and any_of(n.get("status"), f.status)
                and any_of(n.get("parent"), f.parent)):
            continue
        members = index.get(n.id, [])
        rows.append({
            "id": n.id, "name": n.name, "classification": n.get("classification"), "status": n.get("status"),
            "parent": n.get("parent"), "operator": n.get("operator"), "members": len(members),
            "roles": roles_of(members), "children": [c.id for c in _children(linked, n.id)],
            "events": len(linked.events_by_org.get(n.id, [])), "topics": list(n.get("topics") or []),
        })
    return rows


def _where(record: Record) -> str | None:
    loc = record.get("location")
    if not isinstance(loc, dict):
        return None
    return ", ".join(str(loc[k]) for k in ("city", "state", "country") if loc.get(k)) or None


def _members(found: list[Membership]) -> list[dict[str, Any]]:
    found = sorted(found, key=lambda m: (_role_order(m.role), m.member.name.casefold(), m.member.id))
    return [{"id": m.member.id, "name": m.member.name, "kind": m.member.kind, "role": m.role,
             "where": _where(m.member)} for m in found]


def _projects(linked: LinkedRegistry, n: Record) -> list[dict[str, Any]]:
    return [{"name": p.get("name"), "status": p.get("status"), "start_date": p.get("start_date"),
             "end_date": p.get("end_date"), "partners": [linked.name_of(i) for i in p.get("partners") or []],
             "partner_ids": list(p.get("partners") or [])}
            for p in n.get("projects") or [] if isinstance(p, dict)]


def show_network(linked: LinkedRegistry, n: Record) -> dict[str, Any]:
    """A network with its members (special roles first), parent, child networks, projects
    (partners by name) and the events it organised or took part in."""
    index = memberships(linked)
    parent = n.get("parent")
    operator = n.get("operator")
    return {
        "kind": "network", "record": dict(n.data),
        "operator": {"id": operator, "name": linked.name_of(operator)} if operator else None,
        "members": _members(index.get(n.id, [])),
        "parent": {"id": parent, "name": linked.name_of(parent)} if parent else None,
        "children": [{"id": c.id, "name": c.name, "classification": c.get("classification"),
                      "members": len(index.get(c.id, []))} for c in _children(linked, n.id)],
        "projects": _projects(linked, n),
        "events": events_of(linked, n.id),
    }
