"""`peernet report summary|brigade|followups|map|events|html|growth|changes`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from peernet_cli.cli.context import load_linked
from peernet_cli.cli.options import AsOf, At, Output, RawOpt, as_of_date, format_help, one_of
from peernet_cli.cli.render import emit_report_rows, emit_text
from peernet_cli.errors import UsageError

group = typer.Typer(help="Reports on the network: summary, brigade profiles, follow-ups, the map, events.",
                    no_args_is_help=True)

# What each report writes: md besides some of the listing formats (never yaml); the map, graphs.
SUMMARY_FORMATS = ("md", "json", "table")
BRIGADE_FORMATS = ("md", "json")
FOLLOWUP_FORMATS = ("table", "md", "json", "csv")
MAP_FORMATS = ("dot", "graphml", "mermaid", "json", "svg", "png")
EVENT_FORMATS = ("table", "json", "csv")


FollowupDays = Annotated[int, typer.Option("--days", min=0, help="A last contact older than this many days is stale.")]


def _print_sections(sections: list[tuple[str, list[dict[str, Any]], tuple[str, ...]]]) -> None:
    from peernet_cli.cli import output as out

    for title, rows, columns in sections:
        if rows:
            out.table(rows, columns, title)
        else:  # an empty table's header says less than a word
            out.write(f"{title}: none\n")


@group.command("summary")
def summary_cmd(ctx: typer.Context, as_of: AsOf = None,
                fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(SUMMARY_FORMATS))] = "md",
                output: Output = None, days: FollowupDays = 180,
                list_unpartnered: Annotated[bool, typer.Option(
                    "--list-unpartnered", help="md/table: list every brigade with no recorded partnership "
                    "(without it, only the counts per state; json always has the list).")] = False, at: At = None) -> None:
    """The state of the network: brigades by status and by country and state, partnerships by
    status, kind and start year, network membership by role, follow-ups, top priorities and
    topics, events per year, brigades with no partnership per state, data freshness."""
    from peernet_cli.cli import output as out
    from peernet_cli.query.summary import summary, summary_md, summary_tables

    fmt = one_of(fmt, SUMMARY_FORMATS)
    data = summary(load_linked(ctx, at), as_of_date(as_of, at), days)
    if fmt == "json":
        emit_text(out.to_json(data), output)
    elif fmt == "md":
        emit_text(summary_md(data, list_unpartnered), output)
    elif output is not None:
        raise UsageError("--output needs --format md or json")
    else:
        _print_sections(summary_tables(data, list_unpartnered))


@group.command("brigade")
def brigade_cmd(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Id, alias, name or city.")],
                as_of: AsOf = None, fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(BRIGADE_FORMATS))] = "md",
                output: Output = None, at: At = None) -> None:
    """A one-page brigade profile: partners, what built each relationship, events, brigades
    to talk to and follow-ups."""
    from peernet_cli.cli import output as out
    from peernet_cli.query.reports import brigade_md, brigade_profile
    from peernet_cli.registry.names import resolve

    linked = load_linked(ctx, at)
    data = brigade_profile(linked, resolve(linked.reg, ["brigade"], brigade).id, as_of_date(as_of, at))
    fmt = one_of(fmt, BRIGADE_FORMATS)
    emit_text(out.to_json(data) if fmt == "json" else brigade_md(data), output)


@group.command("followups")
def followups_cmd(ctx: typer.Context, days: FollowupDays = 180,
                  brigade: Annotated[list[str] | None, typer.Option("--brigade", "-b", help="Only this brigade. Repeatable.")] = None,
                  only: Annotated[str | None, typer.Option("--only", help="Only stale ones (a last contact older than "
                                                          "--days) or only never recorded ones: stale or never.")] = None,
                  as_of: AsOf = None, fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(FOLLOWUP_FORMATS))] = "table",
                  output: Output = None, raw: RawOpt = False, at: At = None,
                  history: Annotated[bool, typer.Option("--history", help="For never-recorded ones, show the day "
                                                        "git last changed the partnership's file (not a contact "
                                                        "date) as a hint of how old the record is.")] = False,
                  ) -> None:
    """Open partnerships to get back to, in two lists: stale (last contact older than --days),
    oldest contact first, and never recorded (no last contact), longest-running first; each
    grouped by brigade with a count. json/csv: one flat row each, with its `state`."""
    from peernet_cli.query import followups as fu
    from peernet_cli.query.rows import FOLLOWUP_COLUMNS
    from peernet_cli.registry.names import resolve

    fmt = one_of(fmt, FOLLOWUP_FORMATS)
    if only is not None and only not in fu.ONLY:
        raise UsageError(f"--only must be one of: {', '.join(fu.ONLY)} (got '{only}')")
    state = fu.ONLY[only] if only else None
    linked = load_linked(ctx, at)
    ids = [resolve(linked.reg, ["brigade"], b).id for b in brigade or []]
    day = as_of_date(as_of, at)
    touched = None
    if history:
        from peernet_cli.cli.context import registry_root
        from peernet_cli.registry.gitlog import GitHistory

        touched = GitHistory(registry_root(ctx)).last_touched("partnerships")
    rows = fu.followups(linked, day, days, ids, state, touched)
    if touched is not None and fmt == "table":
        from peernet_cli.cli import output as out

        out.message(f"peernet: {fu.GIT_NOTE}")
    if fmt == "md":
        emit_text(fu.followups_md(rows, day, days, state), output)
    elif fmt == "table" and output is None:
        _print_sections(fu.followup_sections(rows, days, state))
    else:
        emit_report_rows(rows, FOLLOWUP_COLUMNS, fmt, output, raw)


@group.command("map")
def map_cmd(ctx: typer.Context,
            fmt: Annotated[str | None, typer.Option("--format", "-f", help="network: dot (default), graphml, "
                                                    "mermaid, json, svg or png; geo: svg (default), png or json "
                                                    "(the projected map as data).", show_default=False)] = None,
            projection: Annotated[str, typer.Option("--projection", help="network: the brigade–partner graph; "
                                                    "geo: brigades and partners where they are, on state and "
                                                    "country outlines.")] = "network",
            output: Output = None, at: At = None) -> None:
    """The brigade–partner network as a graph, for Graphviz, Gephi, Mermaid, slides (svg/png);
    or, with --projection geo, a geographic map (records without coordinates are listed under it)."""
    from peernet_cli.publish import graph, mapdraw

    if projection not in ("network", "geo"):
        raise UsageError(f"--projection must be network or geo (got '{projection}')")
    if projection == "geo":
        _geo_map(ctx, one_of(fmt or "svg", ("svg", "png", "json")), output, at)
        return
    fmt = one_of(fmt or "dot", MAP_FORMATS)
    g = graph.build(load_linked(ctx, at).reg)
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


def _geo_map(ctx: typer.Context, fmt: str, output: Path | None, at: str | None) -> None:
    from peernet_cli.cli import output as out
    from peernet_cli.publish import geodraw, geomap
    from peernet_cli.publish.export_geojson import missing_message

    reg = load_linked(ctx, at).reg
    m = geomap.geo_map(reg)
    for line in missing_message(reg, on_map=fmt != "json"):
        out.message(line)
    text: str | bytes
    if fmt == "png":
        text = geodraw.to_png(m, 1.5)
    elif fmt == "json":
        text = out.to_json(geomap.to_data(m))
    else:
        text = geodraw.to_svg(m)
    emit_text(text, output)


@group.command("events")
def events_cmd(ctx: typer.Context, upcoming: Annotated[int | None, typer.Option(min=0, help="Only events starting within this many days.")] = None,
               as_of: AsOf = None, fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(EVENT_FORMATS))] = "table",
               output: Output = None, raw: RawOpt = False, at: At = None) -> None:
    """Events in date order (the network's timeline)."""
    from peernet_cli.query.reports import events_report
    from peernet_cli.query.rows import EVENT_REPORT_COLUMNS

    rows = events_report(load_linked(ctx, at), as_of_date(as_of, at), upcoming)
    emit_report_rows(rows, EVENT_REPORT_COLUMNS, one_of(fmt, EVENT_FORMATS), output, raw)


@group.command("html")
def html_cmd(ctx: typer.Context,
             output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the dashboard into.")],
             as_of: AsOf = None,
             force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder that is not a "
                                                 "previous peernet dashboard (its other files are kept).")] = False,
             at: At = None) -> None:
    """A static HTML dashboard that opens from disk and works offline: the summary with charts,
    an interactive network map, follow-ups, the events timeline and a page per brigade."""
    from peernet_cli.cli import output as out
    from peernet_cli.publish.dashboard import build_site, write_site

    files = build_site(load_linked(ctx, at), as_of_date(as_of, at))
    write_site(files, output, force=force)
    out.message(f"peernet: wrote {len(files)} file(s) to {output}; open {output / 'index.html'}")


