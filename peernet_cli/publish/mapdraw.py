"""Drawing the laid-out network: SVG (for the dashboard and slides) and PNG (via Pillow).

Both draw the same picture from graph.layout: brigades as dark squares with their names,
partners as circles coloured by classification, prospective/unknown links dashed; under it, the
organisations with no recorded partnership as a strip of small unlabelled dots grouped by state
(their names are in each dot's tooltip), with a line that counts them.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from peernet_cli.publish import graph
from peernet_cli.publish.graph import COLORS, LEGEND_W, MARGIN, OTHER_COLOR, UNIT, Graph, color_for

LABEL_ROOM = 170.0  # labels run to the right of their node


def _frame(pos: dict[str, tuple[float, float]]) -> tuple[float, float, float, float]:
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    return min(xs), min(ys), max(xs), max(ys)


def _px(pos: dict[str, tuple[float, float]]) -> tuple[dict[str, tuple[float, float]], float, float]:
    x0, y0, x1, y1 = _frame(pos)
    pts = {n: (round(MARGIN + (x - x0) * UNIT, 1), round(MARGIN + (y - y0) * UNIT, 1)) for n, (x, y) in pos.items()}
    return pts, (x1 - x0) * UNIT + 2 * MARGIN + LABEL_ROOM + LEGEND_W, (y1 - y0) * UNIT + 2 * MARGIN


def legend_items(g: Graph) -> list[tuple[str, str]]:
    used = sorted({n["classification"] for n in g.nodes if n["kind"] == "partner"})
    items = [("brigade", COLORS["brigade"])]
    items += [(c, color_for(c)) for c in used if c in COLORS]
    if any(c not in COLORS for c in used):
        items.append(("other / unknown", OTHER_COLOR))
    return items


def isolated_summary(g: Graph) -> str:
    """The line over the strip: how many organisations have no recorded partnership."""
    lonely = [n for n in g.nodes if n.get("isolated")]
    brigades = sum(n["kind"] == "brigade" for n in lonely)
    parts = [f"{brigades} brigade{'s' if brigades != 1 else ''}"] if brigades else []
    if len(lonely) > brigades:
        parts.append(f"{len(lonely) - brigades} partner{'s' if len(lonely) - brigades != 1 else ''}")
    return (f"+{' and '.join(parts)} with no recorded partnership (one dot each, by US state, "
            "then by country)")


def _strip_texts(g: Graph, pts: dict[str, tuple[float, float]]) -> list[tuple[float, float, str, bool]]:
    """(x, y, text, caption?) in pixels: the summary line, then a label before each state's dots."""
    groups = graph.strip_groups(g)
    if not groups:
        return []
    top = min(pts[ids[0]][1] for _, _, ids in groups)
    out = [(MARGIN, top - graph.STRIP_TOP * UNIT / 2, isolated_summary(g), True)]
    for _section, label, ids in groups:
        x, y = pts[ids[0]]
        out.append((x - graph.strip_label_units(label) * UNIT, y + 3, label, False))
    return out


