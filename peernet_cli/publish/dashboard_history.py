"""The dashboard's view of the network over time, from the registry's git history: the growth
chart on the summary page, the changes page, and the Atom feed (feed.xml) beside it.

A registry that is not in git (a copy, an export) has no history: the chart and the page say
so, and the feed is valid with no entries."""

from __future__ import annotations

import re
from datetime import date

from peernet_cli.errors import UsageError
from peernet_cli.publish.atom import entries, to_atom
from peernet_cli.publish.dashboard_html import e, page, table
from peernet_cli.query.growth import GrowthRow, growth
from peernet_cli.query.history import HistoryRow, changes_since
from peernet_cli.query.listings import LinkedRegistry
from peernet_cli.registry.gitlog import GitHistory

# The feed and the changes page cover this many of the latest commits that changed records.
RECENT_COMMITS = 200
STATUS_COLORS = {"active": "#2e7d32", "prospective": "#1565c0", "paused": "#ef6c00", "ended": "#757575",
                 "unknown": "#9e9e9e"}


def _history(linked: LinkedRegistry) -> GitHistory | None:
    cached = linked.derived.get("git-history", False)
    if cached is not False:
        return cached if isinstance(cached, GitHistory) else None
    try:
        history: GitHistory | None = GitHistory(linked.reg.root)
        if history is not None and not history.commit_dates():
            history = None
    except UsageError:
        history = None
    linked.derived["git-history"] = history
    return history


def _recent(linked: LinkedRegistry) -> list[HistoryRow]:
    history = _history(linked)
    if history is None:
        return []
    if "recent-changes" not in linked.derived:
        linked.derived["recent-changes"] = changes_since(history, None, newest=RECENT_COMMITS)
    rows: list[HistoryRow] = linked.derived["recent-changes"]
    return rows


def growth_section(linked: LinkedRegistry, as_of: date) -> str:
    """The summary page's chart: partnerships by status at the end of each quarter."""
    history = _history(linked)
    if history is None:
        return ('<section id="growth"><h2>Growth</h2><p class="empty">No git history here, so no growth '
                "over time (the registry is read from a copy).</p></section>\n")
    rows = growth(history, "quarter", None, as_of)
    return ('<section id="growth"><h2>Partnerships by status, quarter by quarter</h2>\n'
            + growth_chart(rows) + _growth_table(rows)
            + '<p><a href="changes.html">What changed</a> · <a href="feed.xml">Follow changes (Atom feed)</a></p>'
            "</section>\n")


def growth_chart(rows: list[GrowthRow]) -> str:
    """Stacked bars, one per period: an SVG that scales to its box (phones included)."""
    if not rows:
        return '<p class="empty">No commits yet.</p>'
    top = max(1, max(r["partnerships"] for r in rows))
    bar, gap, height = 28, 10, 160
    width = len(rows) * (bar + gap) + gap
    parts = []
    for i, r in enumerate(rows):
        x, y = gap + i * (bar + gap), float(height)
        for status, n in r["partnerships_by_status"].items():
            if n:
                h = n / top * (height - 20)
                y -= h
                parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" '
                             f'fill="{STATUS_COLORS.get(status, "#bdbdbd")}"><title>{e(r["period"])}: {n} '
                             f"{e(status)}</title></rect>")
        parts.append(f'<text x="{x + bar / 2}" y="{height + 14}" text-anchor="middle" font-size="9">'
                     f'{e(r["period"])}</text>')
    legend = " ".join(f'<span class="swatch" style="background:{c}"></span>{e(s)}' for s, c in STATUS_COLORS.items())
    return (f'<svg class="growth" viewBox="0 0 {width} {height + 20}" role="img" '
            f'aria-label="Partnerships by status at the end of each quarter" '
            f'style="max-width:100%;height:auto">{"".join(parts)}</svg><p class="legend">{legend}</p>')


def _growth_table(rows: list[GrowthRow]) -> str:
    flat = [{"period": r["period"], "brigades": r["brigades"], "partnerships": r["partnerships"],
             "new": len(r["new_partnerships"]), "changed": len(r["status_changes"]),
             "ended": len(r["ended_partnerships"])} for r in rows]
    return table(flat, [("period", "period"), ("brigades", "brigades"), ("partnerships", "partnerships"),
                        ("new", "new"), ("changed", "status changes"), ("ended", "ended")])


def changes_page(linked: LinkedRegistry, as_of: date) -> str:
    """The latest record changes, newest first, as the feed has them."""
    items = entries(_recent(linked))
    if _history(linked) is None:
        body = '<p class="empty">No git history here, so no list of changes.</p>'
    elif not items:
        body = '<p class="empty">No record has changed yet.</p>'
    else:
        body = "<ol class=\"changes\">" + "".join(
            f'<li><time datetime="{e(i["date"])}">{e(i["date"])}</time> <strong>{e(i["title"])}</strong> '
            f'<span class="muted">by {e(i["author"])}, commit {e(i["commit"])}</span>'
            f'<pre>{e(i["summary"])}</pre></li>' for i in items) + "</ol>"
    intro = ('<p>Records created, changed or deleted in the latest commits, newest first; '
             '<a href="feed.xml">the same as an Atom feed</a> for a feed reader.</p>\n')
    return page("What changed", intro + body, as_of.isoformat(), current="changes.html")


def feed(linked: LinkedRegistry, as_of: date) -> str:
    """feed.xml: the same changes as Atom."""
    key = re.sub(r"[^A-Za-z0-9._-]", "-", linked.reg.root.name) or "registry"
    return to_atom(_recent(linked), "peernet: changes to the registry", f"tag:peernet,2026:{key}/changes",
                   as_of.isoformat(), link="changes.html")
