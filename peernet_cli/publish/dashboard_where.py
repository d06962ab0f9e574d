"""The dashboard's "Where" page (where.html): the geographic map (publish/geomap.py, drawn by
geodraw.py) made interactive with the network map's script and controls (dashboard_map.py).

The outlines are embedded, so the page works offline; to keep it small they are redrawn here
from the same projected rings with fewer points (MIN_STEP) and as relative path commands in
tenths of a pixel ("l3.2-.5" rather than "L651.8 491.5"), about half the bytes of the
picture `report map --projection geo` writes. Brigades without coordinates are listed under
the map, not dropped.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from typing import Any

from peernet_cli.publish import geodraw, geomap, graph
from peernet_cli.publish.dashboard_html import e, page
from peernet_cli.publish.dashboard_map import map_body, map_data
from peernet_cli.query.listings import LinkedRegistry

MIN_STEP = 1.0  # pixels between kept outline points; 0.7 in the standalone picture
WHERE_SVG = {"id": "geo-map", "node": "g.pin", "edge": "line.link", "label": "text.label"}
_EMPTY_OUTLINES = '<g id="outlines">\n</g>'


def _num(tenths: int) -> str:
    """Tenths of a pixel as the shortest SVG number: 30 -> "3", 5 -> ".5", -12 -> "-1.2"."""
    whole, part = divmod(abs(tenths), 10)
    text = (str(whole) if whole or not part else "") + (f".{part}" if part else "")
    return ("-" if tenths < 0 else "") + text


def _pair(a: int, b: int) -> str:
    second = _num(b)
    return _num(a) + ("" if second.startswith("-") else " ") + second


def compact_path(rings: list[list[tuple[float, float]]]) -> str:
    """Rings as "M x y l dx dy dx dy … z": deltas between points rounded to tenths first, so
    the rounding never adds up along a ring."""
    out = []
    for ring in rings:
        pts = [(round(x * 10), round(y * 10)) for x, y in ring]
        steps = [_pair(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(pts) if b != a]
        out.append("M" + _pair(*pts[0]) + ("l" + " ".join(steps).replace(" -", "-") if steps else "") + "z")
    return "".join(out)


def _outlines(m: geomap.GeoMap) -> str:
    parts = [f'<g id="outlines" stroke="{geodraw.BORDER}" stroke-width="0.5" fill-rule="evenodd">']
    for o in m.outlines:
        fill = geodraw.LAND_WITH_BRIGADES if o.has_brigades else geodraw.LAND
        parts.append(f'<path class="outline" data-id={geodraw.quoteattr(o.id)} data-panel="{o.panel}" '
                     f'fill="{fill}" d="{compact_path(o.rings)}"><title>{geodraw.escape(o.name)}</title></path>')
    parts.append("</g>")
    return "\n".join(parts)


def where_svg(m: geomap.GeoMap) -> str:
    """geodraw's picture (pins, lines, labels, legend, caption) with the compact outlines."""
    svg = geodraw.to_svg(replace(m, outlines=[]), title="Where the brigades are")
    if _EMPTY_OUTLINES not in svg:  # geodraw changed how it writes the layer: fail loudly, not silently
        raise RuntimeError("geodraw.to_svg no longer writes an empty outlines group")
    return svg.replace(_EMPTY_OUTLINES, _outlines(m), 1)


def _unlocated(m: geomap.GeoMap) -> str:
    if not m.missing_brigades:
        body = '<p class="empty">Every brigade has coordinates.</p>'
    else:
        body = ("<p>These are not on the map: their records have no latitude and longitude yet.</p>"
                '<ul class="columns">' + "".join(f'<li><a href="brigades/{e(i)}.html">{e(name)}</a></li>'
                                                 for i, name in m.missing_brigades) + "</ul>")
    partners = (f'<p class="muted">{m.missing_partners} partner(s) without coordinates are not drawn either.</p>'
                if m.missing_partners else "")
    return (f'<section id="unlocated"><h2>Brigades without coordinates ({len(m.missing_brigades)})</h2>'
            f"{body}{partners}</section>\n")


def _lead(m: geomap.GeoMap) -> str:
    brigades = sum(p.place.kind == "brigade" for p in m.pins)
    partners = sum(p.place.kind == "partner" for p in m.pins)
    text = f"{brigades} brigade(s) and {partners} partner(s) at their coordinates"
    text += f"; {len(m.links)} partnership(s) drawn as lines." if m.links else "."
    if m.links_not_drawn:
        text += (f" {m.links_not_drawn} partnership(s) are not drawn: one side has no coordinates or is on the other "
                 "panel (the network map has them all).")
    return e(text)


def where_page(linked: LinkedRegistry, as_of: date) -> str:
    m = geomap.geo_map(linked.reg, min_step=MIN_STEP)
    g = graph.build(linked.reg)  # every organisation, for the panel's lists (no layout needed)
    data = map_data(linked, g, WHERE_SVG)
    classes: dict[str, Any] = {}
    for pin in m.pins:  # the filters count what is on this map
        c = data["nodes"][pin.place.id]["classification"]
        classes[c] = classes.get(c, 0) + 1
    body = (f'<p class="lead">{_lead(m)}</p>\n'
            + map_body(where_svg(m), data, classes,
                       "Drag to pan, wheel, pinch or +/− to zoom, hover for a name, click for the record. "
                       "Choosing a filter zooms to what is left.", _unlocated(m)))
    return page("Where the brigades are", body, as_of.isoformat(), current="where.html", scripts=("map.js",),
                body_class="map-page")
