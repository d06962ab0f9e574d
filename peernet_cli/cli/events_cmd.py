"""`peernet events list|show|add|export`."""

from __future__ import annotations

from typing import Annotated

import typer

from peernet_cli.cli.context import load_linked, registry_root, resolve_ids
from peernet_cli.cli.contributing import ask, ask_sources, carry_out, choice, enum_values
from peernet_cli.cli.options import (
    AsOf,
    At,
    Base,
    CountryOpt,
    DryRun,
    Format,
    FormatOpt,
    LimitOpt,
    NoPr,
    Opt,
    Output,
    RawOpt,
    Remote,
    SortOpt,
    Source,
    SourceNote,
    StateOpt,
    Topic,
    as_of_date,
    enum_filter,
    multi,
    one_of,
    years,
)
from peernet_cli.cli.render import emit_text, render_record, render_rows

group = typer.Typer(help="Convenings, webinars, summits and other events.", no_args_is_help=True)


@group.command("list")
def events_list(
    ctx: typer.Context,
    year: Annotated[list[str] | None, multi("Only events starting in this year.", "--year")] = None,
    type_: Annotated[list[str] | None, multi("Only this type (peer-convening, webinar…).", "--type")] = None,
    participant: Annotated[list[str] | None, multi("Only events this brigade/partner organizes or attends.", "--participant")] = None,
    organizer: Annotated[list[str] | None, multi("Only events organized by this organization.", "--organizer")] = None,
    city: Annotated[list[str] | None, multi("Only events held in this city.", "--city")] = None,
    state: StateOpt = None, country: CountryOpt = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None, raw: RawOpt = False,
    at: At = None,
) -> None:
    """List events, e.g. `peernet events list --year 2015 --type peer-convening`.

    --state and --country look at where an event was held (never matching an online one)."""
    from peernet_cli.query.listings import EventFilter, Place, list_events, sort_rows
    from peernet_cli.query.rows import EVENT_COLUMNS

    f = EventFilter(year=years(year), type=enum_filter(type_, "event", "type", "--type"), city=city or [],
                    place=Place(country or [], state or []))
    linked = load_linked(ctx, at)
    orgs = ["brigade", "partner", "network"]
    f.participant = resolve_ids(linked, orgs, participant, "organization")
    f.organizer = resolve_ids(linked, orgs, organizer, "organization")
    render_rows(sort_rows(list_events(linked, f), sort, limit), EVENT_COLUMNS, fmt, "no events match", raw=raw)


@group.command("show")
def events_show(ctx: typer.Context, event: Annotated[str, typer.Argument(help="Event id or name.")],
                fmt: FormatOpt = Format.table, raw: RawOpt = False, at: At = None) -> None:
    """Show an event with its organizers and participants."""
    from peernet_cli.query.relations import show_event
    from peernet_cli.registry.names import resolve

    linked = load_linked(ctx, at)
    render_record(show_event(linked, resolve(linked.reg, ["event"], event)), fmt, raw=raw)


@group.command("add")
def events_add(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Event name.")] = None,
    id_: Annotated[str | None, typer.Option("--id", help="Id (default: derived from the name).")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="peer-convening, webinar, summit, hack-night…")] = None,
    start_date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    end_date: Opt = None, online: Annotated[bool, typer.Option("--online", help="Held online.")] = False,
    start_time: Annotated[str | None, typer.Option(help="Local start time, HH:MM.")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone of the start time, e.g. America/Los_Angeles.")] = None,
    date_note: Annotated[str | None, typer.Option(help="What the source says about an imprecise date.")] = None,
    recurring: Annotated[bool, typer.Option("--recurring", help="Held repeatedly and recorded once.")] = False,
    attendance: Annotated[int | None, typer.Option(min=0, help="Number of people who took part.")] = None,
    city: Opt = None, state: Opt = None, country: Opt = None, description: Opt = None,
    organizer: Annotated[list[str] | None, typer.Option("--organizer", help="Organizer id. Repeatable.")] = None,
    participant: Annotated[list[str] | None, typer.Option("--participant", help="Participant id. Repeatable.")] = None,
    topic: Topic = None, source: Source = None, source_note: SourceNote = None,
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Add an event and propose it as a pull request."""
    from peernet_cli.change import records

    registry_root(ctx)  # no registry, no questions
    values = records.EventValues(
        name=ask(name, "--name", "Event name"),
        type=choice(ask(type_, "--type", "Type", enum_values("event", "type")), "event", "type", "--type"),
        sources=ask_sources(source), source_note=source_note, record_id=id_, description=description,
        start_date=start_date, end_date=end_date, start_time=start_time, timezone=timezone,
        date_note=date_note, recurring=recurring, online=online, attendance=attendance, city=city,
        state=state, country=country, organizers=organizer or [], participants=participant or [],
        topics=topic or [])
    carry_out(ctx, lambda reg: records.add(reg, values), no_pr, dry_run, remote, base)


@group.command("export")
def events_export(ctx: typer.Context, fmt: Annotated[str, typer.Option("--format", "-f", help="ics (iCalendar).")] = "ics",
                  as_of: AsOf = None, output: Output = None, at: At = None) -> None:
    """Export events as an iCalendar feed (RFC 5545) to subscribe to."""
    from peernet_cli.cli import output as out
    from peernet_cli.publish.ics import to_ics

    one_of(fmt, ("ics",))
    text, skipped = to_ics(load_linked(ctx, at).reg, as_of_date(as_of, at))
    if skipped:
        out.message(f"peernet: left out {len(skipped)} event(s) without a full start date: {', '.join(skipped)}")
    emit_text(text, output)
