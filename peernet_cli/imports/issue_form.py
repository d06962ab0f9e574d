"""A filed issue form as a change: the values a form's answers stand for, built into the same
values objects `partnerships add|update`, `brigades add|rename|retire` build from their flags
(change/records.py), and changed by the same functions, so a form makes exactly the change
the command would.

Every problem is collected, each told against the form's field label (`Brigade: no brigade
named 'bostn'; did you mean: code-for-boston?`): first the answers one by one (names as people
type them, dropdown values, dates, sources), then the change's records checked against the
whole registry as it would be, their findings' fields mapped back to labels. A partnership
already recorded is refused with the path of its file (FormProblem.existing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from peernet_cli.change import records
from peernet_cli.change.answers import date_answer, new_path, partner_answer
from peernet_cli.change.changeset import ChangeSet
from peernet_cli.errors import InvalidDataError, PeernetError
from peernet_cli.imports.issue_form_parse import FormAnswers, parse_body
from peernet_cli.publish.issue_forms import NEW_PARTNER, Field, options
from peernet_cli.query.find import close_names
from peernet_cli.registry.loader import Record, Registry
from peernet_cli.registry.names import resolve
from peernet_cli.safetext import inert

__all__ = ["FormProblem", "FormProblems", "change_for", "form_kind", "parse_body", "problems_markdown"]

Build = Callable[[Registry], ChangeSet]
_DOCUMENT = re.compile(r"[\w.-]+\.[A-Za-z0-9]{1,5}")    # a seed document's file name
# (record kind, record field) -> form field id, for findings in the records a form makes.
_RECORD_FIELDS = {
    ("partnership", "brigade"): "brigade", ("partnership", "partner"): "partner",
    ("partnership", "start_date"): "start-date", ("partnership", "end_date"): "end-date",
    ("partnership", "relationship_building"): "relationship-building", ("partner", "name"): "partner",
    ("partner", "classification"): "partner-classification", ("brigade", "founding_date"): "founding-date",
    ("brigade", "location.city"): "city", ("brigade", "location.state"): "state",
    ("brigade", "location.country"): "country", ("brigade", "dissolution_date"): "stopped",
    ("brigade", "sources"): "source", ("partner", "sources"): "source", ("partnership", "sources"): "source",
}


@dataclass(frozen=True)
class FormProblem:
    """What to fix in one field (`label`; None: the form as a whole); `file` and `line` where
    a record's check found it, `existing` the file of a record that is already there."""

    label: str | None
    message: str
    file: str | None = None
    line: int | None = None
    existing: str | None = None

    def text(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else f"{self.file}: " if self.file else ""
        return f"{where}{self.label + ': ' if self.label else ''}{self.message}"


class FormProblems(InvalidDataError):
    """The form's answers do not make a valid change; `problems` says what to fix, field by field."""

    def __init__(self, problems: list[FormProblem]) -> None:
        fields = sorted({p.label for p in problems if p.label})
        super().__init__(f"{len(problems)} problem(s) in the form ({', '.join(fields) or 'the form'}); "
                         "nothing was written: fix them in the issue and import it again")
        self.problems = problems


def form_kind(answers: FormAnswers) -> str:
    """Which form was filed: add-partnership, update-partnership, add-brigade, correct-brigade
    or outdated-information (publish/issue_forms.FORMS)."""
    return answers.kind


def change_for(reg: Registry, answers: FormAnswers, today: date) -> Build:
    """The change the form's answers make, as change.propose builds it (`build(registry)`),
    once they are found valid against `reg`; FormProblems listing every problem otherwise."""
    reader = _Reader(reg, answers, today)
    builder = _BUILDERS.get(answers.kind)
    if builder is None:
        raise FormProblems([FormProblem(None, f"'{answers.form.title}' is for a maintainer to act on; "
                                        "no change is made from it automatically")])
    build = builder(reader)
    if reader.problems:
        order = [f.label for f in answers.form.fields]
        raise FormProblems(sorted(reader.problems, key=lambda p: order.index(p.label) if p.label else -1))
    try:
        cs = build(reg)
    except PeernetError as exc:
        raise FormProblems([FormProblem(None, _for_form(exc.message))]) from None
    found = list(_findings(reg, cs, today, answers))
    if found:
        raise FormProblems(found)
    return build


# --- the answers, one by one ----------------------------------------------------------------

class _Reader:
    """The form's answers as values, each problem noted against its label."""

    def __init__(self, reg: Registry, answers: FormAnswers, today: date) -> None:
        self.reg, self.answers, self.today = reg, answers, today
        self.problems: list[FormProblem] = []

    def field(self, field_id: str) -> Field:
        return next(f for f in self.answers.form.fields if f.id == field_id)

    def problem(self, field_id: str | None, message: str, existing: str | None = None) -> None:
        label = self.answers.label(field_id) if field_id else None
        self.problems.append(FormProblem(label, message, existing=existing))

    def text(self, field_id: str) -> str | None:
        value = self.answers.text(field_id)
        if value is None and self.field(field_id).required:
            self.problem(field_id, "an answer is needed")
        return value

    def choice(self, field_id: str) -> str | None:
        value = self.text(field_id)
        allowed = options(self.field(field_id))
        if value is not None and value not in allowed:
            self.problem(field_id, f"'{value}' is not one of: {', '.join(allowed)}")
            return None
        return value

    def date(self, field_id: str, not_future: bool = False) -> str | None:
        value = self.text(field_id)
        if value is None:
            return None
        try:
            return date_answer(value, self.today, "the date", not_future)
        except PeernetError as exc:
            self.problem(field_id, exc.message)
            return None

    def sources(self) -> list[str]:
        items = self.answers.items("source")
        if not items:
            self.problem("source", "at least one source is needed: a public web page (https://…)")
        for item in items:
            if not item.startswith(("http://", "https://")) and not _DOCUMENT.fullmatch(item):
                self.problem("source", f"'{item}' is not a web address (https://…) or a document's file name; "
                             "give one source per line")
        return items

    def record(self, field_id: str, kinds: list[str], what: str) -> Record | None:
        value = self.text(field_id)
        if value is None:
            return None
        try:
            return resolve(self.reg, kinds, value, what)
        except PeernetError as exc:
            self.problem(field_id, _for_form(exc.message))
            return None


def _for_form(message: str) -> str:
    """A message written for the command line, told in the form's terms."""
    message = re.sub(r"; list them with 'peernet (\w+) list'", r"; the registry's \1 are in registry/\1/", message)
    message = message.replace("pass a field option with a new value; see --help", "give a new value")
    return message.replace(", or pass --new-partner", "").replace("pass --new-partner", f"tick '{NEW_PARTNER}'")


def _add_partnership(r: _Reader) -> Build:
    brigade = r.record("brigade", ["brigade"], "brigade")
    partner = r.text("partner")
    values = records.PartnershipValues(
        brigade=brigade.id if brigade else "", partner=partner or "", status=r.choice("status") or "",
        sources=r.sources(), kind=r.choice("kind"), start_date=r.date("start-date"),
        last_contact=r.date("last-contact", not_future=True), priorities=r.answers.items("priorities"),
        built=r.answers.items("relationship-building"), notes=r.answers.paragraph("notes"),
        partner_classification=r.choice("partner-classification"),
        new_partner=NEW_PARTNER in r.answers.ticked("new-partner"))
    if brigade is not None and partner is not None:
        _check_partner(r, brigade, partner, values.new_partner)
    return lambda reg: records.add(reg, values)


def _check_partner(r: _Reader, brigade: Record, partner: str, create: bool) -> None:
    """The partner as records.add will take it: not already this brigade's partner, and not
    a near-duplicate of an existing partner's name unless the form says it is new."""
    try:
        answer = partner_answer(r.reg, partner)
    except PeernetError as exc:
        r.problem("partner", _for_form(exc.message))
        return
    ship = f"{brigade.id}--{answer.record_id}"
    if ship in r.reg.of("partnership"):
        rel = new_path(r.reg, "partnership", ship)
        name = answer.existing.name if answer.existing else partner
        r.problem("partner", f"{brigade.name}'s partnership with {name} is already recorded in {rel}; to "
                  "change it, file the 'Update a partnership' form", existing=rel)
    elif answer.existing is None and answer.close and not create:
        names = ", ".join(f"{rid} ({r.reg.of('partner')[rid].name})" for rid in answer.close)
        r.problem("partner", f"'{partner}' is close to the name of a partner already in the registry: {names}; "
                  f"give that name if it is the same organization, or tick '{NEW_PARTNER}'")


def _update_partnership(r: _Reader) -> Build:
    brigade = r.record("brigade", ["brigade"], "brigade")
    partner = r.record("partner", ["partner", "brigade"], "partner")
    if brigade is not None and partner is not None and f"{brigade.id}--{partner.id}" not in r.reg.of("partnership"):
        r.problem("partner", f"{brigade.name} has no recorded partnership with {partner.name}; file the "
                  "'Add a partnership' form instead")
    values = records.PartnershipEdit(
        brigade=brigade.id if brigade else "", partner=partner.id if partner else "", status=r.choice("status"),
        kind=r.choice("kind"), end_date=r.date("end-date"), last_contact=r.date("last-contact", not_future=True),
        priorities=r.answers.items("priorities") or None, built=r.answers.items("relationship-building") or None,
        notes=r.answers.paragraph("notes"))
    sources = r.sources()
    if all(v is None for v in values.changes().values()):
        r.problem(None, "nothing to change: give a new value in at least one field")
    return lambda reg: _noting_sources(records.update(reg, values), sources)


def _add_brigade(r: _Reader) -> Build:
    name = r.text("name")
    if name is not None:
        _check_new_brigade(r, name)
    values = records.BrigadeValues(
        name=name or "", status=r.choice("status") or "", sources=r.sources(),
        classification=r.choice("classification") or "brigade", city=r.text("city"), state=r.text("state"),
        country=r.text("country"), website=r.text("website"), description=r.answers.paragraph("description"),
        founding_date=r.date("founding-date"))
    return lambda reg: records.add(reg, values)


def _check_new_brigade(r: _Reader, name: str) -> None:
    try:
        found: Record | None = resolve(r.reg, ["brigade"], name, "brigade")
    except PeernetError:
        found = None
    if found is not None and found.name.casefold() == name.casefold():
        rel = r.reg.relpath(found.path)
        r.problem("name", f"{found.name} is already in the registry: {rel}; to correct it, file the "
                  "'Correct a brigade' form", existing=rel)
    elif close_names(r.reg, "brigade", name):
        close = ", ".join(close_names(r.reg, "brigade", name))
        r.problem("name", f"'{name}' is close to the name of a brigade already in the registry: {close}; if it "
                  "is another brigade, say so in a comment and a maintainer will add it")


def _correct_brigade(r: _Reader) -> Build:
    brigade = r.record("brigade", ["brigade"], "brigade")
    new_name, status = r.text("new-name"), r.choice("status")
    successor = r.record("successor", ["brigade"], "brigade")
    when, sources = r.date("stopped"), r.sources()
    if (new_name is None) == (status is None):
        r.problem(None, f"give either a {r.answers.label('new-name')} or a {r.answers.label('status')} "
                  "(one change per issue)")
    if status == "merged" and successor is None and r.answers.text("successor") is None:
        r.problem("successor", "a merged brigade needs the brigade it merged into")
    bid = brigade.id if brigade else ""
    if new_name is not None:
        return lambda reg: _noting_sources(records.rename_brigade(reg, bid, new_name), sources)
    succ = successor.id if successor else None
    return lambda reg: _noting_sources(records.retire_brigade(reg, bid, status or "", succ, when), sources)


def _noting_sources(cs: ChangeSet, sources: list[str]) -> ChangeSet:
    """An edit records no source of its own: the form's go into the change's summary, which the
    pull request shows its reviewer."""
    cs.summary.extend(f"source: {s}" for s in sources)
    return cs


_BUILDERS: dict[str, Callable[[_Reader], Build]] = {
    "add-partnership": _add_partnership, "update-partnership": _update_partnership,
    "add-brigade": _add_brigade, "correct-brigade": _correct_brigade,
}


# --- the records checked against the whole registry ----------------------------------------

def _findings(reg: Registry, cs: ChangeSet, today: date, answers: FormAnswers) -> Iterable[FormProblem]:
    """The errors `peernet validate` would find in the change's files, each told against the
    form field its value came from (as change.changeset.verify checks before anything is written)."""
    from peernet_cli.check.findings import Severity
    from peernet_cli.check.validate import check_registry
    from peernet_cli.registry import yamlio

    after = Registry(root=reg.root, records={k: dict(v) for k, v in reg.records.items()})
    fresh = []
    for change in cs.changes:
        data, _ = yamlio.parse_text(change.after)
        record = Record(change.kind, change.path, data if isinstance(data, dict) else {}, change.after)
        after.records[change.kind][change.path.stem] = record
        fresh.append(record)
    kinds = {reg.relpath(c.path): c.kind for c in cs.changes}
    ids = {f.id for f in answers.form.fields}
    for finding in check_registry(after, today, fresh):
        if finding.file not in kinds or finding.severity is not Severity.ERROR:
            continue
        field_id = _field_for(kinds[finding.file], finding.field, ids)
        label = answers.label(field_id) if field_id else None
        said = f"{finding.field}: {finding.message}" if finding.field and label is None else finding.message
        yield FormProblem(label, said, finding.file, finding.line)


def _field_for(kind: str, path: str, ids: set[str]) -> str | None:
    parts = path.split(".")
    for key in (".".join(parts[:2]), parts[0]):
        field_id = _RECORD_FIELDS.get((kind, key), key.replace("_", "-"))
        if field_id in ids:
            return field_id
    return None


# --- the comment that lists what to fix -------------------------------------------------------

_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~])")


def problems_markdown(problems: list[FormProblem], file_url: Callable[[str], str] | None = None) -> str:
    """The text of the comment on the issue listing what to fix, one bullet per field; the
    answers it quotes made inert (no mention, reference or closing keyword, no Markdown or
    HTML). `file_url(path)` links an existing record's file."""
    lines = ["This issue could not be turned into a pull request yet. Please edit the issue and fix:", ""]
    by_label: dict[str | None, list[FormProblem]] = {}
    for p in problems:
        by_label.setdefault(p.label, []).append(p)
    for label, group in by_label.items():
        said = "; ".join(_quote(p.message) for p in group)
        links = [f"[{_quote(p.existing)}]({file_url(p.existing)})" for p in group if p.existing and file_url]
        tail = f" (see {', '.join(links)})" if links else ""
        lines.append(f"- **{_quote(label) if label else 'The form'}**: {said}{tail}")
    lines += ["", "The check runs again each time the issue is edited."]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", inert(text))
