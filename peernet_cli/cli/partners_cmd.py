"""`peernet partners list|show|add`."""

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

group = typer.Typer(help="Partner organizations.", no_args_is_help=True)


@group.command("list")
def partners_list(
    ctx: typer.Context,
    brigade: Annotated[list[str] | None, multi("Only partners of this brigade (id, alias, name or city).", "--brigade", "-b")] = None,
    classification: Annotated[list[str] | None, multi("Only this kind of organization (e.g. county-government).", "--classification", "-c")] = None,
    status: Annotated[list[str] | None, multi("Only partners with a partnership in this status.", "--status")] = None,
    kind: Annotated[list[str] | None, multi("Only partnerships of this kind.", "--kind")] = None,
    topic: Annotated[list[str] | None, multi("Only partners with this topic (food matches food-security).", "--topic")] = None,
    state: StateOpt = None, country: CountryOpt = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None, raw: RawOpt = False,
    at: At = None,
) -> None:
    """List partners, e.g. `peernet partners list --brigade boston --status active`.

    --state and --country look at the partner's own location (few partners record one)."""
    from peernet_cli.query.listings import PartnershipFilter, Place, list_partners, sort_rows
    from peernet_cli.query.rows import PARTNER_COLUMNS

    f = PartnershipFilter(status=enum_filter(status, "partnership", "status", "--status"),
                          kind=enum_filter(kind, "partnership", "kind", "--kind"),
                          classification=enum_filter(classification, "partner", "classification", "--classification"),
                          topic=topic or [])
    linked = load_linked(ctx, at)
    f.brigade = resolve_ids(linked, ["brigade"], brigade, "brigade")
    rows = list_partners(linked, f, Place(country or [], state or []))
    render_rows(sort_rows(rows, sort, limit), PARTNER_COLUMNS, fmt, "no partners match", raw=raw)


@group.command("show")
def partners_show(ctx: typer.Context, partner: Annotated[str, typer.Argument(help="Id, name or other name.")],
                  fmt: FormatOpt = Format.table, raw: RawOpt = False, at: At = None) -> None:
    """Show a partner with every brigade it works with."""
    from peernet_cli.query.relations import show_partner
    from peernet_cli.registry.names import resolve

    linked = load_linked(ctx, at)
    render_record(show_partner(linked, resolve(linked.reg, ["partner"], partner)), fmt, raw=raw)


@group.command("add")
def partners_add(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Organization name, e.g. 'City of Boston'.")] = None,
    id_: Annotated[str | None, typer.Option("--id", help="Id (default: derived from the name).")] = None,
    classification: Annotated[str | None, typer.Option(help="city-government, county-government, nonprofit, university…")] = None,
    description: Opt = None, website: Opt = None, city: Opt = None, state: Opt = None, country: Opt = None,
    latitude: Annotated[float | None, typer.Option()] = None, longitude: Annotated[float | None, typer.Option()] = None,
    division_id: Annotated[str | None, typer.Option(help="OCD division id of a government body.")] = None,
    other_name: Annotated[list[str] | None, typer.Option("--other-name", help="An abbreviation or alternate name. Repeatable.")] = None,
    parent: Annotated[str | None, typer.Option(help="Id of the organization this one is part of.")] = None,
    network: Annotated[list[str] | None, typer.Option("--network", help="Network id it belongs to. Repeatable.")] = None,
    topic: Topic = None, source: Source = None, source_note: SourceNote = None,
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Add a partner organization and propose it as a pull request."""
    from peernet_cli.change import records

    registry_root(ctx)  # no registry, no questions
    values = records.PartnerValues(
        name=ask(name, "--name", "Organization name"),
        classification=choice(ask(classification, "--classification", "Classification",
                                  enum_values("partner", "classification")),
                              "partner", "classification", "--classification"),
        sources=ask_sources(source), source_note=source_note, record_id=id_, description=description,
        website=website, city=city, state=state, country=country, latitude=latitude, longitude=longitude,
        division_id=division_id, other_names=other_name or [], parent=parent, networks=network or [],
        topics=topic or [])
    carry_out(ctx, lambda reg: records.add(reg, values), no_pr, dry_run, remote, base)
