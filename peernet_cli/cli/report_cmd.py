"""`peernet report summary|brigade|followups|map|events|html`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peernet_cli.cli.context import load_linked
from peernet_cli.cli.options import AsOf, Format, Output, RawOpt, as_of_date, format_help, one_of
from peernet_cli.cli.render import emit_report_rows, emit_text

group = typer.Typer(help="Reports on the network: summary, brigade profiles, follow-ups, the map, events.",
                    no_args_is_help=True)

# What each report writes: md besides some of the listing formats (never yaml); the map, graphs.
SUMMARY_FORMATS = ("md", "json", "table")
BRIGADE_FORMATS = ("md", "json")
FOLLOWUP_FORMATS = ("table", "md", "json", "csv")
MAP_FORMATS = ("dot", "graphml", "mermaid", "json", "svg", "png")
EVENT_FORMATS = ("table", "json", "csv")


@group.command("summary")
def summary_cmd(ctx: typer.Context, as_of: AsOf = None,
                fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(SUMMARY_FORMATS))] = "md",
                output: Output = None) -> None:
    """The state of the network: counts by status, kind, classification and state; top
    priorities and topics; events per year; brigades with no partnership; data freshness."""
    from peernet_cli.cli import output as out
    from peernet_cli.query.reports import summary, summary_md

    data = summary(load_linked(ctx), as_of_date(as_of))
    fmt = one_of(fmt, SUMMARY_FORMATS)
    if fmt == "json":
        emit_text(out.to_json(data), output)
    elif fmt == "md":
        emit_text(summary_md(data), output)
    else:
        out.emit([{"what": k, "count": v} for k, v in data["counts"].items()], ["what", "count"], Format.table)


@group.command("brigade")
def brigade_cmd(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Id, alias, name or city.")],
                as_of: AsOf = None, fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(BRIGADE_FORMATS))] = "md",
                output: Output = None) -> None:
    """A one-page brigade profile: partners, what built each relationship, events, brigades
    to talk to and follow-ups."""
    from peernet_cli.cli import output as out
    from peernet_cli.query.reports import brigade_md, brigade_profile
    from peernet_cli.registry.names import resolve

    linked = load_linked(ctx)
    data = brigade_profile(linked, resolve(linked.reg, ["brigade"], brigade).id, as_of_date(as_of))
    fmt = one_of(fmt, BRIGADE_FORMATS)
    emit_text(out.to_json(data) if fmt == "json" else brigade_md(data), output)


@group.command("followups")
def followups_cmd(ctx: typer.Context, days: Annotated[int, typer.Option(min=0, help="Older than this many days counts as overdue.")] = 180,
                  brigade: Annotated[list[str] | None, typer.Option("--brigade", "-b", help="Only this brigade. Repeatable.")] = None,
                  as_of: AsOf = None, fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(FOLLOWUP_FORMATS))] = "table",
                  output: Output = None, raw: RawOpt = False) -> None:
    """Open partnerships with no contact in --days days (or none recorded), oldest first."""
    from peernet_cli.query.reports import followups, followups_md
    from peernet_cli.query.rows import FOLLOWUP_COLUMNS
    from peernet_cli.registry.names import resolve

    linked = load_linked(ctx)
    ids = [resolve(linked.reg, ["brigade"], b).id for b in brigade or []]
    day = as_of_date(as_of)
    rows = followups(linked, day, days, ids)
    fmt = one_of(fmt, FOLLOWUP_FORMATS)
    if fmt == "md":
        emit_text(followups_md(rows, day, days), output)
    else:
        emit_report_rows(rows, FOLLOWUP_COLUMNS, fmt, output, raw)


@group.command("map")
def map_cmd(ctx: typer.Context,
            fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(MAP_FORMATS))] = "dot",
            output: Output = None) -> None:
    """The brigade–partner network as a graph, for Graphviz, Gephi, Mermaid, slides (svg/png)."""
    from peernet_cli.publish import graph, mapdraw

    fmt = one_of(fmt, MAP_FORMATS)
    g = graph.build(load_linked(ctx).reg)
    text: str | bytes
    if fmt == "svg":
        text = mapdraw.to_svg(g, graph.layout(g))
    elif fmt == "png":
        text = mapdraw.to_png(g, graph.layout(g), 1.5)
    elif fmt == "json":
        text = graph.to_json(g, graph.layout(g))
    else:
        text = {"dot": graph.to_dot, "graphml": graph.to_graphml, "mermaid": graph.to_mermaid}[fmt](g)
    emit_text(text, output)


@group.command("events")
def events_cmd(ctx: typer.Context, upcoming: Annotated[int | None, typer.Option(min=0, help="Only events starting within this many days.")] = None,
               as_of: AsOf = None, fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(EVENT_FORMATS))] = "table",
               output: Output = None, raw: RawOpt = False) -> None:
    """Events in date order (the network's timeline)."""
    from peernet_cli.query.reports import events_report
    from peernet_cli.query.rows import EVENT_REPORT_COLUMNS

    rows = events_report(load_linked(ctx), as_of_date(as_of), upcoming)
    emit_report_rows(rows, EVENT_REPORT_COLUMNS, one_of(fmt, EVENT_FORMATS), output, raw)


@group.command("html")
def html_cmd(ctx: typer.Context,
             output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the dashboard into.")],
             as_of: AsOf = None,
             force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder that is not a "
                                                 "previous peernet dashboard (its other files are kept).")] = False,
             ) -> None:
    """A static HTML dashboard that opens from disk and works offline: the summary with charts,
    an interactive network map, follow-ups, the events timeline and a page per brigade."""
    from peernet_cli.cli import output as out
    from peernet_cli.publish.dashboard import build_site, write_site

    files = build_site(load_linked(ctx), as_of_date(as_of))
    write_site(files, output, force=force)
    out.message(f"peernet: wrote {len(files)} file(s) to {output}; open {output / 'index.html'}")
