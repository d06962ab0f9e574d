"""The brigade–partner network as a graph: building it, laying it out, and exporting it
(dot, graphml, mermaid, json; svg and png are drawn in mapdraw.py). Every output is a pure function
of the registry: the layout (igraph) draws from a fixed seed, so the same registry gives byte-identical files."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from peernet_cli.registry.loader import Registry

# Colours by partner classification (and one for brigades), chosen to stay apart for
# common colour-vision deficiencies; anything unlisted is grey.
COLORS: dict[str, str] = {
    "brigade": "#1f4e79",
    "city-government": "#e69f00",
    "county-government": "#d55e00",
    "regional-government": "#cc79a7",
    "council-of-governments": "#cc79a7",
    "state-agency": "#009e73",
    "federal-agency": "#006d4f",
    "university": "#56b4e9",
    "school": "#56b4e9",
    "nonprofit": "#f0c419",
    "community-group": "#b07aa1",
    "foundation": "#8c6d31",
    "company": "#7f7f7f",
    "hackerspace": "#e377c2",
    "media": "#9edae5",
}
OTHER_COLOR = "#bdbdbd"


def color_for(classification: str | None) -> str:
    return COLORS.get(classification or "", OTHER_COLOR)


@dataclass
class Graph:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)


def build(reg: Registry) -> Graph:
    """One node per brigade and per partner; one edge per partnership. A node with no edge is
    marked `isolated` (drawn as a dot in the strip under the map, not laid out)."""
    g = Graph()
    for b in sorted(reg.of("brigade").values(), key=lambda r: r.id):
        loc = b.get("location") or {}
        g.nodes.append({"id": b.id, "kind": "brigade", "label": b.name, "classification": "brigade",
                        "state": loc.get("state"), "country": loc.get("country"), "status": b.get("status")})
    for p in sorted(reg.of("partner").values(), key=lambda r: r.id):
        loc = p.get("location") or {}
        g.nodes.append({"id": p.id, "kind": "partner", "label": p.name,
                        "classification": p.get("classification") or "unknown",
                        "state": loc.get("state"), "country": loc.get("country"), "status": None})
    known = {n["id"] for n in g.nodes}
    for s in sorted(reg.of("partnership").values(), key=lambda r: r.id):
        src, dst = s.get("brigade"), s.get("partner")
        if src in known and dst in known:
            g.edges.append({"id": s.id, "source": src, "target": dst,
                            "status": s.get("status"), "kind": s.get("kind")})
    linked = {e["source"] for e in g.edges} | {e["target"] for e in g.edges}
    for n in g.nodes:
        n["isolated"] = n["id"] not in linked
    return g


def components(g: Graph) -> list[list[str]]:
    """Connected groups of node ids, biggest first (ties by first id)."""
    links: dict[str, set[str]] = {n["id"]: set() for n in g.nodes}
    for e in g.edges:
        links[e["source"]].add(e["target"])
        links[e["target"]].add(e["source"])
    seen: set[str] = set()
    groups = []
    for start in links:
        if start in seen:
            continue
        stack, group = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            group.append(node)
            for nxt in links[node] - seen:
                seen.add(nxt)
                stack.append(nxt)
        groups.append(sorted(group))
    return sorted(groups, key=lambda c: (-len(c), c[0]))



# --- exports ----------------------------------------------------------------------------


def to_json(g: Graph, pos: dict[str, tuple[float, float]] | None = None) -> str:
    nodes = [{**n, **({"x": pos[n["id"]][0], "y": pos[n["id"]][1]} if pos else {})} for n in g.nodes]
    return json.dumps({"nodes": nodes, "edges": g.edges}, indent=2, ensure_ascii=False) + "\n"


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(g: Graph) -> str:
    lines = ["graph peernet {", "  graph [overlap=false, splines=true];", "  node [style=filled, fontname=Helvetica];"]
    for n in g.nodes:
        shape = "box" if n["kind"] == "brigade" else "ellipse"
        lines.append(f"  {_dot_id(n['id'])} [label={_dot_id(n['label'])}, shape={shape}, "
                     f"fillcolor={_dot_id(color_for(n['classification']))}, "
                     f"classification={_dot_id(n['classification'])}];")
    for e in g.edges:
        style = "dashed" if e["status"] in ("prospective", "unknown") else "solid"
        lines.append(f"  {_dot_id(e['source'])} -- {_dot_id(e['target'])} "
                     f"[status={_dot_id(str(e['status']))}, style={style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_graphml(g: Graph) -> str:
    keys = [("label", "node"), ("kind", "node"), ("classification", "node"), ("state", "node"),
            ("status", "edge"), ("kind", "edge")]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    for name, scope in keys:
        out.append(f'  <key id="{scope[0]}_{name}" for="{scope}" attr.name="{name}" attr.type="string"/>')
    out.append('  <graph id="peernet" edgedefault="undirected">')
    for n in g.nodes:
        out.append(f"    <node id={quoteattr(n['id'])}>")
        for name in ("label", "kind", "classification", "state"):
            if n.get(name):
                out.append(f'      <data key="n_{name}">{escape(str(n[name]))}</data>')
        out.append("    </node>")
    for e in g.edges:
        out.append(f"    <edge id={quoteattr(e['id'])} source={quoteattr(e['source'])} target={quoteattr(e['target'])}>")
        for name in ("status", "kind"):
            if e.get(name):
                out.append(f'      <data key="e_{name}">{escape(str(e[name]))}</data>')
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


def to_mermaid(g: Graph) -> str:
    ids = {n["id"]: f"n{i}" for i, n in enumerate(g.nodes)}
    lines = ["graph LR"]
    for n in g.nodes:
        label = n["label"].replace('"', "#quot;")
        open_, close = ("[", "]") if n["kind"] == "brigade" else ("(", ")")
        lines.append(f'  {ids[n["id"]]}{open_}"{label}"{close}')
    for e in g.edges:
        arrow = "-.-" if e["status"] in ("prospective", "unknown") else "---"
        lines.append(f"  {ids[e['source']]} {arrow} {ids[e['target']]}")
    return "\n".join(lines) + "\n"



# --- the drawing layout ---------------------------------------------------------------
# Each connected group is laid out alone by igraph's C code (one layout of a sparse graph piles
# the groups up), scaled to room for its labels, and the groups are packed in rows, biggest first.
# Nodes with no link are dots in a strip under the picture, by state (a grid of their labels
# filled two thirds of the map). Measured in benchmarks/RESULTS.md: Fruchterman–Reingold looks
# best up to a few hundred nodes; beyond, its O(n²) steps lose to LGL, 5× faster at 2,000 nodes.

UNIT = 70.0  # pixels per layout unit when drawn
MARGIN = 40.0
LEGEND_W = 230.0
FR_MAX_NODES = 500  # bigger groups: LGL
SEED = 7
STRIP_PITCH = 0.2  # between two dots of the strip, in layout units
STRIP_ROW = 0.32  # between two rows of the strip
STRIP_TOP = 0.9  # room above the strip for its caption
_HALF = 0.14  # half a label's height, in layout units
Point = tuple[float, float]


def _label_units(node: dict[str, Any]) -> float:
    """How far a node's label runs to the right, in layout units (an estimate: no font metrics).
    A dot in the strip has no label, only its own width."""
    if node.get("isolated"):
        return 0.06
    per_char, offset = (7.2, 10.0) if node["kind"] == "brigade" else (5.1, 8.0)
    return (offset + per_char * len(node["label"])) / UNIT


def _igraph_layout(nodes: list[str], edges: list[tuple[int, int]]) -> list[Point]:
    """Positions of one connected group, the same for the same input: the start and igraph's
    random numbers come from a seeded generator of our own (igraph otherwise draws from the
    global `random`, which is put back afterwards)."""
    import random

    import igraph  # type: ignore[import-untyped]

    rng = random.Random(f"{SEED}:{nodes[0]}:{len(nodes)}")
    net = igraph.Graph(n=len(nodes), edges=edges)
    igraph.set_random_number_generator(rng)
    try:
        if len(nodes) <= FR_MAX_NODES:
            start = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in nodes]
            found = net.layout_fruchterman_reingold(seed=start, niter=500, grid="nogrid")
        else:
            degrees = net.degree()
            found = net.layout_lgl(root=max(range(len(nodes)), key=lambda i: (degrees[i], -i)))
    finally:
        igraph.set_random_number_generator(random)
    return [(float(x), float(y)) for x, y in found.coords]


def _fit(pts: list[Point], radius: float) -> list[Point]:
    """Centred on 0 and scaled so the farthest node is `radius - 0.4` away."""
    cx, cy = sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)
    span = max(math.hypot(x - cx, y - cy) for x, y in pts) or 1.0
    scale = (radius - 0.4) / span
    return [((x - cx) * scale, (y - cy) * scale) for x, y in pts]


def _group_positions(g: Graph, groups: list[list[str]], nodes: dict[str, dict[str, Any]]) -> list[dict[str, Point]]:
    """Each group's own positions, centred on 0 (layout units)."""
    where = {n: (i, j) for i, group in enumerate(groups) for j, n in enumerate(group)}
    edges: list[list[tuple[int, int]]] = [[] for _ in groups]
    for e in g.edges:
        (i, a), (_, b) = where[e["source"]], where[e["target"]]
        edges[i].append((a, b))
    out = []
    for group, links in zip(groups, edges):
        if len(group) == 2:  # a brigade above its one partner: both labels stay readable
            top, bottom = sorted(group, key=lambda n: (nodes[n]["kind"] != "brigade", n))
            out.append({top: (-0.6, -0.27), bottom: (-0.6, 0.27)})
            continue
        # room for the labels too, which a big group needs more than the square root rule gives
        labels = sum((_label_units(nodes[n]) + 0.2) * 2 * _HALF for n in group)
        radius = max(0.5 + 0.35 * math.sqrt(len(group)), math.sqrt(labels / math.pi))
        pts = _fit(_igraph_layout(group, links), radius)
        out.append(_separate({n: (x * 1.3, y * 1.3) for n, (x, y) in zip(group, pts)}, nodes))
    return out


