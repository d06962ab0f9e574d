"""`peernet search`: ranked full-text search over names, descriptions, priorities, notes
and topics of every record, and the roles a member holds in its networks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from peernet_cli.query.rows import SearchHit
from peernet_cli.registry.loader import Record, Registry

# How much a hit in each field counts: a name match beats a passing mention in notes.
WEIGHTS: dict[str, int] = {
    "id": 4, "name": 5, "other_names": 4, "aliases": 4, "topics": 3, "classification": 2,
    "description": 2, "priorities": 2, "projects": 2, "relationship_building": 1,
    "milestones": 1, "notes": 1, "location": 1, "date_note": 1,
    # The roles in a member's `networks` list ("steering-committee"), not the network ids:
    # a role says what the member is, as a classification does.
    "networks": 2,
}


def _text(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _text(item)
    elif isinstance(value, list):
        for item in value:
            yield from _text(item)


def _words(record: Record, fname: str) -> list[str]:
    """The words of one field of a record, as the search sees them."""
    if fname == "id":
        # A partnership's id only repeats its two parties' ids: no evidence of its own.
        return [] if record.kind == "partnership" else tokens(record.id)
    value = record.data.get(fname)
    if fname == "networks":
        value = [m.get("role") for m in value or [] if isinstance(m, dict)]
    return [w for chunk in _text(value) for w in tokens(chunk)]


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def _matches(term: str, words: list[str]) -> int:
    """2 for a whole-word hit, 1 for a word starting with the term ('food' in 'foods')."""
    if term in words:
        return 2
    return 1 if any(w.startswith(term) for w in words) else 0


def search(reg: Registry, query: str, kinds: list[str] | None = None) -> list[SearchHit]:
    terms = tokens(query)
    if not terms:
        return []
    hits: list[SearchHit] = []
    for record in reg.all():
        if kinds and record.kind not in kinds:
            continue
        score = 0
        fields: list[str] = []
        matched_terms: set[str] = set()
        for fname, weight in WEIGHTS.items():
            words = _words(record, fname)
            field_score = 0
            for term in terms:
                m = _matches(term, words)
                if m:
                    matched_terms.add(term)
                    field_score += m * weight
            if field_score:
                score += field_score
                fields.append(fname)
        if score and matched_terms == set(terms):  # every term must appear somewhere
            hits.append({"kind": record.kind, "id": record.id, "name": record.name,
                         "score": score, "matched": fields})
    return sorted(hits, key=lambda h: (-h["score"], h["kind"], h["id"]))
