"""Reports: pure aggregations of the registry as of a date, and their Markdown renderings.

Every function takes the registry and an `as_of` date and returns plain data; the same
inputs give the same output, byte for byte, so reports can be committed and diffed. The
summary and the follow-ups are modules of their own (summary.py, followups.py); this one holds
the brigade profile and the events timeline.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from peernet_cli.check.rules import parse_partial
from peernet_cli.query.followups import followups
from peernet_cli.query.listings import LinkedRegistry, event_row
from peernet_cli.query.markdown import md_table
from peernet_cli.query.related import related_brigades
from peernet_cli.query.relations import show_brigade
from peernet_cli.query.rows import EventRow


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
             "## Follow-ups\n", md_table(data["followups"], ["partner_name", "state", "status", "last_contact",
                                                            "days_since_contact"])]
    return "\n".join(parts)
