"""One record with its relations resolved (`show`), and brigades worth talking to
(`brigades related`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from peernet_cli.query.listings import LinkedRegistry, event_row, partnership_row
from peernet_cli.query.rows import RelatedBrigade
from peernet_cli.registry.loader import Record

# Classifications too broad to be a reason for two brigades to talk.
_VAGUE = {None, "unknown", "other", "brigade"}


def _events_of(linked: LinkedRegistry, org_id: str) -> list[dict[str, Any]]:
    rows = []
    for e in sorted(linked.reg.of("event").values(), key=lambda r: (str(r.get("start_date") or ""), r.id)):
        role = ("organizer" if org_id in (e.get("organizers") or [])
                else "participant" if org_id in (e.get("participants") or []) else None)
        if role:
            row = event_row(e)
            rows.append({"id": e.id, "name": e.name, "type": row["type"],
                         "start_date": row["start_date"], "role": role})
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
            "networks": _networks_of(linked, b), "events": _events_of(linked, b.id)}


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
            "networks": _networks_of(linked, p), "events": _events_of(linked, p.id)}


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


def related_brigades(linked: LinkedRegistry, b: Record) -> list[RelatedBrigade]:
    """Other brigades sharing a partner, a partner classification, or topics/priorities,
    each with its reasons; strongest first."""
    mine = _profile(linked, b.id)
    scores: dict[str, int] = defaultdict(int)
    reasons: dict[str, list[str]] = defaultdict(list)
    for other in linked.reg.of("brigade").values():
        if other.id == b.id:
            continue
        theirs = _profile(linked, other.id)
        for partner in sorted(mine["partners"] & theirs["partners"]):
            scores[other.id] += 3
            reasons[other.id].append(f"both partner with {linked.name_of(partner)}")
        for cls in sorted((mine["classes"].keys() & theirs["classes"].keys()) - _VAGUE):
            scores[other.id] += 1
            reasons[other.id].append(
                f"both work with a {cls}: {', '.join(sorted(mine['classes'][cls]))} / "
                f"{', '.join(sorted(theirs['classes'][cls]))}")
        shared = sorted(mine["topics"] & theirs["topics"])
        if shared:
            scores[other.id] += len(shared)
            reasons[other.id].append(f"shared topics: {', '.join(shared)}")
    rows: list[RelatedBrigade] = [{"id": rid, "name": linked.name_of(rid), "score": score, "reasons": reasons[rid]}
            for rid, score in scores.items() if score]
    return sorted(rows, key=lambda r: (-r["score"], r["id"]))


def _profile(linked: LinkedRegistry, brigade_id: str) -> dict[str, Any]:
    partners: set[str] = set()
    classes: dict[str, set[str]] = defaultdict(set)
    topics: set[str] = set()
    brigade = linked.reg.find(brigade_id, ("brigade",))
    if brigade:
        topics |= {str(t) for t in brigade.get("topics") or []}
    for s in linked.by_brigade.get(brigade_id, []):
        partner = str(s.get("partner"))
        partners.add(partner)
        cls = linked.classification_of(partner)
        if cls:
            classes[cls].add(linked.name_of(partner))
        topics |= {str(t) for t in s.get("topics") or []}
        record = linked.org(partner)
        if record:
            topics |= {str(t) for t in record.get("topics") or []}
    return {"partners": partners, "classes": classes, "topics": topics}
