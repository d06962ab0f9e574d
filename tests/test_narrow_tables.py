"""Tables on a narrow terminal: at 80 columns no listing breaks a word across lines. Columns are
as wide as their longest word; when they cannot all be, rows become blocks of `column: value`
lines. Checked on the bundled registry, through the real CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LISTINGS = [
    ["brigades", "list", "--state", "NC"],
    ["partners", "list", "--brigade", "sacramento"],
    ["partnerships", "list", "--brigade", "durham"],
    ["events", "list", "--year", "2015"],
    ["networks", "list"],
    ["search", "food"],
    ["brigades", "related", "chapel-hill", "--limit", "3"],
]


def words_of(value: object) -> list[str]:
    if isinstance(value, list):
        return [w for v in value for w in words_of(v)]
    return str(value).split() if value not in (None, "") else []


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: " ".join(a[:2]))
def test_no_word_is_broken_across_lines(cli, args, width):
    env = {"COLUMNS": str(width)}
    table = cli(*args, root=ROOT, env=env)
    assert table.exit_code == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines and all(len(line) <= width for line in lines)
    text = " ".join(re.sub(r"[│┃┏┓┗┛┡┩┣┫━─╇╋┳┻└┘┌┐]", " ", line) for line in lines).split()
    rows = json.loads(cli(*args, "--format", "json", root=ROOT, env=env).stdout)
    for row in rows:
        for value in row.values():
            for word in words_of(value):
                if len(word) <= 30:  # a longer one (a URL) may fold inside its cell
                    assert word in text, (word, table.stdout)


def test_wide_enough_it_is_a_table_and_narrow_it_is_blocks(cli):
    wide = cli("brigades", "list", "--state", "NC", root=ROOT, env={"COLUMNS": "160"}).stdout
    assert wide.startswith("┏") and "code-for-asheville" in wide
    narrow = cli("brigades", "list", "--state", "NC", root=ROOT, env={"COLUMNS": "60"}).stdout
    assert narrow.splitlines()[:3] == ["code-for-asheville", "  name: Code for Asheville", "  status: unknown"]
