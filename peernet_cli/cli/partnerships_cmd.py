"""`peernet partnerships list|show|add|update`."""

from __future__ import annotations

from typing import Annotated

import typer

from peernet_cli.cli.context import load_linked, registry_root, resolve_ids
from peernet_cli.cli.contributing import ask, ask_sources, carry_out, choice, enum_values
from peernet_cli.cli.options import (
    At,
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
    enum_filter,
    multi,
)
from peernet_cli.cli.render import render_record, render_rows

group = typer.Typer(help="Brigade–partner relationships.", no_args_is_help=True)


@group.command("list")
def partnerships_list(
    ctx: typer.Context,
    brigade: Annotated[list[str] | None, multi("Only this brigade's partnerships.", "--brigade", "-b")] = None,
    partner: Annotated[list[str] | None, multi("Only partnerships with this partner.", "--partner", "-p")] = None,
    status: Annotated[list[str] | None, multi("prospective, active, paused, ended or unknown.", "--status")] = None,
    kind: Annotated[list[str] | None, multi("project-partnership, partner-support, service-learning…", "--kind")] = None,
    classification: Annotated[list[str] | None, multi("Only partners of this classification (brigade for brigade partners).", "--classification", "-c")] = None,
    topic: Annotated[list[str] | None, multi("Only partnerships with this topic.", "--topic")] = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None, raw: RawOpt = False,
    at: At = None,
) -> None:
    """List partnerships, e.g. `peernet partnerships list --status prospective`."""
    from peernet_cli.query.listings import PartnershipFilter, list_partnerships, sort_rows
    from peernet_cli.query.rows import PARTNERSHIP_COLUMNS

    f = PartnershipFilter(status=enum_filter(status, "partnership", "status", "--status"),
                          kind=enum_filter(kind, "partnership", "kind", "--kind"),
                          classification=enum_filter(classification, "partner", "classification", "--classification",
                                                     extra=("brigade",)),  # a brigade partner's classification
                          topic=topic or [])
    linked = load_linked(ctx, at)
    f.brigade = resolve_ids(linked, ["brigade"], brigade, "brigade")
    f.partner = resolve_ids(linked, ["partner", "brigade"], partner, "partner")
    render_rows(sort_rows(list_partnerships(linked, f), sort, limit), PARTNERSHIP_COLUMNS, fmt,
                "no partnerships match", raw=raw)


@group.command("show")
def partnerships_show(ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="Brigade (or a partnership id).")],
                      partner: Annotated[str | None, typer.Argument(help="Partner.")] = None,
                      fmt: FormatOpt = Format.table, raw: RawOpt = False, at: At = None) -> None:
    """Show one partnership: `peernet partnerships show boston gmnc`."""
    from peernet_cli.query.find import find_partnership
    from peernet_cli.query.relations import show_partnership

    linked = load_linked(ctx, at)
    render_record(show_partnership(linked, find_partnership(linked.reg, brigade, partner)), fmt, raw=raw)


