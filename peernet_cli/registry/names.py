"""Names as people type them: `boston`, `code-for-boston`, `"Code for Boston"` all resolve
to the same record; an unknown or ambiguous name is an error listing the closest candidates."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable

from peernet_cli.errors import NameNotFound
from peernet_cli.registry.loader import Record, Registry

# Words that carry no meaning when telling brigades apart ("Code for Boston" ~ "Boston").
_FILLER = re.compile(r"^(the |code for (the )?|open )")


def normalise(text: str) -> str:
    """Lowercase, hyphens and punctuation to single spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold().replace("&", " and ")).split())


def normalise_name(text: str) -> str:
    """What two organisations' names are compared by (likely duplicates, imports): normalised,
    a leading 'the' dropped ("The Food Bank" ~ "Food Bank")."""
    words = normalise(text).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def core(text: str) -> str:
    """The distinguishing part of a name: 'Code for Boston' -> 'boston'."""
    return _FILLER.sub("", normalise(text)).strip()


def keys_for(record: Record) -> list[set[str]]:
    """The normalised keys a record may be found by, strongest first: aliases, then names
    (official and other), then the distinguishing part of a name, then the city."""
    data = record.data
    aliases = [record.id] + [str(a) for a in data.get("aliases") or []]
    names = [str(data.get("name") or "")]
    names += [str(o.get("name")) for o in data.get("other_names") or [] if isinstance(o, dict)]
    location = data.get("location")
    city = str(location["city"]) if record.kind == "brigade" and isinstance(location, dict) \
        and location.get("city") else ""
    tiers = [{normalise(a) for a in aliases}, {normalise(n) for n in names},
             {core(n) for n in names + aliases}, {normalise(city)}]
    return [{k for k in tier if k} for tier in tiers]


def resolve(reg: Registry, kinds: Iterable[str], text: str, label: str | None = None) -> Record:
    """The one record `text` names among `kinds`; NameNotFound (exit 2) otherwise.
    A stronger kind of match wins: 'chicago' is Code for Chicago's alias before it is the
    city of another brigade."""
    kinds = tuple(kinds)
    label = label or " or ".join(kinds)
    for kind in kinds:  # an exact id always wins
        if text in reg.of(kind):
            return reg.of(kind)[text]
    records = [r for kind in kinds for r in reg.of(kind).values()]
    keyed = [(r, keys_for(r)) for r in records]
    wanted = {normalise(text), core(text)} - {""}
    for tier in range(4):
        found = {r.id: r for r, tiers in keyed if wanted & tiers[tier]}
        if len(found) == 1:
            return next(iter(found.values()))
        if len(found) > 1:
            names = ", ".join(f"{rid} ({found[rid].name})" for rid in sorted(found))
            raise NameNotFound(f"'{text}' matches more than one {label}: {names}; use one of these ids",
                               sorted(found))
    index: dict[str, set[str]] = defaultdict(set)
    for r, tiers in keyed:
        for key in set().union(*tiers):
            index[key].add(r.id)
    close = difflib.get_close_matches(core(text) or normalise(text), list(index), n=5, cutoff=0.6)
    ids = sorted({rid for key in close for rid in index[key]})[:5]
    hint = f"; did you mean: {', '.join(ids)}?" if ids else \
        f"; list them with 'peernet {kinds[0]}s list'"
    raise NameNotFound(f"no {label} named '{text}'{hint}", ids)
