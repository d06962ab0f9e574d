"""`peernet report html`: a self-contained static dashboard of the network.

`build_site` is a pure function of the registry and the as-of date returning
{relative path: text}; the same inputs give byte-identical files. The pages link their CSS
and JavaScript by relative paths (shipped in templates/dashboard/), so the site opens from
disk (file://) and fetches nothing. `write_site` puts the files in a folder atomically.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from peernet_cli.check.rules import parse_partial
from peernet_cli.errors import UsageError
from peernet_cli.files import publish_folder, write_text
from peernet_cli.publish import graph, mapdraw
from peernet_cli.query.followups import counts as fu_counts
from peernet_cli.query.followups import followups
from peernet_cli.query.listings import LinkedRegistry
from peernet_cli.query.reports import brigade_profile, events_report
from peernet_cli.query.summary import summary

MARKER = ".peernet-dashboard"
ASSETS = ("dashboard.css", "map.js")
STATUS_ORDER = ("active", "prospective", "paused", "ended", "unknown")
FOLLOWUP_DAYS = 180
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "dashboard"


def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _json_script(element_id: str, data: Any) -> str:
    """JSON inside a <script> element: '<' escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


# --- page frame ---------------------------------------------------------------------------

NAV = (("index.html", "Summary"), ("map.html", "Network map"), ("followups.html", "Follow-ups"),
       ("events.html", "Events"))


def _page(title: str, body: str, as_of: str, *, depth: int = 0, current: str = "",
          scripts: tuple[str, ...] = (), body_class: str = "") -> str:
    up = "../" * depth
    nav = "".join(f'<a href="{up}{href}"' + (' aria-current="page"' if href == current else "") + f">{_e(text)}</a>"
                  for href, text in NAV)
    script_tags = "".join(f'<script src="{up}assets/{s}"></script>\n' for s in scripts)
    cls = f' class="{body_class}"' if body_class else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="peernet">\n'
        f'<meta name="peernet-as-of" content="{as_of}">\n'
        f"<title>{_e(title)} · peernet</title>\n"
        f'<link rel="stylesheet" href="{up}assets/dashboard.css">\n'
        f"</head>\n<body{cls}>\n"
        '<header class="site">\n'
        f'<a class="brand" href="{up}index.html">peernet</a>\n'
        f'<nav>{nav}</nav>\n'
        f'<p class="as-of">Data as of <time datetime="{as_of}">{as_of}</time></p>\n'
        "</header>\n"
        f'<main>\n<h1>{_e(title)}</h1>\n{body}</main>\n'
        f"{script_tags}</body>\n</html>\n"
    )


def _table(rows: Sequence[Mapping[str, Any]], columns: list[tuple[str, str]], cell: Any = None,
           empty: str = "None recorded.") -> str:
    if not rows:
        return f'<p class="empty">{_e(empty)}</p>\n'
    head = "".join(f"<th>{_e(label)}</th>" for _, label in columns)
    body = []
    for row in rows:
        cells = "".join(f"<td>{cell(key, row) if cell else _plain(row.get(key))}</td>" for key, _ in columns)
        body.append(f"<tr>{cells}</tr>")
    return f'<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n' + "\n".join(body) + "\n</tbody>\n</table>\n"


def _plain(value: Any) -> str:
    if value is None or value == []:
        return ""
    if isinstance(value, list):
        return "<ul>" + "".join(f"<li>{_e(v)}</li>" for v in value) + "</ul>"
    return _e(value)


def _status(value: Any) -> str:
    return f'<span class="status status-{_e(value or "unknown")}">{_e(value or "unknown")}</span>'


# --- charts -------------------------------------------------------------------------------


def bar_chart(title: str, counts: dict[str, int], colors: dict[str, str] | None = None,
              chart_id: str = "") -> str:
    """A horizontal bar chart as inline SVG: a label, a bar and the count per row."""
    if not counts:
        return f'<figure class="chart"><figcaption>{_e(title)}</figcaption><p class="empty">None.</p></figure>\n'
    char_w, row_h, pad = 6.8, 20, 4  # 12px text: about 6.8px a character
    longest = max(len(label) for label in counts)
    label_w = round(min(max(longest * char_w + 12, 80), 300))
    fits = int((label_w - 12) / char_w)
    bar_w = 520 - label_w
    biggest = max(counts.values()) or 1
    height = len(counts) * row_h + pad * 2
    width = label_w + bar_w + 40
    ident = f' id="{_e(chart_id)}"' if chart_id else ""
    parts = [f'<figure class="chart"{ident}><figcaption>{_e(title)}</figcaption>',
             (f'<svg class="bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
              f'role="img" aria-label="{_e(title)}">')]
    for i, (label, count) in enumerate(counts.items()):
        y = pad + i * row_h
        w = round(bar_w * count / biggest, 1)
        short = label if len(label) <= fits else label[:fits - 1].rstrip() + "…"
        colour = (colors or {}).get(label, "#1f4e79")
        parts.append(f'<g class="bar" data-label="{_e(label)}" data-count="{count}">'
                     f"<title>{_e(label)}: {count}</title>"
                     f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_e(short)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" fill="{colour}"/>'
                     f'<text x="{label_w + w + 5}" y="{y + 14}" class="count">{count}</text></g>')
    parts.append("</svg></figure>\n")
    return "".join(parts)


