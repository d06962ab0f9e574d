"""`peernet networks list|show`."""

from __future__ import annotations

from typing import Annotated

import typer

from peernet_cli.cli.context import load_linked, resolve_ids
from peernet_cli.cli.options import At, Format, FormatOpt, LimitOpt, RawOpt, SortOpt, enum_filter, multi
from peernet_cli.cli.render import render_record, render_rows

group = typer.Typer(help="Networks of brigades, cities and organizations, with their members.",
                    no_args_is_help=True)


@group.command("list")
def networks_list(
    ctx: typer.Context,
    classification: Annotated[list[str] | None, multi("Only this kind of network (e.g. state-resource-network).", "--classification", "-c")] = None,
    status: Annotated[list[str] | None, multi("Only networks in this status (active, inactive, unknown).", "--status")] = None,
    parent: Annotated[list[str] | None, multi("Only networks that are part of this network (id or name).", "--parent")] = None,
    fmt: FormatOpt = Format.table, sort: SortOpt = None, limit: LimitOpt = None, raw: RawOpt = False,
    at: At = None,
) -> None:
    """List networks with their member counts and roles.

    For example `peernet networks list --parent national-resource-network`."""
    from peernet_cli.query.listings import sort_rows
    from peernet_cli.query.networks import NetworkFilter, list_networks
    from peernet_cli.query.rows import NETWORK_COLUMNS

    classes = enum_filter(classification, "network", "classification", "--classification")
    statuses = enum_filter(status, "network", "status", "--status")
    linked = load_linked(ctx, at)
    f = NetworkFilter(classes, statuses, resolve_ids(linked, ["network"], parent, "network"))
    render_rows(sort_rows(list_networks(linked, f), sort, limit), NETWORK_COLUMNS, fmt, "no networks match", raw=raw)


@group.command("show")
def networks_show(ctx: typer.Context, network: Annotated[str, typer.Argument(help="Id, name or other name.")],
                  fmt: FormatOpt = Format.table, raw: RawOpt = False, at: At = None) -> None:
    """Show a network with its members and their roles.

    Also its parent and child networks, its projects (partners by name) and the events it
    organised or took part in."""
    from peernet_cli.query.networks import show_network
    from peernet_cli.registry.names import resolve

    linked = load_linked(ctx, at)
    render_record(show_network(linked, resolve(linked.reg, ["network"], network)), fmt, raw=raw)
