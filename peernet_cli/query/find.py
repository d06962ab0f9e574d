"""Finding records by what people type: one partnership by its brigade and partner (or its id),
and the names close enough to a typed one to be a typo of it."""

from __future__ import annotations

import difflib

from peernet_cli.errors import NameNotFound
from peernet_cli.registry.loader import Record, Registry
from peernet_cli.registry.names import normalise, resolve


def find_partnership(reg: Registry, brigade: str, partner: str | None = None, hint: str = "") -> Record:
    """The partnership of `brigade` with `partner` (each an id, alias, name…), or with `partner`
    left out the partnership whose id `brigade` is. NameNotFound (exit 2) otherwise; `hint`
    ends the message when the pair has no partnership (what to do about it)."""
    if partner is None:
        record = reg.find(brigade, ["partnership"])
        if record is None:
            raise NameNotFound(f"no partnership with id '{brigade}'; give BRIGADE PARTNER")
        return record
    b = resolve(reg, ["brigade"], brigade, "brigade")
    p = resolve(reg, ["partner", "brigade"], partner, "partner")
    record = reg.find(f"{b.id}--{p.id}", ["partnership"])
    if record is None:
        raise NameNotFound(f"{b.name} has no recorded partnership with {p.name}{hint}")
    return record


def close_names(reg: Registry, kind: str, name: str) -> list[str]:
    """Ids of records whose name is within a typo or two of `name`."""
    names = {normalise(r.name): r.id for r in reg.of(kind).values()}
    return [names[n] for n in difflib.get_close_matches(normalise(name), list(names), n=3, cutoff=0.88)]
