"""Building additions and edits as ChangeSets, from values the user gave (flags or prompts).

Each function resolves names, derives ids, and returns the change; nothing is written here.
"""

from __future__ import annotations

import difflib
from typing import Any

from peernet_cli.change.changeset import ChangeSet, branch_name, check_id, slugify
from peernet_cli.errors import NameNotFound, UsageError
from peernet_cli.registry import yamlio
from peernet_cli.registry.loader import Record, Registry
from peernet_cli.registry.names import resolve


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop unset values (None, empty lists/dicts) so records hold only what is known."""
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = clean(value)
        if value is None or value == [] or value == {}:
            continue
        out[key] = value
    return out


def sources(values: list[str], note: str | None = None) -> list[dict[str, str]]:
    """--source values: a URL becomes {url}, anything else {document} (a file name)."""
    out = []
    for value in values:
        key = "url" if value.startswith(("http://", "https://")) else "document"
        out.append(clean({key: value, "note": note}))
    return out


def _new_id(reg: Registry, given: str | None, name: str) -> str:
    record_id = check_id(given) if given else slugify(name)
    if not record_id:
        raise UsageError(f"cannot make an id from the name '{name}'; pass --id")
    check_id(record_id)
    taken = reg.find(record_id, ("brigade", "partner", "network", "event"))
    if taken is not None:
        raise UsageError(f"id '{record_id}' is already used by {reg.relpath(taken.path)}; pass a "
                         "different --id")
    return record_id


def add_record(reg: Registry, kind: str, fields: dict[str, Any], given_id: str | None = None) -> ChangeSet:
    """A new brigade, partner or event."""
    name = str(fields["name"])
    record_id = _new_id(reg, given_id, name)
    data = clean({"id": record_id, **fields})
    cs = ChangeSet(f"Add {kind}: {name}", branch_name(f"add-{kind}", record_id))
    cs.add_new(reg, kind, data)
    cs.summary.append(f"new {kind} {record_id}: {name}")
    return cs


def add_partnership(reg: Registry, brigade: str, partner: str, fields: dict[str, Any],
                    new_partner: dict[str, Any] | None = None, create: bool = False) -> ChangeSet:
    """A new partnership; the partner is created in the same change when it does not exist
    (and no existing partner's name is close enough to be a typo, unless `create`)."""
    b = resolve(reg, ["brigade"], brigade, "brigade")
    partner_record, partner_id = _partner(reg, partner, create)
    ship_id = f"{b.id}--{partner_id}"
    cs = ChangeSet(f"Add partnership: {b.name} – {partner_record.name if partner_record else partner}",
                   branch_name("add-partnership", ship_id))
    if partner_record is None:
        data = clean({"id": partner_id, "name": partner, **(new_partner or {})})
        data.setdefault("classification", "unknown")
        cs.add_new(reg, "partner", data)
        cs.summary.append(f"new partner {partner_id}: {partner} ({data['classification']})")
    cs.add_new(reg, "partnership", clean({"id": ship_id, "brigade": b.id, "partner": partner_id, **fields}))
    status = fields.get("status", "")
    cs.summary.append(f"new partnership {ship_id}: {b.name} with "
                      f"{partner_record.name if partner_record else partner} ({status})")
    for key in ("kind", "start_date", "last_contact"):
        if fields.get(key):
            cs.summary.append(f"{key}: {fields[key]}")
    for item in fields.get("priorities") or []:
        cs.summary.append(f"partner priority: {item}")
    return cs


def _partner(reg: Registry, partner: str, create: bool) -> tuple[Record | None, str]:
    """The existing partner `partner` names, or (None, new id) when it is new. A name very
    close to an existing partner's is taken for a typo unless `create` says otherwise."""
    try:
        found = resolve(reg, ["partner", "brigade"], partner, "partner")
        return found, found.id
    except NameNotFound as exc:
        if exc.candidates and "more than one" in exc.message:
            raise
    close = close_names(reg, "partner", partner)
    if close and not create:
        raise NameNotFound(f"no partner named '{partner}'; did you mean: {', '.join(close)}? "
                           "To add it as a new partner, pass --new-partner", close)
    return None, _new_id(reg, None, partner)


def find_partnership(reg: Registry, brigade: str, partner: str) -> Record:
    b = resolve(reg, ["brigade"], brigade, "brigade")
    p = resolve(reg, ["partner", "brigade"], partner, "partner")
    record = reg.find(f"{b.id}--{p.id}", ["partnership"])
    if record is None:
        raise NameNotFound(f"{b.name} has no recorded partnership with {p.name}; add it with "
                           "'peernet partnerships add'")
    return record


def edit(reg: Registry, record: Record, changes: dict[str, Any], title: str, verb: str) -> ChangeSet:
    """Apply field changes through the round-trip loader so comments and order survive."""
    data = yamlio.load_for_edit(record.text)
    summary = []
    for key, value in changes.items():
        if value is None:
            continue
        old = data.get(key)
        if _same(old, value):
            continue
        data[key] = value
        summary.append(f"{key}: {_show(old)} -> {_show(value)}")
    if not summary:
        raise UsageError(f"nothing to change in {reg.relpath(record.path)}: the values given are "
                         "already there (pass a field option with a new value; see --help)")
    cs = ChangeSet(title, branch_name(verb, record.id))
    cs.edit(reg, record, data)
    cs.summary.extend(summary)
    return cs


def _same(old: Any, new: Any) -> bool:
    """Equal as the user sees them (a round-trip date object equals its text)."""
    if isinstance(old, list) and isinstance(new, list):
        return [str(x) for x in old] == [str(x) for x in new]
    return old is not None and str(old) == str(new)


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def update_partnership(reg: Registry, brigade: str, partner: str, changes: dict[str, Any]) -> ChangeSet:
    record = find_partnership(reg, brigade, partner)
    return edit(reg, record, changes, f"Update partnership: {record.id}", "update-partnership")


def rename_brigade(reg: Registry, brigade: str, new_name: str) -> ChangeSet:
    """Give a brigade a new name and keep the old one in other_names."""
    record = resolve(reg, ["brigade"], brigade, "brigade")
    if new_name == record.name:
        raise UsageError(f"{record.id} is already named '{new_name}'")
    others = list(record.get("other_names") or [])
    if not any(isinstance(o, dict) and o.get("name") == record.name for o in others):
        others.append({"name": record.name, "note": "former name"})
    return edit(reg, record, {"name": new_name, "other_names": others},
                f"Rename brigade: {record.name} -> {new_name}", "rename-brigade")


def retire_brigade(reg: Registry, brigade: str, status: str, successor: str | None,
                   when: str | None) -> ChangeSet:
    """Mark a brigade inactive, dissolved, or merged into a successor."""
    record = resolve(reg, ["brigade"], brigade, "brigade")
    if status == "merged" and not successor:
        raise UsageError("a merged brigade needs --successor BRIGADE")
    succ = resolve(reg, ["brigade"], successor, "brigade").id if successor else None
    return edit(reg, record, {"status": status, "successor": succ, "dissolution_date": when},
                f"Retire brigade: {record.name} ({status})", "retire-brigade")


def close_names(reg: Registry, kind: str, name: str) -> list[str]:
    """Ids of records whose name is within a typo or two of `name`."""
    from peernet_cli.registry.names import normalise

    names = {normalise(r.name): r.id for r in reg.of(kind).values()}
    return [names[n] for n in difflib.get_close_matches(normalise(name), list(names), n=3, cutoff=0.88)]
