"""Reports: pure aggregations of the registry as of a date, and their Markdown renderings.

Every function takes the registry and an `as_of` date and returns plain data; the same
inputs give the same output, byte for byte, so reports can be committed and diffed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from peernet_cli.check.rules import parse_partial
from peernet_cli.query.listings import LinkedRegistry, event_row, partnership_row
from peernet_cli.query.relations import related_brigades, show_brigade
from peernet_cli.query.rows import EventRow, FollowupRow

OPEN_STATUSES = ("active", "prospective", "paused", "unknown")


def _counts(values: list[Any]) -> dict[str, int]:
    """Counts, biggest first, ties by name; missing values counted as '(none)'."""
    counter = Counter(str(v) if v not in (None, "") else "(none)" for v in values)
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _latest_day(value: Any) -> date | None:
    span = parse_partial(str(value)) if value else None
    return span[1] if span else None


def summary(linked: LinkedRegistry, as_of: date) -> dict[str, Any]:
    reg = linked.reg
    brigades = list(reg.of("brigade").values())
    partners = list(reg.of("partner").values())
    ships = linked.partnerships()
    events = list(reg.of("event").values())
    year_ago = as_of - timedelta(days=365)

    def fresh(record: Any, *fields: str) -> bool:
        days = [d for f in fields if (d := _latest_day(record.get(f))) is not None]
        return any(year_ago <= d <= as_of for d in days)

    everything = brigades + partners + ships + events + list(reg.of("network").values())
    priorities = [p.strip() for s in ships for p in s.get("priorities") or [] if isinstance(p, str)]
    topics = [t for r in everything for t in r.get("topics") or []]
    with_partner = {str(s.get("brigade")) for s in ships} | {str(s.get("partner")) for s in ships}
    return {
        "as_of": as_of.isoformat(),
        "counts": {"brigades": len(brigades), "partners": len(partners), "partnerships": len(ships),
                   "events": len(events), "networks": len(reg.of("network"))},
        "partnerships_by_status": _counts([s.get("status") for s in ships]),
        "partnerships_by_kind": _counts([s.get("kind") for s in ships]),
        "partnerships_by_partner_classification": _counts(
            [linked.classification_of(str(s.get("partner"))) for s in ships]),
        "partners_by_classification": _counts([p.get("classification") for p in partners]),
        "brigades_by_status": _counts([b.get("status") for b in brigades]),
        "brigades_by_state": _counts([(b.get("location") or {}).get("state") for b in brigades]),
        "top_priorities": dict(list(_counts(priorities).items())[:10]),
        "top_topics": dict(list(_counts(topics).items())[:15]),
        "events_by_year": dict(sorted(_counts(
            [str(e.get("start_date"))[:4] if e.get("start_date") else None for e in events]).items())),
        "brigades_without_partnership": sorted(b.id for b in brigades if b.id not in with_partner),
        "freshness": {
            "records": len(everything),
            "verified_or_contacted_last_year": sum(
                1 for r in everything if fresh(r, "last_verified", "last_contact")),
            "share": round(sum(1 for r in everything if fresh(r, "last_verified", "last_contact"))
                           / len(everything), 3) if everything else 0.0,
        },
    }


def followups(linked: LinkedRegistry, as_of: date, days: int = 180,
              brigades: list[str] | None = None) -> list[FollowupRow]:
    """Open partnerships whose last contact is older than `days` or unknown, oldest first
    (unknown first of all: nobody knows when anyone last talked)."""
    rows: list[FollowupRow] = []
    for s in linked.partnerships():
        if s.get("status") not in OPEN_STATUSES or (brigades and s.get("brigade") not in brigades):
            continue
        last = _latest_day(s.get("last_contact"))
        age = (as_of - last).days if last else None
        if age is not None and age <= days:
            continue
        row = partnership_row(linked, s)
        rows.append({"brigade": row["brigade"], "brigade_name": row["brigade_name"], "partner": row["partner"],
                     "partner_name": row["partner_name"], "status": row["status"],
                     "last_contact": row["last_contact"], "days_since_contact": age})
    return sorted(rows, key=lambda r: (r["days_since_contact"] is not None, -(r["days_since_contact"] or 0),
                                       r["brigade"], r["partner"]))


def brigade_profile(linked: LinkedRegistry, brigade_id: str, as_of: date) -> dict[str, Any]:
    record = linked.reg.of("brigade")[brigade_id]
    shown = show_brigade(linked, record)
    return {"as_of": as_of.isoformat(), "brigade": shown["record"], "partners": shown["partners"],
            "networks": shown["networks"], "events": shown["events"],
            "related": related_brigades(linked, record)[:10],
            "followups": followups(linked, as_of, brigades=[brigade_id])}


def events_report(linked: LinkedRegistry, as_of: date, upcoming: int | None = None) -> list[EventRow]:
    """Events in date order; with `upcoming`, only those still running or starting within
    that many days of as_of."""
    rows = []
    for e in linked.reg.of("event").values():
        row = event_row(e)
        if upcoming is not None:
            start = parse_partial(str(row["start_date"])) if row["start_date"] else None
            end = parse_partial(str(row["end_date"])) if row["end_date"] else start
            if start is None or end is None or end[1] < as_of or start[0] > as_of + timedelta(days=upcoming):
                continue
        rows.append(row)
    return sorted(rows, key=lambda r: (str(r["start_date"] or "9999"), r["id"]))


# --- Markdown -----------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    if not rows:
        return "_none_\n"
    out = ["| " + " | ".join(c.replace("_", " ") for c in columns) + " |",
           "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(_cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(out) + "\n"


def _count_table(title: str, counts: dict[str, int]) -> str:
    rows = [{"value": k, "count": v} for k, v in counts.items()]
    return f"### {title}\n\n" + md_table(rows, ["value", "count"]) + "\n"


def summary_md(data: dict[str, Any]) -> str:
    c = data["counts"]
    fresh = data["freshness"]
    parts = [f"# The network as of {data['as_of']}\n",
             (f"{c['brigades']} brigades, {c['partners']} partners, {c['partnerships']} partnerships, "
              f"{c['events']} events, {c['networks']} networks.\n"),
             (f"Freshness: {fresh['verified_or_contacted_last_year']} of {fresh['records']} records "
              f"({fresh['share']:.0%}) were verified or in contact in the last year.\n")]
    for key, title in (("partnerships_by_status", "Partnerships by status"),
                       ("partnerships_by_kind", "Partnerships by kind"),
                       ("partnerships_by_partner_classification", "Partnerships by partner classification"),
                       ("brigades_by_state", "Brigades by state"), ("top_priorities", "Most common partner priorities"),
                       ("top_topics", "Most common topics"), ("events_by_year", "Events by year")):
        parts.append(_count_table(title, data[key]))
    lonely = data["brigades_without_partnership"]
    parts.append("### Brigades with no recorded partnership\n\n"
                 + ("".join(f"- {b}\n" for b in lonely) if lonely else "_none_\n"))
    return "\n".join(parts)


def followups_md(rows: Sequence[FollowupRow], as_of: date, days: int) -> str:
    return (f"# Follow-ups as of {as_of.isoformat()}\n\nOpen partnerships with no contact in the last "
            f"{days} days, or none recorded; oldest first.\n\n"
            + md_table(rows, ["brigade_name", "partner_name", "status", "last_contact", "days_since_contact"]))


def brigade_md(data: dict[str, Any]) -> str:
    b = data["brigade"]
    loc = b.get("location") or {}
    where = ", ".join(str(loc[k]) for k in ("city", "state") if loc.get(k))
    parts = [f"# {b.get('name')}\n", f"{b.get('status', 'unknown')} brigade" + (f" in {where}" if where else "")
             + (f" · {b['website']}" if b.get("website") else "") + "\n", "## Partners\n",
             md_table(data["partners"], ["name", "classification", "status", "kind", "priorities",
                                         "relationship_building"]),
             "## Networks\n", md_table(data["networks"], ["name", "role"]),
             "## Events\n", md_table(data["events"], ["name", "type", "start_date", "role"]),
             "## Brigades to talk to\n", md_table(data["related"], ["name", "reasons"]),
             "## Follow-ups\n", md_table(data["followups"], ["partner_name", "status", "last_contact",
                                                            "days_since_contact"])]
    return "\n".join(parts)
