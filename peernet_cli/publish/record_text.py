"""One record with its relations (the data `show` prints as json) laid out for a person: a
title line and sections of plain lines, no JSON and no terminal code. The CLI wraps the lines
to the terminal (cli/output.record); here every line only says where it starts.

Works for any kind from the record's own fields: labels are the schema's field titles,
scalar fields are "About", a paragraph (description, notes) is a section of its own, and so
is each nested value (location, social profiles, milestones, projects, sources …), with the
items the schema describes (a source, a milestone, a project …) written the way a person
reads them. Every other key of the data (partners, members, events …) is a relation section,
and a relation named like a record field replaces it (it carries names, the field only ids).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from peernet_cli.registry.schemas import KINDS, load_schema, resolve

STEP = 2          # spaces per level of nesting
SHORT = 40        # a relation's field up to this long shares a line with the others


@dataclass(frozen=True)
class Line:
    """One line of a section: `indent` spaces, then `marker` ("• ", "- ", "3. "), then the
    text; wrapped text continues under the text, after the marker."""

    text: str
    indent: int = STEP
    marker: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class RecordView:
    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class _Field:
    label: str
    shape: str | None        # the $defs name of the value ("paragraph", "sources") or of its items
    schema: Mapping[str, Any]  # the resolved schema of the value
    doc: Mapping[str, Any]     # the document its $refs resolve in


def record_view(data: Mapping[str, Any]) -> RecordView:
    """The layout of `show`'s data: {"kind", "record", <relation>: rows | row | None, …}."""
    kind = str(data.get("kind") or "record")
    record: Mapping[str, Any] = data.get("record") or {}
    relations = {k: v for k, v in data.items() if k not in ("kind", "record")}
    name, rid = record.get("name") or _named_by(record, relations), record.get("id")
    title = f"{name} — {kind} {rid}" if name and name != rid else f"{kind} {rid}"
    fields = _fields(kind)
    about: list[Line] = []
    own: list[Section] = []
    sources: list[Section] = []
    for key, value in record.items():
        if key in ("id", "name") or _empty(value) or not _empty(relations.get(key)):
            continue  # in the title, or a relation shows it with names
        f = fields.get(key) or _Field(_humane(key), None, {}, {})
        if f.shape == "sources" and isinstance(value, list):
            sources.append(Section(f"{f.label} ({len(value)})", tuple(_sources(value))))
        elif _is_inline(value, f):
            about.append(Line(f"{f.label}: {_scalar(value)}"))
        else:
            own.append(Section(f.label, tuple(_value_lines(value, f, STEP))))
    sections = [Section("About", tuple(about))] if about else []
    sections += own
    sections += [s for k, v in relations.items() if (s := _relation(k, v)) is not None]
    return RecordView(title, tuple(sections + sources))


def _named_by(record: Mapping[str, Any], relations: Mapping[str, Any]) -> str | None:
    """A record without a name (a partnership) is called by the names of the records it links,
    the relations that stand for one of its fields: "Code for Boston and City of Boston"."""
    names = [str(v["name"]) for k, v in relations.items()
             if k in record and isinstance(v, dict) and v.get("name")]
    return " and ".join(names) or None


# --- the schema: labels and shapes ----------------------------------------------------------------


@cache
def _fields(kind: str) -> dict[str, _Field]:
    if kind not in KINDS:
        return {}
    schema = load_schema(KINDS[kind].schema_file)
    return _properties(schema, schema)


def _properties(schema: Mapping[str, Any], doc: Mapping[str, Any]) -> dict[str, _Field]:
    return {key: _field(key, prop, doc) for key, prop in (schema.get("properties") or {}).items()}


def _field(key: str, prop: Mapping[str, Any], doc: Mapping[str, Any]) -> _Field:
    label = str(prop.get("title") or _humane(key))
    shape = _def_name(prop)
    resolved, base = resolve(dict(prop), dict(doc))
    items = resolved.get("items")
    if shape is None and isinstance(items, dict):
        shape = _def_name(items)  # an inline array of a $defs item (milestones)
    return _Field(label, shape, resolved, base)


def _def_name(prop: Mapping[str, Any]) -> str | None:
    ref = prop.get("$ref")
    return str(ref).rsplit("/", 1)[-1] if ref else None


def _item_field(f: _Field) -> _Field:
    """The field of one item of a list field."""
    items = f.schema.get("items")
    if not isinstance(items, dict):
        return _Field("", None, {}, {})
    return _field("", items, f.doc)


def _humane(key: str) -> str:
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]


# --- values -------------------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(_scalar(v) for v in value)
    return str(value)


