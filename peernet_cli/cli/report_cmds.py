"""`peernet report summary|brigade|followups|map|events|html` and `peernet events export`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import UsageError
from .common import load_network
from .query_cmds import events

report = typer.Typer(help="Reports on the network: summary, brigade profiles, follow-ups, the map, events.",
                     no_args_is_help=True)

AsOf = Annotated[str | None, typer.Option("--as-of", help="Report as of this date, YYYY-MM-DD (default: today).")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]


def _as_of(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of '{text}' is not a date; write YYYY-MM-DD") from None


def _fmt(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UsageError(f"--format must be one of: {', '.join(allowed)} (got '{value}')")
    return value


def _emit(text: str | bytes, output: Path | None) -> None:
    from .. import output as out
    from ..yamlio import write_atomic, write_atomic_bytes

    if output is None:
        if isinstance(text, bytes):
            raise UsageError("this format is binary; pass --output FILE")
        out.write(text)
        return
    if isinstance(text, bytes):
        write_atomic_bytes(output, text)
    else:
        write_atomic(output, text)
    out.message(f"peernet: wrote {output}")


def _rows(rows: list[dict[str, Any]], columns: list[str], fmt: str, output: Path | None) -> None:
    from .. import output as out

    if fmt == "json":
        _emit(out.to_json(rows), output)
    elif fmt == "csv":
        _emit(out.to_csv(rows, columns), output)
    elif output is None and fmt == "table":
        out.emit(rows, columns, "table")
    else:
        raise UsageError("--output needs --format json, csv or md")


@report.command("summary")
def summary_cmd(ctx: typer.Context, as_of: AsOf = None,
                fmt: Annotated[str, typer.Option("--format", "-f", help="md, json or table.")] = "md",
                output: Output = None) -> None:
    """The state of the network: counts by status, kind, classification and state; top
    priorities and topics; events per year; brigades with no partnership; data freshness."""
    from .. import output as out
    from ..report import summary, summary_md

    data = summary(load_network(ctx), _as_of(as_of))
    fmt = _fmt(fmt, ("md", "json", "table"))
    if fmt == "json":
        _emit(out.to_json(data), output)
    elif fmt == "md":
        _emit(summary_md(data), output)
    else:
        out.emit([{"what": k, "count": v} for k, v in data["counts"].items()], ["what", "count"], "table")


@report.command("brigade")
def brigade_cmd(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Id, alias, name or city.")],
                as_of: AsOf = None, fmt: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
                output: Output = None) -> None:
    """A one-page brigade profile: partners, what built each relationship, events, brigades
    to talk to and follow-ups."""
    from .. import output as out
    from ..names import resolve
    from ..report import brigade_md, brigade_profile

    net = load_network(ctx)
    data = brigade_profile(net, resolve(net.reg, ["brigade"], brigade).id, _as_of(as_of))
    fmt = _fmt(fmt, ("md", "json"))
    _emit(out.to_json(data) if fmt == "json" else brigade_md(data), output)


@report.command("followups")
def followups_cmd(ctx: typer.Context, days: Annotated[int, typer.Option(min=0, help="Older than this many days counts as overdue.")] = 180,
                  brigade: Annotated[list[str] | None, typer.Option("--brigade", "-b", help="Only this brigade. Repeatable.")] = None,
                  as_of: AsOf = None, fmt: Annotated[str, typer.Option("--format", "-f", help="table, md, json or csv.")] = "table",
                  output: Output = None) -> None:
    """Open partnerships with no contact in --days days (or none recorded), oldest first."""
    from ..names import resolve
    from ..report import followups, followups_md

    net = load_network(ctx)
    ids = [resolve(net.reg, ["brigade"], b).id for b in brigade or []]
    day = _as_of(as_of)
    rows = followups(net, day, days, ids)
    fmt = _fmt(fmt, ("table", "md", "json", "csv"))
    if fmt == "md":
        _emit(followups_md(rows, day, days), output)
    else:
        _rows(rows, ["brigade", "partner", "partner_name", "status", "last_contact", "days_since_contact"], fmt, output)


@report.command("map")
def map_cmd(ctx: typer.Context,
            fmt: Annotated[str, typer.Option("--format", "-f", help="dot, graphml, mermaid, json, svg or png.")] = "dot",
            output: Output = None) -> None:
    """The brigade–partner network as a graph, for Graphviz, Gephi, Mermaid, slides (svg/png)."""
    from .. import graph, mapdraw

    fmt = _fmt(fmt, ("dot", "graphml", "mermaid", "json", "svg", "png"))
    g = graph.build(load_network(ctx).reg)
    text: str | bytes
    if fmt == "svg":
        text = mapdraw.to_svg(g, graph.layout(g))
    elif fmt == "png":
        text = mapdraw.to_png(g, graph.layout(g), 1.5)
    elif fmt == "json":
        text = graph.to_json(g, graph.layout(g))
    else:
        text = {"dot": graph.to_dot, "graphml": graph.to_graphml, "mermaid": graph.to_mermaid}[fmt](g)
    _emit(text, output)


@report.command("events")
def events_cmd(ctx: typer.Context, upcoming: Annotated[int | None, typer.Option(min=0, help="Only events starting within this many days.")] = None,
               as_of: AsOf = None, fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
               output: Output = None) -> None:
    """Events in date order (the network's timeline)."""
    from ..report import events_report

    rows = events_report(load_network(ctx), _as_of(as_of), upcoming)
    _rows(rows, ["id", "name", "type", "start_date", "date_note", "where"], _fmt(fmt, ("table", "json", "csv")), output)


@report.command("html")
def html_cmd(ctx: typer.Context,
             output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the dashboard into.")],
             as_of: AsOf = None,
             force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder that is not a "
                                                 "previous peernet dashboard (its other files are kept).")] = False,
             ) -> None:
    """A static HTML dashboard that opens from disk and works offline: the summary with charts,
    an interactive network map, follow-ups, the events timeline and a page per brigade."""
    from .. import output as out
    from ..dashboard import build_site, write_site

    files = build_site(load_network(ctx), _as_of(as_of))
    write_site(files, output, force=force)
    out.message(f"peernet: wrote {len(files)} file(s) to {output}; open {output / 'index.html'}")


@events.command("export")
def events_export(ctx: typer.Context, fmt: Annotated[str, typer.Option("--format", "-f", help="ics (iCalendar).")] = "ics",
                  as_of: AsOf = None, output: Output = None) -> None:
    """Export events as an iCalendar feed (RFC 5545) to subscribe to."""
    from .. import output as out
    from ..ics import to_ics

    _fmt(fmt, ("ics",))
    text, skipped = to_ics(load_network(ctx).reg, _as_of(as_of))
    if skipped:
        out.message(f"peernet: left out {len(skipped)} event(s) without a full start date: {', '.join(skipped)}")
    _emit(text, output)


def register(app: typer.Typer) -> None:
    app.add_typer(report, name="report")
