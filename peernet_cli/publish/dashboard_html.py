"""The dashboard's HTML pieces every page shares: the page frame and its navigation, escaping,
JSON in a <script>, tables (each in a box that scrolls sideways on a narrow screen) and bar charts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

# The navigation, in order. A new page (a feed, a growth chart) is a builder in build_site's
# PAGES (dashboard.py) and, when people should find it from every page, a line here.
NAV: tuple[tuple[str, str], ...] = (
    ("index.html", "Summary"), ("map.html", "Network map"), ("where.html", "Where"),
    ("followups.html", "Follow-ups"), ("events.html", "Events"), ("changes.html", "Changes"))


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def json_script(element_id: str, data: Any) -> str:
    """JSON inside a <script> element: '<' escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def page(title: str, body: str, as_of: str, *, depth: int = 0, current: str = "",
         scripts: tuple[str, ...] = (), body_class: str = "") -> str:
    up = "../" * depth
    nav = "".join(f'<a href="{up}{href}"' + (' aria-current="page"' if href == current else "") + f">{e(text)}</a>"
                  for href, text in NAV)
    script_tags = "".join(f'<script src="{up}assets/{s}"></script>\n' for s in scripts)
    cls = f' class="{body_class}"' if body_class else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="peernet">\n'
        f'<meta name="peernet-as-of" content="{as_of}">\n'
        f"<title>{e(title)} · peernet</title>\n"
        f'<link rel="stylesheet" href="{up}assets/dashboard.css">\n'
        f'<link rel="alternate" type="application/atom+xml" title="Changes to the registry" href="{up}feed.xml">\n'
        f"</head>\n<body{cls}>\n"
        '<header class="site">\n'
        f'<a class="brand" href="{up}index.html">peernet</a>\n'
        f'<nav>{nav}</nav>\n'
        f'<p class="as-of">Data as of <time datetime="{as_of}">{as_of}</time></p>\n'
        "</header>\n"
        f'<main>\n<h1>{e(title)}</h1>\n{body}</main>\n'
        f"{script_tags}</body>\n</html>\n"
    )


def table(rows: Sequence[Mapping[str, Any]], columns: list[tuple[str, str]], cell: Any = None,
          empty: str = "None recorded.") -> str:
    """A table that reflows on a phone (CSS: each row a card, each cell under its column's
    name, from data-label) inside a box that would scroll sideways rather than the page."""
    if not rows:
        return f'<p class="empty">{e(empty)}</p>\n'
    head = "".join(f"<th>{e(label)}</th>" for _, label in columns)
    body = []
    for row in rows:
        cells = "".join(f'<td data-label="{e(label)}"><div>{cell(key, row) if cell else plain(row.get(key))}</div></td>'
                        for key, label in columns)
        body.append(f"<tr>{cells}</tr>")
    return ('<div class="table-scroll">\n<table class="reflow">\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n</div>\n")


def plain(value: Any) -> str:
    if value is None or value == []:
        return ""
    if isinstance(value, list):
        return "<ul>" + "".join(f"<li>{e(v)}</li>" for v in value) + "</ul>"
    return e(value)


def status(value: Any) -> str:
    return f'<span class="status status-{e(value or "unknown")}">{e(value or "unknown")}</span>'


def bar_chart(title: str, counts: Mapping[str, int], colors: Mapping[str, str] | None = None,
              chart_id: str = "") -> str:
    """A horizontal bar chart as inline SVG: a label, a bar and the count per row. The SVG
    scales down to its box (CSS), so it fits a phone's width."""
    if not counts:
        return f'<figure class="chart"><figcaption>{e(title)}</figcaption><p class="empty">None.</p></figure>\n'
    char_w, row_h, pad = 6.8, 20, 4  # 12px text: about 6.8px a character
    longest = max(len(label) for label in counts)
    label_w = round(min(max(longest * char_w + 12, 80), 300))
    fits = int((label_w - 12) / char_w)
    bar_w = 520 - label_w
    biggest = max(counts.values()) or 1
    height = len(counts) * row_h + pad * 2
    width = label_w + bar_w + 40
    ident = f' id="{e(chart_id)}"' if chart_id else ""
    parts = [f'<figure class="chart"{ident}><figcaption>{e(title)}</figcaption>',
             (f'<svg class="bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
              f'role="img" aria-label="{e(title)}">')]
    for i, (label, count) in enumerate(counts.items()):
        y = pad + i * row_h
        w = round(bar_w * count / biggest, 1)
        short = label if len(label) <= fits else label[:fits - 1].rstrip() + "…"
        colour = (colors or {}).get(label, "#1f4e79")
        parts.append(f'<g class="bar" data-label="{e(label)}" data-count="{count}">'
                     f"<title>{e(label)}: {count}</title>"
                     f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{e(short)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" fill="{colour}"/>'
                     f'<text x="{label_w + w + 5}" y="{y + 14}" class="count">{count}</text></g>')
    parts.append("</svg></figure>\n")
    return "".join(parts)
