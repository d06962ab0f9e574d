"""`peernet report html`: a self-contained static dashboard of the network.

`build_site` is a pure function of the registry and the as-of date returning
{relative path: text}; the same inputs give byte-identical files. The pages link their CSS
and JavaScript by relative paths (shipped in templates/dashboard/), so the site opens from
disk (file://) and fetches nothing. `write_site` puts the files in a folder atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from peernet_cli.check.rules import parse_partial
from peernet_cli.errors import UsageError
from peernet_cli.files import publish_folder, write_text
from peernet_cli.publish import graph
from peernet_cli.publish.dashboard_history import changes_page, feed, growth_section
from peernet_cli.publish.dashboard_html import bar_chart, e, page, plain, status, table
from peernet_cli.publish.dashboard_map import map_page
from peernet_cli.publish.dashboard_where import where_page
from peernet_cli.query.followups import counts as fu_counts
from peernet_cli.query.followups import followups
from peernet_cli.query.listings import LinkedRegistry
from peernet_cli.query.reports import brigade_profile, events_report
from peernet_cli.query.summary import summary

MARKER = ".peernet-dashboard"
ASSETS = ("dashboard.css", "map.js")
FOLLOWUP_DAYS = 180
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "dashboard"


def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


# --- pages --------------------------------------------------------------------------------


def _index(linked: LinkedRegistry, as_of: date) -> str:
    data = summary(linked, as_of, FOLLOWUP_DAYS)
    c = data["counts"]
    fresh = data["freshness"]
    cards = "".join(f'<div class="card"><span class="num">{n}</span> {e(what)}</div>' for what, n in c.items())
    class_colors = {k: graph.color_for(k) for k in data["partnerships_by_partner_classification"]}
    class_colors.update({k: graph.color_for(k) for k in data["partners_by_classification"]})
    status_colors = {"active": "#2e7d32", "prospective": "#1565c0", "paused": "#ef6c00", "ended": "#757575",
                     "unknown": "#9e9e9e"}
    charts = "".join([
        bar_chart("Partnerships by status", data["partnerships_by_status"], status_colors, "chart-status"),
        bar_chart("Partnerships by kind", data["partnerships_by_kind"], chart_id="chart-kind"),
        bar_chart("Partnerships by partner classification", data["partnerships_by_partner_classification"],
                  class_colors, "chart-partnership-classification"),
        bar_chart("Partners by classification", data["partners_by_classification"], class_colors,
                  "chart-partner-classification"),
        bar_chart("Brigades by country", {k["country"]: k["count"] for k in data["brigades_by_country"]},
                  chart_id="chart-country"),
        # A state is named with its country: Santa Catarina's SC (BR) is not South Carolina's.
        bar_chart("Brigades by state", {f"{s} ({k['country']})": n for k in data["brigades_by_country"]
                                        for s, n in k["states"].items()}, chart_id="chart-state"),
        bar_chart("Brigades by status", data["brigades_by_status"], chart_id="chart-brigade-status"),
        bar_chart("Most common partner priorities", data["top_priorities"], chart_id="chart-priorities"),
        bar_chart("Most common topics", data["top_topics"], chart_id="chart-topics"),
        bar_chart("Events by year", data["events_by_year"], chart_id="chart-events"),
    ])
    brigades = sorted(linked.reg.of("brigade").values(), key=lambda r: r.name.casefold())
    lonely = {b["id"] for b in data["brigades_without_partnership"]}
    items = "".join(
        f'<li><a href="brigades/{e(b.id)}.html">{e(b.name)}</a> '
        f'<span class="muted">{e((b.get("location") or {}).get("state") or "")} · '
        f'{len(linked.by_brigade.get(b.id, []))} partner(s)</span></li>' for b in brigades)
    lonely_html = ("<ul>" + "".join(f'<li><a href="brigades/{e(i)}.html">{e(linked.name_of(i))}</a></li>'
                                    for i in sorted(lonely)) + "</ul>") if lonely else '<p class="empty">None.</p>'
    follow = data["followups"]
    n_follow = follow["stale"] + follow["never_recorded"]
    body = (
        f'<section class="cards">{cards}</section>\n'
        f'<p>Freshness: {fresh["verified_or_contacted_last_year"]} of {fresh["records"]} records '
        f'({round(fresh["share"] * 100)}%) were verified or in contact in the year before {data["as_of"]}.</p>\n'
        '<p class="links"><a href="map.html">Explore the network map</a> · '
        '<a href="where.html">Where the brigades are</a> · '
        f'<a href="followups.html">{n_follow} partnership(s) need a follow-up</a> '
        f'({follow["stale"]} stale, {follow["never_recorded"]} never recorded) · '
        f'<a href="events.html">Events timeline</a></p>\n'
        f'<section class="charts">\n{charts}</section>\n'
        f'<section><h2>Brigades ({len(brigades)})</h2><ul class="columns">{items}</ul></section>\n'
        + growth_section(linked, as_of)
        + _network_section(linked, data["network"])
        + '<section id="unpartnered"><h2>Brigades with no recorded partnership</h2>'
        + bar_chart("By state", {f"{s} ({k['country']})": n for k in data["unpartnered_by_country"]
                                 for s, n in k["states"].items()}, chart_id="chart-unpartnered-state")
        + f"{lonely_html}</section>\n"
    )
    return page("The network", body, data["as_of"], current="index.html")


def _network_section(linked: LinkedRegistry, net: dict[str, Any]) -> str:
    """Connected groups and the organisations that link the most brigades (query/network_facts.py)."""
    brigades = linked.reg.of("brigade")

    def name(record_id: str) -> str:
        label = e(linked.name_of(record_id))
        return f'<a href="brigades/{e(record_id)}.html">{label}</a>' if record_id in brigades else label

    def cell(key: str, row: dict[str, Any]) -> str:
        if key == "hub":
            return f"{name(row['hub'])} <span class=\"muted\">({row['hub_partnerships']} partnerships)</span>"
        if key == "id":
            return name(row["id"])
        if key == "brigade_ids":
            return ", ".join(name(i) for i in row["brigade_ids"])
        return plain(row.get(key))

    sizes = ", ".join(str(g["organisations"]) for g in net["largest_groups"])
    connectors = [("id", "Organisation"), ("brigades", "Brigades"), ("brigade_ids", "Which")]
    return (
        '<section id="network-facts"><h2>How the network hangs together</h2>\n'
        f'<p>{net["organisations_in_groups"]} organisations with a partnership form <strong id="group-count">'
        f'{net["groups"]}</strong> connected group(s)' + (f"; the largest have {sizes} organisations" if sizes else "")
        + ". A group is everyone reachable through partnerships, directly or through others.</p>\n"
        + table(net["largest_groups"], [("hub", "Around"), ("organisations", "Organisations"),
                                        ("brigades", "Brigades"), ("partners", "Partners")], cell)
        + "<h3>Partners that work with the most brigades</h3>\n"
        + table(net["connectors"]["partners"], connectors, cell, "No partner works with two or more brigades.")
        + "<h3>Brigades that partner with other brigades</h3>\n"
        + table(net["connectors"]["brigades"], connectors, cell, "No brigade partners with another brigade.")
        + "</section>\n")


def _followups_page(linked: LinkedRegistry, as_of: date) -> str:
    rows = followups(linked, as_of, FOLLOWUP_DAYS)

    def cell(key: str, row: dict[str, Any]) -> str:
        if key == "brigade_name":
            return f'<a href="brigades/{e(row["brigade"])}.html">{e(row["brigade_name"])}</a>'
        if key == "status":
            return status(row["status"])
        if key == "days_since_contact":
            return e(row[key]) if row[key] is not None else '<span class="muted">never recorded</span>'
        return plain(row.get(key))

    body = (f"<p>Open partnerships (active, prospective, paused or unknown) with no contact in the "
            f"{FOLLOWUP_DAYS} days before {as_of.isoformat()} (stale), then those with none recorded; "
            f"each oldest first, grouped by brigade. {len(rows)} in all: {fu_counts(rows)['stale']} stale, "
            f"{fu_counts(rows)['never_recorded']} never recorded.</p>\n"
            + table(rows, [("brigade_name", "Brigade"), ("partner_name", "Partner"), ("status", "Status"),
                            ("last_contact", "Last contact"), ("days_since_contact", "Days since")], cell,
                     "Nothing to follow up."))
    return page("Follow-ups", body, as_of.isoformat(), current="followups.html")


def _events_page(linked: LinkedRegistry, as_of: date) -> str:
    rows = events_report(linked, as_of)
    today = as_of.isoformat()
    parts = []
    year = None
    for row in rows:
        record = linked.reg.of("event")[row["id"]]
        start = str(row["start_date"] or "")
        y = start[:4] or "Date unknown"
        if y != year:
            if year is not None:
                parts.append("</ol></section>")
            parts.append(f'<section class="year"><h2>{e(y)}</h2><ol class="timeline">')
            year = y
        when = start + (f" – {row['end_date']}" if row.get("end_date") else "")
        span = parse_partial(start) if start else None
        tense = "undated" if span is None else "upcoming" if span[0] > as_of else "past"
        people = [linked.name_of(i) for i in row["organizers"]]
        parts.append(
            f'<li class="event {tense}" id="{e(row["id"])}">'
            f'<p class="when">{e(when or row.get("date_note") or "date unknown")}'
            + (f' <span class="muted">({e(row["date_note"])})</span>' if row.get("date_note") and when else "")
            + f'</p><h3>{e(row["name"])}</h3>'
            f'<p class="meta">{e(row["type"] or "")}' + (f" · {e(row['where'])}" if row.get("where") else "")
            + (f" · organised by {e(', '.join(people))}" if people else "") + "</p>"
            + (f'<p>{e(record.get("description"))}</p>' if record.get("description") else "")
            + "</li>")
    if year is not None:
        parts.append("</ol></section>")
    body = (f"<p>{len(rows)} event(s) in date order. Dates known only to the year or month are shown as "
            "given.</p>\n" + ("\n".join(parts) if parts else '<p class="empty">No events recorded.</p>') + "\n")
    return page("Events", body, today, current="events.html")


def _brigade_page(linked: LinkedRegistry, brigade_id: str, as_of: date) -> str:
    data = brigade_profile(linked, brigade_id, as_of)
    b = data["brigade"]
    loc = b.get("location") or {}
    where = ", ".join(str(loc[k]) for k in ("city", "state") if loc.get(k))
    brigades = linked.reg.of("brigade")

    def link(record_id: Any, name: Any) -> str:
        if record_id in brigades and record_id != brigade_id:
            return f'<a href="{e(record_id)}.html">{e(name)}</a>'
        return e(name)

    def cell(key: str, row: dict[str, Any]) -> str:
        if key == "name" and "partner" in row:
            swatch = f'<span class="swatch" style="background:{graph.color_for(row.get("classification"))}"></span>'
            return swatch + link(row["partner"], row["name"])
        if key == "name" and "id" in row:
            return link(row["id"], row["name"])
        if key == "status":
            return status(row["status"])
        if key == "partner_name":
            return link(row["partner"], row["partner_name"])
        if key == "days_since_contact":
            return e(row[key]) if row[key] is not None else '<span class="muted">never recorded</span>'
        return plain(row.get(key))

    site = b.get("website")
    facts = [f"{e(b.get('status') or 'unknown')} brigade" + (f" in {e(where)}" if where else "")]
    if site:
        facts.append(f'<a href="{e(site)}" rel="noopener noreferrer">{e(site)}</a>')
    if b.get("successor"):
        facts.append("succeeded by " + link(b["successor"], linked.name_of(b["successor"])))
    body = (
        f'<p class="lead">{" · ".join(facts)}</p>\n'
        f'<p><a href="../map.html#{e(brigade_id)}">Show on the network map</a></p>\n'
        f'<section><h2>Partners ({len(data["partners"])})</h2>\n'
        + table(data["partners"], [("name", "Partner"), ("classification", "Classification"), ("status", "Status"),
                                    ("kind", "Kind"), ("priorities", "Priorities"),
                                    ("relationship_building", "What built the relationship")], cell)
        + "</section>\n<section><h2>Networks</h2>\n"
        + table(data["networks"], [("name", "Network"), ("role", "Role")])
        + "</section>\n<section><h2>Events</h2>\n"
        + table(data["events"], [("name", "Event"), ("type", "Type"), ("start_date", "Date"), ("role", "Role")])
        + "</section>\n<section><h2>Brigades to talk to</h2>\n"
        + table(data["related"], [("name", "Brigade"), ("score", "Score"), ("reasons", "Why")], cell)
        + f"</section>\n<section><h2>Follow-ups</h2>\n<p>Open partnerships with no contact in {FOLLOWUP_DAYS} "
          "days, or none recorded.</p>\n"
        + table(data["followups"], [("partner_name", "Partner"), ("status", "Status"),
                                     ("last_contact", "Last contact"), ("days_since_contact", "Days since")], cell,
                 "Nothing to follow up.")
        + "</section>\n")
    return page(str(b.get("name") or brigade_id), body, data["as_of"], depth=1)


# The site's pages, one builder each: a new page or file (an Atom feed, a growth chart) is a
# line here (and a NAV entry in dashboard_html.py when every page should link to it).
PAGES: tuple[tuple[str, Callable[[LinkedRegistry, date], str]], ...] = (
    ("index.html", _index), ("map.html", map_page), ("where.html", where_page),
    ("followups.html", _followups_page), ("events.html", _events_page),
    ("changes.html", changes_page), ("feed.xml", feed))


def build_site(linked: LinkedRegistry, as_of: date) -> dict[str, str]:
    """Every file of the dashboard: {relative path (posix): text}."""
    files: dict[str, str] = {f"assets/{name}": _asset(name) for name in ASSETS}
    for path, build in PAGES:
        files[path] = build(linked, as_of)
    for brigade_id in sorted(linked.reg.of("brigade")):
        files[f"brigades/{brigade_id}.html"] = _brigade_page(linked, brigade_id, as_of)
    files[MARKER] = "peernet dashboard; regenerated by `peernet report html`\n" + "".join(
        f"{path}\n" for path in sorted(files))
    return dict(sorted(files.items()))


# --- writing ------------------------------------------------------------------------------


def _is_previous_dashboard(folder: Path) -> bool:
    """True when every file in the folder is one a peernet dashboard wrote (as its marker lists)."""
    marker = folder / MARKER
    if not marker.is_file():
        return False
    listed = set(marker.read_text(encoding="utf-8", errors="replace").splitlines()[1:]) | {MARKER}
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}
    return present <= listed


def write_site(files: dict[str, str], out: Path, force: bool = False) -> None:
    """Write the site to `out`. A new, empty or previous-dashboard folder is replaced as a
    whole (built in a temporary sibling folder, then renamed into place); any other
    non-empty folder is refused unless `force`, which writes the files into it one by one
    (each atomically) and leaves its other files alone."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--output {out} is a file, not a folder")
    foreign = out.is_dir() and any(out.iterdir()) and not _is_previous_dashboard(out)
    if foreign and not force:
        raise UsageError(f"{out} is not empty and is not a peernet dashboard; choose another folder or pass --force")
    if foreign:
        for rel, text in files.items():
            write_text(out / rel, text)
        return
    def fill(tmp: Path) -> None:
        for rel, text in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))

    publish_folder(out, fill)
