"""Drawing the geographic map (geomap.GeoMap) as SVG and as PNG (Pillow), one picture.

Layers bottom to top: outlines (states with a brigade shaded), partnership lines (dashed when
prospective or status unknown, as on the network map), pins (brigades dark blue, sized by
partnerships; partners by classification), labels, the legend, and a caption naming every
brigade that has no coordinates. Each pin has a <title> (hover text) with its name, where it
is and its partnerships, and data-* attributes for filtering on an interactive page.
"""

from __future__ import annotations

import textwrap
from typing import Any
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

from peernet_cli.publish.geomap import LABEL_SIZE, GeoMap, Pin
from peernet_cli.publish.graph import COLORS, OTHER_COLOR, color_for
from peernet_cli.publish.mapdraw import _dashed, _font  # the network map's PNG helpers: one look
from peernet_cli.safetext import visible

LAND, LAND_WITH_BRIGADES, BORDER, WATER = "#f2f2ef", "#dde6f0", "#b5b5b5", "#ffffff"
LINE = "#8a8a8a"
CAPTION_SIZE = 11.0
CAPTION_CHARS = 150  # characters a caption line holds at CAPTION_SIZE across the map


# Record text (anyone's) goes through `visible` first: a control character is not allowed in
# XML at all, so an unvalidated name with one would make the whole file unreadable.
def escape(text: str) -> str:
    return _escape(visible(text))


def quoteattr(text: str) -> str:
    return _quoteattr(visible(text))


def hover(pin: Pin) -> str:
    p = pin.place
    where = ", ".join(x for x in (p.city, p.state, p.country) if x)
    what = "brigade" if p.kind == "brigade" else (p.classification or "partner")
    n = f"{p.partners} partnership{'s' if p.partners != 1 else ''}"
    return " · ".join(x for x in (p.name, where, what, n) if x)


def legend(m: GeoMap) -> list[tuple[str, str]]:
    used = sorted({p.place.classification or "unknown" for p in m.pins if p.place.kind == "partner"})
    items = [("brigade", COLORS["brigade"])] + [(c, color_for(c)) for c in used if c in COLORS]
    if any(c not in COLORS for c in used):
        items.append(("partner, other / unknown", OTHER_COLOR))
    return items


def caption(m: GeoMap) -> list[str]:
    """What is not on the map, said in full: brigades by name, partners and lines counted."""
    parts = []
    if m.missing_brigades:
        names = ", ".join(name for _, name in m.missing_brigades)
        parts.append(f"Not on the map: {len(m.missing_brigades)} brigade(s) without coordinates: {names}.")
    if m.missing_partners:
        parts.append(f"{m.missing_partners} partner(s) without coordinates are not drawn.")
    if m.links_not_drawn:
        parts.append(f"{m.links_not_drawn} partnership(s) are not drawn as lines: one side has no coordinates "
                     "(or the two sides are on different panels).")
    return textwrap.wrap(" ".join(parts), CAPTION_CHARS) if parts else []


def _layout_bottom(m: GeoMap) -> tuple[float, float]:
    """Where the legend row sits, and the full picture's height."""
    legend_y = m.height + 18
    return legend_y, legend_y + 14 + len(caption(m)) * (CAPTION_SIZE + 4) + 6