@group.command("add")
def partnerships_add(
    ctx: typer.Context,
    brigade: Annotated[str | None, typer.Option("--brigade", "-b", help="The brigade (id, alias, name or city).")] = None,
    partner: Annotated[str | None, typer.Option("--partner", "-p", help="The partner; created too if it is new.")] = None,
    status: Annotated[str | None, typer.Option(help="prospective, active, paused, ended or unknown.")] = None,
    kind: Annotated[str | None, typer.Option(help="project-partnership, partner-support, service-learning, informal…")] = None,
    start_date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    end_date: Opt = None,
    last_contact: Annotated[str | None, typer.Option(help="When you last met or heard from them: a date or 'today'.")] = None,
    priority: Annotated[list[str] | None, typer.Option("--priority", help="What matters most to the partner. Repeatable.")] = None,
    built: Annotated[list[str] | None, typer.Option("--built", help="What you did to build the relationship. Repeatable.")] = None,
    introduced_by: Annotated[str | None, typer.Option(help="Id of who introduced you (an organization or network).")] = None,
    referred_by: Annotated[str | None, typer.Option(help="Id of the partner that referred you to this one.")] = None,
    project: Annotated[list[str] | None, typer.Option("--project", help="Name of a project done together. Repeatable.")] = None,
    notes: Opt = None, topic: Topic = None,
    partner_classification: Annotated[str | None, typer.Option(help="Classification of a new partner.")] = None,
    new_partner: Annotated[bool, typer.Option("--new-partner", help="Create the partner even if a similar name exists.")] = False,
    source: Source = None, source_note: SourceNote = None,
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Add a brigade's partnership (and the partner, if new) and propose it as a pull request.

    On a terminal, whatever is not given is asked for, each answer checked as it is typed
    (kind, last contact and a new partner's classification too), and the change is shown and
    confirmed before anything is written. Off a terminal nothing is asked.

    Example: peernet partnerships add --brigade boston --partner "City of Boston" --status active --source https://…
    """
    from datetime import date

    from peernet_cli.change import records
    from peernet_cli.change.answers import expand_today
    from peernet_cli.cli.contributing import Talk, interactive, missing, told_new_partner

    registry_root(ctx)  # no registry, no questions
    last_contact = expand_today(last_contact, date.today())
    talk = None
    if interactive() and (missing(brigade, partner, status, source, kind, last_contact)
                          or partner_classification is None):
        talk = Talk.start(ctx)
        b = talk.brigade(brigade)
        brigade = b.id
        partner, partner_classification, new_partner = talk.partner(b, partner, partner_classification,
                                                                    new_partner)
        kind = talk.pick(kind, "Kind of partnership", "partnership", "kind", optional=True)
        status = talk.pick(status, "Status", "partnership", "status")
        last_contact = talk.last_contact(last_contact)
        source = talk.sources(source)
    values = records.PartnershipValues(
        brigade=ask(brigade, "--brigade", "Brigade"), partner=ask(partner, "--partner", "Partner organization"),
        status=choice(ask(status, "--status", "Status", enum_values("partnership", "status")),
                      "partnership", "status", "--status"),
        sources=ask_sources(source), source_note=source_note, kind=choice(kind, "partnership", "kind", "--kind"),
        start_date=start_date, end_date=end_date, last_contact=last_contact, priorities=priority or [],
        built=built or [], introduced_by=introduced_by, referred_by=referred_by, projects=project or [],
        topics=topic or [], notes=notes,
        partner_classification=choice(partner_classification, "partner", "classification", "--partner-classification"),
        new_partner=new_partner)
    if talk is not None:
        talk.confirm(records.add(talk.reg, values), no_pr, dry_run)
    unclassified = talk is None and partner_classification is None
    carry_out(ctx, lambda reg: told_new_partner(reg, records.add(reg, values), unclassified),
              no_pr, dry_run, remote, base)


@group.command("update")
def partnerships_update(
    ctx: typer.Context,
    brigade: Annotated[str, typer.Argument(help="The brigade.")],
    partner: Annotated[str, typer.Argument(help="The partner.")],
    status: Annotated[str | None, typer.Option(help="prospective, active, paused, ended or unknown.")] = None,
    kind: Opt = None, start_date: Opt = None, end_date: Opt = None,
    last_contact: Annotated[str | None, typer.Option(help="When you last met or heard from them: a date or 'today'.")] = None,
    priority: Annotated[list[str] | None, typer.Option("--priority", help="Replace the partner's priorities. Repeatable.")] = None,
    built: Annotated[list[str] | None, typer.Option("--built", help="Replace what built the relationship. Repeatable.")] = None,
    introduced_by: Opt = None, referred_by: Opt = None, notes: Opt = None, topic: Topic = None,
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Edit a partnership, e.g. `--status ended --last-contact 2022-05-01` (or `--last-contact today`).
    Comments in the file are kept. On a terminal, a last contact not given is offered, today's
    date the default ('-' leaves it as it is)."""
    from datetime import date

    from peernet_cli.change import records
    from peernet_cli.change.answers import expand_today
    from peernet_cli.cli.context import load_registry
    from peernet_cli.cli.contributing import ask_last_contact, interactive

    today = date.today()
    last_contact = expand_today(last_contact, today)
    if last_contact is None and interactive():
        records.find_partnership(load_registry(ctx), brigade, partner)  # a wrong name is told before asking
        last_contact = ask_last_contact(today, "to leave it as it is")
    values = records.PartnershipEdit(
        brigade=brigade, partner=partner, status=choice(status, "partnership", "status", "--status"),
        kind=choice(kind, "partnership", "kind", "--kind"), start_date=start_date, end_date=end_date,
        last_contact=last_contact, priorities=priority, built=built, introduced_by=introduced_by,
        referred_by=referred_by, notes=notes, topics=topic)
    carry_out(ctx, lambda reg: records.update(reg, values), no_pr, dry_run, remote, base)
