"""One record with its relations resolved (`show`); brigades worth talking to are in related.py."""

from __future__ import annotations

from typing import Any

from peernet_cli.query.listings import LinkedRegistry, event_row, partnership_row
from peernet_cli.registry.loader import Record


def events_of(linked: LinkedRegistry, org_id: str) -> list[dict[str, Any]]:
    """The events an organization organised or took part in, with its role, in date order."""
    rows = []
    for e, role in linked.events_by_org.get(org_id, []):
        row = event_row(e)
        rows.append({"id": e.id, "name": e.name, "type": row["type"], "start_date": row["start_date"], "role": role})
    return rows


def _networks_of(linked: LinkedRegistry, record: Record) -> list[dict[str, Any]]:
    return [{"network": m.get("network"), "name": linked.name_of(m.get("network")), "role": m.get("role")}
            for m in record.get("networks") or [] if isinstance(m, dict)]


def show_brigade(linked: LinkedRegistry, b: Record) -> dict[str, Any]:
    partners = []
    for s in linked.by_brigade.get(b.id, []):
        row = partnership_row(linked, s)
        partners.append({
            "partner": row["partner"], "name": row["partner_name"],
            "classification": row["classification"], "status": row["status"], "kind": row["kind"],
            "priorities": row["priorities"],
            "relationship_building": list(s.get("relationship_building") or []),
        })
    # Brigades that list this one as their partner (brigade-to-brigade collaborations).
    for s in linked.by_partner.get(b.id, []):
        partners.append({"partner": s.get("brigade"), "name": linked.name_of(s.get("brigade")),
                         "classification": "brigade", "status": s.get("status"), "kind": s.get("kind"),
                         "priorities": list(s.get("priorities") or []),
                         "relationship_building": list(s.get("relationship_building") or [])})
    return {"kind": "brigade", "record": dict(b.data), "partners": partners,
            "networks": _networks_of(linked, b), "events": events_of(linked, b.id)}


def show_partner(linked: LinkedRegistry, p: Record) -> dict[str, Any]:
    brigades = []
    for s in linked.by_partner.get(p.id, []):
        row = partnership_row(linked, s)
        brigades.append({"brigade": row["brigade"], "name": row["brigade_name"], "status": row["status"],
                         "kind": row["kind"], "priorities": row["priorities"]})
    parent = p.get("parent")
    children = sorted(c.id for c in linked.reg.of("partner").values() if c.get("parent") == p.id)
    return {"kind": "partner", "record": dict(p.data), "brigades": brigades,
            "parent": {"id": parent, "name": linked.name_of(parent)} if parent else None,
            "parts": [{"id": c, "name": linked.name_of(c)} for c in children],
            "networks": _networks_of(linked, p), "events": events_of(linked, p.id)}


def show_partnership(linked: LinkedRegistry, s: Record) -> dict[str, Any]:
    return {"kind": "partnership", "record": dict(s.data),
            "brigade": {"id": s.get("brigade"), "name": linked.name_of(s.get("brigade"))},
            "partner": {"id": s.get("partner"), "name": linked.name_of(s.get("partner")),
                        "classification": linked.classification_of(str(s.get("partner")))}}


def show_event(linked: LinkedRegistry, e: Record) -> dict[str, Any]:
    def named(ids: Any) -> list[dict[str, Any]]:
        return [{"id": i, "name": linked.name_of(i)} for i in ids or []]

    return {"kind": "event", "record": dict(e.data), "organizers": named(e.get("organizers")),
            "participants": named(e.get("participants"))}
