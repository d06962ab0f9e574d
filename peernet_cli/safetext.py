"""Record values (anyone's text) made inert for the places a forge acts on text: a commit
message, a pull request's title and body on GitHub.

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


def one_line(text: str) -> str:
    """`text` on one line, with every control, format and line-separator character shown as an
    escape (a line break as `\\n`, ESC as `\\x1b`, a right-to-left override as `\\u202e`)."""
    if text.isprintable():
        return text     # the usual case (format and separator characters are not printable)
    out = []
    for ch in text:
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif ch in _HARMLESS_FORMAT or unicodedata.category(ch) not in _ESCAPED:
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def inert(text: str) -> str:
    """`text` as one line (one_line) that GitHub acts on in no way: a word joiner after each
    `@` and `#` that starts a mention or reference, after `GH-`, and inside a closing keyword
    that precedes a URL."""
    text = _REFERENCE.sub(lambda m: m.group() + WORD_JOINER, one_line(text))
    return _CLOSING_BEFORE_URL.sub(lambda m: m.group()[0] + WORD_JOINER + m.group()[1:], text)
