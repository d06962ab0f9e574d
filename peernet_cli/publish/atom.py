"""The change feed as Atom (RFC 4287): one entry per record a commit changed, newest first, so
staff can follow new and changed partnerships in a feed reader instead of the repository.

Built from `query.history` rows (created / changed / renamed / deleted / unreadable); the
feed's content is the registry's text, escaped as XML text, never markup."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

from peernet_cli.query.history import HistoryRow

# How many entries a feed keeps: readers poll it; the whole history is `peernet history`.
MAX_ENTRIES = 100


def entries(rows: Sequence[HistoryRow]) -> list[dict[str, str]]:
    """One entry per (commit, record), newest first: a title and the lines of what changed."""
    grouped: dict[tuple[str, str, str], list[HistoryRow]] = {}
    for row in rows:
        grouped.setdefault((row["commit"], row["kind"], row["id"]), []).append(row)
    out = []
    for (commit, kind, record_id), group in grouped.items():
        first = group[0]
        changes = [r for r in group if r["change"] == "changed"]
        if changes:
            what = "changed " + ", ".join(str(r["field"]) for r in changes[:4]) + ("…" if len(changes) > 4 else "")
        else:
            what = first["change"]
        lines = [_line(r) for r in group]
        out.append({"id": f"{commit}/{kind}/{record_id}", "date": first["date"], "author": first["author"],
                    "title": f"{kind} {record_id}: {what}", "summary": "\n".join(lines), "commit": commit})
    out.sort(key=lambda e: e["date"], reverse=True)  # stable: within a day, the log's order
    return out[:MAX_ENTRIES]


def _line(row: HistoryRow) -> str:
    if row["change"] == "changed":
        return f"{row['field']}: {row['old'] if row['old'] is not None else '(none)'} -> " \
               f"{row['new'] if row['new'] is not None else '(none)'}"
    if row["change"] == "renamed":
        return f"file: {row['old']} -> {row['new']}"
    return f"{row['change']}: {row['new'] or row['old'] or ''}"


def to_atom(rows: Sequence[HistoryRow], title: str, feed_id: str, updated: str, link: str = "") -> str:
    """The Atom document. `feed_id` is a stable IRI for the feed (a tag: URI); `updated` an
    RFC 3339 date or date-time; `link` the page the feed belongs to (relative is fine)."""
    items = entries(rows)
    head = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
            f"  <title>{escape(title)}</title>", f"  <id>{escape(feed_id)}</id>",
            f"  <updated>{_stamp(items[0]['date'] if items else updated)}</updated>"]
    if link:
        head.append(f"  <link href={quoteattr(link)}/>")
    body = []
    for e in items:
        body += ["  <entry>", f"    <title>{escape(e['title'])}</title>",
                 f"    <id>{escape(feed_id)}/{escape(e['id'])}</id>",
                 f"    <updated>{_stamp(e['date'])}</updated>",
                 f"    <author><name>{escape(e['author'])}</name></author>",
                 f"    <summary type=\"text\">{escape(e['summary'])}</summary>", "  </entry>"]
    return "\n".join([*head, *body, "</feed>"]) + "\n"


# Characters XML 1.0 cannot hold even escaped (C0 controls but tab and line breaks, lone
# surrogates, U+FFFE/U+FFFF): an unreadable file's text in history may have them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape(text: str) -> str:
    return _escape(_NOT_XML.sub("\ufffd", text))


def _stamp(day: str) -> str:
    """A YYYY-MM-DD day as the RFC 3339 date-time Atom wants (midnight UTC)."""
    return day if "T" in day else f"{day}T00:00:00Z"
