"""Likely duplicates: two organisations of one kind that share a normalised name, a website or
a social profile. One warning per pair, on the later file, naming the earlier one and all they
share; none for a pair whose records already point at each other (`successor`, or each one's
name among the other's `other_names`), since that link says someone has looked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from peernet_cli.check.findings import Finding, Severity, field_path
from peernet_cli.registry import yamlio
from peernet_cli.registry.loader import Record, Registry
from peernet_cli.registry.names import normalise_name

ORGS = ("brigade", "partner", "network")
# A profile listed by this many records is a shared account, not a sign of one organisation
# twice: the bundled Triangle meetup group lists five North Carolina brigades, openbrazil's four.
SHARED_ACCOUNT = 3

# (how, field path, normalised value): "name", "website" or "social"
Key = tuple[str, tuple[str, ...], str]


def normalised_url(url: str) -> str:
    """A URL as two records are compared by: host without 'www.' and path without a trailing
    slash, case-folded, without scheme, query or fragment; '' when it has no host (the schema
    reports a malformed URL; this rule only compares good ones)."""
    try:
        parsed = urlparse(url.strip())
    except ValueError:
        return ""
    host = parsed.netloc.casefold().removeprefix("www.")
    return f"{host}{parsed.path.rstrip('/')}".casefold() if host else ""


def likely_duplicates(reg: Registry) -> Iterator[Finding]:
    for kind in ORGS:
        groups: dict[Key, list[Record]] = defaultdict(list)
        for record in reg.of(kind).values():
            for key in sorted(_keys(record)):
                groups[key].append(record)
        pairs: dict[tuple[str, str], list[Key]] = defaultdict(list)
        records: dict[tuple[str, str], tuple[Record, Record]] = {}
        for key, group in sorted(groups.items()):
            if len(group) < 2 or (key[0] == "social" and len(group) >= SHARED_ACCOUNT):
                continue
            first = group[0]
            for other in group[1:]:
                if not linked(first, other):
                    pairs[(first.id, other.id)].append(key)
                    records[(first.id, other.id)] = (first, other)
        for pair, keys in pairs.items():
            first, other = records[pair]
            yield _warning(reg, first, other, keys)


def _keys(record: Record) -> set[Key]:
    keys: set[Key] = {("name", ("name",), name) for name in _names(record)}
    site = record.get("website")
    if isinstance(site, str) and normalised_url(site):
        keys.add(("website", ("website",), normalised_url(site)))
    social = record.get("social")
    for platform, url in (social.items() if isinstance(social, dict) else ()):
        # A bare platform address (https://github.com/) names no account.
        if isinstance(url, str) and "/" in normalised_url(url):
            keys.add(("social", ("social", str(platform)), normalised_url(url)))
    return keys


def _names(record: Record) -> set[str]:
    return {normalise_name(n) for n in [record.get("name"), *_other_names(record)] if isinstance(n, str)}


def _other_names(record: Record) -> list[Any]:
    others = record.get("other_names")
    return [o.get("name") for o in others if isinstance(o, dict)] if isinstance(others, list) else []


def linked(a: Record, b: Record) -> bool:
    """True when the records point at each other: one is the other's successor, or each names
    the other among its other_names. One-sided, a shared name is the very sign of a duplicate
    (someone adds "GMNC", not knowing it is the council's other name)."""
    if a.get("successor") == b.id or b.get("successor") == a.id:
        return True
    return _names_other(a, b) and _names_other(b, a)


def _names_other(a: Record, b: Record) -> bool:
    name = b.get("name")
    return isinstance(name, str) and normalise_name(name) in {
        normalise_name(n) for n in _other_names(a) if isinstance(n, str)}


def _warning(reg: Registry, first: Record, other: Record, keys: list[Key]) -> Finding:
    shared = "; ".join(f"same {field[-1] if how == 'social' else how}: {value}" for how, field, value in keys)
    path: list[str | int] = list(keys[0][1])
    line, col = yamlio.locate(other.text, path) or (None, None)
    return Finding(reg.rel_of(other), line, col, field_path(path),
                   f"may duplicate {reg.relpath(first.path)} ({shared}); merge them if they are the same "
                   "organization (a successor, or other_names on both naming each other, silences this)",
                   Severity.WARNING, "duplicate")
