"""Reading the Markdown body GitHub writes for a filed issue form: `### Label`, a blank line,
the answer, for each field in the form's order; `_No response_` for an empty one; a ticked
checkbox as `- [X] option`.

People type anything into an answer, a `### heading` too, and edit the body after filing, so
only the form's own labels start fields, and only in the form's order (publish/issue_forms.py
holds the forms). Where a label's heading appears twice, the field's heading is taken to be
the last one before the next field's heading (text typed into an answer comes before the
next field's real heading), and the last field's is the first one after the previous field's
(text typed into it, or added after filing, comes after). Text before the first heading is
not part of any field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peernet_cli.errors import UsageError
from peernet_cli.publish.issue_forms import FORMS, Field, Form

MAX_BODY = 65_536           # GitHub's limit on an issue body, in characters
NO_RESPONSE = "_No response_"
_EMPTY = {NO_RESPONSE, "None", ""}   # "None": an optional dropdown left unset
_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_TICK = re.compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*)$")


@dataclass(frozen=True)
class FormAnswers:
    """A filed form's answers: its form, and each field's answer text by field id ('' for an
    empty one; a field whose heading was not found is absent)."""

    form: Form
    answers: dict[str, str]

    @property
    def kind(self) -> str:
        return self.form.name

    def text(self, field_id: str) -> str | None:
        """The answer as one value (lines joined by spaces), None when empty."""
        value = " ".join(line.strip() for line in self.answers.get(field_id, "").splitlines() if line.strip())
        return value or None

    def paragraph(self, field_id: str) -> str | None:
        """The answer as typed, its lines kept; None when empty."""
        return self.answers.get(field_id) or None

    def items(self, field_id: str) -> list[str]:
        """A list typed into a text box: one item per non-empty line, a leading bullet (-, *, +,
        1., 1)) left out."""
        out = []
        for line in self.answers.get(field_id, "").splitlines():
            item = _BULLET.sub("", line, count=1).strip()
            if item:
                out.append(item)
        return out

    def ticked(self, field_id: str) -> list[str]:
        """The checkbox options ticked."""
        out = []
        for line in self.answers.get(field_id, "").splitlines():
            match = _TICK.match(line)
            if match and match.group(1) in "xX":
                out.append(match.group(2).strip())
        return out

    def label(self, field_id: str) -> str:
        return self.form.label(field_id)


def parse_body(text: str) -> FormAnswers:
    """The answers of the peernet issue form `text` (an issue's body) was filed with; the form
    is the one whose labels head the most sections (issue labels can be edited, the body's
    headings are what GitHub wrote). A usage error when it is none of them."""
    if len(text) > MAX_BODY:
        raise UsageError(f"the issue body is {len(text):,} characters long; an issue form's is at most "
                         f"{MAX_BODY:,}")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    best: tuple[int, Form, dict[str, str]] | None = None
    tie = False
    for form in FORMS:
        answers = split(lines, form.fields)
        score = len(answers)
        if best is None or score > best[0]:
            best, tie = (score, form, answers), False
        elif score == best[0]:
            tie = True
    if best is None or best[0] < 2 or tie:
        names = ", ".join(f"'{f.title}'" for f in FORMS)
        raise UsageError("this is not the body of one of the registry's issue forms (" + names + "): "
                         "its fields start with lines like '### Brigade'")
    return FormAnswers(best[1], best[2])


def split(lines: list[str], fields: tuple[Field, ...]) -> dict[str, str]:
    """Each field's answer by id, for the fields whose heading is found (see the module's
    docstring for which line is a field's heading)."""
    at = _headings(lines, fields)
    found = sorted((line, i) for i, line in at.items())
    out = {}
    for n, (start, i) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(lines)
        out[fields[i].id] = _answer(lines[start + 1:end])
    return out


def _headings(lines: list[str], fields: tuple[Field, ...]) -> dict[int, int]:
    """Field index -> the line of its heading: backwards from the end, each the last before
    the heading after it; then the last found field's moved to the first after the one before."""
    where = {i: [n for n, line in enumerate(lines) if _is_heading(line, f.label)] for i, f in enumerate(fields)}
    at: dict[int, int] = {}
    limit = len(lines)
    for i in reversed(range(len(fields))):
        before = [n for n in where[i] if n < limit]
        if before:
            at[i] = limit = before[-1]
    if at:
        last = max(at)
        floor = max((n for i, n in at.items() if i != last), default=-1)
        at[last] = min(n for n in where[last] if n > floor)
    return at


def _is_heading(line: str, label: str) -> bool:
    return line.rstrip() == f"### {label}"


def _answer(lines: list[str]) -> str:
    """An answer's text: surrounding blank lines dropped, `_No response_` (or an unset
    dropdown's `None`) as empty."""
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return "" if text.strip() in _EMPTY else text
