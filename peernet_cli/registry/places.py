"""Countries and their states or provinces as people type them: a code ("BR", "SC") or a name
("Brazil", "Santa Catarina", "sao paulo"), read from ISO 3166-1 and ISO 3166-2 as the pycountry
package ships them.

A record stores a country as its ISO 3166-1 alpha-2 code and a state as the part of its ISO 3166-2
code after the country ("SC" for BR-SC), so a state code means something only within a country:
SC is both South Carolina and Santa Catarina.

Only a place filter reads these tables, never a plain listing or `peernet --help`. They are read
from pycountry's data files (the Debian iso-codes JSON it ships) without importing pycountry:
on the 2-core development machine (best of 8 processes) `import pycountry` and a lookup of a
subdivision and a country by name took 0.081 s, the same two lookups here 0.034 s."""

from __future__ import annotations

import difflib
import importlib.util
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from peernet_cli.errors import UsageError


class Subdivision(NamedTuple):  # a tuple, not a dataclass: 5,000 are made per run, quickly
    """A state, province or other ISO 3166-2 subdivision."""

    country: str  # ISO 3166-1 alpha-2, e.g. "BR"
    code: str  # its ISO 3166-2 code without the country, as records store it: "SC"
    name: str  # as ISO 3166-2 writes it: "Santa Catarina"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.country}-{self.code})"


def fold(text: str) -> str:
    """How place names are compared: case, accents and extra spaces ignored ("São Paulo" ~ "sao paulo")."""
    if text.isascii():  # most names: no accents to take off
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _iso_table(part: str) -> list[dict[str, Any]]:
    """The entries of ISO 3166 part "3166-1" or "3166-2" as pycountry ships them."""
    spec = importlib.util.find_spec("pycountry")  # finds the package without running it
    if spec is None or spec.origin is None:
        raise UsageError("the place filters need the pycountry package; reinstall peernet")
    path = Path(spec.origin).parent / "databases" / f"iso{part}.json"
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))[part]
    return entries


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    """Every way ISO 3166-1 writes a country (codes, name, common and official names), folded,
    to its code and the name to show ("Brazil (BR)")."""
    out: dict[str, tuple[str, str]] = {}
    for c in _iso_table("3166-1"):
        shown = f"{c.get('common_name') or c['name']} ({c['alpha_2']})"
        for attr in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            if c.get(attr):
                out.setdefault(fold(c[attr]), (c["alpha_2"], shown))
    return out


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, list[tuple[Subdivision, str, str]]]:
    """ISO 3166-2 by country code: each subdivision with its code and name folded."""
    out: dict[str, list[tuple[Subdivision, str, str]]] = defaultdict(list)
    for s in _iso_table("3166-2"):
        country, code = s["code"].split("-", 1)
        out[country].append((Subdivision(country, code, s["name"]), code.casefold(), fold(s["name"])))
    return dict(out)


def country_code(text: str, flag: str = "--country") -> str:
    """The alpha-2 code of the country `text` names ("br", "BRA", "Brazil", "United States");
    a usage error with the closest names otherwise."""
    known = _countries()
    if fold(text) in known:
        return known[fold(text)][0]
    shown = {key: label for key, (_, label) in known.items()}
    raise UsageError(f"{flag} '{text}' is not a country code or name{_hint(fold(text), shown)}")


def subdivisions(text: str, countries: Iterable[str] = (), flag: str = "--state") -> list[Subdivision]:
    """The subdivisions `text` names by code or name, within the given countries (alpha-2 codes)
    or, with none, in any country; a usage error with the closest names if it names none."""
    table = _subdivisions()
    scope = sorted(set(countries)) or sorted(table)
    pool = [entry for c in scope for entry in table.get(c, [])]
    wanted = fold(text)
    found = [s for s, code, name in pool if wanted in (code, name)]
    if found:
        return found
    where = f" in {', '.join(scope)}" if countries else " in any country"
    # Names always; codes only within a country (two letters are close to too many codes elsewhere).
    by_key = {name: s.label for s, _, name in pool} | ({code: s.label for s, code, _ in pool} if countries else {})
    raise UsageError(f"{flag} '{text}' is not a state or province code or name{where}{_hint(wanted, by_key)}")


def _hint(wanted: str, candidates: dict[str, str]) -> str:
    """'; did you mean: …?' naming the closest candidates (folded key -> what to show), or ''."""
    close = difflib.get_close_matches(wanted, list(candidates), n=3, cutoff=0.7)
    shown = list(dict.fromkeys(candidates[k] for k in close))
    return f"; did you mean: {', '.join(shown)}?" if shown else ""
