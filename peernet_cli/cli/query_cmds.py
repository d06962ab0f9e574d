"""`peernet brigades|partners|partnerships|events list|show`, `brigades related`, `search`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .common import Format, FormatOpt, LimitOpt, SortOpt, load_network, multi, render_record, render_rows

brigades = typer.Typer(help="Brigades and regional networks of brigades.", no_args_is_help=True)
partners = typer.Typer(help="Partner organizations.", no_args_is_help=True)
partnerships = typer.Typer(help="Brigade–partner relationships.", no_args_is_help=True)
events = typer.Typer(help="Convenings, webinars, summits and other events.", no_args_is_help=True)

BRIGADE_COLS = ["id", "name", "status", "city", "state", "partners", "networks"]
PARTNER_COLS = ["id", "name", "classification", "brigades", "status", "kind"]
SHIP_COLS = ["id", "brigade", "partner_name", "classification", "kind", "status", "last_contact"]
EVENT_COLS = ["id", "name", "type", "start_date", "where", "organizers"]


def _ids(net: Any, kinds: list[str], names: list[str] | None, label: str) -> list[str]:
    from ..names import resolve

    return [resolve(net.reg, kinds, n, label).id for n in names or []]


@brigades.command("list")
def brigades_list(
    ctx: typer.Context,
    state: Annotated[list[str] | None, multi("Only brigades in this state (e.g. NC).", "--state")] = None,
    status: Annotated[list[str] | None, multi("Only brigades with this status (active, inactive…).", "--status")] = None,
    network: Annotated[list[str] | None, multi("Only members of this network id.", "--network")] = None,
    topic: Annotated[list[str] | None, multi("Only brigades with this topic.", "--topic")] = None,
    classification: Annotated[list[str] | None, multi("brigade or regional-network.", "--classification")] = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None,
) -> None:
    """List brigades, e.g. `peernet brigades list --state NC --status active`."""
    from ..query import BrigadeFilter, list_brigades, sort_rows

    net = load_network(ctx)
    rows = list_brigades(net, BrigadeFilter(state or [], status or [], network or [], topic or [], classification or []))
    render_rows(sort_rows(rows, sort, limit), BRIGADE_COLS, fmt, "no brigades match")


@brigades.command("show")
def brigades_show(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Id, alias, name or city.")],
                  fmt: FormatOpt = Format.table) -> None:
    """Show a brigade with its partners (status, kind, priorities), networks and events."""
    from ..names import resolve
    from ..relations import show_brigade

    net = load_network(ctx)
    render_record(show_brigade(net, resolve(net.reg, ["brigade"], brigade)), fmt)


@brigades.command("related")
def brigades_related(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Id, alias, name or city.")],
                     fmt: FormatOpt = Format.table, limit: LimitOpt = 10) -> None:
    """Brigades worth talking to: shared partners, partners of the same kind, shared topics."""
    from ..names import resolve
    from ..relations import related_brigades

    net = load_network(ctx)
    rows = related_brigades(net, resolve(net.reg, ["brigade"], brigade))
    render_rows(rows[:limit] if limit is not None else rows, ["id", "name", "score", "reasons"], fmt,
                "no related brigades found")


@partners.command("list")
def partners_list(
    ctx: typer.Context,
    brigade: Annotated[list[str] | None, multi("Only partners of this brigade (id, alias, name or city).", "--brigade", "-b")] = None,
    classification: Annotated[list[str] | None, multi("Only this kind of organization (e.g. county-government).", "--classification", "-c")] = None,
    status: Annotated[list[str] | None, multi("Only partners with a partnership in this status.", "--status")] = None,
    kind: Annotated[list[str] | None, multi("Only partnerships of this kind.", "--kind")] = None,
    topic: Annotated[list[str] | None, multi("Only partners with this topic (food matches food-security).", "--topic")] = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None,
) -> None:
    """List partners, e.g. `peernet partners list --brigade boston --status active`."""
    from ..query import PartnershipFilter, list_partners, sort_rows

    net = load_network(ctx)
    f = PartnershipFilter(brigade=_ids(net, ["brigade"], brigade, "brigade"), status=status or [],
                          kind=kind or [], classification=classification or [], topic=topic or [])
    render_rows(sort_rows(list_partners(net, f), sort, limit), PARTNER_COLS, fmt, "no partners match")


@partners.command("show")
def partners_show(ctx: typer.Context, partner: Annotated[str, typer.Argument(help="Id, name or other name.")],
                  fmt: FormatOpt = Format.table) -> None:
    """Show a partner with every brigade it works with."""
    from ..names import resolve
    from ..relations import show_partner

    net = load_network(ctx)
    render_record(show_partner(net, resolve(net.reg, ["partner"], partner)), fmt)


@partnerships.command("list")
def partnerships_list(
    ctx: typer.Context,
    brigade: Annotated[list[str] | None, multi("Only this brigade's partnerships.", "--brigade", "-b")] = None,
    partner: Annotated[list[str] | None, multi("Only partnerships with this partner.", "--partner", "-p")] = None,
    status: Annotated[list[str] | None, multi("prospective, active, paused, ended or unknown.", "--status")] = None,
    kind: Annotated[list[str] | None, multi("project-partnership, partner-support, service-learning…", "--kind")] = None,
    classification: Annotated[list[str] | None, multi("Only partners of this classification.", "--classification", "-c")] = None,
    topic: Annotated[list[str] | None, multi("Only partnerships with this topic.", "--topic")] = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None,
) -> None:
    """List partnerships, e.g. `peernet partnerships list --status prospective`."""
    from ..query import PartnershipFilter, list_partnerships, sort_rows

    net = load_network(ctx)
    f = PartnershipFilter(brigade=_ids(net, ["brigade"], brigade, "brigade"),
                          partner=_ids(net, ["partner", "brigade"], partner, "partner"),
                          status=status or [], kind=kind or [], classification=classification or [], topic=topic or [])
    render_rows(sort_rows(list_partnerships(net, f), sort, limit), SHIP_COLS, fmt, "no partnerships match")


@partnerships.command("show")
def partnerships_show(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Brigade (or a partnership id).")],
                      partner: Annotated[str | None, typer.Argument(help="Partner.")] = None,
                      fmt: FormatOpt = Format.table) -> None:
    """Show one partnership: `peernet partnerships show boston gmnc`."""
    from ..errors import NameNotFound
    from ..names import resolve
    from ..relations import show_partnership

    net = load_network(ctx)
    if partner is None:
        record = net.reg.find(brigade, ["partnership"])
        if record is None:
            raise NameNotFound(f"no partnership with id '{brigade}'; give BRIGADE PARTNER")
    else:
        b = resolve(net.reg, ["brigade"], brigade, "brigade")
        p = resolve(net.reg, ["partner", "brigade"], partner, "partner")
        record = net.reg.find(f"{b.id}--{p.id}", ["partnership"])
        if record is None:
            raise NameNotFound(f"{b.name} has no recorded partnership with {p.name}")
    render_record(show_partnership(net, record), fmt)


@events.command("list")
def events_list(
    ctx: typer.Context,
    year: Annotated[list[str] | None, multi("Only events starting in this year.", "--year")] = None,
    type_: Annotated[list[str] | None, multi("Only this type (peer-convening, webinar…).", "--type")] = None,
    participant: Annotated[list[str] | None, multi("Only events this brigade/partner organizes or attends.", "--participant")] = None,
    organizer: Annotated[list[str] | None, multi("Only events organized by this organization.", "--organizer")] = None,
    city: Annotated[list[str] | None, multi("Only events held in this city.", "--city")] = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None,
) -> None:
    """List events, e.g. `peernet events list --year 2015 --type peer-convening`."""
    from ..query import EventFilter, list_events, sort_rows

    net = load_network(ctx)
    orgs = ["brigade", "partner", "network"]
    f = EventFilter(year or [], type_ or [], _ids(net, orgs, participant, "organization"),
                    _ids(net, orgs, organizer, "organization"), city or [])
    render_rows(sort_rows(list_events(net, f), sort, limit), EVENT_COLS, fmt, "no events match")


@events.command("show")
def events_show(ctx: typer.Context, event: Annotated[str, typer.Argument(help="Event id or name.")],
                fmt: FormatOpt = Format.table) -> None:
    """Show an event with its organizers and participants."""
    from ..names import resolve
    from ..relations import show_event

    net = load_network(ctx)
    render_record(show_event(net, resolve(net.reg, ["event"], event)), fmt)


def search(ctx: typer.Context, text: Annotated[str, typer.Argument(help="Words to look for.")],
           kind: Annotated[list[str] | None, multi("Only records of this kind (brigade, partner…).", "--kind")] = None,
           fmt: FormatOpt = Format.table, limit: LimitOpt = 20) -> None:
    """Search names, descriptions, priorities, notes and topics; best matches first."""
    from ..search import search as run

    net = load_network(ctx)
    hits = run(net.reg, text, kind or None)
    render_rows(hits[:limit] if limit is not None else hits, ["kind", "id", "name", "score", "matched"], fmt,
                f"nothing matches '{text}'")


def register(app: typer.Typer) -> None:
    app.add_typer(brigades, name="brigades")
    app.add_typer(partners, name="partners")
    app.add_typer(partnerships, name="partnerships")
    app.add_typer(events, name="events")
    app.command("search")(search)