# --- pages --------------------------------------------------------------------------------


def _index(linked: LinkedRegistry, as_of: date) -> str:
    data = summary(linked, as_of, FOLLOWUP_DAYS)
    c = data["counts"]
    fresh = data["freshness"]
    cards = "".join(f'<div class="card"><span class="num">{n}</span> {_e(what)}</div>' for what, n in c.items())
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
        f'<li><a href="brigades/{_e(b.id)}.html">{_e(b.name)}</a> '
        f'<span class="muted">{_e((b.get("location") or {}).get("state") or "")} · '
        f'{len(linked.by_brigade.get(b.id, []))} partner(s)</span></li>' for b in brigades)
    lonely_html = ("<ul>" + "".join(f'<li><a href="brigades/{_e(i)}.html">{_e(linked.name_of(i))}</a></li>'
                                    for i in sorted(lonely)) + "</ul>") if lonely else '<p class="empty">None.</p>'
    follow = data["followups"]
    n_follow = follow["stale"] + follow["never_recorded"]
    body = (
        f'<section class="cards">{cards}</section>\n'
        f'<p>Freshness: {fresh["verified_or_contacted_last_year"]} of {fresh["records"]} records '
        f'({round(fresh["share"] * 100)}%) were verified or in contact in the year before {data["as_of"]}.</p>\n'
        '<p class="links"><a href="map.html">Explore the network map</a> · '
        f'<a href="followups.html">{n_follow} partnership(s) need a follow-up</a> '
        f'({follow["stale"]} stale, {follow["never_recorded"]} never recorded) · '
        f'<a href="events.html">Events timeline</a></p>\n'
        f'<section class="charts">\n{charts}</section>\n'
        f'<section><h2>Brigades ({len(brigades)})</h2><ul class="columns">{items}</ul></section>\n'
        f"<section><h2>Brigades with no recorded partnership</h2>{lonely_html}</section>\n"
    )
    return _page("The network", body, data["as_of"], current="index.html")


def map_data(linked: LinkedRegistry, g: graph.Graph) -> dict[str, Any]:
    """What the map's side panel, filters and search need, keyed by node id."""
    nodes = {}
    for n in g.nodes:
        nodes[n["id"]] = {"label": n["label"], "kind": n["kind"], "classification": n["classification"],
                          "state": n.get("state") or "",
                          "page": f"brigades/{n['id']}.html" if n["kind"] == "brigade" else ""}
    ships = []
    for s in linked.partnerships():
        if s.get("brigade") in nodes and s.get("partner") in nodes:
            ships.append({"id": s.id, "brigade": s.get("brigade"), "partner": s.get("partner"),
                          "status": str(s.get("status") or "unknown"), "kind": str(s.get("kind") or "unknown"),
                          "priorities": [str(p) for p in s.get("priorities") or []]})
    return {"nodes": nodes, "partnerships": ships}


