"""Record values (anyone's text) made inert wherever they are shown: a terminal (`visible`), a
CI log (`ci_safe`, `workflow_command`), a commit message and a pull request on GitHub (`inert`).

GitHub reads more than Markdown there: `@name` notifies someone, `#12`, `GH-12` and
`owner/repo#12` link an issue, and a closing keyword before one (`Fixes #12`, also before an
issue's URL) closes that issue when the change is merged, from the PR body and from any commit
message on the default branch alike; a new line starting `- [x]` is a ticked task. `inert()`
keeps a value on one line and breaks each of these with an invisible WORD JOINER (U+2060), so
the text reads the same and GitHub acts on none of it; `pull_request_body()` in forge.py then
puts the lines in a code block, where no Markdown or HTML applies either.
"""

from __future__ import annotations

import re
import unicodedata

WORD_JOINER = "\u2060"
# Invisible characters that are no threat: ZWNJ and ZWJ join letters and emoji, and the word
# joiner is what inert() adds (so inert(inert(x)) == inert(x)).
_HARMLESS_FORMAT = frozenset("\u200c\u200d\u2060")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPED = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_REFERENCE = re.compile(r"[@#](?=\w)|(?i:\bgh-)(?=\d)")
_CLOSING_BEFORE_URL = re.compile(
    r"(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?=\s*:?\s*https?://)")


def visible(value: object, keep: str = "") -> str:
    """`value` as text a terminal or a log shows but never acts on: every control, format and
    line-separator character written as an escape (a line break as `\\n`, ESC as `\\x1b`, a
    right-to-left override as `\\u202e`), except those in `keep` (a table cell keeps "\\n")."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text     # the usual case (format and separator characters are not printable)
    out = []
    for ch in text:
        if ch in keep or ch in _HARMLESS_FORMAT or unicodedata.category(ch) not in _ESCAPED:
            out.append(ch)
        elif ch in _NAMED:
            out.append(_NAMED[ch])
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def one_line(text: str) -> str:
    """`text` on one line: `visible` with nothing kept."""
    return visible(text)


def inert(text: str) -> str:
    """`text` as one line (one_line) that GitHub acts on in no way: a word joiner after each
    `@` and `#` that starts a mention or reference, after `GH-`, and inside a closing keyword
    that precedes a URL."""
    text = _REFERENCE.sub(lambda m: m.group() + WORD_JOINER, one_line(text))
    return _CLOSING_BEFORE_URL.sub(lambda m: m.group()[0] + WORD_JOINER + m.group()[1:], text)


# --- a CI log -------------------------------------------------------------------------------


def ci_safe(text: str) -> str:
    """Text for a log CI reads (stdout and stderr of `validate` and `fmt --check`): each line
    (split at every line break Python knows, a superset of the runner's CR and LF) with its
    control characters shown, a backslash before `::` that would start the line after
    leading spaces (the runner's TrimStart), and `##[` (the older form, read anywhere in a
    line) written `##\\[`."""
    out = []
    for raw in text.splitlines():
        line = visible(raw)
        body = line.lstrip()
        if body.startswith("::"):
            line = line[: len(line) - len(body)] + "\\" + body
        out.append(line.replace("##[", "##\\["))
    return "\n".join(out)


def _property(value: str) -> str:
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_command(command: str, properties: dict[str, object], message_text: str) -> str:
    """One GitHub Actions workflow command, `::command key=value,…::message`, on one line:
    line breaks as the runner's %0A/%0D (it shows them as line breaks), `file` otherwise exact
    (so the annotation finds the file), other control characters in the rest shown as escapes."""
    breaks = "\r\n"
    props = ",".join(f"{key}={_property(str(value) if key == 'file' else visible(value, breaks))}"
                     for key, value in properties.items() if value is not None)
    head = f"::{command} {props}" if props else f"::{command}"
    return f"{head}::{_data(visible(message_text, breaks))}"
