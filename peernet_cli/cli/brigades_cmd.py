"""`peernet brigades list|show|related|add|rename|retire`."""

from __future__ import annotations

from typing import Annotated

import typer

from peernet_cli.cli.context import load_linked, registry_root, resolve_ids
from peernet_cli.cli.contributing import ask, ask_sources, carry_out, choice, enum_values
from peernet_cli.cli.options import (
    At,
    Base,
    CountryOpt,
    DryRun,
    Format,
    FormatOpt,
    LimitOpt,
    NoPr,
    Opt,
    RawOpt,
    Remote,
    SortOpt,
    Source,
    SourceNote,
    StateOpt,
    Topic,
    enum_filter,
    multi,
)
from peernet_cli.cli.render import render_record, render_rows

group = typer.Typer(help="Brigades and regional networks of brigades.", no_args_is_help=True)


@group.command("list")
def brigades_list(
    ctx: typer.Context,
    state: StateOpt = None, country: CountryOpt = None,
    status: Annotated[list[str] | None, multi("Only brigades with this status (active, inactive…).", "--status")] = None,
    network: Annotated[list[str] | None, multi("Only members of this network (id or name).", "--network")] = None,
    topic: Annotated[list[str] | None, multi(
        "Only brigades working on this topic: their own topics or those of their partnerships and partners "
        "(food matches food-security).", "--topic")] = None,
    classification: Annotated[list[str] | None, multi("brigade or regional-network.", "--classification")] = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None, raw: RawOpt = False,
    at: At = None,
) -> None:
    """List brigades, e.g. `peernet brigades list --state NC --status active` or `--country Brazil`."""
    from peernet_cli.query.listings import BrigadeFilter, Place, list_brigades, sort_rows
    from peernet_cli.query.rows import BRIGADE_COLUMNS

    f = BrigadeFilter(status=enum_filter(status, "brigade", "status", "--status"), topic=topic or [],
                      classification=enum_filter(classification, "brigade", "classification", "--classification"),
                      place=Place(country or [], state or []))
    linked = load_linked(ctx, at)
    f.network = resolve_ids(linked, ["network"], network, "network")
    rows = list_brigades(linked, f)
    render_rows(sort_rows(rows, sort, limit), BRIGADE_COLUMNS, fmt, "no brigades match", raw=raw)


@group.command("show")
def brigades_show(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Id, alias, name or city.")],
                  fmt: FormatOpt = Format.table, raw: RawOpt = False, at: At = None) -> None:
    """Show a brigade with its partners (status, kind, priorities), networks and events."""
    from peernet_cli.query.relations import show_brigade
    from peernet_cli.registry.names import resolve

    linked = load_linked(ctx, at)
    render_record(show_brigade(linked, resolve(linked.reg, ["brigade"], brigade)), fmt, raw=raw)


@group.command("related")
def brigades_related(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Id, alias, name or city.")],
                     fmt: FormatOpt = Format.table, limit: LimitOpt = 10,
                     raw: RawOpt = False, at: At = None) -> None:
    """Brigades worth talking to: shared partners, partners of the same kind, shared topics."""
    from peernet_cli.query.related import related_brigades
    from peernet_cli.query.rows import RELATED_COLUMNS
    from peernet_cli.registry.names import resolve

    linked = load_linked(ctx, at)
    rows = related_brigades(linked, resolve(linked.reg, ["brigade"], brigade))
    render_rows(rows[:limit] if limit is not None else rows, RELATED_COLUMNS, fmt,
                "no related brigades found", raw=raw)


@group.command("add")
def brigades_add(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Brigade name, e.g. 'Code for Boston'.")] = None,
    id_: Annotated[str | None, typer.Option("--id", help="Id (default: derived from the name).")] = None,
    status: Annotated[str | None, typer.Option(help="active, inactive, merged, dissolved or unknown.")] = None,
    classification: Annotated[str, typer.Option(help="brigade or regional-network.")] = "brigade",
    city: Opt = None, state: Annotated[str | None, typer.Option(help="Two-letter state code in the US.")] = None,
    country: Annotated[str | None, typer.Option(help="Two-letter country code.")] = None,
    latitude: Annotated[float | None, typer.Option()] = None, longitude: Annotated[float | None, typer.Option()] = None,
    website: Opt = None, description: Opt = None,
    founding_date: Annotated[str | None, typer.Option(help="When it started: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    division_id: Annotated[str | None, typer.Option(help="OCD division id, e.g. ocd-division/country:us/state:ma/place:boston.")] = None,
    other_name: Annotated[list[str] | None, typer.Option("--other-name", help="A former or alternate name. Repeatable.")] = None,
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Short name people type. Repeatable.")] = None,
    network: Annotated[list[str] | None, typer.Option("--network", help="Network id it belongs to. Repeatable.")] = None,
    topic: Topic = None, source: Source = None, source_note: SourceNote = None,
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Add a brigade and propose it as a pull request. On a terminal, a missing name, status
    or source is asked for, each answer checked as it is typed, and the change is shown and
    confirmed before anything is written."""
    from peernet_cli.change import records
    from peernet_cli.cli.contributing import Talk, interactive, missing

    registry_root(ctx)  # no registry, no questions
    talk = None
    if interactive() and missing(name, status, source):
        talk = Talk.start(ctx)
        name = talk.new_record(name, "Brigade name", "brigade", id_)
        status = talk.pick(status, "Status", "brigade", "status")
        source = talk.sources(source)
    values = records.BrigadeValues(
        name=ask(name, "--name", "Brigade name"),
        status=choice(ask(status, "--status", "Status", enum_values("brigade", "status")), "brigade", "status", "--status"),
        sources=ask_sources(source), source_note=source_note, record_id=id_,
        classification=choice(classification, "brigade", "classification", "--classification"),
        city=city, state=state, country=country, latitude=latitude, longitude=longitude, website=website,
        description=description, founding_date=founding_date, division_id=division_id,
        other_names=other_name or [], aliases=alias or [], networks=network or [], topics=topic or [])
    if talk is not None:
        talk.confirm(records.add(talk.reg, values), no_pr, dry_run)
    carry_out(ctx, lambda reg: records.add(reg, values), no_pr, dry_run, remote, base)


@group.command("rename")
def brigades_rename(
    ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="The brigade.")],
    new_name: Annotated[str, typer.Argument(help="Its new name; the old one is kept under other_names.")],
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Rename a brigade (its id stays, so references keep working)."""
    from peernet_cli.change.records import rename_brigade

    carry_out(ctx, lambda reg: rename_brigade(reg, brigade, new_name), no_pr, dry_run, remote, base)


@group.command("retire")
def brigades_retire(
    ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="The brigade.")],
    status: Annotated[str, typer.Option(help="inactive, dissolved or merged.")] = "inactive",
    successor: Annotated[str | None, typer.Option(help="For merged: the brigade that continues it.")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="When it stopped (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Mark a brigade inactive, dissolved, or merged into a successor."""
    from peernet_cli.change.records import retire_brigade, retirement_status

    retirement_status(status)   # refused before the registry is read
    carry_out(ctx, lambda reg: retire_brigade(reg, brigade, status, successor, date_), no_pr, dry_run, remote, base)