def _map_page(linked: LinkedRegistry, as_of: date) -> str:
    g = graph.build(linked.reg)
    pos = graph.layout(g)
    svg = mapdraw.to_svg(g, pos)
    data = map_data(linked, g)
    states = sorted({n["state"] for n in data["nodes"].values() if n["state"] and n["kind"] == "brigade"})
    statuses = sorted({s["status"] for s in data["partnerships"]},
                      key=lambda s: (STATUS_ORDER.index(s) if s in STATUS_ORDER else 99, s))
    classes: dict[str, int] = {}
    for n in g.nodes:
        classes[n["classification"]] = classes.get(n["classification"], 0) + 1
    order = ["brigade"] + sorted(c for c in classes if c != "brigade")
    state_opts = "".join(f'<option value="{_e(s)}">{_e(s)}</option>' for s in states)
    status_boxes = "".join(
        f'<label><input type="checkbox" name="status" value="{_e(s)}" checked> {_status(s)} '
        f'<span class="muted">{sum(1 for p in data["partnerships"] if p["status"] == s)}</span></label>'
        for s in statuses)
    class_boxes = "".join(
        f'<label><input type="checkbox" name="classification" value="{_e(c)}" checked> '
        f'<span class="swatch{" square" if c == "brigade" else ""}" style="background:{graph.color_for(c)}"></span>'
        f'{_e(c)} <span class="muted">{classes[c]}</span></label>'
        for c in order if c in classes)
    names = "".join(f'<option value="{_e(n["label"])}"></option>'
                    for n in sorted(g.nodes, key=lambda n: (n["label"].casefold(), n["id"])))
    controls = (
        '<aside class="controls" aria-label="Map controls">\n'
        '<form id="search-form" role="search">'
        '<label for="search">Find an organisation</label>'
        '<input id="search" type="search" list="node-names" autocomplete="off" placeholder="Name or id">'
        f'<datalist id="node-names">{names}</datalist>'
        '<button type="submit">Find</button><p id="search-message" class="muted" aria-live="polite"></p></form>\n'
        '<div class="zoom"><button type="button" id="zoom-in" title="Zoom in">+</button>'
        '<button type="button" id="zoom-out" title="Zoom out">−</button>'
        '<button type="button" id="zoom-reset" title="Show the whole map">Fit</button></div>\n'
        f'<p><span id="visible-count">{len(g.nodes)}</span> of {len(g.nodes)} organisations shown · '
        '<button type="button" id="filters-reset" class="link">show all</button></p>\n'
        '<fieldset><legend>Brigade state</legend><select id="filter-state">'
        f'<option value="">All states</option>{state_opts}</select>'
        '<p class="hint">Brigades in the state and their partners.</p></fieldset>\n'
        f'<fieldset id="filter-status"><legend>Partnership status</legend>{status_boxes}</fieldset>\n'
        '<fieldset id="filter-classification"><legend>Classification</legend>'
        '<p><button type="button" class="link" id="classes-all">all</button> · '
        f'<button type="button" class="link" id="classes-none">none</button></p>{class_boxes}</fieldset>\n'
        '<p class="hint">Drag to pan, wheel or +/− to zoom, click an organisation for its partnerships. '
        'Dashed lines: prospective or status unknown.</p>\n'
        "</aside>\n")
    body = (
        '<div class="map-layout">\n' + controls
        + f'<div class="map-frame" id="map-frame">\n{svg}'
        '<aside id="panel" class="panel" hidden aria-live="polite">'
        '<button type="button" id="panel-close" class="close" title="Close">×</button>'
        '<div id="panel-body"></div></aside>\n'
        "</div>\n</div>\n" + _json_script("map-data", data) + "\n")
    return _page("Network map", body, as_of.isoformat(), current="map.html", scripts=("map.js",),
                 body_class="map-page")


def _followups_page(linked: LinkedRegistry, as_of: date) -> str:
    rows = followups(linked, as_of, FOLLOWUP_DAYS)

    def cell(key: str, row: dict[str, Any]) -> str:
        if key == "brigade_name":
            return f'<a href="brigades/{_e(row["brigade"])}.html">{_e(row["brigade_name"])}</a>'
        if key == "status":
            return _status(row["status"])
        if key == "days_since_contact":
            return _e(row[key]) if row[key] is not None else '<span class="muted">never recorded</span>'
        return _plain(row.get(key))

    body = (f"<p>Open partnerships (active, prospective, paused or unknown) with no contact in the "
            f"{FOLLOWUP_DAYS} days before {as_of.isoformat()} (stale), then those with none recorded; "
            f"each oldest first, grouped by brigade. {len(rows)} in all: {fu_counts(rows)['stale']} stale, "
            f"{fu_counts(rows)['never_recorded']} never recorded.</p>\n"
            + _table(rows, [("brigade_name", "Brigade"), ("partner_name", "Partner"), ("status", "Status"),
                            ("last_contact", "Last contact"), ("days_since_contact", "Days since")], cell,
                     "Nothing to follow up."))
    return _page("Follow-ups", body, as_of.isoformat(), current="followups.html")


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
            parts.append(f'<section class="year"><h2>{_e(y)}</h2><ol class="timeline">')
            year = y
        when = start + (f" – {row['end_date']}" if row.get("end_date") else "")
        span = parse_partial(start) if start else None
        tense = "undated" if span is None else "upcoming" if span[0] > as_of else "past"
        people = [linked.name_of(i) for i in row["organizers"]]
        parts.append(
            f'<li class="event {tense}" id="{_e(row["id"])}">'
            f'<p class="when">{_e(when or row.get("date_note") or "date unknown")}'
            + (f' <span class="muted">({_e(row["date_note"])})</span>' if row.get("date_note") and when else "")
            + f'</p><h3>{_e(row["name"])}</h3>'
            f'<p class="meta">{_e(row["type"] or "")}' + (f" · {_e(row['where'])}" if row.get("where") else "")
            + (f" · organised by {_e(', '.join(people))}" if people else "") + "</p>"
            + (f'<p>{_e(record.get("description"))}</p>' if record.get("description") else "")
            + "</li>")
    if year is not None:
        parts.append("</ol></section>")
    body = (f"<p>{len(rows)} event(s) in date order. Dates known only to the year or month are shown as "
            "given.</p>\n" + ("\n".join(parts) if parts else '<p class="empty">No events recorded.</p>') + "\n")
    return _page("Events", body, today, current="events.html")