def _separate(pts: dict[str, Point], nodes: dict[str, dict[str, Any]], passes: int = 60) -> dict[str, Point]:
    """Nudge nodes up or down until no two labels overlap (or `passes` run out): each label is a
    box to the right of its node. Only boxes in neighbouring cells of a grid are compared, so a
    pass costs O(n), not O(n²); a pass that moves nothing has compared every overlapping pair.
    Deterministic: pairs are visited in id order."""
    ids = sorted(pts)
    at = [list(pts[n]) for n in ids]
    wide = [_label_units(nodes[n]) for n in ids]
    for _ in range(passes):
        cells: dict[tuple[int, int], list[int]] = {}
        for i, (x, y) in enumerate(at):
            row = math.floor(y / (2 * _HALF))
            for col in range(math.floor(x - 0.1), math.floor(x + wide[i]) + 1):
                cells.setdefault((col, row), []).append(i)
        pairs: set[int] = set()  # i * len(ids) + j for i < j: sorted, they are in id order
        for (col, row), here in cells.items():
            near = here + cells.get((col, row + 1), [])
            pairs.update(min(i, j) * len(ids) + max(i, j) for i in here for j in near if i != j)
        moved = False
        for pair in sorted(pairs):
            i, j = divmod(pair, len(ids))
            (ax, ay), (bx, by) = at[i], at[j]
            if ax - 0.1 >= bx + wide[j] or bx - 0.1 >= ax + wide[i]:
                continue
            overlap = 2 * _HALF - abs(ay - by)
            if overlap > 0:
                up, down = (i, j) if ay <= by else (j, i)  # on a tie, the first id goes up
                at[up][1] -= overlap / 2 + 0.005
                at[down][1] += overlap / 2 + 0.005
                moved = True
        if not moved:
            break
    return {n: (x, y) for n, (x, y) in zip(ids, at)}