def to_svg(g: Graph, pos: dict[str, tuple[float, float]], title: str = "peernet network map") -> str:
    pts, width, height = _px(pos)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" id="network-map" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" font-family="Helvetica, Arial, sans-serif" role="img">'),
           f"<title>{escape(title)}</title>",
           '<rect width="100%" height="100%" fill="#ffffff"/>', '<g id="viewport">', '<g id="edges">']
    for e in g.edges:
        (x1, y1), (x2, y2) = pts[e["source"]], pts[e["target"]]
        dash = ' stroke-dasharray="4 3"' if e["status"] in ("prospective", "unknown") else ""
        out.append(f'<line class="edge" data-source={quoteattr(e["source"])} data-target={quoteattr(e["target"])} '
                   f'data-status={quoteattr(str(e["status"]))} x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
                   f'stroke="#8a8a8a" stroke-width="1.2"{dash}/>')
    out += ["</g>", '<g id="nodes">']
    for n in g.nodes:
        x, y = pts[n["id"]]
        attrs = " ".join(f"data-{k}={quoteattr(str(n.get(k) or ''))}" for k in ("id", "kind", "classification", "state", "status"))
        lonely = ' data-isolated="true"' if n.get("isolated") else ""
        out.append(f'<g class="node {n["kind"]}" {attrs}{lonely} transform="translate({x},{y})">')
        out.append(f"<title>{escape(n['label'])} ({escape(n['classification'])})</title>")
        if n.get("isolated"):  # a dot in the strip: the name is in the tooltip
            shape = (f'<rect x="-3" y="-3" width="6" height="6" fill="{COLORS["brigade"]}"/>' if n["kind"] == "brigade"
                     else f'<circle r="3" fill="{color_for(n["classification"])}"/>')
            out.append(shape)
        elif n["kind"] == "brigade":
            out.append(f'<rect x="-7" y="-7" width="14" height="14" rx="2" fill="{COLORS["brigade"]}"/>')
            out.append(f'<text x="10" y="4" font-size="12" font-weight="bold" fill="#1a1a1a">{escape(n["label"])}</text>')
        else:
            out.append(f'<circle r="6" fill="{color_for(n["classification"])}" stroke="#ffffff" stroke-width="1"/>')
            out.append(f'<text class="partner-label" x="8" y="3" font-size="9" fill="#444444">{escape(n["label"])}</text>')
        out.append("</g>")
    out.append("</g>")
    for x, y, text, caption in _strip_texts(g, pts):
        ident, size = (' id="isolated-summary"', 12) if caption else (' class="strip-label"', 9)
        out.append(f'<text{ident} x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="#444444">{escape(text)}</text>')
    out.append("</g>")
    lx = width - LEGEND_W + 10
    out.append(f'<g id="legend" transform="translate({lx:.0f},{MARGIN:.0f})">')
    out.append('<text x="0" y="0" font-size="13" font-weight="bold">Legend</text>')
    for i, (label, colour) in enumerate(legend_items(g)):
        y = 20 + i * 18
        out.append(f'<circle cx="6" cy="{y - 4}" r="6" fill="{colour}"/><text x="18" y="{y}" font-size="11">{escape(label)}</text>')
    y = 20 + len(legend_items(g)) * 18 + 8
    out.append(f'<line x1="0" y1="{y}" x2="24" y2="{y}" stroke="#8a8a8a" stroke-dasharray="4 3"/>'
               f'<text x="30" y="{y + 4}" font-size="11">prospective / status unknown</text>')
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def to_png(g: Graph, pos: dict[str, tuple[float, float]], scale: float = 1.0) -> bytes:
    """The same picture as to_svg, rasterised with Pillow (no browser needed)."""
    import io

    from PIL import Image, ImageDraw

    pts, width, height = _px(pos)
    img = Image.new("RGB", (int(width * scale), int(height * scale)), "white")
    draw = ImageDraw.Draw(img)
    bold = _font(12 * scale, bold=True)
    small = _font(9 * scale)
    small_legend = _font(11 * scale)

    def s(p: tuple[float, float]) -> tuple[float, float]:
        return p[0] * scale, p[1] * scale

    for e in g.edges:
        a, b = s(pts[e["source"]]), s(pts[e["target"]])
        if e["status"] in ("prospective", "unknown"):
            _dashed(draw, a, b, scale)
        else:
            draw.line([a, b], fill="#8a8a8a", width=max(1, int(scale)))
    for n in g.nodes:
        x, y = s(pts[n["id"]])
        if n.get("isolated"):
            r = 3 * scale
            if n["kind"] == "brigade":
                draw.rectangle([x - r, y - r, x + r, y + r], fill=COLORS["brigade"])
            else:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=color_for(n["classification"]))
        elif n["kind"] == "brigade":
            r = 7 * scale
            draw.rounded_rectangle([x - r, y - r, x + r, y + r], radius=2 * scale, fill=COLORS["brigade"])
            draw.text((x + 10 * scale, y - 7 * scale), n["label"], fill="#1a1a1a", font=bold)
        else:
            r = 6 * scale
            draw.ellipse([x - r, y - r, x + r, y + r], fill=color_for(n["classification"]), outline="white")
            draw.text((x + 8 * scale, y - 6 * scale), n["label"], fill="#444444", font=small)
    for x, y, text, caption in _strip_texts(g, pts):
        draw.text((x * scale, (y - (12 if caption else 9)) * scale), text, fill="#444444",
                  font=_font((12 if caption else 9) * scale))
    lx, ly = (width - LEGEND_W + 10) * scale, MARGIN * scale
    draw.text((lx, ly - 12 * scale), "Legend", fill="black", font=bold)
    for i, (label, colour) in enumerate(legend_items(g)):
        y = ly + (20 + i * 18) * scale
        draw.ellipse([lx, y - 10 * scale, lx + 12 * scale, y + 2 * scale], fill=colour)
        draw.text((lx + 18 * scale, y - 10 * scale), label, fill="black", font=small_legend)
    buf = io.BytesIO()
    # optimize (zlib level 9) saves a few per cent but took 11 s of 16 on a 2,000-node picture
    img.save(buf, format="PNG", optimize=img.width * img.height <= 8_000_000)
    return buf.getvalue()


_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/Library/Fonts",
              "C:/Windows/Fonts")


def _font(size: float, bold: bool = False) -> Any:
    """DejaVu Sans where the system has it (it covers ß, ü, ö…), else Pillow's built-in font."""
    from pathlib import Path

    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        if (Path(folder) / name).is_file():
            return ImageFont.truetype(str(Path(folder) / name), int(size))
    return ImageFont.load_default(size=int(size))


def _dashed(draw: object, a: tuple[float, float], b: tuple[float, float], scale: float) -> None:
    import math

    length = math.dist(a, b) or 1.0
    step, on = 7 * scale, 4 * scale
    t = 0.0
    while t < length:
        t2 = min(t + on, length)
        p = (a[0] + (b[0] - a[0]) * t / length, a[1] + (b[1] - a[1]) * t / length)
        q = (a[0] + (b[0] - a[0]) * t2 / length, a[1] + (b[1] - a[1]) * t2 / length)
        draw.line([p, q], fill="#8a8a8a", width=max(1, int(scale)))  # type: ignore[attr-defined]
        t += step