def _is_token(value: Any) -> bool:
    """A value read at a glance: a number, a yes/no, or text without spaces (an id, a date, a URL)."""
    return not isinstance(value, (dict, list, tuple)) and not any(c.isspace() for c in str(value))


def _is_inline(value: Any, f: _Field) -> bool:
    if f.shape == "paragraph":
        return False
    if isinstance(value, (list, tuple)):
        return all(_is_token(v) for v in value)
    return not isinstance(value, dict)


def _paragraph(text: str, indent: int, marker: str = "") -> list[Line]:
    """A paragraph keeps its own line breaks; the rest is the terminal's wrapping."""
    parts = str(text).split("\n")
    return [Line(p, indent, marker if i == 0 else " " * len(marker)) for i, p in enumerate(parts)]


def _value_lines(value: Any, f: _Field, indent: int) -> list[Line]:
    """A nested value as lines: a dict as "Label: value" lines, a list as bullets, an item the
    schema names (a milestone, a project, a link …) in its own words."""
    if isinstance(value, dict):
        if f.shape == "location":
            return _location(value, indent)
        return _dict_lines(value, _properties(f.schema, f.doc), indent)
    if isinstance(value, (list, tuple)):
        item = _item_field(f)
        lines: list[Line] = []
        for v in value:
            lines += _item_lines(v, item, indent)
        return lines
    return _paragraph(_scalar(value), indent)


def _dict_lines(value: Mapping[str, Any], labels: Mapping[str, _Field], indent: int) -> list[Line]:
    lines: list[Line] = []
    for key, v in value.items():
        if _empty(v):
            continue
        f = labels.get(key) or _Field(_humane(key), None, {}, {})
        if _is_inline(v, f):
            lines.append(Line(f"{f.label}: {_scalar(v)}", indent))
        else:
            lines.append(Line(f"{f.label}:", indent))
            lines += _value_lines(v, f, indent + STEP)
    return lines


def _item_lines(item: Any, f: _Field, indent: int) -> list[Line]:
    if not isinstance(item, dict):
        return _paragraph(_scalar(item), indent, "- ")
    head, rest = _ITEM_HEADS.get(f.shape or "", _generic_head)(item)
    lines = _paragraph(head, indent, "- ")
    if isinstance(item.get("description"), str) and "description" in rest:
        # An item's description needs no label: it reads as the text under its name.
        lines += _paragraph(item["description"], indent + STEP)
    labels = _properties(f.schema, f.doc)
    shown = {k: v for k, v in item.items() if k in rest and k != "description"}
    return lines + _dict_lines(shown, labels, indent + STEP)


def _span(item: Mapping[str, Any]) -> str:
    start, end = item.get("start_date"), item.get("end_date")
    if start and end:
        return f"{start}–{end}"
    return f"from {start}" if start else f"until {end}" if end else ""


def _joined(*parts: Any) -> str:
    return ", ".join(str(p) for p in parts if not _empty(p))


# Each returns the item's first line and the keys still to show under it.
def _milestone_head(m: Mapping[str, Any]) -> tuple[str, Sequence[str]]:
    date = m.get("date") or "undated"
    return f"{date} — {_scalar(m.get('description', ''))}", [k for k in m if k not in ("date", "description")]


def _project_head(p: Mapping[str, Any]) -> tuple[str, Sequence[str]]:
    extra = _joined(p.get("status"), _span(p))
    head = f"{p.get('name')} ({extra})" if extra else str(p.get("name"))
    return head, [k for k in p if k not in ("name", "status", "start_date", "end_date")]


def _link_head(link: Mapping[str, Any]) -> tuple[str, Sequence[str]]:
    head = f"{link.get('url')} — {link['note']}" if link.get("note") else str(link.get("url"))
    return head, [k for k in link if k not in ("url", "note")]


def _identifier_head(i: Mapping[str, Any]) -> tuple[str, Sequence[str]]:
    return f"{i.get('scheme')}: {i.get('identifier')}", [k for k in i if k not in ("scheme", "identifier")]


def _other_name_head(n: Mapping[str, Any]) -> tuple[str, Sequence[str]]:
    extra = _joined(n.get("note"), _span(n))
    head = f"{n.get('name')} ({extra})" if extra else str(n.get("name"))
    return head, [k for k in n if k not in ("name", "note", "start_date", "end_date")]


def _membership_head(m: Mapping[str, Any]) -> tuple[str, Sequence[str]]:
    extra = _joined(m.get("role"), _span(m))
    head = f"{m.get('network')} — {extra}" if extra else str(m.get("network"))
    return head, [k for k in m if k not in ("network", "role", "start_date", "end_date")]