def strip_groups(g: Graph) -> list[tuple[str, str, list[str]]]:
    """The nodes with no link, as (section, label, ids): US brigades by state, then the others
    by country, then those with no location; brigades before partners, then by id."""
    runs: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for n in g.nodes:
        if n.get("isolated"):
            key = ((0, n.get("state") or "US") if n.get("country") == "US"
                   else (1, n["country"]) if n.get("country") else (2, "no location"))
            runs.setdefault(key, []).append(n)
    sections = ("us", "other", "none")
    return [(sections[s], label, [n["id"] for n in sorted(ns, key=lambda n: (n["kind"] != "brigade", n["id"]))])
            for (s, label), ns in sorted(runs.items())]


def strip_label_units(label: str) -> float:
    return (6.5 * len(label) + 6) / UNIT  # a state's label before its dots, 9 px text


def _strip(runs: list[tuple[str, str, list[str]]], width: float, top: float) -> tuple[dict[str, Point], float]:
    """Positions of the strip's dots in rows up to `width`, and the strip's bottom. A group
    starts a new row rather than break (unless it is longer than a row), and so does a section."""
    out: dict[str, Point] = {}
    left = 0.15  # where the packed groups start, past their box padding
    x, y, section = left, top, ""
    for sec, label, ids in runs:
        need = strip_label_units(label) + STRIP_PITCH * len(ids)
        if x > left and (sec != section or x + need > width):
            x, y = left, y + STRIP_ROW
        section, x = sec, x + strip_label_units(label)
        for n in ids:
            if x > width:
                x, y = left + strip_label_units(label), y + STRIP_ROW
            out[n] = (round(x, 4), round(y, 4))
            x += STRIP_PITCH
        x += 0.1
    return out, (y if out else top - STRIP_TOP)