GROWTH_FORMATS = ("md", "json", "csv")
CHANGES_FORMATS = ("table", "md", "json", "csv")


@group.command("growth")
def growth_cmd(ctx: typer.Context,
               every: Annotated[str, typer.Option("--every", help="month, quarter or year.")] = "quarter",
               from_: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default: the "
                                                         "first commit).")] = None,
               to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")] = None,
               fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(GROWTH_FORMATS))] = "md",
               output: Output = None, raw: RawOpt = False) -> None:
    """Brigades, partners and partnerships by status at the end of each month, quarter or year,
    and what changed in each interval (new partnerships, status changes, partnerships ended);
    read from git, only the files that changed between points."""
    from peernet_cli.cli import output as out
    from peernet_cli.cli.context import registry_root
    from peernet_cli.query.growth import flat, growth, growth_md
    from peernet_cli.registry.gitlog import GitHistory

    fmt = one_of(fmt, GROWTH_FORMATS)
    from peernet_cli.cli.options import day_option

    start = day_option(from_, "--from") if from_ else None
    rows = growth(GitHistory(registry_root(ctx)), every, start, day_option(to, "--to") if to else None)
    if fmt == "json":
        emit_text(out.to_json(rows), output)
    elif fmt == "csv":
        flat_rows = [flat(r) for r in rows]
        emit_text(out.to_csv(flat_rows, list(flat_rows[0]) if flat_rows else ["period"], raw), output)
    else:
        emit_text(growth_md(rows, every), output)


@group.command("changes")
def changes_cmd(ctx: typer.Context,
                since: Annotated[str, typer.Option("--since", help="A git revision or a date (YYYY-MM-DD): "
                                                   "changes after it.")],
                fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(CHANGES_FORMATS))] = "table",
                output: Output = None, raw: RawOpt = False) -> None:
    """Every record created, changed or deleted since a revision or date, oldest first, with
    its author and commit: what to read instead of watching the repository."""
    from peernet_cli.cli.context import registry_root
    from peernet_cli.query.history import HISTORY_COLUMNS, changes_since
    from peernet_cli.query.markdown import md_table
    from peernet_cli.registry.gitlog import GitHistory

    fmt = one_of(fmt, CHANGES_FORMATS)
    history = GitHistory(registry_root(ctx))
    rows = changes_since(history, history.at(since))
    if fmt == "md":
        emit_text(f"# Changes since {since}\n\n" + md_table(rows, HISTORY_COLUMNS), output)
    else:
        emit_report_rows(rows, HISTORY_COLUMNS, fmt, output, raw)
