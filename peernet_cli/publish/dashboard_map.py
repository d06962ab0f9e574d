"""The dashboard's two maps, the network map (map.html) and the Where page's (dashboard_where.py),
share one script (templates/dashboard/map.js) and one set of controls: search, zoom buttons, and
filters by state, partnership status and classification. Each page embeds its SVG and a JSON
object (`map_data`) naming its nodes, partnerships and which SVG elements are nodes, lines and labels.

On a narrow screen the map comes first and the filters fold into a <details> (map.js closes it there).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from peernet_cli.publish import graph, mapdraw
from peernet_cli.publish.dashboard_html import e, json_script, page, status
from peernet_cli.query.listings import LinkedRegistry

STATUS_ORDER = ("active", "prospective", "paused", "ended", "unknown")
NETWORK_SVG = {"id": "network-map", "node": "g.node", "edge": "line.edge", "label": ""}


def map_data(linked: LinkedRegistry, g: graph.Graph, svg: dict[str, str] | None = None) -> dict[str, Any]:
    """What the map's side panel, filters and search need, keyed by node id; `svg` tells map.js
    which elements of the page's SVG are nodes, lines and labels."""
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
    return {"nodes": nodes, "partnerships": ships, "svg": svg or NETWORK_SVG}


def controls(data: dict[str, Any], classes: dict[str, int], hint: str) -> str:
    """The search box, zoom buttons, visible count and filters over `data` (map_data's)."""
    nodes = data["nodes"]
    states = sorted({n["state"] for n in nodes.values() if n["state"] and n["kind"] == "brigade"})
    statuses = sorted({s["status"] for s in data["partnerships"]},
                      key=lambda s: (STATUS_ORDER.index(s) if s in STATUS_ORDER else 99, s))
    order = ["brigade"] + sorted(c for c in classes if c != "brigade")
    state_opts = "".join(f'<option value="{e(s)}">{e(s)}</option>' for s in states)
    status_boxes = "".join(
        f'<label><input type="checkbox" name="status" value="{e(s)}" checked> {status(s)} '
        f'<span class="muted">{sum(1 for p in data["partnerships"] if p["status"] == s)}</span></label>'
        for s in statuses)
    class_boxes = "".join(
        f'<label><input type="checkbox" name="classification" value="{e(c)}" checked> '
        f'<span class="swatch{" square" if c == "brigade" else ""}" style="background:{graph.color_for(c)}"></span>'
        f'{e(c)} <span class="muted">{classes[c]}</span></label>'
        for c in order if c in classes)
    names = "".join(f'<option value="{e(n["label"])}"></option>'
                    for _, n in sorted(nodes.items(), key=lambda kv: (kv[1]["label"].casefold(), kv[0])))
    total = sum(classes.values())
    return (
        '<aside class="controls" aria-label="Map controls">\n'
        '<form id="search-form" role="search">'
        '<label for="search">Find an organisation</label>'
        '<input id="search" type="search" list="node-names" autocomplete="off" placeholder="Name or id">'
        f'<datalist id="node-names">{names}</datalist>'
        '<button type="submit">Find</button><p id="search-message" class="muted" aria-live="polite"></p></form>\n'
        '<div class="zoom"><button type="button" id="zoom-in" title="Zoom in">+</button>'
        '<button type="button" id="zoom-out" title="Zoom out">−</button>'
        '<button type="button" id="zoom-reset" title="Show the whole map">Fit</button></div>\n'
        f'<p><span id="visible-count">{total}</span> of {total} organisations shown · '
        '<button type="button" id="filters-reset" class="link">show all</button></p>\n'
        '<details id="filters" open><summary>Filters</summary>\n'
        '<fieldset><legend>Brigade state</legend><select id="filter-state">'
        f'<option value="">All states</option>{state_opts}</select>'
        '<p class="hint">Brigades in the state and their partners.</p></fieldset>\n'
        f'<fieldset id="filter-status"><legend>Partnership status</legend>{status_boxes}</fieldset>\n'
        '<fieldset id="filter-classification"><legend>Classification</legend>'
        '<p><button type="button" class="link" id="classes-all">all</button> · '
        f'<button type="button" class="link" id="classes-none">none</button></p>{class_boxes}</fieldset>\n'
        "</details>\n"
        f'<p class="hint">{e(hint)}</p>\n'
        "</aside>\n")


def map_body(svg: str, data: dict[str, Any], classes: dict[str, int], hint: str, after: str = "") -> str:
    """The map frame (SVG, tooltip, side panel) then the controls (CSS puts them beside it on a
    wide screen, under it on a phone), then `after` (the Where page's list), then the data."""
    return ('<div class="map-layout">\n'
            f'<div class="map-frame" id="map-frame">\n{svg}'
            '<div id="tooltip" class="tooltip" hidden></div>'
            '<aside id="panel" class="panel" hidden aria-live="polite">'
            '<button type="button" id="panel-close" class="close" title="Close">×</button>'
            '<div id="panel-body"></div></aside>\n'
            "</div>\n" + controls(data, classes, hint) + "</div>\n" + after + json_script("map-data", data) + "\n")


def class_counts(g: graph.Graph) -> dict[str, int]:
    counts: dict[str, int] = {}
    for n in g.nodes:
        counts[n["classification"]] = counts.get(n["classification"], 0) + 1
    return counts


def map_page(linked: LinkedRegistry, as_of: date) -> str:
    g = graph.build(linked.reg)
    svg = mapdraw.to_svg(g, graph.layout(g))
    body = map_body(svg, map_data(linked, g), class_counts(g),
                    "Drag to pan, wheel, pinch or +/− to zoom, click an organisation for its partnerships. "
                    "Dashed lines: prospective or status unknown. Choosing a filter zooms to what is left.")
    return page("Network map", body, as_of.isoformat(), current="map.html", scripts=("map.js",),
                body_class="map-page")
