"""The brigade–partner network as a graph: building it, laying it out, and exporting it
(dot, graphml, mermaid, json; svg and png are drawn in mapdraw.py). Every output is a pure function of the registry:
the layout uses a fixed seed, so the same registry gives byte-identical files."""

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
    """One node per brigade and per partner; one edge per partnership."""
    g = Graph()
    for b in sorted(reg.of("brigade").values(), key=lambda r: r.id):
        loc = b.get("location") or {}
        g.nodes.append({"id": b.id, "kind": "brigade", "label": b.name, "classification": "brigade",
                        "state": loc.get("state"), "status": b.get("status")})
    for p in sorted(reg.of("partner").values(), key=lambda r: r.id):
        loc = p.get("location") or {}
        g.nodes.append({"id": p.id, "kind": "partner", "label": p.name,
                        "classification": p.get("classification") or "unknown",
                        "state": loc.get("state"), "status": None})
    known = {n["id"] for n in g.nodes}
    for s in sorted(reg.of("partnership").values(), key=lambda r: r.id):
        src, dst = s.get("brigade"), s.get("partner")
        if src in known and dst in known:
            g.edges.append({"id": s.id, "source": src, "target": dst,
                            "status": s.get("status"), "kind": s.get("kind")})
    return g


def _group_layout(g: Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """First pass of `layout`: positions in a unit-free plane. Each connected group is laid out on its own (a
    force-directed layout from a fixed seed) and the groups are packed in rows, biggest
    first, so clusters never pile on top of each other the way one global layout of a
    sparse graph does."""
    placed: list[tuple[list[str], dict[str, tuple[float, float]], float]] = []
    brigades = {n["id"] for n in g.nodes if n["kind"] == "brigade"}
    for nodes in components(g):
        if len(nodes) == 2:  # a brigade above its one partner: both labels stay readable
            top, bottom = sorted(nodes, key=lambda n: (n not in brigades, n))
            pos = {top: (-0.6, -0.45), bottom: (-0.6, 0.45)}
        else:
            pos = force_layout(nodes, _edges_within(g, set(nodes)), seed)
        # Small groups still need room for their labels, which run to the right.
        radius = max(0.5 + 0.35 * math.sqrt(len(nodes)), 1.35 if len(nodes) <= 2 else 0.0)
        placed.append((nodes, pos if len(nodes) == 2 else _fit(pos, radius), radius))
    return _pack(placed)


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


def _edges_within(g: Graph, nodes: set[str]) -> list[tuple[str, str]]:
    return [(e["source"], e["target"]) for e in g.edges if e["source"] in nodes and e["target"] in nodes]


def force_layout(nodes: list[str], edges: list[tuple[str, str]], seed: int,
                 iterations: int = 300) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold in plain Python: deterministic for a given seed and input."""
    import random

    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    rng = random.Random(f"{seed}:{nodes[0]}:{len(nodes)}")
    pos = {n: [rng.uniform(-1, 1), rng.uniform(-1, 1)] for n in nodes}
    k = 1.0 / math.sqrt(len(nodes))
    temperature = 0.2
    for _ in range(iterations):
        disp = {n: [0.0, 0.0] for n in nodes}
        for i, a in enumerate(nodes):
            ax, ay = pos[a]
            for b in nodes[i + 1:]:
                dx, dy = ax - pos[b][0], ay - pos[b][1]
                dist = math.hypot(dx, dy) or 1e-6
                force = k * k / dist
                disp[a][0] += dx / dist * force
                disp[a][1] += dy / dist * force
                disp[b][0] -= dx / dist * force
                disp[b][1] -= dy / dist * force
        for a, b in edges:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = math.hypot(dx, dy) or 1e-6
            force = dist * dist / k
            disp[a][0] -= dx / dist * force
            disp[a][1] -= dy / dist * force
            disp[b][0] += dx / dist * force
            disp[b][1] += dy / dist * force
        for n in nodes:
            dx, dy = disp[n]
            length = math.hypot(dx, dy) or 1e-6
            step = min(length, temperature)
            pos[n][0] += dx / length * step
            pos[n][1] += dy / length * step
        temperature = max(temperature * 0.985, 0.002)
    return {n: (x, y) for n, (x, y) in pos.items()}


def _fit(pos: dict[str, tuple[float, float]], radius: float) -> dict[str, tuple[float, float]]:
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    span = max((math.hypot(x - cx, y - cy) for x, y in pos.values()), default=0.0) or 1.0
    scale = (radius - 0.4) / span if len(pos) > 1 else 0.0
    return {n: ((x - cx) * scale, (y - cy) * scale) for n, (x, y) in pos.items()}


def _pack(placed: list[tuple[list[str], dict[str, tuple[float, float]], float]]) -> dict[str, tuple[float, float]]:
    """Shelf packing: fill rows left to right up to a width that keeps the map wide."""
    total = sum((2 * r) ** 2 for _, _, r in placed)
    width = max(math.sqrt(total) * 1.6, max((2 * r for _, _, r in placed), default=1.0))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for _nodes, pos, r in placed:
        d = 2 * r
        if x + d > width and x > 0:
            x, y, row_h = 0.0, y + row_h, 0.0
        for n, (px, py) in pos.items():
            out[n] = (round(x + r + px, 4), round(y + r + py, 4))
        x += d
        row_h = max(row_h, d)
    return out


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

UNIT = 70.0  # pixels per layout unit when drawn
MARGIN = 40.0
LEGEND_W = 230.0


def _label_units(node: dict[str, Any]) -> float:
    """How far a node's label runs to the right, in layout units (an estimate: no font metrics)."""
    per_char, offset = (7.2, 10.0) if node["kind"] == "brigade" else (5.1, 8.0)
    return (offset + per_char * len(node["label"])) / UNIT


def _separate(pts: dict[str, tuple[float, float]], nodes: dict[str, dict[str, Any]],
              passes: int = 60) -> dict[str, tuple[float, float]]:
    """Nudge nodes up or down until no two labels overlap (or `passes` run out): each label is
    a box to the right of its node. Deterministic: pairs are visited in id order."""
    half = 0.14  # half a label's height, in layout units
    at = {n: list(p) for n, p in sorted(pts.items())}
    ids = list(at)
    for _ in range(passes):
        moved = False
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                (ax, ay), (bx, by) = at[a], at[b]
                if ax - 0.1 >= bx + _label_units(nodes[b]) or bx - 0.1 >= ax + _label_units(nodes[a]):
                    continue
                overlap = 2 * half - abs(ay - by)
                if overlap <= 0:
                    continue
                push = overlap / 2 + 0.005
                up, down = (a, b) if (ay, a) < (by, b) else (b, a)
                at[up][1] -= push
                at[down][1] += push
                moved = True
        if not moved:
            break
    return {n: (x, y) for n, (x, y) in at.items()}


def layout(g: Graph, aspect: float = 1.45) -> dict[str, tuple[float, float]]:
    """Positions for drawing (layout units; UNIT pixels each). Groups from _group_layout,
    re-packed for a screen: each group's box includes its labels (a square that ignored
    them made a map of many small groups wide and sparse), groups of similar height share
    rows, and the row width is the one whose whole picture is closest to `aspect`."""
    base = _group_layout(g)
    nodes = {n["id"]: n for n in g.nodes}
    unit = UNIT
    boxes = []
    for group in components(g):
        if len(group) == 2:  # a brigade above its partner: closer together than graph.layout has them
            pts = {n: (base[n][0], base[n][1] * 0.6) for n in group}
        else:  # a little more room, then labels pushed apart
            pts = _separate({n: (base[n][0] * 1.3, base[n][1] * 1.3) for n in group}, nodes)
        x0 = min(x for x, _ in pts.values()) - 0.15
        x1 = max(x + _label_units(nodes[n]) for n, (x, _) in pts.items())
        y0 = min(y for _, y in pts.values()) - 0.2
        y1 = max(y for _, y in pts.values()) + 0.2
        boxes.append((group, pts, x0, y0, x1 - x0, y1 - y0))
    boxes.sort(key=lambda b: (-round(b[5], 2), -round(b[4], 2), b[0][0]))
    gap = 0.3

    def pack(width: float) -> tuple[dict[str, tuple[float, float]], float, float]:
        out: dict[str, tuple[float, float]] = {}
        x = y = row_h = used_w = 0.0
        for _group, pts, bx, by, bw, bh in boxes:
            if x > 0 and x + bw > width:
                x, y, row_h = 0.0, y + row_h + gap, 0.0
            for n, (px, py) in pts.items():
                out[n] = (round(x + px - bx, 4), round(y + py - by, 4))
            x += bw + gap
            used_w = max(used_w, x - gap)
            row_h = max(row_h, bh)
        return out, used_w, y + row_h

    widest = max((b[4] for b in boxes), default=1.0)
    total = sum(b[4] * b[5] for b in boxes) or 1.0
    best: tuple[float, dict[str, tuple[float, float]]] | None = None
    for step in range(1, 41):
        width = max(widest, (total * aspect) ** 0.5 * step / 20)
        pos, w, h = pack(width)
        # the drawn picture adds margins, label room and the legend around the nodes
        ratio = (w * unit + 2 * MARGIN + LEGEND_W) / (h * unit + 2 * MARGIN)
        score = abs(ratio - aspect)
        if best is None or score < best[0] - 1e-9:
            best = (score, pos)
    return best[1] if best else {}
