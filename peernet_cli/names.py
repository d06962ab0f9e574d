"""Names as people type them: `boston`, `code-for-boston`, `"Code for Boston"` all resolve
to the same record; an unknown or ambiguous name is an error listing the closest candidates."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable

from .errors import NameNotFound
from .registry import Record, Registry

# Words that carry no meaning when telling brigades apart ("Code for Boston" ~ "Boston").
_FILLER = re.compile(r"^(the |code for (the )?|open )")


def normalise(text: str) -> str:
    """Lowercase, hyphens and punctuation to single spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold().replace("&", " and ")).split())


def core(text: str) -> str:
    """The distinguishing part of a name: 'Code for Boston' -> 'boston'."""
    return _FILLER.sub("", normalise(text)).strip()


def keys_for(record: Record) -> set[str]:
    """Every normalised key a record may be found by."""
    data = record.data
    names = [record.id, str(data.get("name") or "")]
    names += [str(a) for a in data.get("aliases") or []]
    names += [str(o.get("name")) for o in data.get("other_names") or [] if isinstance(o, dict)]
    location = data.get("location")
    if record.kind == "brigade" and isinstance(location, dict) and location.get("city"):
        names.append(str(location["city"]))
    keys = {normalise(n) for n in names if n} | {core(n) for n in names if n}
    return {k for k in keys if k}


def resolve(reg: Registry, kinds: Iterable[str], text: str, label: str | None = None) -> Record:
    """The one record `text` names among `kinds`; NameNotFound (exit 2) otherwise."""
    kinds = tuple(kinds)
    label = label or " or ".join(kinds)
    for kind in kinds:  # an exact id always wins
        if text in reg.of(kind):
            return reg.of(kind)[text]
    index: dict[str, set[str]] = defaultdict(set)
    records: dict[str, Record] = {}
    for kind in kinds:
        for record in reg.of(kind).values():
            records[record.id] = record
            for key in keys_for(record):
                index[key].add(record.id)
    wanted = {normalise(text), core(text)} - {""}
    exact = {rid for key in (normalise(text),) for rid in index.get(key, set())}
    found = exact or {rid for key in wanted for rid in index.get(key, set())}
    if len(found) == 1:
        return records[found.pop()]
    if len(found) > 1:
        names = ", ".join(f"{rid} ({records[rid].name})" for rid in sorted(found))
        raise NameNotFound(f"'{text}' matches more than one {label}: {names}; use one of these ids",
                           sorted(found))
    close = difflib.get_close_matches(core(text) or normalise(text), list(index), n=5, cutoff=0.6)
    ids = sorted({rid for key in close for rid in index[key]})[:5]
    hint = f"; did you mean: {', '.join(ids)}?" if ids else "; list them with 'peernet " \
        f"{kinds[0]}s list'"
    raise NameNotFound(f"no {label} named '{text}'{hint}", ids)
