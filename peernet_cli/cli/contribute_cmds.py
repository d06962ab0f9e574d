"""`peernet brigades|partners|events add`, `partnerships add|update`, `brigades rename|retire`,
and `peernet submit`. Each builds a change, checks it, then writes it or proposes it as a PR."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer

from ..errors import UsageError
from .query_cmds import brigades, events, partners, partnerships

NoPr = Annotated[bool, typer.Option("--no-pr", help="Only write (and git-stage) the files; no branch, no pull request.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the diff and touch nothing.")]
Remote = Annotated[str, typer.Option("--remote", help="Git remote to push the branch to.")]
Base = Annotated[str | None, typer.Option("--base", help="Branch the pull request targets (default: the repository's default branch).")]
Source = Annotated[list[str] | None, typer.Option("--source", help="Where the facts come from: a URL or a document file name. Repeatable. Required.")]
SourceNote = Annotated[str | None, typer.Option("--source-note", help="What the source says, e.g. a short quotation.")]
Topic = Annotated[list[str] | None, typer.Option("--topic", help="A topic tag such as open-data. Repeatable.")]
Opt = Annotated[str | None, typer.Option()]



def _enum(kind: str, field: str) -> list[str]:
    from ..schemas import enum_values

    return enum_values(kind, field)


def interactive() -> bool:
    return sys.stdin.isatty()


def ask(value: Any, flag: str, label: str, choices: list[str] | None = None,
        check: Callable[[str], str | None] | None = None, default: str | None = None) -> Any:
    """The given value, or on a terminal a prompt until the answer is valid; off a terminal
    a missing value is a usage error (a pipe never hangs waiting for input)."""
    if value not in (None, [], ""):
        return value
    if not interactive():
        raise UsageError(f"missing {flag}; pass it on the command line")
    hint = f" ({', '.join(choices)})" if choices else ""
    while True:
        answer = str(typer.prompt(f"{label}{hint}", default=default, show_default=default is not None)).strip()
        problem = None
        if choices and answer not in choices:
            problem = f"choose one of: {', '.join(choices)}"
        elif check:
            problem = check(answer)
        if problem is None and answer:
            return answer
        typer.echo(f"  {problem or 'a value is needed'}", err=True)


def choice(value: str | None, kind: str, field: str, flag: str) -> str | None:
    """Refuse a bad enum value early, as a usage error naming the allowed values."""
    if value is None:
        return None
    allowed = _enum(kind, field)
    if value not in allowed:
        raise UsageError(f"{flag} '{value}' is not one of: {', '.join(allowed)}")
    return value


def carry_out(ctx: typer.Context, reg: Any, cs: Any, no_pr: bool, dry_run: bool, remote: str, base: str | None) -> None:
    from .. import output
    from ..changes import verify
    from ..propose import commit_on_branch, submit, write_only

    checked = verify(reg, cs, date.today())
    if dry_run:
        output.write(cs.diff(reg))
        output.message("peernet: dry run; nothing was written")
        return
    if no_pr:
        outcome = write_only(reg, cs)
        for path in outcome.written:
            output.message(f"peernet: wrote {reg.relpath(path)}")
        return
    repo, branch, commit = commit_on_branch(reg, cs, cs.commit_message(checked), remote, base)
    output.message(f"peernet: committed {commit[:10]} on branch {branch}; your branch is unchanged")
    url = submit(repo, branch, remote, base)
    output.message(f"peernet: pull request opened for {branch}")
    output.write(url)


def _load(ctx: typer.Context) -> Any:
    from ..registry import load
    from .app import registry_root

    return load(registry_root(ctx))


def _location(city: str | None, state: str | None, country: str | None,
              latitude: float | None = None, longitude: float | None = None) -> dict[str, Any]:
    return {"city": city, "state": state, "country": country, "latitude": latitude, "longitude": longitude}


@brigades.command("add")
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
    from ..contribute import add_record, sources

    reg = _load(ctx)
    name = ask(name, "--name", "Brigade name")
    status = choice(ask(status, "--status", "Status", _enum("brigade", "status")), "brigade", "status", "--status")
    source = ask(source, "--source", "Source (URL or document name)")
    fields = {"name": name, "other_names": [{"name": n} for n in other_name or []], "aliases": alias,
              "classification": choice(classification, "brigade", "classification", "--classification"),
              "status": status, "founding_date": founding_date, "description": description,
              "division_id": division_id,
              "location": _location(city, state, country, latitude, longitude), "website": website,
              "topics": topic, "networks": [{"network": n, "role": "member"} for n in network or []],
              "sources": sources(source if isinstance(source, list) else [source], source_note)}
    carry_out(ctx, reg, add_record(reg, "brigade", fields, id_), no_pr, dry_run, remote, base)


@partners.command("add")
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
    from ..contribute import add_record, sources

    reg = _load(ctx)
    name = ask(name, "--name", "Organization name")
    classification = choice(ask(classification, "--classification", "Classification", _enum("partner", "classification")),
                            "partner", "classification", "--classification")
    source = ask(source, "--source", "Source (URL or document name)")
    fields = {"name": name, "other_names": [{"name": n} for n in other_name or []],
              "classification": classification, "description": description, "website": website,
              "location": _location(city, state, country, latitude, longitude), "division_id": division_id,
              "parent": parent, "topics": topic, "networks": [{"network": n, "role": "member"} for n in network or []],
              "sources": sources(source if isinstance(source, list) else [source], source_note)}
    carry_out(ctx, reg, add_record(reg, "partner", fields, id_), no_pr, dry_run, remote, base)


@partnerships.command("add")
def partnerships_add(
    ctx: typer.Context,
    brigade: Annotated[str | None, typer.Option("--brigade", "-b", help="The brigade (id, alias, name or city).")] = None,
    partner: Annotated[str | None, typer.Option("--partner", "-p", help="The partner; created too if it is new.")] = None,
    status: Annotated[str | None, typer.Option(help="prospective, active, paused, ended or unknown.")] = None,
    kind: Annotated[str | None, typer.Option(help="project-partnership, partner-support, service-learning, informal…")] = None,
    start_date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    end_date: Opt = None, last_contact: Annotated[str | None, typer.Option(help="When you last met or heard from them.")] = None,
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

    Example: peernet partnerships add --brigade boston --partner "City of Boston" --status active --source https://…
    """
    from ..contribute import add_partnership, sources

    reg = _load(ctx)
    brigade = ask(brigade, "--brigade", "Brigade")
    partner = ask(partner, "--partner", "Partner organization")
    status = choice(ask(status, "--status", "Status", _enum("partnership", "status")), "partnership", "status", "--status")
    source = ask(source, "--source", "Source (URL or document name)")
    fields = {"kind": choice(kind, "partnership", "kind", "--kind"), "status": status,
              "start_date": start_date, "end_date": end_date, "last_contact": last_contact,
              "priorities": priority, "relationship_building": built, "introduced_by": introduced_by,
              "referred_by": referred_by, "projects": [{"name": n} for n in project or []],
              "topics": topic, "notes": notes,
              "sources": sources(source if isinstance(source, list) else [source], source_note)}
    extra = {"classification": choice(partner_classification, "partner", "classification", "--partner-classification"),
             "sources": fields["sources"]}
    cs = add_partnership(reg, brigade, partner, fields, extra, new_partner)
    carry_out(ctx, reg, cs, no_pr, dry_run, remote, base)