def layout(g: Graph, aspect: float = 1.45) -> dict[str, Point]:
    """Positions for drawing (layout units; UNIT pixels each) of every node. Each group's box
    includes its labels, groups of similar height share rows, and the row width is the one
    whose whole picture (strip, margins and legend included) is closest to `aspect`."""
    nodes = {n["id"]: n for n in g.nodes}
    groups = [c for c in components(g) if len(c) > 1]
    boxes = []
    for group, pts in zip(groups, _group_positions(g, groups, nodes)):
        x0 = min(x for x, _ in pts.values()) - 0.15
        x1 = max(x + _label_units(nodes[n]) for n, (x, _) in pts.items())
        y0, y1 = min(y for _, y in pts.values()) - 0.2, max(y for _, y in pts.values()) + 0.2
        boxes.append((group, pts, x0, y0, x1 - x0, y1 - y0))
    boxes.sort(key=lambda b: (-round(b[5], 2), -round(b[4], 2), b[0][0]))
    gap, runs = 0.3, strip_groups(g)

    def pack(width: float) -> tuple[dict[str, Point], float, float]:
        out: dict[str, Point] = {}
        x = y = row_h = used_w = 0.0
        for _group, pts, bx, by, bw, bh in boxes:
            if x > 0 and x + bw > width:
                x, y, row_h = 0.0, y + row_h + gap, 0.0
            for n, (px, py) in pts.items():
                out[n] = (round(x + px - bx, 4), round(y + py - by, 4))
            x += bw + gap
            used_w = max(used_w, x - gap)
            row_h = max(row_h, bh)
        strip, bottom = _strip(runs, max(used_w, 12.0), y + row_h + STRIP_TOP)
        return out | strip, max(used_w, max((x for x, _ in strip.values()), default=0.0)), bottom

    widest = max((b[4] for b in boxes), default=1.0)
    total = sum(b[4] * b[5] for b in boxes) or 1.0
    best: tuple[float, dict[str, Point]] | None = None
    for step in range(1, 41):
        pos, w, h = pack(max(widest, (total * aspect) ** 0.5 * step / 20))
        # the drawn picture adds margins, label room and the legend around the nodes
        score = abs((w * UNIT + 2 * MARGIN + LEGEND_W) / (h * UNIT + 2 * MARGIN) - aspect)
        if best is None or score < best[0] - 1e-9:
            best = (score, pos)
    return best[1] if best else {}
