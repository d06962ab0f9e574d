"""`peernet brigades list|show|related|add|rename|retire`."""

from __future__ import annotations

from typing import Annotated

import typer

from peernet_cli.cli.context import load_network, registry_root
from peernet_cli.cli.contributing import ask, carry_out, choice, enum_values, location
from peernet_cli.cli.options import (
    Base,
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
    Topic,
    multi,
)
from peernet_cli.cli.render import render_record, render_rows
from peernet_cli.errors import UsageError

group = typer.Typer(help="Brigades and regional networks of brigades.", no_args_is_help=True)

BRIGADE_COLS = ["id", "name", "status", "city", "state", "partners", "networks"]


@group.command("list")
def brigades_list(
    ctx: typer.Context,
    state: Annotated[list[str] | None, multi("Only brigades in this state (e.g. NC).", "--state")] = None,
    status: Annotated[list[str] | None, multi("Only brigades with this status (active, inactive…).", "--status")] = None,
    network: Annotated[list[str] | None, multi("Only members of this network id.", "--network")] = None,
    topic: Annotated[list[str] | None, multi("Only brigades with this topic.", "--topic")] = None,
    classification: Annotated[list[str] | None, multi("brigade or regional-network.", "--classification")] = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None, raw: RawOpt = False,
) -> None:
    """List brigades, e.g. `peernet brigades list --state NC --status active`."""
    from peernet_cli.query.listings import BrigadeFilter, list_brigades, sort_rows

    net = load_network(ctx)
    rows = list_brigades(net, BrigadeFilter(state or [], status or [], network or [], topic or [], classification or []))
    render_rows(sort_rows(rows, sort, limit), BRIGADE_COLS, fmt, "no brigades match", raw=raw)


@group.command("show")
def brigades_show(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Id, alias, name or city.")],
                  fmt: FormatOpt = Format.table, raw: RawOpt = False) -> None:
    """Show a brigade with its partners (status, kind, priorities), networks and events."""
    from peernet_cli.query.relations import show_brigade
    from peernet_cli.registry.names import resolve

    net = load_network(ctx)
    render_record(show_brigade(net, resolve(net.reg, ["brigade"], brigade)), fmt, raw=raw)


@group.command("related")
def brigades_related(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Id, alias, name or city.")],
                     fmt: FormatOpt = Format.table, limit: LimitOpt = 10,
                     raw: RawOpt = False) -> None:
    """Brigades worth talking to: shared partners, partners of the same kind, shared topics."""
    from peernet_cli.query.relations import related_brigades
    from peernet_cli.registry.names import resolve

    net = load_network(ctx)
    rows = related_brigades(net, resolve(net.reg, ["brigade"], brigade))
    render_rows(rows[:limit] if limit is not None else rows, ["id", "name", "score", "reasons"], fmt,
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
    """Add a brigade and propose it as a pull request."""
    from peernet_cli.change.records import add_record, sources

    registry_root(ctx)  # no registry, no questions
    name = ask(name, "--name", "Brigade name")
    status = choice(ask(status, "--status", "Status", enum_values("brigade", "status")), "brigade", "status", "--status")
    source = ask(source, "--source", "Source (URL or document name)")
    fields = {"name": name, "other_names": [{"name": n} for n in other_name or []], "aliases": alias,
              "classification": choice(classification, "brigade", "classification", "--classification"),
              "status": status, "founding_date": founding_date, "description": description,
              "division_id": division_id,
              "location": location(city, state, country, latitude, longitude), "website": website,
              "topics": topic, "networks": [{"network": n, "role": "member"} for n in network or []],
              "sources": sources(source if isinstance(source, list) else [source], source_note)}
    carry_out(ctx, lambda reg: add_record(reg, "brigade", fields, id_), no_pr, dry_run, remote, base)


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
    from peernet_cli.change.records import retire_brigade

    if status not in ("inactive", "dissolved", "merged"):
        raise UsageError(f"--status '{status}' is not one of: inactive, dissolved, merged")
    carry_out(ctx, lambda reg: retire_brigade(reg, brigade, status, successor, date_), no_pr, dry_run, remote, base)