@partnerships.command("update")
def partnerships_update(
    ctx: typer.Context,
    brigade: Annotated[str, typer.Argument(help="The brigade.")],
    partner: Annotated[str, typer.Argument(help="The partner.")],
    status: Annotated[str | None, typer.Option(help="prospective, active, paused, ended or unknown.")] = None,
    kind: Opt = None, start_date: Opt = None, end_date: Opt = None, last_contact: Opt = None,
    priority: Annotated[list[str] | None, typer.Option("--priority", help="Replace the partner's priorities. Repeatable.")] = None,
    built: Annotated[list[str] | None, typer.Option("--built", help="Replace what built the relationship. Repeatable.")] = None,
    introduced_by: Opt = None, referred_by: Opt = None, notes: Opt = None, topic: Topic = None,
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Edit a partnership, e.g. `--status ended --last-contact 2022-05-01`. Comments in the file are kept."""
    from ..contribute import update_partnership

    reg = _load(ctx)
    changes = {"status": choice(status, "partnership", "status", "--status"),
               "kind": choice(kind, "partnership", "kind", "--kind"), "start_date": start_date,
               "end_date": end_date, "last_contact": last_contact, "priorities": priority,
               "relationship_building": built, "introduced_by": introduced_by, "referred_by": referred_by,
               "notes": notes, "topics": topic}
    cs = update_partnership(reg, brigade, partner, changes)
    carry_out(ctx, reg, cs, no_pr, dry_run, remote, base)


@brigades.command("rename")
def brigades_rename(
    ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="The brigade.")],
    new_name: Annotated[str, typer.Argument(help="Its new name; the old one is kept under other_names.")],
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Rename a brigade (its id stays, so references keep working)."""
    from ..contribute import rename_brigade

    reg = _load(ctx)
    carry_out(ctx, reg, rename_brigade(reg, brigade, new_name), no_pr, dry_run, remote, base)


@brigades.command("retire")
def brigades_retire(
    ctx: typer.Context, brigade: Annotated[str, typer.Argument(help="The brigade.")],
    status: Annotated[str, typer.Option(help="inactive, dissolved or merged.")] = "inactive",
    successor: Annotated[str | None, typer.Option(help="For merged: the brigade that continues it.")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="When it stopped (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    no_pr: NoPr = False, dry_run: DryRun = False, remote: Remote = "origin", base: Base = None,
) -> None:
    """Mark a brigade inactive, dissolved, or merged into a successor."""
    from ..contribute import retire_brigade

    if status not in ("inactive", "dissolved", "merged"):
        raise UsageError(f"--status '{status}' is not one of: inactive, dissolved, merged")
    reg = _load(ctx)
    carry_out(ctx, reg, retire_brigade(reg, brigade, status, successor, date_), no_pr, dry_run, remote, base)


@events.command("add")
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
    from ..contribute import add_record, sources

    reg = _load(ctx)
    name = ask(name, "--name", "Event name")
    type_ = choice(ask(type_, "--type", "Type", _enum("event", "type")), "event", "type", "--type")
    source = ask(source, "--source", "Source (URL or document name)")
    fields = {"name": name, "type": type_, "description": description, "start_date": start_date,
              "end_date": end_date, "start_time": start_time, "timezone": timezone, "date_note": date_note,
              "recurring": True if recurring else None, "online": True if online else None,
              "attendance": {"people": attendance},
              "location": _location(city, state, country), "organizers": organizer, "participants": participant,
              "topics": topic, "sources": sources(source if isinstance(source, list) else [source], source_note)}
    carry_out(ctx, reg, add_record(reg, "event", fields, id_), no_pr, dry_run, remote, base)


def submit(ctx: typer.Context, branch: Annotated[str, typer.Argument(help="The branch peernet committed to.")],
           remote: Remote = "origin", base: Base = None) -> None:
    """Push a branch and open its pull request: the retry after a failed push or PR."""
    from .. import output
    from ..propose import submit as run
    from ..vcs import find_repo
    from .app import registry_root

    repo = find_repo(registry_root(ctx))
    if repo is None or not repo.branch_exists(branch):
        raise UsageError(f"no local branch '{branch}' here; list them with 'git branch'")
    output.write(run(repo, branch, remote, base))


def register(app: typer.Typer) -> None:
    app.command("submit")(submit)
