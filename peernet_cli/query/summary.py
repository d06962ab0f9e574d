"""`report summary`: the state of the network as of a date, as data, Markdown and tables.

Ready for a meeting: brigades by status (every status, "unknown" explained) and by country then
state (so Santa Catarina's SC never adds up with South Carolina's), partnerships started per
year, network membership by role, follow-ups as counts, and brigades with no recorded
partnership as counts per state with the list on request; and the network's structure
(connected groups, the organisations that link the most brigades: network_facts.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from peernet_cli.check.rules import parse_partial
from peernet_cli.query import followups as fu
from peernet_cli.query.listings import LinkedRegistry
from peernet_cli.query.markdown import count_table, md_table
from peernet_cli.query.network_facts import facts_md, network_facts
from peernet_cli.registry.loader import Record

NO_COUNTRY, NO_STATE, NO_START = "(no country)", "(no state)", "(no start date)"
HOME_COUNTRY = "US"  # listed first: most brigades are in the United States
UNKNOWN_STATUS = "unknown: none of the brigade's sources says whether it is still running"
LIST_ANCHOR = "brigades-without-a-recorded-partnership"  # GitHub's anchor for the list's heading


def _counts(values: Iterable[Any]) -> dict[str, int]:
    """Counts, biggest first, ties by name; missing values counted as '(none)'."""
    counter = Counter(str(v) if v not in (None, "") else "(none)" for v in values)
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _place(b: Record) -> tuple[str, str]:
    loc = b.get("location") if isinstance(b.get("location"), dict) else {}
    return str(loc.get("country") or NO_COUNTRY), str(loc.get("state") or NO_STATE)


def by_country(brigades: Iterable[Record]) -> list[dict[str, Any]]:
    """[{country, count, states: {state: count}}]: the US first, then other countries by size,
    those with no country last; states by size, those with no state last."""
    places: dict[str, Counter[str]] = {}
    for b in brigades:
        country, state = _place(b)
        places.setdefault(country, Counter())[state] += 1
    rows = [{"country": c, "count": sum(s.values()),
             "states": dict(sorted(s.items(), key=lambda kv: (kv[0] == NO_STATE, -kv[1], kv[0])))}
            for c, s in places.items()]
    return sorted(rows, key=lambda r: (r["country"] == NO_COUNTRY, r["country"] != HOME_COUNTRY,
                                       -r["count"], r["country"]))


def _statuses(brigades: list[Record]) -> dict[str, int]:
    """Every status the schema allows, in its order, zeros included; any other value after."""
    from peernet_cli.registry.schemas import enum_values

    found = Counter(str(b.get("status") or "unknown") for b in brigades)
    allowed = enum_values("brigade", "status")
    return {s: found.get(s, 0) for s in allowed} | {s: n for s, n in sorted(found.items()) if s not in allowed}


def _start_year(value: Any) -> str:
    if not value:
        return NO_START
    span = parse_partial(str(value))
    return str(span[0].year) if span else f"(unreadable: {value})"


def network_memberships(linked: LinkedRegistry) -> list[dict[str, Any]]:
    """Per network: its memberships (as `networks list` counts them) and how many in each role;
    networks nobody lists yet are kept, with 0."""
    from peernet_cli.query.networks import memberships

    index = memberships(linked)
    rows = [{"network": n, "name": linked.name_of(n), "members": len(index.get(n, [])),
             "by_role": _counts(m.role or "(no role)" for m in index.get(n, []))}
            for n in sorted(set(linked.reg.of("network")) | set(index))]
    return sorted(rows, key=lambda r: (-r["members"], r["name"].casefold(), r["network"]))


def _freshness(everything: list[Record], as_of: date) -> dict[str, Any]:
    year_ago = as_of - timedelta(days=365)

    def fresh(record: Record) -> bool:
        days = [d for f in ("last_verified", "last_contact") if (d := fu.latest_day(record.get(f))) is not None]
        return any(year_ago <= d <= as_of for d in days)

    n = sum(1 for r in everything if fresh(r))
    return {"records": len(everything), "verified_or_contacted_last_year": n,
            "share": round(n / len(everything), 3) if everything else 0.0}


def summary(linked: LinkedRegistry, as_of: date, followup_days: int = 180) -> dict[str, Any]:
    reg = linked.reg
    brigades = list(reg.of("brigade").values())
    partners = list(reg.of("partner").values())
    ships = linked.partnerships()
    events = list(reg.of("event").values())
    everything = brigades + partners + ships + events + list(reg.of("network").values())
    priorities = [p.strip() for s in ships for p in s.get("priorities") or [] if isinstance(p, str)]
    with_partner = {str(s.get("brigade")) for s in ships} | {str(s.get("partner")) for s in ships}
    lonely = [b for b in brigades if b.id not in with_partner]
    order = {c["country"]: i for i, c in enumerate(by_country(brigades))}
    return {
        "as_of": as_of.isoformat(),
        "counts": {"brigades": len(brigades), "partners": len(partners), "partnerships": len(ships),
                   "events": len(events), "networks": len(reg.of("network"))},
        "followups": {"days": followup_days, **fu.counts(fu.followups(linked, as_of, followup_days))},
        "brigades_by_status": _statuses(brigades),
        "brigade_status_note": UNKNOWN_STATUS,
        "brigades_by_country": by_country(brigades),
        "partnerships_by_status": _counts(s.get("status") for s in ships),
        "partnerships_by_kind": _counts(s.get("kind") for s in ships),
        "partnerships_by_partner_classification": _counts(linked.classification_of(str(s.get("partner")))
                                                          for s in ships),
        "partnerships_by_start_year": dict(sorted(Counter(_start_year(s.get("start_date")) for s in ships).items(),
                                                  key=lambda kv: (kv[0].startswith("("), kv[0]))),
        "partners_by_classification": _counts(p.get("classification") for p in partners),
        "network_memberships": network_memberships(linked),
        "top_priorities": dict(list(_counts(priorities).items())[:10]),
        "top_topics": dict(list(_counts(t for r in everything for t in r.get("topics") or []).items())[:15]),
        "events_by_year": dict(sorted(_counts(str(e.get("start_date"))[:4] if e.get("start_date") else None
                                              for e in events).items(), key=lambda kv: (kv[0] == "(none)", kv[0]))),
        "unpartnered_by_country": by_country(lonely),
        "brigades_without_partnership": sorted(
            ({"id": b.id, "name": b.name, "country": _place(b)[0], "state": _place(b)[1]} for b in lonely),
            key=lambda r: (order[r["country"]], r["state"] == NO_STATE, r["state"], r["name"].casefold(), r["id"])),
        "freshness": _freshness(everything, as_of),
        "network": network_facts(linked),
    }


# --- for people: Markdown and tables ------------------------------------------------------


def _place_rows(countries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One country/state/brigades row per state, the country named on each (sortable, for md)."""
    return [{"country": c["country"], "state": state, "brigades": n}
            for c in countries for state, n in c["states"].items()]