def _brigade_page(linked: LinkedRegistry, brigade_id: str, as_of: date) -> str:
    data = brigade_profile(linked, brigade_id, as_of)
    b = data["brigade"]
    loc = b.get("location") or {}
    where = ", ".join(str(loc[k]) for k in ("city", "state") if loc.get(k))
    brigades = linked.reg.of("brigade")

    def link(record_id: Any, name: Any) -> str:
        if record_id in brigades and record_id != brigade_id:
            return f'<a href="{_e(record_id)}.html">{_e(name)}</a>'
        return _e(name)

    def cell(key: str, row: dict[str, Any]) -> str:
        if key == "name" and "partner" in row:
            swatch = f'<span class="swatch" style="background:{graph.color_for(row.get("classification"))}"></span>'
            return swatch + link(row["partner"], row["name"])
        if key == "name" and "id" in row:
            return link(row["id"], row["name"])
        if key == "status":
            return _status(row["status"])
        if key == "partner_name":
            return link(row["partner"], row["partner_name"])
        if key == "days_since_contact":
            return _e(row[key]) if row[key] is not None else '<span class="muted">never recorded</span>'
        return _plain(row.get(key))

    site = b.get("website")
    facts = [f"{_e(b.get('status') or 'unknown')} brigade" + (f" in {_e(where)}" if where else "")]
    if site:
        facts.append(f'<a href="{_e(site)}" rel="noopener noreferrer">{_e(site)}</a>')
    if b.get("successor"):
        facts.append("succeeded by " + link(b["successor"], linked.name_of(b["successor"])))
    body = (
        f'<p class="lead">{" · ".join(facts)}</p>\n'
        f'<p><a href="../map.html#{_e(brigade_id)}">Show on the network map</a></p>\n'
        f'<section><h2>Partners ({len(data["partners"])})</h2>\n'
        + _table(data["partners"], [("name", "Partner"), ("classification", "Classification"), ("status", "Status"),
                                    ("kind", "Kind"), ("priorities", "Priorities"),
                                    ("relationship_building", "What built the relationship")], cell)
        + "</section>\n<section><h2>Networks</h2>\n"
        + _table(data["networks"], [("name", "Network"), ("role", "Role")])
        + "</section>\n<section><h2>Events</h2>\n"
        + _table(data["events"], [("name", "Event"), ("type", "Type"), ("start_date", "Date"), ("role", "Role")])
        + "</section>\n<section><h2>Brigades to talk to</h2>\n"
        + _table(data["related"], [("name", "Brigade"), ("score", "Score"), ("reasons", "Why")], cell)
        + f"</section>\n<section><h2>Follow-ups</h2>\n<p>Open partnerships with no contact in {FOLLOWUP_DAYS} "
          "days, or none recorded.</p>\n"
        + _table(data["followups"], [("partner_name", "Partner"), ("status", "Status"),
                                     ("last_contact", "Last contact"), ("days_since_contact", "Days since")], cell,
                 "Nothing to follow up.")
        + "</section>\n")
    return _page(str(b.get("name") or brigade_id), body, data["as_of"], depth=1)


def build_site(linked: LinkedRegistry, as_of: date) -> dict[str, str]:
    """Every file of the dashboard: {relative path (posix): text}."""
    files: dict[str, str] = {f"assets/{name}": _asset(name) for name in ASSETS}
    files["index.html"] = _index(linked, as_of)
    files["map.html"] = _map_page(linked, as_of)
    files["followups.html"] = _followups_page(linked, as_of)
    files["events.html"] = _events_page(linked, as_of)
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