def _path(rings: list[list[tuple[float, float]]]) -> str:
    return "".join("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in ring) + "Z" for ring in rings)


def to_svg(m: GeoMap, title: str = "peernet: where the brigades are") -> str:
    legend_y, height = _layout_bottom(m)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" id="geo-map" viewBox="0 0 {m.width:.0f} {height:.0f}" '
            f'width="{m.width:.0f}" height="{height:.0f}" font-family="Helvetica, Arial, sans-serif" role="img">'),
           f"<title>{escape(title)}</title>", f'<rect width="100%" height="100%" fill="{WATER}"/>', '<g id="viewport">']
    for panel in m.panels:
        out.append(f'<text class="panel-title" x="{panel.x + 8:.0f}" y="{panel.y + 16:.0f}" font-size="13" '
                   f'font-weight="bold" fill="#555555">{escape(panel.title)}</text>')
    out.append('<g id="outlines">')
    for o in m.outlines:
        fill = LAND_WITH_BRIGADES if o.has_brigades else LAND
        out.append(f'<path class="outline" data-id={quoteattr(o.id)} data-panel="{o.panel}" fill="{fill}" '
                   f'stroke="{BORDER}" stroke-width="0.5" fill-rule="evenodd" d="{_path(o.rings)}">'
                   f"<title>{escape(o.name)}</title></path>")
    out += ["</g>", '<g id="links">']
    for e in m.links:
        dash = ' stroke-dasharray="4 3"' if e.status in ("prospective", "unknown") else ""
        out.append(f'<line class="link" data-source={quoteattr(e.source)} data-target={quoteattr(e.target)} '
                   f'data-status={quoteattr(str(e.status))} x1="{e.a[0]}" y1="{e.a[1]}" x2="{e.b[0]}" y2="{e.b[1]}" '
                   f'stroke="{LINE}" stroke-width="1.2"{dash}/>')
    out += ["</g>", '<g id="pins">']
    for pin in m.pins:
        out.append(_svg_pin(pin))
    out += ["</g>", '<g id="labels">']
    for pin in m.pins:
        if pin.label:
            lb = pin.label
            bold = ' font-weight="bold"' if lb.bold else ""
            out.append(f'<text class="label" data-id={quoteattr(pin.place.id)} x="{lb.x}" y="{lb.y}" '
                       f'text-anchor="{lb.anchor}" font-size="{LABEL_SIZE:.0f}"{bold} fill="#1a1a1a" '
                       f'stroke="#ffffff" stroke-width="2.5" paint-order="stroke">{escape(lb.text)}</text>')
    out += ["</g>", "</g>", _svg_legend(m, legend_y)]
    for i, line in enumerate(caption(m)):
        out.append(f'<text class="caption" x="10" y="{legend_y + 24 + i * (CAPTION_SIZE + 4):.0f}" '
                   f'font-size="{CAPTION_SIZE:.0f}" fill="#333333">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_pin(pin: Pin) -> str:
    p = pin.place
    attrs = " ".join(f"data-{k}={quoteattr(str(v if v is not None else ''))}" for k, v in (
        ("id", p.id), ("kind", p.kind), ("classification", p.classification), ("state", p.state),
        ("country", p.country), ("status", p.status), ("partners", p.partners)))
    return (f'<g class="pin {p.kind}" {attrs}><title>{escape(hover(pin))}</title>'
            f'<circle cx="{pin.x}" cy="{pin.y}" r="{pin.r:.1f}" fill="{p.color}" stroke="#ffffff" stroke-width="1"/></g>')


def _svg_legend(m: GeoMap, y: float) -> str:
    out, x = ['<g id="legend">'], 10.0
    for label, colour in legend(m):
        out.append(f'<circle cx="{x + 5:.0f}" cy="{y - 4:.0f}" r="5" fill="{colour}"/>'
                   f'<text x="{x + 14:.0f}" y="{y:.0f}" font-size="11">{escape(label)}</text>')
        x += 30 + len(label) * 6.2
    out.append(f'<line x1="{x:.0f}" y1="{y - 4:.0f}" x2="{x + 24:.0f}" y2="{y - 4:.0f}" stroke="{LINE}" '
               f'stroke-dasharray="4 3"/><text x="{x + 30:.0f}" y="{y:.0f}" font-size="11">prospective / status unknown</text>')
    out.append("</g>")
    return "".join(out)


def to_png(m: GeoMap, scale: float = 1.5) -> bytes:
    """The same picture as to_svg, rasterised with Pillow (no browser needed)."""
    import io

    from PIL import Image, ImageDraw

    legend_y, height = _layout_bottom(m)
    img = Image.new("RGB", (int(m.width * scale), int(height * scale)), WATER)
    draw = ImageDraw.Draw(img)

    def s(x: float, y: float) -> tuple[float, float]:
        return x * scale, y * scale

    for o in m.outlines:  # holes are not cut out: every hole in these files is another shape's land
        for ring in o.rings:
            draw.polygon([s(x, y) for x, y in ring], fill=LAND_WITH_BRIGADES if o.has_brigades else LAND, outline=BORDER)
    for e in m.links:
        if e.status in ("prospective", "unknown"):
            _dashed(draw, s(*e.a), s(*e.b), scale)
        else:
            draw.line([s(*e.a), s(*e.b)], fill=LINE, width=max(1, int(scale)))
    for pin in m.pins:
        x, y, r = pin.x * scale, pin.y * scale, pin.r * scale
        draw.ellipse([x - r, y - r, x + r, y + r], fill=pin.place.color, outline="white")
    _png_text(draw, m, legend_y, scale)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _png_text(draw: Any, m: GeoMap, legend_y: float, scale: float) -> None:
    small, bold, title = _font(LABEL_SIZE * scale), _font(LABEL_SIZE * scale, bold=True), _font(13 * scale, bold=True)
    for panel in m.panels:
        draw.text(((panel.x + 8) * scale, (panel.y + 16) * scale), panel.title, fill="#555555", font=title, anchor="ls")
    for pin in m.pins:
        if pin.label:
            lb = pin.label
            f = bold if lb.bold else small
            w = draw.textlength(lb.text, font=f)
            x = lb.x * scale - (w if lb.anchor == "end" else w / 2 if lb.anchor == "middle" else 0)
            draw.text((x, lb.y * scale), lb.text, fill="#1a1a1a", font=f, anchor="ls", stroke_width=2, stroke_fill="white")
    legend_font, x = _font(11 * scale), 10.0
    for label, colour in legend(m):
        draw.ellipse([x * scale, (legend_y - 9) * scale, (x + 10) * scale, (legend_y + 1) * scale], fill=colour)
        draw.text(((x + 14) * scale, legend_y * scale), label, fill="black", font=legend_font, anchor="ls")
        x += 30 + len(label) * 6.2
    _dashed(draw, (x * scale, (legend_y - 4) * scale), ((x + 24) * scale, (legend_y - 4) * scale), scale)
    draw.text(((x + 30) * scale, legend_y * scale), "prospective / status unknown", fill="black", font=legend_font,
              anchor="ls")
    for i, line in enumerate(caption(m)):
        draw.text((10 * scale, (legend_y + 24 + i * (CAPTION_SIZE + 4)) * scale), line, fill="#333333",
                  font=_font(CAPTION_SIZE * scale), anchor="ls")