def _country_rows(countries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per country with its states in a line, "CA:13, FL:8, …": a terminal shows 60
    states in a few lines rather than 60 rows (no space in "CA:13", so a wrap never parts them)."""
    return [{"country": c["country"], "brigades": c["count"],
             "states": ", ".join(f"{state}:{n}" for state, n in c["states"].items())} for c in countries]


def _network_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"network": n["name"], "members": n["members"],
             "roles": "; ".join(f"{role} {k}" for role, k in n["by_role"].items())}
            for n in data["network_memberships"]]


def _lonely_line(data: dict[str, Any]) -> str:
    return (f"{len(data['brigades_without_partnership'])} of {data['counts']['brigades']} brigades have "
            "no recorded partnership.")


def summary_md(data: dict[str, Any], list_unpartnered: bool = False) -> str:
    c, fresh, follow = data["counts"], data["freshness"], data["followups"]
    statuses = dict(data["brigades_by_status"])
    parts = [f"# The network as of {data['as_of']}\n",
             (f"{c['brigades']} brigades, {c['partners']} partners, {c['partnerships']} partnerships, "
              f"{c['events']} events, {c['networks']} networks.\n"),
             (f"Freshness: {fresh['verified_or_contacted_last_year']} of {fresh['records']} records "
              f"({fresh['share']:.0%}) were verified or in contact in the last year.\n"),
             fu.sentence(follow, follow["days"]) + " The list: `peernet report followups`.\n",
             "## Brigades\n",
             count_table("Brigades by status", statuses, ("status", "brigades")) + f"_{data['brigade_status_note']}._\n",
             "### Brigades by country\n\n"
             + md_table([{"country": r["country"], "brigades": r["count"]} for r in data["brigades_by_country"]],
                        ["country", "brigades"]),
             "### Brigades by state, within each country\n\n"
             + md_table(_place_rows(data["brigades_by_country"]), ["country", "state", "brigades"]),
             "## Partnerships\n"]
    for key, title, labels in (
            ("partnerships_by_status", "Partnerships by status", ("status", "partnerships")),
            ("partnerships_by_kind", "Partnerships by kind", ("kind", "partnerships")),
            ("partnerships_by_start_year", "Partnerships started per year", ("year", "partnerships")),
            ("partnerships_by_partner_classification", "Partnerships by partner classification",
             ("classification", "partnerships")),
            ("partners_by_classification", "Partners by classification", ("classification", "partners")),
            ("top_priorities", "Most common partner priorities", ("priority", "partnerships")),
            ("top_topics", "Most common topics", ("topic", "records"))):
        parts.append(count_table(title, data[key], labels))
    parts += ["## Networks\n", "### Network membership\n\n"
              + md_table(_network_rows(data), ["network", "members", "roles"]),
              "## How the network hangs together\n\n" + facts_md(data["network"]),
              "## Events\n", count_table("Events by year", data["events_by_year"], ("year", "events")),
              "## Brigades with no recorded partnership, by state\n\n" + _lonely_line(data) + "\n",
              md_table(_place_rows(data["unpartnered_by_country"]), ["country", "state", "brigades"])]
    if list_unpartnered:
        parts += [f"The list: [brigades without a recorded partnership](#{LIST_ANCHOR}).\n",
                  "## Brigades without a recorded partnership\n\n"
                  + md_table(data["brigades_without_partnership"], ["name", "id", "country", "state"])]
    else:
        parts.append("The list: `peernet report summary --list-unpartnered`.\n")
    return "\n".join(parts)


def summary_tables(data: dict[str, Any], list_unpartnered: bool = False) -> list[fu.Section]:
    """The key sections as tables for a terminal (the CLI prints them one after another)."""
    c, follow = data["counts"], data["followups"]
    lonely = f"Brigades with no recorded partnership ({len(data['brigades_without_partnership'])} of {c['brigades']})"
    counts = [{"what": k, "count": v} for k, v in c.items()]
    counts += [{"what": f"follow-ups: stale (no contact in {follow['days']} days)", "count": follow["stale"]},
               {"what": "follow-ups: never recorded", "count": follow["never_recorded"]}]
    status = [{"status": s, "brigades": n, "note": UNKNOWN_STATUS.split(": ", 1)[1] if s == "unknown" else ""}
              for s, n in data["brigades_by_status"].items()]
    ships = [{"by": f"{what}: {k}", "partnerships": n}
             for what, key in (("status", "partnerships_by_status"), ("kind", "partnerships_by_kind"),
                               ("started", "partnerships_by_start_year"))
             for k, n in data[key].items()]
    sections: list[fu.Section] = [
        (f"The network as of {data['as_of']}", counts, ("what", "count")),
        ("Brigades by status", status, ("status", "brigades", "note")),
        ("Brigades by country and state", _country_rows(data["brigades_by_country"]),
         ("country", "brigades", "states")),
        ("Partnerships by status, kind and start year", ships, ("by", "partnerships")),
        ("Network membership", _network_rows(data), ("network", "members", "roles")),
        ("Partners that work with the most brigades", data["network"]["connectors"]["partners"],
         ("name", "brigades")),
        (f"{lonely}, by country and state", _country_rows(data["unpartnered_by_country"]),
         ("country", "brigades", "states")),
    ]
    if list_unpartnered:
        sections.append(("Brigades without a recorded partnership", data["brigades_without_partnership"],
                         ("id", "name", "country", "state")))
    return sections
