"""Events as an iCalendar feed (RFC 5545) that calendar apps can subscribe to.

Only events with a full start date can be placed on a calendar; year- or month-only
events are left out (a calendar entry on an invented day would be a made-up fact) and
returned so the caller can say so.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from peernet_cli.check.rules import parse_partial
from peernet_cli.registry.loader import Record, Registry

PRODID = "-//peernet//peernet registry//EN"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _full_date(value: Any) -> date | None:
    span = parse_partial(str(value)) if value else None
    return span[0] if span and span[0] == span[1] else None


def to_ics(reg: Registry, as_of: date) -> tuple[str, list[str]]:
    """The calendar text (CRLF line endings) and the ids of events left out."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:peernet events"]
    stamp = as_of.strftime("%Y%m%dT000000Z")  # DTSTAMP from --as-of keeps output reproducible
    skipped = []
    for event in sorted(reg.of("event").values(), key=lambda r: r.id):
        start = _full_date(event.get("start_date"))
        if start is None:
            skipped.append(event.id)
            continue
        lines += _vevent(event, start, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines), skipped


def _vevent(event: Record, start: date, stamp: str) -> list[str]:
    out = ["BEGIN:VEVENT", f"UID:{event.id}@peernet", f"DTSTAMP:{stamp}", f"SUMMARY:{_escape(event.name)}"]
    tz, when = event.get("timezone"), event.get("start_time")
    if when and tz:
        from zoneinfo import ZoneInfo

        hour, minute = (int(x) for x in str(when).split(":"))
        local = datetime(start.year, start.month, start.day, hour, minute, tzinfo=ZoneInfo(str(tz)))
        utc = local.astimezone(UTC)
        out.append(f"DTSTART:{utc.strftime('%Y%m%dT%H%M%SZ')}")
    else:
        end = _full_date(event.get("end_date")) or start
        out.append(f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}")
        # DTEND of an all-day event is exclusive: the day after the last day.
        out.append(f"DTEND;VALUE=DATE:{(end + timedelta(days=1)).strftime('%Y%m%d')}")
    if event.get("description"):
        out.append(f"DESCRIPTION:{_escape(str(event.get('description')))}")
    loc = event.get("location") or {}
    where = "Online" if event.get("online") else ", ".join(str(loc[k]) for k in ("city", "state", "country") if loc.get(k))
    if where:
        out.append(f"LOCATION:{_escape(where)}")
    if event.get("type"):
        out.append(f"CATEGORIES:{_escape(str(event.get('type')))}")
    links = event.get("links") or []
    if links and isinstance(links[0], dict) and links[0].get("url"):
        out.append(f"URL:{links[0]['url']}")
    out.append("END:VEVENT")
    return out