def _generic_head(item: Mapping[str, Any]) -> tuple[str, Sequence[str]]:
    keys = [k for k, v in item.items() if not _empty(v)]
    first = next((k for k in ("name", "title", "id", "url") if k in keys), keys[0] if keys else None)
    if first is None:
        return "", []
    return _scalar(item[first]), [k for k in keys if k != first]


_ITEM_HEADS = {
    "milestone": _milestone_head, "project": _project_head, "link": _link_head,
    "identifier": _identifier_head, "other_name": _other_name_head, "membership": _membership_head,
}


def _location(loc: Mapping[str, Any], indent: int) -> list[Line]:
    place = _joined(*(loc.get(k) for k in ("city", "county", "state", "country")))
    lat, lon = loc.get("latitude"), loc.get("longitude")
    if lat is not None and lon is not None:
        place = f"{place} ({_scalar(lat)}, {_scalar(lon)})" if place else f"{_scalar(lat)}, {_scalar(lon)}"
    lines = [Line(place, indent)] if place else []
    if loc.get("region"):
        lines.append(Line(f"Region: {loc['region']}", indent))
    known = {"city", "county", "state", "country", "latitude", "longitude", "region"}
    return lines + _dict_lines({k: v for k, v in loc.items() if k not in known}, {}, indent)


def _sources(sources: Sequence[Any]) -> list[Line]:
    """Numbered: "1. document 001_….txt — note", "2. https://… (retrieved 2024-05-01) — note"."""
    lines: list[Line] = []
    for n, s in enumerate(sources, 1):
        marker = f"{n}. "
        if not isinstance(s, dict):
            lines += _paragraph(_scalar(s), STEP, marker)
            continue
        what = _joined(f"document {s['document']}" if s.get("document") else None, s.get("url"), s.get("title"))
        if s.get("retrieved"):
            what += f" (retrieved {s['retrieved']})"
        note = s.get("note")
        head = f"{what} — {note}" if what and note else what or _scalar(note or "")
        lines += _paragraph(head, STEP, marker)
        rest = {k: v for k, v in s.items() if k not in ("document", "url", "title", "retrieved", "note")}
        lines += _dict_lines(rest, {}, STEP + len(marker))
    return lines


# --- relations ------------------------------------------------------------------------------------


def _relation(key: str, value: Any) -> Section | None:
    """A relation of the record (partners, members, events …): each row one entry."""
    if _empty(value):
        return None
    rows = value if isinstance(value, (list, tuple)) else [value]
    title = _humane(key) + (f" ({len(rows)})" if isinstance(value, (list, tuple)) else "")
    lines: list[Line] = []
    for row in rows:
        lines += _row_lines(row) if isinstance(row, dict) else _paragraph(_scalar(row), STEP, "• ")
    return Section(title, tuple(lines))


def _row_lines(row: Mapping[str, Any]) -> list[Line]:
    """"Name (id)", then the short fields on one line ("status: active · kind: …"), then each
    longer one ("relationship building:" with its items below)."""
    keys = list(row)
    ident_key = "id" if "id" in row else keys[0] if keys and keys[0] != "name" else None
    ident, name = (row.get(ident_key) if ident_key else None), row.get("name")
    if name is not None and ident is not None and name != ident:
        head = f"{name} ({ident})"
    else:
        head = _scalar(name if name is not None else ident if ident is not None else "")
    rest = {k: v for k, v in row.items() if k not in (ident_key, "name") and not _empty(v)}
    indent = STEP + 2
    short = [f"{_humane(k).lower()}: {_scalar(v)}" for k, v in rest.items() if _is_short(v)]
    lines = _paragraph(head, STEP, "• ") if head else []
    if short:
        lines.append(Line(" · ".join(short), indent))
    for k, v in rest.items():
        if _is_short(v):
            continue
        label = _humane(k).lower()
        if isinstance(v, (list, tuple)) and not all(_is_token(i) for i in v):
            lines.append(Line(f"{label}:", indent))
            for i in v:
                lines += _item_lines(i, _Field("", None, {}, {}), indent + STEP)
        elif isinstance(v, dict):
            lines.append(Line(f"{label}:", indent))
            lines += _dict_lines(v, {}, indent + STEP)
        else:
            lines += _paragraph(f"{label}: {_scalar(v)}", indent)
    return lines


def _is_short(value: Any) -> bool:
    if isinstance(value, dict):
        return False
    if isinstance(value, (list, tuple)):
        return all(_is_token(v) for v in value) and len(_scalar(value)) <= SHORT
    return len(_scalar(value)) <= SHORT and "\n" not in str(value)
