"""`peernet fmt`: canonical form, comments kept, --check for CI, idempotent."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peernet_cli.change.reformat import format_text
from peernet_cli.registry.canonical import canonical_text as render
from peernet_cli.registry.yamlio import dump, parse_text

ROOT = Path(__file__).resolve().parent.parent

MESSY = """# about this brigade
name: Code for Boston   # the name people use
id: code-for-boston
status: active
sources:
- document: seed.txt   # where this came from
location: {state: MA, city: Boston}
"""


def test_fmt_check_reports_a_diff_and_exit_1_without_writing(registry, cli):
    path = registry.write("registry/brigades/code-for-boston.yaml", MESSY)
    result = cli("fmt", "--check", root=registry.root)
    assert result.exit_code == 1
    assert "+id: code-for-boston" in result.stdout and "-id: code-for-boston" in result.stdout
    assert path.read_text() == MESSY


def test_fmt_orders_keys_adds_modeline_and_keeps_comments(registry, cli):
    path = registry.write("registry/brigades/code-for-boston.yaml", MESSY)
    assert cli("fmt", root=registry.root).exit_code == 0
    text = path.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/brigade.schema.json"
    assert text.index("id:") < text.index("name:") < text.index("status:") < text.index("location:")
    assert "# the name people use" in text and "# where this came from" in text and "# about this brigade" in text
    assert cli("fmt", "--check", root=registry.root).exit_code == 0


def test_fmt_leaves_broken_files_alone_and_says_so(registry, cli):
    path = registry.write("registry/partners/broken.yaml", "id: [unclosed\n")
    result = cli("fmt", root=registry.root)
    assert result.exit_code == 0
    assert "skipped registry/partners/broken.yaml" in result.stderr
    assert path.read_text() == "id: [unclosed\n"


def test_bundled_registry_is_canonical(cli):
    result = cli("fmt", "--check", root=ROOT)
    assert result.exit_code == 0, result.stdout[:2000]


text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
partial_date = st.from_regex(r"\A(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?)?\Z")
partnership = st.fixed_dictionaries(
    {"id": st.just("a--b"), "brigade": st.just("a"), "partner": st.just("b"),
     "status": st.sampled_from(["prospective", "active", "paused", "ended", "unknown"]),
     "sources": st.lists(st.fixed_dictionaries({"document": text}, optional={"note": text}), min_size=1, max_size=3)},
    optional={"start_date": partial_date, "last_contact": partial_date, "notes": text,
              "priorities": st.lists(text, max_size=3), "topics": st.lists(st.from_regex(r"\A[a-z]{1,8}\Z"), max_size=3, unique=True)},
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=partnership, shuffle=st.randoms(use_true_random=False))
def test_fmt_is_idempotent_and_keeps_the_data(record, shuffle):
    keys = list(record)
    shuffle.shuffle(keys)
    messy = dump({k: record[k] for k in keys})  # keys shuffled, no modeline
    once = format_text("partnership", messy)
    assert format_text("partnership", once) == once
    data, error = parse_text(once)
    assert error is None and data == record
    assert once == render("partnership", record)
